// Templates and placeholders: which files are templates (`*.j2`, `*.tpl`, `*.in`…), Jinja/Go/ERB template syntax
// blanked out so every language parses what is left, and the placeholders (`{{ port }}`, `__PORT__`,
// `<path_to_app>`) whose values are filled in later and therefore never judged.

/**
 * Suffixes an installer or tool strips after filling the file in (Ansible/Jinja, Go/Helm, envsubst, autotools), and
 * those of samples a user copies and fills in by hand (`site.subdomain.conf.sample`, `nginx.conf.example`).
 */
const TEMPLATE_SUFFIX = /\.(?:j2|jinja2?|tpl|tmpl|template|in|erb|sample|example|dist)$/i;
/** The same word before the last extension: `gunicorn.template.py`, `nginx.j2.conf`. */
const TEMPLATE_INFIX = /\.(?:j2|jinja2?|tpl|tmpl|template)(?=\.[^./\\]+$)/i;

/**
 * True when the file name ends in a template suffix (`nginx.conf.j2`, `app.service.in`, `Dockerfile.template`), or
 * when the path itself holds a placeholder: every file under a cookiecutter or copier project folder
 * (`{{cookiecutter.project_slug}}/gunicorn.conf.py`) is rendered by the tool, whatever its own name.
 */
export function isTemplatePath(path: string): boolean {
  return untemplatedPath(path) !== path || /\{\{[^{}/\\]*\}\}/.test(path);
}

/**
 * The path with its template suffix removed (`deploy/app.service.j2` → `deploy/app.service`), so that a template is
 * recognised as the kind of file it renders to; other paths unchanged (a name that is only a suffix, `.j2`, too).
 */
export function untemplatedPath(path: string): string {
  if (!TEMPLATE_SUFFIX.test(path)) return TEMPLATE_INFIX.test(path) ? path.replace(TEMPLATE_INFIX, '') : path;
  const stripped = path.replace(TEMPLATE_SUFFIX, '');
  const base = stripped.slice(Math.max(stripped.lastIndexOf('/'), stripped.lastIndexOf('\\')) + 1);
  return base === '' ? path : stripped;
}

/** One value in a file that something else fills in before the file is used. */
export interface Placeholder {
  /** Offsets in the original text. */
  from: number;
  to: number;
  text: string;
}

/** Placeholder forms that mean nothing to any of our formats, so they are placeholders in any file. */
// YunoHost-style `__PORT__`, `__FINALPATH__`; the masked form of a `{{ … }}` expression is one of these too.
const UPPER_PLACEHOLDER = /__[A-Z][A-Z0-9_]*__/;
// Tutorial placeholders: `<path_to_app>`, `<PROJECT_DIR>`, `<your-domain>`, `<http or https>` (a few words at most;
// not a named regex group, `(?<name>` or Python's `(?P<name>`).
const ANGLE_PLACEHOLDER = /(?<!\?|\?P)<([A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*){0,4})>/;
// envsubst and shell-style `${PORT}` / `$PORT`: only where the format gives them no meaning (see `dollar`).
const DOLLAR_PLACEHOLDER = /\$\{[A-Za-z_]\w*\}|\$[A-Z_][A-Z0-9_]*\b/;

/** HTML tags look like tutorial placeholders; nginx `return`/`sub_filter` bodies hold them. */
const HTML_TAGS = new Set(
  'a abbr b body br code div em footer h1 h2 h3 h4 h5 h6 head header hr html i img li link main meta nav ol p pre script section small span strong style table tbody td th thead title tr u ul'.split(
    ' ',
  ),
);

export interface PlaceholderOptions {
  /** Also treat `${NAME}` and `$NAME` as placeholders (only where the format does not expand them itself). */
  dollar?: boolean;
}

function placeholderPattern(options: PlaceholderOptions): RegExp {
  const forms = [UPPER_PLACEHOLDER, ANGLE_PLACEHOLDER, ...(options.dollar ? [DOLLAR_PLACEHOLDER] : [])];
  return new RegExp(forms.map((f) => f.source).join('|'), 'g');
}

const PATTERNS = { plain: placeholderPattern({}), dollar: placeholderPattern({ dollar: true }) };

/** Placeholders written in `text` (not counting `{{ … }}` expressions of template files: see `maskTemplate`). */
export function findPlaceholders(text: string, options: PlaceholderOptions = {}): Placeholder[] {
  const pattern = options.dollar ? PATTERNS.dollar : PATTERNS.plain;
  pattern.lastIndex = 0;
  const found: Placeholder[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[1] !== undefined && HTML_TAGS.has(match[1].toLowerCase())) continue;
    found.push({ from: match.index, to: match.index + match[0].length, text: match[0] });
  }
  return found;
}

/**
 * Tutorial placeholders (`<port>`, `<path_to_app>`) as `__XX…__` stand-ins of the same length, for shell-like text
 * in which `<` would start a redirection; shorter ones than five characters stay as written.
 */
export function maskAnglePlaceholders(text: string): string {
  const angles = findPlaceholders(text).filter((p) => p.text.startsWith('<') && p.text.length >= 5);
  if (!angles.length) return text;
  let out = '';
  let last = 0;
  for (const p of angles) {
    out += text.slice(last, p.from) + placeholderToken(p.to - p.from);
    last = p.to;
  }
  return out + text.slice(last);
}

/** Whether a value holds a placeholder, which makes it unknown: it is never reported as invalid. */
export function hasPlaceholder(value: string, options: PlaceholderOptions = {}): boolean {
  return findPlaceholders(value, options).length > 0;
}

/** Placeholders outside comment lines (`#`/`;` first), for the one info a file gets. */
export function placeholdersOutsideComments(text: string, options: PlaceholderOptions = {}): Placeholder[] {
  return outsideComments(text, findPlaceholders(text, options));
}

/**
 * The placeholders not on a comment line (one whose first non-blank character is `#` or `;`), in document order. One
 * pass over the text, however many placeholders a line holds.
 */
export function outsideComments(text: string, placeholders: readonly Placeholder[]): Placeholder[] {
  const sorted = [...placeholders].sort((a, b) => a.from - b.from);
  const comment = /[ \t]*[#;]/y;
  let lineStart = 0;
  let nextBreak = text.indexOf('\n');
  let judgedLine = -1;
  let onComment = false;
  return sorted.filter((p) => {
    while (nextBreak >= 0 && nextBreak < p.from) {
      lineStart = nextBreak + 1;
      nextBreak = text.indexOf('\n', lineStart);
    }
    if (judgedLine !== lineStart) {
      judgedLine = lineStart;
      comment.lastIndex = lineStart;
      onComment = comment.test(text) && comment.lastIndex <= p.from;
    }
    return !onComment;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Template syntax

/** A template file with its syntax blanked out: same length and line breaks, so every offset still fits. */
export interface MaskedTemplate {
  text: string;
  /** The `{{ … }}` expressions, in the original text. */
  expressions: Placeholder[];
}

/**
 * Tag delimiters: Jinja statements, comments and expressions (Go/Helm actions and comments use `{{ }}` too), and ERB
 * (Puppet, Chef) tags, whose expressions start `<%=`. ERB branches are not told apart: Ruby blocks have no closing
 * keyword per kind, so ERB statements are only blanked.
 */
const DELIMITERS = [
  ['{%', '%}'],
  ['{#', '#}'],
  ['{{', '}}'],
  ['<%', '%>'],
] as const;

interface Tag {
  from: number;
  to: number;
  kind: 'statement' | 'comment' | 'expression';
  /** The text between the delimiters, without `-`/`+` whitespace-control marks. */
  inner: string;
}

/**
 * Finds tags left to right in linear time: each delimiter's next opening is remembered, and a delimiter whose closing
 * never comes again is dropped (so `{{{{{{…` without `}}` does not rescan the rest of the text for every `{{`).
 */
function tagScanner(text: string): (from: number) => Tag | undefined {
  const next: number[] = DELIMITERS.map(() => -1);
  return (position) => {
    for (;;) {
      let best = -1;
      for (let k = 0; k < DELIMITERS.length; k++) {
        if (next[k]! !== Infinity && next[k]! < position) {
          const at = text.indexOf(DELIMITERS[k]![0], position);
          next[k] = at < 0 ? Infinity : at;
        }
        if (next[k]! !== Infinity && (best < 0 || next[k]! < next[best]!)) best = k;
      }
      if (best < 0) return undefined;
      const [open, close] = DELIMITERS[best]!;
      const from = next[best]!;
      const end = text.indexOf(close, from + open.length);
      if (end < 0) {
        next[best] = Infinity;
        continue;
      }
      const raw = text.slice(from + open.length, end);
      const inner = raw.replace(/^[-+]/, '').replace(/[-+]$/, '');
      const to = end + close.length;
      if (open === '{%') return { from, to, kind: 'statement', inner };
      if (open === '{#') return { from, to, kind: 'comment', inner };
      if (open === '<%') return { from, to, kind: raw.startsWith('=') ? 'expression' : 'comment', inner };
      if (/^\s*\/\*/.test(inner)) return { from, to, kind: 'comment', inner };
      return { from, to, kind: goAction(inner) ? 'statement' : 'expression', inner };
    }
  };
}

/** Jinja and Go keywords that open a block, continue one with another branch, or close it. */
const OPENERS = new Set([
  'if',
  'for',
  'macro',
  'call',
  'filter',
  'block',
  'with',
  'range',
  'define',
  'autoescape',
  'trans',
]);
const BRANCHES = new Set(['elif', 'else']);
const GO_ACTIONS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'block', 'break', 'continue']);

/** Blanks everything but line breaks. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

/** A `{{ … }}` expression becomes an `__XXXX__` placeholder of the same length (spaces when too short). */
export function placeholderToken(length: number): string {
  return length >= 5 ? `__${'X'.repeat(length - 4)}__` : ' '.repeat(length);
}

/**
 * A message about a value read from a template shows its `{{ … }}` expressions as the rules saw them, `__XXXX__`:
 * they become `{{…}}` again, so the user reads a placeholder, not our stand-in.
 */
export function readableStandIns(message: string): string {
  return message.includes('__X') ? message.replace(/__X+__/g, '{{\u2026}}') : message;
}

/** Whether the text between `from` and `to` stands alone on its line(s). */
function aloneOnLine(text: string, from: number, to: number): boolean {
  // Only the blanks next to the tag are read, so a long line of tags costs no more than its length.
  let before = from - 1;
  while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--;
  if (before >= 0 && text[before] !== '\n' && text[before] !== '\r') return false;
  let after = to;
  while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
  return after >= text.length || text[after] === '\n' || text[after] === '\r';
}

/** True when `text` has Jinja, Go or ERB template tags (used to treat nginx or unit files with them as templates). */
export function hasTemplateSyntax(text: string): boolean {
  const has = (open: string, close: string) => {
    const at = text.indexOf(open);
    return at >= 0 && text.indexOf(close, at + open.length) >= 0;
  };
  return has('{%', '%}') || has('{{', '}}') || has('<%=', '%>');
}

export interface MaskOptions {
  /**
   * What a language puts in place of a tag that stands alone on its line and inserts unknown lines (`{{ extra }}`,
   * `{% include 'x.j2' %}`), given the tag's length; blanks when undefined. nginx writes an `include`, so rules that
   * look for a missing directive know that something unknown may provide it.
   */
  insertion?: (length: number) => string | undefined;
}

/**
 * Blanks template statements and comments, keeps only the first branch of `if … elif/else … endif` (both branches of
 * a template are never rendered together, so settings repeated across them are not duplicates), keeps `raw` blocks
 * as written, and turns each `{{ … }}` expression into an `__XXXX__` placeholder (or blanks when it stands alone on
 * its line: it inserts whole lines, which must not merge with the next directive).
 */
export function maskTemplate(text: string, options: MaskOptions = {}): MaskedTemplate {
  const out: string[] = [];
  const expressions: Placeholder[] = [];
  /** One entry per open block: whether the block is in a branch that is skipped. */
  const stack: boolean[] = [];
  let skipping = false;
  let last = 0;
  let noEndraw = false;
  /** The language's stand-in for a tag that inserts lines, when it fits on the tag's first line. */
  const insertion = (tag: string): string | undefined => {
    if (/[\r\n]/.test(tag)) return undefined;
    const stand = options.insertion?.(tag.length);
    return stand !== undefined && stand.length === tag.length ? stand : undefined;
  };
  const emit = (upTo: number): void => {
    const chunk = text.slice(last, upTo);
    out.push(skipping ? blank(chunk) : chunk);
    last = upTo;
  };
  const nextTag = tagScanner(text);
  for (let tag = nextTag(0); tag; tag = nextTag(last)) {
    const { from, to, inner } = tag;
    const written = text.slice(from, to);
    emit(from);
    if (tag.kind === 'statement') {
      const keyword = /^\s*(\w+)/.exec(inner)?.[1] ?? '';
      if (keyword === 'raw' && written.startsWith('{%') && !noEndraw) {
        // Everything up to {% endraw %} is literal text.
        const end = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
        end.lastIndex = to;
        const close = end.exec(text);
        out.push(blank(written));
        last = to;
        // Without one, no later raw block has one either: do not search again.
        noEndraw = !close;
        if (!close) continue;
        emit(close.index);
        out.push(blank(close[0]));
        last = close.index + close[0].length;
        continue;
      }
      if (OPENERS.has(keyword) || (keyword === 'set' && !inner.includes('='))) {
        stack.push(skipping);
      } else if (BRANCHES.has(keyword) && stack.length) {
        // A later branch: skipped unless the block itself sits in a skipped branch already (then it stays skipped).
        skipping = true;
      } else if (keyword.startsWith('end') && stack.length) {
        skipping = stack.pop()!;
      }
      const inserts = keyword === 'include' && !skipping && aloneOnLine(text, from, to);
      out.push((inserts && insertion(written)) || blank(written));
    } else if (tag.kind === 'comment') {
      out.push(blank(written));
    } else {
      if (!skipping) expressions.push({ from, to, text: written });
      const alone = aloneOnLine(text, from, to);
      out.push(
        skipping || alone || /[\r\n]/.test(written)
          ? (!skipping && alone && insertion(written)) || blank(written)
          : placeholderToken(written.length),
      );
    }
    last = to;
  }
  emit(text.length);
  return { text: out.join(''), expressions };
}

/** A Go template action (`if`, `else`, `end`, `range`…) as a statement; undefined for a value expression. */
function goAction(inner: string): string | undefined {
  const keyword = /^\s*(\w+)/.exec(inner)?.[1];
  return keyword && GO_ACTIONS.has(keyword) ? inner : undefined;
}

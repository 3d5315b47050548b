// What a language parses of a file that may be a template: Jinja/Go syntax blanked out (same offsets), and the file's
// placeholders, found once here for every language so each of them only has to treat placeholder values as unknown.

import {
  hasTemplateSyntax,
  isTemplatePath,
  maskAnglePlaceholders,
  maskTemplate,
  outsideComments,
  placeholdersOutsideComments,
  placeholderToken,
  type MaskOptions,
  type Placeholder,
} from '../../core/templates';

/** A file kind as both the registry and the deployment model name it. */
export type TemplateKind =
  'gunicorn' | 'systemd' | 'nginx' | 'dockerfile' | 'procfile' | 'compose' | 'shell' | 'manifest';

export interface TemplateView {
  /** The text to parse: the original, or the template with its syntax blanked out (same length, same lines). */
  text: string;
  /** Placeholders outside comment lines, in the original text's offsets, in document order. */
  placeholders: Placeholder[];
}

/**
 * Whether a file is treated as a template. By name (`*.j2`, `*.tpl`, `*.in`…), or by content for units, nginx files
 * and compose files, in which `{{` and `{%` mean nothing of their own (compose's `{{.Node.Hostname}}` is Swarm's
 * placeholder): Ansible roles and chart folders often keep templates under the rendered name. Python (f-strings, set
 * displays) gives braces a meaning, so only what no Python has counts there (JINJA_IN_PYTHON); shell scripts,
 * Dockerfiles and Procfiles (`docker … --format '{{.ID}}'`) only by their names.
 */
// Manifests are not sniffed here: the Kubernetes reader blanks Helm syntax itself and needs the original text to see
// which tags stand alone on their lines (they insert unknown keys: env, resources).
const SNIFFED = new Set<TemplateKind>(['systemd', 'nginx', 'compose']);

function isTemplate(kind: TemplateKind, path: string | undefined, text: string): boolean {
  if (path !== undefined && isTemplatePath(path)) return true;
  if (kind === 'gunicorn') return JINJA_IN_PYTHON.test(text);
  return SNIFFED.has(kind) && hasTemplateSyntax(text);
}

/**
 * What only a template has in a Python config (Salt and Ansible render `gunicorn.conf.py` under its plain name): a
 * `{% if %}`-style line, or `{{ name }}` with a name and spaces inside (`bind = "{{ ip }}:{{ port }}"`); an f-string's
 * doubled braces hold no such thing.
 */
const JINJA_IN_PYTHON =
  /^[ \t]*\{%-?\s*(?:if|for|set|include|block|macro|import|from)\b|\{\{\s+[A-Za-z_][\w.]*(?:\s*\|[^{}\n]*)?\s+\}\}/m;

/**
 * `${NAME}` and `$NAME` are placeholders only where the format does not expand them itself: in Gunicorn's Python
 * strings (nothing expands them there), and in nginx templates (envsubst, as the official nginx image runs it, while
 * nginx's own `$variables` are lower case). systemd, shells, Dockerfiles, Procfiles and compose expand them.
 */
function dollarPlaceholders(kind: TemplateKind, template: boolean): boolean {
  return kind === 'gunicorn' || (kind === 'nginx' && template);
}

export function templateView(kind: TemplateKind, text: string, path?: string): TemplateView {
  const template = isTemplate(kind, path, text);
  if (template && isChildTemplate(text)) return { text: blankAll(text), placeholders: [] };
  const dollar = dollarPlaceholders(kind, template);
  const masked = template ? maskTemplate(text, maskOptions(kind)) : { text, expressions: [] };
  // The masked text shows each expression as `__XXXX__` (nginx an insertion as `include __XXXX__;`): count only
  // the placeholders written as such, and each expression once, as written.
  const docstrings = kind === 'gunicorn' ? docstringSpans(text) : [];
  const written = placeholdersOutsideComments(masked.text, { dollar }).filter(
    (p) => text.slice(p.from, p.to) === p.text && !docstrings.some((d) => d.from <= p.from && p.to <= d.to),
  );
  const bare = kind === 'nginx' && template ? outsideComments(text, bareCapitals(masked.text)) : [];
  const placeholders = [...outsideComments(text, masked.expressions), ...written, ...bare].sort(
    (a, b) => a.from - b.from,
  );
  return { text: finishMask(kind, masked.text, template, text, masked.expressions), placeholders };
}

/**
 * Python docstrings and other triple-quoted strings that start their line (a statement, not a value): their `$PORT`
 * and `${NAME}` are prose about the settings (`bind: formatted as '0.0.0.0:$PORT'`), not values a script fills in.
 */
function docstringSpans(text: string): { from: number; to: number }[] {
  return [...text.matchAll(/^[ \t]*[rRuUbB]{0,2}("""|''')[\s\S]*?\1/gm)].map((match) => ({
    from: match.index,
    to: match.index + match[0].length,
  }));
}

/**
 * A Jinja child template (`{% extends "service-base.j2" %}`) is only blocks of lines that its parent puts in place
 * (the value of an `ExecStart=` the parent writes): on their own they are no file of any kind, so nothing of it is
 * checked; the parent is.
 */
function isChildTemplate(text: string): boolean {
  return /\{%[-+]?\s*extends\s/.test(text);
}

/** The text with every character but line breaks blanked (same offsets, same lines). */
function blankAll(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

/**
 * sed-style placeholders of an nginx template: a word of five or more capitals standing alone as an argument
 * (`listen NGPORT ssl;`, `ssl_certificate CERTFILE;`, which a script replaces before nginx reads the file). nginx's
 * own arguments are lower case but for a few (HTTP methods, curve names), which a template then leaves unjudged.
 * After whitespace, `:` (`[::]:NGPORT`), `[` or `=`, before whitespace, `;`, `:` or `]`: never a variable or a piece
 * of a path (a `$` or `/` comes before those); a word in quotes counts too, and is then only left unjudged.
 */
const BARE_CAPITALS = /(?<=[\s:[=])[A-Z][A-Z0-9_]{4,}(?=[\s;:\]]|$)/g;

function bareCapitals(text: string): Placeholder[] {
  // Not in a trailing comment (`server_name example.com;  # CUSTOMIZE`): a word there fills in nothing.
  const inComment = (at: number) => text.slice(text.lastIndexOf('\n', at) + 1, at).includes('#');
  return [...text.matchAll(BARE_CAPITALS)]
    .filter((match) => !inComment(match.index))
    .map((match) => ({
      from: match.index,
      to: match.index + match[0].length,
      text: match[0],
    }));
}

/** Only the text to parse (for the deployment model, which does not count placeholders). */
export function templateText(kind: TemplateKind, text: string, path?: string): string {
  const template = isTemplate(kind, path, text);
  if (!template) return finishMask(kind, text, false, text, []);
  if (isChildTemplate(text)) return blankAll(text);
  const masked = maskTemplate(text, maskOptions(kind));
  return finishMask(kind, masked.text, true, text, masked.expressions);
}

/** Shell-like command sources: `<port>` there would read as a redirection, so it becomes a `__XX__` stand-in. */
const SHELL_KINDS = new Set<TemplateKind>(['dockerfile', 'procfile', 'compose', 'shell', 'manifest']);

/** What each kind needs beyond the template syntax: nginx envsubst lines, shell-safe tutorial placeholders. */
function finishMask(
  kind: TemplateKind,
  text: string,
  template: boolean,
  original: string,
  expressions: readonly Placeholder[],
): string {
  if (kind === 'systemd' && template) return vanishedLinesAsComments(text, original, expressions);
  if (kind === 'nginx') {
    // After the lone placeholder lines: an argument's stand-in may stand alone on its line too.
    const lines = argumentExpressions(maskLonePlaceholderLines(text, template), expressions);
    // A stand-in of the same length, which every value check already takes for a placeholder.
    return template ? lines.replace(BARE_CAPITALS, (word) => `__${'X'.repeat(word.length - 4)}__`) : lines;
  }
  if (SHELL_KINDS.has(kind)) return maskAnglePlaceholders(text);
  return text;
}

/**
 * An nginx expression on a line of its own, or spread over several lines, inserts lines when it stands between
 * directives; inside a directive that has not ended (`server_name` then `{% for %}{{ name }}{% endfor %}` lines, or
 * `ssl_prefer_server_ciphers {{ "off"` … `else "on" }};`) it is the directive's argument: a placeholder there.
 */
function argumentExpressions(masked: string, expressions: readonly Placeholder[]): string {
  let out = masked;
  for (const expression of expressions) {
    const written = out.slice(expression.from, expression.to);
    if (written.trim() && !written.startsWith('include ')) continue;
    const before = lastSyntaxCharacter(out.slice(Math.max(0, expression.from - 2000), expression.from));
    if (before === undefined || before === ';' || before === '{' || before === '}') continue;
    const firstLine = /^[^\r\n]*/.exec(written)![0].length;
    out =
      out.slice(0, expression.from) + placeholderToken(firstLine) + out.slice(expression.from + firstLine);
  }
  return out;
}

/** The last character of `text` outside nginx comments (`#` to the end of its line), if any. */
function lastSyntaxCharacter(text: string): string | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const code = lines[i]!.replace(/#.*$/, '').trimEnd();
    if (code) return code[code.length - 1];
  }
  return undefined;
}

/**
 * A unit line that held only template syntax (`{% else %}`, `{%- endif %}`, a branch not rendered) renders to nothing
 * (Ansible trims a tag's line): a comment line in its place, same length, which a value continued with `\` skips over
 * as systemd skips comments, where a blank line would end the value and leave its next lines without a key.
 */
function vanishedLinesAsComments(
  masked: string,
  original: string,
  expressions: readonly Placeholder[],
): string {
  const out: string[] = [];
  let continued = false;
  let offset = 0;
  for (const line of masked.split('\n')) {
    const from = offset;
    offset += line.length + 1;
    const written = original.slice(from, from + line.length);
    if (line.trim() || !written.trim()) {
      out.push(line);
      if (line.trim()) continued = /\\[ \t]*\r?$/.test(line);
      continue;
    }
    // An expression of a rendered branch alone on its line renders to text: the last words of a value continued onto
    // it (`{{ app }}` after `-w 3 \`), else lines of their own (left blank, so they end no value and start none).
    if (expressions.some((e) => e.from >= from && e.from < from + line.length)) {
      const indent = /^[ \t]*/.exec(written)![0].length;
      out.push(continued ? line.slice(0, indent) + placeholderToken(line.length - indent) : line);
      continued = false;
      continue;
    }
    // Tags, comments and branches not rendered: nothing, like a comment line.
    out.push(`#${line.slice(1)}`);
  }
  return out.join('\n');
}

/**
 * An nginx line that is only a placeholder inserts whole directives (YunoHost's `__SSL_OPTIONS__`, envsubst's
 * `${SERVER_NAME_LINE}` in a template): read it as an insertion, so it does not swallow the next directive.
 */
function maskLonePlaceholderLines(text: string, template: boolean): string {
  const insertion = maskOptions('nginx').insertion!;
  const lone = template
    ? /^([ \t]*)(\$\{[A-Za-z_]\w*\}|__[A-Z][A-Z0-9_]*__|[A-Z][A-Z0-9_]{4,})(?=[ \t]*\r?$)/gm
    : /^([ \t]*)(__[A-Z][A-Z0-9_]*__)(?=[ \t]*\r?$)/gm;
  return text.replace(
    lone,
    (_, indent: string, name: string) => indent + (insertion(name.length) ?? ' '.repeat(name.length)),
  );
}

/** nginx reads a tag that inserts whole lines as an `include` of something unknown (see `MaskOptions`). */
function maskOptions(kind: TemplateKind): MaskOptions {
  // Python: a tag alone on its line is often a whole statement, e.g. a hook's body `{{ post_fork_code }}` under its
  // `def`; a blank there would leave the function without a body (a false syntax error), an identifier is a statement.
  if (kind === 'gunicorn') {
    return { insertion: (length) => (length >= 5 ? `__${'X'.repeat(length - 4)}__` : undefined) };
  }
  if (kind !== 'nginx') return {};
  return { insertion: (length) => (length >= 14 ? `include __${'X'.repeat(length - 13)}__;` : undefined) };
}

// Words of a command line (shell or systemd quoting), each with where its characters were written.

/** One word of a command line after quote removal. */
export interface Token {
  /** The unquoted value, as the program receives it. */
  text: string;
  /** Offsets of the raw token (quotes included) in the original text. */
  from: number;
  to: number;
  /** True when any part of the word was quoted or backslash-escaped. */
  quoted: boolean;
  /**
   * True when the word holds an expansion whose value only exists at run time ($VAR, ${VAR}, $(...), backticks,
   * systemd %-specifiers); its text keeps the expansion literally and checks never judge it.
   */
  dynamic?: boolean;
}

export type Dialect = 'shell' | 'systemd';

/**
 * Where each character of a token's text was written: the raw start and end of each, or, for a word written plainly
 * (every character one raw character, in a row: most words), the first character's start alone. Parsed launches are
 * kept across model builds, and two arrays a word made most of their size.
 */
type CharOffsets = { starts: number[]; ends: number[] } | { plainFrom: number };

/**
 * Kept beside the token (not in it) so that tokens stay plain data. Lets a value inside `--bind="0.0.0.0:80"` be
 * located exactly for fixes.
 */
const charOffsets = new WeakMap<Token, CharOffsets>();

/** The offsets of an empty word (read only, so all of them share it). */
const NO_CHARS: CharOffsets = { starts: [], ends: [] };

/** The raw start of character `index` of a token `length` characters long; undefined past its end. */
function charStart(offsets: CharOffsets, index: number, length: number): number | undefined {
  if ('plainFrom' in offsets) return index >= 0 && index < length ? offsets.plainFrom + index : undefined;
  return offsets.starts[index];
}

/** The raw end of character `index` of a token `length` characters long; undefined past its end. */
function charEnd(offsets: CharOffsets, index: number, length: number): number | undefined {
  if ('plainFrom' in offsets) return index >= 0 && index < length ? offsets.plainFrom + index + 1 : undefined;
  return offsets.ends[index];
}

class WordBuilder {
  text = '';
  quoted = false;
  dynamic = false;
  /** The first character's raw start while the word is written plainly (see CharOffsets). */
  private plainFrom: number | undefined;
  /** Each character's raw start and end, once a character was not written plainly. */
  private starts: number[] | undefined;
  private ends: number[] | undefined;

  add(chars: string, from: number, to: number): void {
    for (const ch of chars) {
      const plain =
        !this.starts &&
        ch.length === 1 &&
        to === from + 1 &&
        from === (this.plainFrom ?? from) + this.text.length;
      if (plain) {
        this.plainFrom ??= from;
      } else {
        if (!this.starts) {
          const first = this.plainFrom ?? 0;
          this.starts = Array.from({ length: this.text.length }, (_, k) => first + k);
          this.ends = this.starts.map((start) => start + 1);
        }
        this.starts.push(from);
        this.ends!.push(to);
      }
      this.text += ch;
    }
  }

  token(from: number, to: number): Token {
    const token: Token = { text: this.text, from, to, quoted: this.quoted };
    if (this.dynamic) token.dynamic = true;
    if (this.starts) charOffsets.set(token, { starts: this.starts, ends: this.ends! });
    else if (this.plainFrom !== undefined) charOffsets.set(token, { plainFrom: this.plainFrom });
    else charOffsets.set(token, NO_CHARS);
    return token;
  }
}

const SHELL_WORD_END = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '<', '>', '(', ')']);
const SYSTEMD_WORD_END = new Set([' ', '\t', '\n', '\r']);
const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** A `\` followed by a line break (LF or CRLF): the length of that continuation, else 0. */
function continuationLength(text: string, i: number): number {
  if (text[i] !== '\\') return 0;
  if (text[i + 1] === '\n') return 2;
  if (text[i + 1] === '\r' && text[i + 2] === '\n') return 3;
  return 0;
}

/** Adds text[from, to) to the word as written, marking the word dynamic (its value exists only at run time). */
function addDynamic(text: string, from: number, to: number, word: WordBuilder): number {
  word.dynamic = true;
  for (let k = from; k < to; k++) word.add(text[k]!, k, k + 1);
  return to;
}

/** Reads `$...` in a shell word: expansions stay literal but make the word dynamic. Returns the end offset. */
function readShellDollar(text: string, i: number, word: WordBuilder): number {
  const next = text[i + 1];
  let end = i + 1;
  if (next === '(' || next === '{') {
    // $(...) and ${...}: keep everything up to the matching bracket.
    const close = next === '(' ? ')' : '}';
    let depth = 0;
    for (end = i + 1; end < text.length; end++) {
      if (text[end] === next) depth++;
      else if (text[end] === close && --depth === 0) {
        end++;
        break;
      }
    }
  } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
    end = i + 2;
    while (end < text.length && /\w/.test(text[end]!)) end++;
  } else if (next !== undefined && /[0-9@*#?$!-]/.test(next)) {
    end = i + 2;
  } else {
    word.add('$', i, i + 1);
    return i + 1;
  }
  return addDynamic(text, i, end, word);
}

/** Reads `$VAR`, `${VAR}` or `$$` in a systemd word (systemd substitutes the first two from the environment). */
function readSystemdDollar(text: string, i: number, word: WordBuilder): number {
  if (text[i + 1] === '$') {
    word.add('$', i, i + 2);
    return i + 2;
  }
  const m = /^\$(\{\w+\}|[A-Za-z_]\w*)/.exec(text.slice(i, i + 200));
  if (!m) {
    word.add('$', i, i + 1);
    return i + 1;
  }
  return addDynamic(text, i, i + m[0].length, word);
}

/** A systemd backslash escape at `i` (C-style); returns the end offset. */
function readSystemdEscape(text: string, i: number, word: WordBuilder): number {
  const next = text[i + 1];
  if (next === undefined) {
    word.add('\\', i, i + 1);
    return i + 1;
  }
  const hex = /^x([0-9a-fA-F]{2})/.exec(text.slice(i + 1, i + 4));
  if (hex) {
    word.add(String.fromCharCode(parseInt(hex[1]!, 16)), i, i + 4);
    return i + 4;
  }
  word.add(C_ESCAPES[next] ?? next, i, i + 2);
  return i + 2;
}

/** Reads one word starting at `i` (not at a blank or operator). Returns the word and the offset after it. */
function readWord(text: string, i: number, dialect: Dialect): { word: WordBuilder; end: number } {
  const word = new WordBuilder();
  const wordEnd = dialect === 'shell' ? SHELL_WORD_END : SYSTEMD_WORD_END;
  let quote: "'" | '"' | undefined;
  while (i < text.length) {
    const ch = text[i]!;
    const continuation = continuationLength(text, i);
    if (continuation && quote !== "'") {
      // A line continuation joins lines without adding anything (in single quotes the shell keeps it literally).
      i += continuation;
      continue;
    }
    if (quote === undefined) {
      if (wordEnd.has(ch)) break;
      if (ch === "'" || ch === '"') {
        quote = ch;
        word.quoted = true;
        i++;
      } else if (ch === '\\') {
        word.quoted = true;
        if (dialect === 'systemd') i = readSystemdEscape(text, i, word);
        else if (i + 1 < text.length) {
          word.add(text[i + 1]!, i, i + 2);
          i += 2;
        } else {
          word.add('\\', i, i + 1);
          i++;
        }
      } else {
        i = readExpansionOrCharacter(text, i, word, dialect, true);
      }
      continue;
    }
    // Inside quotes.
    if (ch === quote) {
      quote = undefined;
      i++;
    } else if (quote === "'" && dialect === 'shell') {
      word.add(ch, i, i + 1);
      i++;
    } else if (ch === '\\' && dialect === 'systemd') {
      i = readSystemdEscape(text, i, word);
    } else if (ch === '\\' && quote === '"' && /[$`"\\]/.test(text[i + 1] ?? '')) {
      // In double quotes the shell only unescapes $ ` " \ (and line breaks, handled above).
      word.add(text[i + 1]!, i, i + 2);
      i += 2;
    } else {
      i = readExpansionOrCharacter(text, i, word, dialect, quote === '"');
    }
  }
  return { word, end: i };
}

/**
 * At `i`, an expansion (`$…`, and the shell's backticks, where `expands`: outside quotes and inside double ones; a
 * systemd specifier `%x` anywhere) or else one plain character; returns where reading goes on.
 */
function readExpansionOrCharacter(
  text: string,
  i: number,
  word: WordBuilder,
  dialect: Dialect,
  expands: boolean,
): number {
  const ch = text[i]!;
  if (ch === '$' && expands) {
    return dialect === 'shell' ? readShellDollar(text, i, word) : readSystemdDollar(text, i, word);
  }
  if (ch === '`' && expands && dialect === 'shell') return readBackticks(text, i, word);
  if (ch === '%' && dialect === 'systemd') return readSpecifier(text, i, word);
  word.add(ch, i, i + 1);
  return i + 1;
}

/** A shell command substitution in backticks: kept literally and marked dynamic (its output exists only at run time). */
function readBackticks(text: string, i: number, word: WordBuilder): number {
  const close = text.indexOf('`', i + 1);
  const end = close < 0 ? text.length : close + 1;
  return addDynamic(text, i, end, word);
}

/** systemd specifiers: `%%` is a percent sign; `%i`, `%h`... are only known to systemd, so they stay literal. */
function readSpecifier(text: string, i: number, word: WordBuilder): number {
  if (text[i + 1] === '%') {
    word.add('%', i, i + 2);
    return i + 2;
  }
  if (/[A-Za-z]/.test(text[i + 1] ?? '')) {
    word.dynamic = true;
    word.add(text.slice(i, i + 2), i, i + 2);
    return i + 2;
  }
  word.add('%', i, i + 1);
  return i + 1;
}

const SHELL_OPERATOR = /&&|\|\||;;|[;&|()]/y;
// `>file`, `2>&1`, `&>>log`, `<in`: the shell consumes these before the program sees its arguments.
const REDIRECTION = /(?:\d+|&)?(?:>>|>&|<&|<>|>\||<<<|<<|>|<)/y;

/**
 * Splits a command line into commands at shell operators (`&&`, `||`, `;`, `|`, `&`) or, for systemd, at a lone `;`
 * word. Redirections and their targets are dropped: the program never sees them. Scanning stops at the first line
 * break that is not escaped or quoted, or at a shell comment, so the caller can pass a whole document and an offset.
 */
export function splitCommands(text: string, start = 0, dialect: Dialect = 'shell'): Token[][] {
  const commands: Token[][] = [[]];
  let current = commands[0]!;
  const nextCommand = (): void => {
    if (current.length === 0) return;
    current = [];
    commands.push(current);
  };
  let i = start;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    const continuation = continuationLength(text, i);
    if (continuation) {
      i += continuation;
      continue;
    }
    if (ch === '\n' || ch === '\r') break;
    if (dialect === 'shell') {
      if (ch === '#') break;
      REDIRECTION.lastIndex = i;
      const redirection = REDIRECTION.exec(text);
      if (redirection) {
        i = skipRedirectionTarget(text, i + redirection[0].length, redirection[0], dialect);
        continue;
      }
      SHELL_OPERATOR.lastIndex = i;
      const operator = SHELL_OPERATOR.exec(text);
      if (operator) {
        i += operator[0].length;
        nextCommand();
        continue;
      }
    }
    const { word, end } = readWord(text, i, dialect);
    if (dialect === 'systemd' && !word.quoted && word.text === ';') nextCommand();
    else current.push(word.token(i, end));
    i = end;
  }
  if (current.length === 0 && commands.length > 1) commands.pop();
  return commands;
}

function skipRedirectionTarget(text: string, i: number, operator: string, dialect: Dialect): number {
  if (operator.endsWith('&')) {
    // `2>&1`, `>&-`: the target is a descriptor number glued to the operator.
    const m = /\d+-?|-/y;
    m.lastIndex = i;
    return m.exec(text) ? m.lastIndex : i;
  }
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (i >= text.length || SHELL_WORD_END.has(text[i]!)) return i;
  return readWord(text, i, dialect).end;
}

/** The words of the first command in `text` from `start` (use `splitCommands` for the others). */
export function tokenizeCommandLine(text: string, start = 0, dialect: Dialect = 'shell'): Token[] {
  return splitCommands(text, start, dialect)[0] ?? [];
}

/**
 * The strings of a JSON array such as Dockerfile exec form `["gunicorn", "-b", "0.0.0.0:8000", "app:app"]`, as
 * tokens whose offsets cover each string literal. Exec form runs no shell, so `$PORT` stays literal (not dynamic).
 * Undefined when the text at `start` is not a JSON array of strings (Docker then runs it as shell form).
 */
export function tokensFromJsonArray(text: string, start = 0): Token[] | undefined {
  const tokens: Token[] = [];
  let i = skipJsonBlanks(text, start);
  if (text[i] !== '[') return undefined;
  i = skipJsonBlanks(text, i + 1);
  if (text[i] === ']') return tokens;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const string = readJsonString(text, i);
    if (!string) return undefined;
    tokens.push(string.token);
    i = skipJsonBlanks(text, string.end);
    if (text[i] === ']') return tokens;
    if (text[i] !== ',') return undefined;
    i = skipJsonBlanks(text, i + 1);
  }
}

function skipJsonBlanks(text: string, i: number): number {
  while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
  return i;
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function readJsonString(text: string, from: number): { token: Token; end: number } | undefined {
  const word = new WordBuilder();
  word.quoted = true;
  let i = from + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') return { token: word.token(from, i + 1), end: i + 1 };
    if (ch === '\n') return undefined;
    if (ch !== '\\') {
      word.add(ch, i, i + 1);
      i++;
      continue;
    }
    const next = text[i + 1] ?? '';
    const simple = JSON_ESCAPES[next];
    if (simple !== undefined) {
      word.add(simple, i, i + 2);
      i += 2;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      word.add(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i, i + 6);
      i += 6;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** Raw offsets of `text.slice(start, end)` of a token, when the tokenizer recorded them. */
export function rawRange(token: Token, start: number, end: number): { from: number; to: number } {
  const offsets = charOffsets.get(token);
  if (start === 0 && end === token.text.length) return { from: token.from, to: token.to };
  const length = token.text.length;
  if (!offsets || end <= start) {
    const at =
      (offsets && (charStart(offsets, start, length) ?? charEnd(offsets, start - 1, length))) ?? token.to;
    return end <= start ? { from: at, to: at } : { from: token.from, to: token.to };
  }
  return { from: charStart(offsets, start, length)!, to: charEnd(offsets, end - 1, length)! };
}

/** The token without its first `length` characters (an unquoted prefix), its characters still located. */
export function withoutFirstChars(token: Token, length: number): Token {
  const stripped: Token = { ...token, text: token.text.slice(length), from: token.from + length };
  const offsets = charOffsets.get(token);
  if (offsets) {
    charOffsets.set(
      stripped,
      'plainFrom' in offsets
        ? { plainFrom: offsets.plainFrom + length }
        : { starts: offsets.starts.slice(length), ends: offsets.ends.slice(length) },
    );
  }
  return stripped;
}

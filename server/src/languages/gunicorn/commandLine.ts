// Gunicorn command lines (systemd ExecStart=, Dockerfile CMD/ENTRYPOINT, Procfile, compose, scripts): tokens, launcher, options, checks.

import { closestMatches } from '../../core/editDistance';
import { formatVersion, isAtLeast, type Version } from '../../core/version';
import { hasPlaceholder } from '../../core/templates';
import { gunicornCatalog, type GunicornCatalog } from './catalog';
import type { SettingInfo } from './catalogTypes';
import type { Value } from './model';
import { bindProblem } from './rules/invalidBind';
import { valueVerdict } from './rules/invalidValue';

// ---------------------------------------------------------------------------------------------------------------
// Tokens

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
      } else if (ch === '$') {
        i = dialect === 'shell' ? readShellDollar(text, i, word) : readSystemdDollar(text, i, word);
      } else if (ch === '`' && dialect === 'shell') {
        i = readBackticks(text, i, word);
      } else if (ch === '%' && dialect === 'systemd') {
        i = readSpecifier(text, i, word);
      } else {
        word.add(ch, i, i + 1);
        i++;
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
    } else if (ch === '$' && quote === '"') {
      i = dialect === 'shell' ? readShellDollar(text, i, word) : readSystemdDollar(text, i, word);
    } else if (ch === '`' && quote === '"' && dialect === 'shell') {
      i = readBackticks(text, i, word);
    } else if (ch === '%' && dialect === 'systemd') {
      i = readSpecifier(text, i, word);
    } else {
      word.add(ch, i, i + 1);
      i++;
    }
  }
  return { word, end: i };
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

// ---------------------------------------------------------------------------------------------------------------
// The launcher

export interface CliOption {
  /** The flag as written, e.g. "--workers", "-w", or the abbreviation "--thread". */
  flag: string;
  flagToken: Token;
  /** The catalogue setting behind the flag; undefined for unknown flags and for -h/--help, -v/--version. */
  setting?: string;
  /** The full flag an abbreviation stands for (argparse accepts unique prefixes of long options). */
  canonicalFlag?: string;
  value?: string;
  /** Raw offsets of the value in the original text. */
  valueFrom?: number;
  valueTo?: number;
  /** True when the value comes from a dynamic token (an expansion only known at run time). */
  valueDynamic?: boolean;
  form: 'separate' | 'equals' | 'attached' | 'none';
  /** What argparse (or the target version) objects to, when anything. */
  problem?: OptionProblem;
}

export type OptionProblem =
  | { kind: 'unknown' }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'missing-value' }
  | { kind: 'unexpected-value'; text: string }
  | { kind: 'not-in-version' };

export interface EnvAssignment {
  name: string;
  value: string;
  token: Token;
}

export interface GunicornInvocation {
  /** `gunicorn` (any path), or the module / script token after `python -m` / `python`. */
  launcher: Token;
  /** The Python interpreter for `python -m gunicorn` forms. */
  interpreter?: Token;
  options: CliOption[];
  /** App specs such as `main:app` (argparse's `args`). */
  positionals: Token[];
  /** `X=1 gunicorn ...` and `env X=1 gunicorn ...`. */
  envAssignments: EnvAssignment[];
  /** The words after the launcher, for re-parsing against another version. */
  args: Token[];
  /** The version the options were parsed for (flags and their arity change between versions). */
  version: Version;
}

const GUNICORN_PROGRAM = /^gunicorn3?$/;
const PYTHON_PROGRAM = /^(?:python|pypy)(?:\d+(?:\.\d+)*)?[mtw]?$/;
const GUNICORN_MODULES = new Set(['gunicorn', 'gunicorn.app.wsgiapp']);
const RUNNERS = new Set(['poetry', 'uv', 'pipenv', 'pdm', 'hatch', 'rye']);
// Runner options that take a separate value, so the value is not mistaken for the program.
const RUNNER_VALUE_OPTIONS = new Set([
  '-C',
  '-p',
  '-e',
  '--directory',
  '--project',
  '--python',
  '--with',
  '--with-editable',
  '--with-requirements',
  '--env-file',
  '--package',
  '--extra',
  '--group',
  '--index',
  '--index-url',
  '--extra-index-url',
]);
const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Strips systemd's ExecStart prefixes (`-`, `@`, `:`, `+`, `!`, `!!`) from the first word. */
function stripExecPrefixes(token: Token): { token: Token; argv0Follows: boolean } {
  const m = /^[-@:+!]+/.exec(token.text);
  if (!m || m[0].length === token.text.length || token.quoted) return { token, argv0Follows: false };
  const length = m[0].length;
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
  // With `@`, the word after the executable is argv[0], not an argument.
  return { token: stripped, argv0Follows: m[0].includes('@') };
}

/**
 * Finds Gunicorn in one command's words: `gunicorn`, a path to it, `python -m gunicorn`, behind `exec`, `env`,
 * `nohup`, assignments, `poetry/uv/pipenv run`, and systemd exec prefixes. Undefined when the command is something
 * else (uvicorn, a worker class path in another program's arguments, ...).
 */
export function findGunicornInvocation(
  tokens: readonly Token[],
  options: { version?: Version } = {},
): GunicornInvocation | undefined {
  const version = options.version ?? gunicornCatalog().latest;
  const words = [...tokens];
  const envAssignments: EnvAssignment[] = [];
  if (words[0]) {
    const { token, argv0Follows } = stripExecPrefixes(words[0]);
    words[0] = token;
    if (argv0Follows && words.length > 1) words.splice(1, 1);
  }
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    const name = basename(word.text);
    const assignment = ENV_ASSIGNMENT.exec(word.text);
    if (assignment) {
      envAssignments.push({
        name: assignment[1]!,
        value: word.text.slice(assignment[0].length),
        token: word,
      });
      i++;
    } else if (name === 'exec' || name === 'nohup' || name === 'command') {
      i = skipOptions(words, i + 1, new Set(['-a']));
    } else if (name === 'env') {
      i = skipOptions(words, i + 1, new Set(['-u', '-C', '-S', '--unset', '--chdir']));
    } else if (RUNNERS.has(name)) {
      i = skipRunner(words, i + 1);
      if (i < 0) return undefined;
    } else if (GUNICORN_PROGRAM.test(name)) {
      return invocation(word, undefined, words.slice(i + 1), envAssignments, version);
    } else if (PYTHON_PROGRAM.test(name)) {
      const launch = pythonLaunch(words, i + 1);
      if (!launch) return undefined;
      return invocation(launch.launcher, word, words.slice(launch.next), envAssignments, version);
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** All Gunicorn invocations in a command line, one per command (`cd /app && exec gunicorn ...`). */
export function findGunicornInvocations(
  text: string,
  start = 0,
  dialect: Dialect = 'shell',
  options: { version?: Version } = {},
): GunicornInvocation[] {
  return splitCommands(text, start, dialect)
    .map((command) => findGunicornInvocation(command, options))
    .filter((found): found is GunicornInvocation => found !== undefined);
}

function skipOptions(words: Token[], i: number, valueOptions: ReadonlySet<string>): number {
  while (i < words.length && words[i]!.text.startsWith('-') && words[i]!.text !== '-') {
    const option = words[i]!.text;
    i += valueOptions.has(option) ? 2 : 1;
    if (option === '--') break;
  }
  return i;
}

/** Skips `poetry [opts] run [opts] [--]`; returns the index of the program, or -1 when it is not a `run`. */
function skipRunner(words: Token[], i: number): number {
  i = skipOptions(words, i, RUNNER_VALUE_OPTIONS);
  if (words[i]?.text !== 'run') return -1;
  return skipOptions(words, i + 1, RUNNER_VALUE_OPTIONS);
}

/** After a Python interpreter: `-m gunicorn`, `-mgunicorn`, or a script named gunicorn. */
function pythonLaunch(words: Token[], i: number): { launcher: Token; next: number } | undefined {
  while (i < words.length) {
    const text = words[i]!.text;
    if (text === '-m') {
      const module = words[i + 1];
      return module && GUNICORN_MODULES.has(module.text) ? { launcher: module, next: i + 2 } : undefined;
    }
    if (text.startsWith('-m') && !text.startsWith('--')) {
      return GUNICORN_MODULES.has(text.slice(2)) ? { launcher: words[i]!, next: i + 1 } : undefined;
    }
    if (text === '-c' || text === '-' || text.startsWith('-c')) return undefined;
    if (!text.startsWith('-')) {
      return GUNICORN_PROGRAM.test(basename(text)) ? { launcher: words[i]!, next: i + 1 } : undefined;
    }
    // -X and -W take a separate value unless it is attached (-Xdev, -Wignore).
    i += text === '-X' || text === '-W' ? 2 : 1;
  }
  return undefined;
}

function invocation(
  launcher: Token,
  interpreter: Token | undefined,
  args: Token[],
  envAssignments: EnvAssignment[],
  version: Version,
): GunicornInvocation {
  const parsed = parseArguments(args, version);
  return {
    launcher,
    ...(interpreter ? { interpreter } : {}),
    options: parsed.options,
    positionals: parsed.positionals,
    envAssignments,
    args,
    version,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Options, parsed like Gunicorn's argparse parser

type Arity = 'none' | 'one' | 'optional';

interface FlagInfo {
  flag: string;
  setting?: SettingInfo;
  arity: Arity;
}

/**
 * Flags a version had that the catalogue's newest `cli` lists no longer show: `--log-config-dict` existed from 19.8.0
 * until 20.1.0 dropped it (the catalogue keeps only the newest flags).
 */
const FORMER_FLAGS: { flag: string; setting: string; since: string; until: string }[] = [
  { flag: '--log-config-dict', setting: 'logconfig_dict', since: '19.8.0', until: '20.1.0' },
];

/** `proxy_protocol` became `nargs='?'` (const "auto") in 24.1.0; before, it was a plain store_true flag. */
const OPTIONAL_VALUE_SETTINGS = new Set(['proxy_protocol']);

/**
 * argparse `type=int` (base 10) flags; Gunicorn converts these before its validator runs, so `-w 0x10` is rejected
 * while `workers = "0x10"` in a config file is not. From Gunicorn's config.py (`type = int`).
 */
const INT_CLI_SETTINGS = new Set([
  'backlog',
  'workers',
  'threads',
  'worker_connections',
  'max_requests',
  'max_requests_jitter',
  'timeout',
  'graceful_timeout',
  'keepalive',
  'limit_request_line',
  'limit_request_fields',
  'limit_request_field_size',
  'http2_max_concurrent_streams',
  'http2_initial_window_size',
  'http2_max_frame_size',
  'http2_max_header_list_size',
  'asgi_disconnect_grace_period',
  'dirty_workers',
  'dirty_timeout',
  'dirty_threads',
  'dirty_graceful_timeout',
]);
/** `type = auto_int` flags: `int(value, 0)`, so 0o22 and 0x12 work but 022 does not. */
const AUTO_INT_CLI_SETTINGS = new Set(['umask', 'control_socket_mode']);

function arityOf(setting: SettingInfo, catalog: GunicornCatalog, version: Version): Arity {
  if (setting.cliAction === 'store_true' || setting.cliAction === 'store_const') return 'none';
  // A setting judged by validate_bool in this version was a store_true flag then (proxy_protocol before 24.1).
  if (catalog.validatorFor(setting, version) === 'validate_bool') return 'none';
  return OPTIONAL_VALUE_SETTINGS.has(setting.name) ? 'optional' : 'one';
}

interface FlagTables {
  /** Flags argparse knows in the version. */
  inVersion: Map<string, FlagInfo>;
  /** Flags of settings from any version, for "not in this version" rather than "unknown". */
  anyVersion: Map<string, FlagInfo>;
}

const tableCache = new Map<string, FlagTables>();

function flagTables(version: Version): FlagTables {
  const key = version.join('.');
  const cached = tableCache.get(key);
  if (cached) return cached;
  const catalog = gunicornCatalog();
  const inVersion = new Map<string, FlagInfo>();
  const anyVersion = new Map<string, FlagInfo>();
  for (const flag of ['-h', '--help', '-v', '--version']) inVersion.set(flag, { flag, arity: 'none' });
  for (const setting of catalog.settings.values()) {
    const available = catalog.availability(setting, version) === 'available';
    for (const flag of setting.cli) {
      const info: FlagInfo = { flag, setting, arity: arityOf(setting, catalog, version) };
      if (available) inVersion.set(flag, info);
      // Prefer a current owner of a reused flag (--log-file: the removed `logfile`, now `errorlog`).
      if (!anyVersion.has(flag) || !setting.removed) anyVersion.set(flag, info);
    }
  }
  for (const former of FORMER_FLAGS) {
    const setting = catalog.get(former.setting);
    if (!setting) continue;
    const info: FlagInfo = { flag: former.flag, setting, arity: 'one' };
    if (isAtLeast(version, former.since) && !isAtLeast(version, former.until)) {
      inVersion.set(former.flag, info);
    }
    if (!anyVersion.has(former.flag)) anyVersion.set(former.flag, info);
  }
  const tables = { inVersion, anyVersion };
  tableCache.set(key, tables);
  return tables;
}

/** argparse's `_negative_number_matcher`: Gunicorn has no flag that looks like a number, so these are values. */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

type Classified =
  | { kind: 'value' }
  | { kind: 'end-of-options' }
  | { kind: 'option'; info: FlagInfo; explicit?: string; form: CliOption['form']; flagText: string }
  | { kind: 'ambiguous'; candidates: string[]; flagText: string }
  | { kind: 'unknown'; flagText: string }
  | { kind: 'other-version'; info: FlagInfo; explicit?: string; form: CliOption['form']; flagText: string };

/** How argparse sees one word: an option (with an `=value` or attached value), a value, or something unknown. */
function classify(text: string, tables: FlagTables): Classified {
  if (!text.startsWith('-') || text === '-') return { kind: 'value' };
  if (text === '--') return { kind: 'end-of-options' };
  const exact = tables.inVersion.get(text);
  if (exact) return { kind: 'option', info: exact, form: 'none', flagText: text };
  const eq = text.indexOf('=');
  const head = eq >= 0 ? text.slice(0, eq) : text;
  const explicit = eq >= 0 ? text.slice(eq + 1) : undefined;
  const withEquals = eq >= 0 ? tables.inVersion.get(head) : undefined;
  if (withEquals) return { kind: 'option', info: withEquals, explicit, form: 'equals', flagText: head };
  if (text.startsWith('--')) {
    const candidates = [...tables.inVersion.keys()].filter((flag) => flag.startsWith(head));
    if (candidates.length > 1) return { kind: 'ambiguous', candidates: candidates.sort(), flagText: head };
    const only = candidates[0] && tables.inVersion.get(candidates[0]);
    if (only) {
      return {
        kind: 'option',
        info: only,
        explicit,
        form: explicit === undefined ? 'none' : 'equals',
        flagText: head,
      };
    }
  } else {
    // A short flag with its value glued on: -w4, -b0.0.0.0:80.
    const short = tables.inVersion.get(text.slice(0, 2));
    if (short) {
      return {
        kind: 'option',
        info: short,
        explicit: text.slice(2),
        form: 'attached',
        flagText: text.slice(0, 2),
      };
    }
  }
  if (NEGATIVE_NUMBER.test(text) || text.includes(' ')) return { kind: 'value' };
  const elsewhere = tables.anyVersion.get(head);
  if (elsewhere) {
    return {
      kind: 'other-version',
      info: elsewhere,
      explicit,
      form: explicit === undefined ? 'none' : 'equals',
      flagText: head,
    };
  }
  return { kind: 'unknown', flagText: head };
}

/** Raw offsets of `text.slice(start, end)` of a token, when the tokenizer recorded them. */
function rawRange(token: Token, start: number, end: number): { from: number; to: number } {
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

function withValue(option: CliOption, token: Token, start: number): CliOption {
  const range = rawRange(token, start, token.text.length);
  option.value = token.text.slice(start);
  option.valueFrom = range.from;
  option.valueTo = range.to;
  if (token.dynamic) option.valueDynamic = true;
  return option;
}

/** Parses the words after the launcher the way argparse does for Gunicorn's parser in `version`. */
export function parseArguments(
  args: readonly Token[],
  version: Version,
): { options: CliOption[]; positionals: Token[] } {
  const tables = flagTables(version);
  const options: CliOption[] = [];
  const positionals: Token[] = [];
  let optionsEnded = false;
  const isValueWord = (token: Token | undefined): token is Token =>
    token !== undefined && classify(token.text, tables).kind === 'value';
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    const seen: Classified = optionsEnded ? { kind: 'value' } : classify(token.text, tables);
    switch (seen.kind) {
      case 'value':
        positionals.push(token);
        break;
      case 'end-of-options':
        optionsEnded = true;
        break;
      case 'unknown':
        options.push({ flag: seen.flagText, flagToken: token, form: 'none', problem: { kind: 'unknown' } });
        break;
      case 'ambiguous':
        options.push({
          flag: seen.flagText,
          flagToken: token,
          form: 'none',
          problem: { kind: 'ambiguous', candidates: seen.candidates },
        });
        break;
      case 'option':
      case 'other-version': {
        const consumed = readOption(seen, token, args[i + 1], isValueWord, options, tables);
        if (seen.kind === 'other-version') {
          for (const option of options.slice(-1)) option.problem ??= { kind: 'not-in-version' };
        }
        i += consumed;
        break;
      }
    }
  }
  return { options, positionals };
}

/** Reads one option word (and its value word); returns how many extra words it consumed. */
function readOption(
  seen: Extract<Classified, { kind: 'option' | 'other-version' }>,
  token: Token,
  next: Token | undefined,
  isValueWord: (token: Token | undefined) => token is Token,
  options: CliOption[],
  tables: FlagTables,
): number {
  const { info } = seen;
  const base: CliOption = {
    flag: seen.flagText,
    flagToken: token,
    form: seen.form,
    ...(info.setting ? { setting: info.setting.name } : {}),
    ...(seen.flagText !== info.flag ? { canonicalFlag: info.flag } : {}),
  };
  const valueStart = token.text.length - (seen.explicit?.length ?? 0);
  if (info.arity === 'none') {
    if (seen.explicit === undefined) {
      options.push(base);
      return 0;
    }
    if (seen.form === 'attached') {
      const pending = readShortCluster(base, token, options, tables);
      return pending ? takeNextValue(pending.option, pending.arity, next, isValueWord, options) : 0;
    }
    options.push({ ...base, problem: { kind: 'unexpected-value', text: seen.explicit } });
    return 0;
  }
  if (seen.explicit !== undefined) {
    options.push(withValue(base, token, valueStart));
    return 0;
  }
  return takeNextValue(base, info.arity, next, isValueWord, options);
}

/** A value in the next word, as argparse takes it when that word is not an option; returns the words consumed. */
function takeNextValue(
  option: CliOption,
  arity: Arity,
  next: Token | undefined,
  isValueWord: (token: Token | undefined) => token is Token,
  options: CliOption[],
): number {
  if (isValueWord(next)) {
    options.push(withValue({ ...option, form: 'separate' }, next, 0));
    return 1;
  }
  options.push(arity === 'optional' ? option : { ...option, problem: { kind: 'missing-value' } });
  return 0;
}

/**
 * `-Dw4`, `-DR`, `-Dw 4`: argparse reads glued short flags one by one while they take no value. Returns the last
 * flag when it takes a value that must come from the next word.
 */
function readShortCluster(
  first: CliOption,
  token: Token,
  options: CliOption[],
  tables: FlagTables,
): { option: CliOption; arity: Arity } | undefined {
  options.push({ ...first, form: 'none' });
  let rest = token.text.slice(2);
  let offset = 2;
  while (rest) {
    const flag = `-${rest[0]}`;
    const info = tables.inVersion.get(flag);
    if (!info) {
      options[options.length - 1]!.problem = { kind: 'unexpected-value', text: rest };
      return undefined;
    }
    const option: CliOption = {
      flag,
      flagToken: token,
      form: 'none',
      ...(info.setting ? { setting: info.setting.name } : {}),
    };
    rest = rest.slice(1);
    offset++;
    if (info.arity !== 'none') {
      if (!rest) return { option, arity: info.arity };
      options.push(withValue({ ...option, form: 'attached' }, token, offset));
      return undefined;
    }
    options.push(option);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

export type CommandLineRule =
  | 'unknown-cli-flag'
  | 'invalid-cli-value'
  | 'missing-cli-value'
  | 'app-module-path'
  | 'setting-not-in-version';

export interface CommandLineIssue {
  rule: CommandLineRule;
  severity: 'error' | 'warning' | 'info';
  from: number;
  to: number;
  message: string;
  fix?: { title: string; from: number; to: number; newText: string };
}

/** Problems Gunicorn (or argparse before it) would have with this command line in `options.version`. */
export function checkGunicornCommandLine(
  invocation: GunicornInvocation,
  options: { version: Version },
): CommandLineIssue[] {
  const { version } = options;
  const parsed =
    formatVersion(invocation.version) === formatVersion(version)
      ? invocation
      : { ...invocation, ...parseArguments(invocation.args, version) };
  const issues: CommandLineIssue[] = [];
  for (const option of parsed.options) {
    const issue = optionIssue(option, version);
    if (issue) issues.push(issue);
  }
  const usesPaste = parsed.options.some((o) => o.setting === 'paste' && !o.problem);
  if (!usesPaste) {
    for (const positional of parsed.positionals) {
      const issue = appSpecIssue(positional);
      if (issue) issues.push(issue);
    }
  }
  return issues;
}

function optionIssue(option: CliOption, version: Version): CommandLineIssue | undefined {
  const flagRange = flagRangeOf(option);
  const label = formatVersion(version);
  const problem = option.problem;
  if (problem?.kind === 'unknown') return unknownFlagIssue(option, flagRange, version);
  if (problem?.kind === 'ambiguous') {
    return {
      rule: 'unknown-cli-flag',
      severity: 'error',
      ...flagRange,
      message: `Gunicorn exits: ambiguous option ${option.flag} could match ${problem.candidates.join(', ')}.`,
    };
  }
  if (problem?.kind === 'not-in-version') return versionIssue(option, flagRange, version);
  if (problem?.kind === 'missing-value') {
    return {
      rule: 'missing-cli-value',
      severity: 'error',
      ...flagRange,
      message: `${option.flag} needs a value; Gunicorn exits with "expected one argument".`,
    };
  }
  if (problem?.kind === 'unexpected-value') {
    const fixable = option.form === 'equals';
    return {
      rule: 'invalid-cli-value',
      severity: 'error',
      ...flagRange,
      message: `${option.canonicalFlag ?? option.flag} takes no value; Gunicorn ${label} exits with "ignored explicit argument '${problem.text}'".`,
      ...(fixable
        ? {
            fix: {
              title: `Remove "=${problem.text}"`,
              from: flagRange.to,
              to: option.flagToken.to,
              newText: '',
            },
          }
        : {}),
    };
  }
  return valueIssue(option, version);
}

/** The raw range of the flag part of an option's word (`--workers` in `--workers=4`). */
function flagRangeOf(option: CliOption): { from: number; to: number } {
  const token = option.flagToken;
  const at = token.text.indexOf(option.flag);
  if (at < 0 || token.text.length === option.flag.length) return { from: token.from, to: token.to };
  return rawRange(token, at, at + option.flag.length);
}

function flagsIn(version: Version): string[] {
  return [...flagTables(version).inVersion.keys()].filter((flag) => flag.startsWith('--'));
}

function unknownFlagIssue(
  option: CliOption,
  flagRange: { from: number; to: number },
  version: Version,
): CommandLineIssue {
  // Suggest long flags only: a two-letter word is too short for edit distance to mean anything.
  const [best] = option.flag.startsWith('--') ? closestMatches(option.flag, flagsIn(version), 1) : [];
  return {
    rule: 'unknown-cli-flag',
    severity: 'error',
    ...flagRange,
    message: `Gunicorn ${formatVersion(version)} has no option ${option.flag}; it exits with "unrecognized arguments".${best ? ` Did you mean ${best}?` : ''}`,
    ...(best ? { fix: { title: `Change to ${best}`, ...flagRange, newText: best } } : {}),
  };
}

function versionIssue(
  option: CliOption,
  flagRange: { from: number; to: number },
  version: Version,
): CommandLineIssue {
  const catalog = gunicornCatalog();
  const setting = option.setting ? catalog.get(option.setting) : undefined;
  const label = formatVersion(version);
  const availability = setting ? catalog.availability(setting, version) : 'available';
  const base = { rule: 'setting-not-in-version' as const, ...flagRange };
  if (availability === 'unreleased') {
    return {
      ...base,
      severity: 'warning',
      message: `${option.flag} (${option.setting}) is not in any Gunicorn release yet; released versions exit with "unrecognized arguments".`,
    };
  }
  const when =
    availability === 'removed'
      ? `was removed in Gunicorn ${setting?.removed?.since}`
      : availability === 'not-yet'
        ? `was added in Gunicorn ${setting?.since}`
        : `is not an option of Gunicorn ${label}`;
  return {
    ...base,
    severity: 'error',
    message: `${option.flag} (${option.setting}) ${when}; Gunicorn ${label} exits with "unrecognized arguments".`,
  };
}

/** Python's int(text, 0): decimal without leading zeros, or 0x/0o/0b, with surrounding blanks and `_` separators. */
function pythonIntBase0(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(?:[1-9](?:_?\d)*|0(?:_?0)*)$/.test(t)) return Number(t.replace(/_/g, ''));
  const m =
    /^([+-]?)0(?:[xX]_?([0-9a-fA-F](?:_?[0-9a-fA-F])*)|[oO]_?([0-7](?:_?[0-7])*)|[bB]_?([01](?:_?[01])*))$/.exec(
      t,
    );
  if (!m) return undefined;
  const digits = (m[2] ?? m[3] ?? m[4] ?? '').replace(/_/g, '');
  const value = parseInt(digits, m[2] ? 16 : m[3] ? 8 : 2);
  return m[1] === '-' ? -value : value;
}

/**
 * argparse's conversion for Gunicorn's int flags: `type=int` is Python's int(text) (base 10, so 010 is 10 and 0x10
 * fails); `auto_int` reads a leading 0 as octal (022 is 0o22) and then calls int(text, 0).
 */
function cliInt(text: string, auto: boolean): number | undefined {
  if (auto) return pythonIntBase0(/^0\d/.test(text) ? `0o${text.slice(1)}` : text);
  return /^\s*[+-]?\d(?:_?\d)*\s*$/.test(text) ? Number(text.trim().replace(/_/g, '')) : undefined;
}

/** The whole number someone meant by a value int() rejects (4.0, 0x10), when it is clear. */
function intendedInt(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+\.0*$/.test(t)) return Number(t);
  return pythonIntBase0(t);
}

function valueIssue(option: CliOption, version: Version): CommandLineIssue | undefined {
  if (option.value === undefined || option.valueDynamic || !option.setting) return undefined;
  // A placeholder (`{{ port }}` masked, `__PORT__`, `<port>`) is filled in later: the value is unknown.
  if (hasPlaceholder(option.value)) return undefined;
  const catalog = gunicornCatalog();
  const setting = catalog.get(option.setting);
  if (!setting) return undefined;
  const from = option.valueFrom ?? option.flagToken.from;
  const to = option.valueTo ?? option.flagToken.to;
  const flag = option.canonicalFlag ?? option.flag;
  const value = option.value;
  let judged: Value = { kind: 'str', value, span: { from, to } };
  if (INT_CLI_SETTINGS.has(setting.name) || AUTO_INT_CLI_SETTINGS.has(setting.name)) {
    const auto = AUTO_INT_CLI_SETTINGS.has(setting.name);
    const number = cliInt(value, auto);
    if (number === undefined) {
      const meant = intendedInt(value);
      return {
        rule: 'invalid-cli-value',
        severity: 'error',
        from,
        to,
        message: `${flag} needs a whole number; Gunicorn exits with "invalid ${auto ? 'auto_int' : 'int'} value: '${value}'".`,
        ...(meant !== undefined && meant >= 0
          ? { fix: replaceValueFix(option, String(meant), from, to) }
          : {}),
      };
    }
    judged = { kind: 'int', value: number, span: { from, to } };
  }
  if (setting.name === 'bind') return bindIssue(option, value, version, from, to);
  const verdict = valueVerdict(catalog.validatorFor(setting, version), judged, version);
  if (!verdict) return undefined;
  const fixText = verdict.fix && cliFixText(verdict.fix.text);
  return {
    rule: 'invalid-cli-value',
    severity: 'error',
    from,
    to,
    message: `Gunicorn refuses to start: invalid value for ${setting.name} (${flag}): ${verdict.problem}.`,
    ...(verdict.fix && fixText !== undefined ? { fix: replaceValueFix(option, fixText, from, to) } : {}),
  };
}

function bindIssue(
  option: CliOption,
  value: string,
  version: Version,
  from: number,
  to: number,
): CommandLineIssue | undefined {
  // validate_list_string strips each address; parse_address drops a tcp:// prefix and reads '' as 0.0.0.0:8000.
  const address = value.trim().replace(/^tcp:\/\//, '');
  if (address === '') return undefined;
  const verdict = bindProblem(address, isAtLeast(version, '20.0.0'));
  if (!verdict) return undefined;
  // In exec form (and single-quoted shell words) nothing expands $PORT; say so, it is the usual cause.
  const hint = /\$\{?\w/.test(value)
    ? ' (nothing expands the variable here: exec form runs no shell, and single quotes keep it literal)'
    : '';
  return {
    rule: 'invalid-cli-value',
    severity: 'error',
    from,
    to,
    message: `Gunicorn will fail to start: bind address '${value}': ${verdict.problem}${hint}.`,
    ...(verdict.fixed !== undefined ? { fix: replaceValueFix(option, verdict.fixed, from, to) } : {}),
  };
}

/** A validator fix is Python source (`"poll"`, `0o22`); on a command line it is the bare string. */
function cliFixText(pythonText: string): string | undefined {
  if (pythonText.startsWith('"')) {
    try {
      return JSON.parse(pythonText) as string;
    } catch {
      return undefined;
    }
  }
  return /^[\w.:-]+$/.test(pythonText) ? pythonText : undefined;
}

const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** Quotes a value for a shell or systemd line when it has characters either would interpret. */
function shellWord(value: string): string {
  return SAFE_WORD.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function replaceValueFix(
  option: CliOption,
  newValue: string,
  from: number,
  to: number,
): { title: string; from: number; to: number; newText: string } {
  // Inside quotes only plain characters can be dropped in; otherwise rewrite the whole (value) word.
  const newText = SAFE_WORD.test(newValue) || option.form !== 'separate' ? newValue : shellWord(newValue);
  return { title: `Change to ${newValue}`, from, to, newText };
}

/** `main.py:app`, `app/main.py:app`, `./src/app.py`, `src.main.py`: a file path where a module path belongs. */
function appSpecIssue(token: Token): CommandLineIssue | undefined {
  if (token.dynamic) return undefined;
  const spec = token.text;
  const colon = spec.indexOf(':');
  const modulePart = colon >= 0 ? spec.slice(0, colon) : spec;
  const rest = colon >= 0 ? spec.slice(colon) : '';
  const looksLikeFile =
    /\.py$/.test(modulePart) || (modulePart.includes('/') && /^[\w./-]+$/.test(modulePart));
  if (!looksLikeFile || /^\w+:\/\//.test(spec)) return undefined;
  const dotted = modulePart
    .replace(/\.py$/, '')
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/(?:__init__)?$/, '')
    .split('/')
    .filter(Boolean)
    .join('.');
  const fixed = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(dotted) ? `${dotted}${rest}` : undefined;
  return {
    rule: 'app-module-path',
    severity: 'error',
    from: token.from,
    to: token.to,
    message: `'${spec}' is a file path, but Gunicorn imports the app as MODULE:VARIABLE (dotted module, no .py); the import fails and no worker boots.`,
    ...(fixed
      ? { fix: { title: `Change to ${fixed}`, from: token.from, to: token.to, newText: shellWord(fixed) } }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Settings for cross-file checks

export interface CliSettingValue {
  /** The last value given (argparse keeps the last), or true for a flag without a value. */
  value: string | true;
  option: CliOption;
  /** For `append` settings (`-b`, `-e`), every value in order: Gunicorn keeps them all. */
  values?: string[];
}

/** What the command line sets, by setting name; options argparse rejects are left out. */
export function effectiveCliSettings(invocation: GunicornInvocation): Map<string, CliSettingValue> {
  const catalog = gunicornCatalog();
  const result = new Map<string, CliSettingValue>();
  for (const option of invocation.options) {
    if (!option.setting || option.problem) continue;
    const value = option.value ?? true;
    const setting = catalog.get(option.setting);
    if (setting?.cliAction === 'append' && typeof value === 'string') {
      const values = [...(result.get(option.setting)?.values ?? []), value];
      result.set(option.setting, { value, option, values });
    } else {
      result.set(option.setting, { value, option });
    }
  }
  return result;
}

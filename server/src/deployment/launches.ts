// Where Gunicorn is started from in a workspace file (unit ExecStart=, Dockerfile CMD/ENTRYPOINT, Procfile lines,
// compose command/entrypoint, shell scripts), with the settings each command line and its GUNICORN_CMD_ARGS give.
// Pure: text in, plain data out. Every range points into the file's text (CRLF and a leading BOM included).

import { untemplatedPath } from '../core/templates';
import { LineIndex } from '../core/text';
import { isAtLeast, type Version } from '../core/version';
import {
  effectiveCliSettings,
  findGunicornInvocation,
  parseArguments,
  splitCommands,
  tokensFromJsonArray,
  type CliSettingValue,
  type GunicornInvocation,
  type Token,
} from '../languages/gunicorn/commandLine';
import { commandSourceKindByName } from '../languages/commands/paths';
import { isNginxPath } from '../languages/nginx/paths';
import { isDropIn, unitTypeOf } from '../languages/systemd/catalog';
import { gunicornExecs } from '../languages/systemd/gunicornExec';
import { parseUnitFile, valueSubSpan, type Directive } from '../languages/systemd/parse';
import { dependencyFileKind } from '../languages/packages/index';
import type { GunicornLaunch, Located, SourceKind, WorkspaceSource } from './types';

// ---------------------------------------------------------------------------------------------------------------
// Which files hold commands

export type LaunchKind = GunicornLaunch['kind'];

function baseName(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

function parentName(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/');
  return parts[parts.length - 2] ?? '';
}

/** Gunicorn config files by name, as the CLI picks them: `gunicorn.conf.py`, `gunicorn*.py`, `*gunicorn*conf*.py`. */
export function isGunicornConfigName(path: string): boolean {
  const name = baseName(untemplatedPath(path));
  if (!name.endsWith('.py')) return false;
  return (
    name === 'gunicorn.conf.py' ||
    /^gunicorn.*\.py$/.test(name) ||
    /gunicorn.*conf.*\.py$/.test(name) ||
    parentName(path) === 'gunicorn'
  );
}

const SHELL_SHEBANG = /^#!\s*(?:\/usr)?(?:\/local)?\/bin\/(?:env\s+)?(?:ba|da|z|k|a)?sh\b/;
const SCRIPT_NAMES = /^(?:docker-)?entrypoint$|^(?:start|run|boot|serve)(?:[-_.][\w-]+)?$/;

export interface SourceKindHints {
  /**
   * The file's first line, when the caller read it: an extensionless script with a shell shebang counts as a shell
   * source when it is named like an entry point (`entrypoint`, `start`, `run`…) or lives in `bin/` or `scripts/`.
   */
  firstLine?: string;
}

/** What a workspace file is for the deployment model, from its path; undefined for anything else. */
export function sourceKindOf(path: string, hints: SourceKindHints = {}): SourceKind | undefined {
  const name = baseName(path);
  const lower = name.toLowerCase();
  if (isGunicornConfigName(path)) return 'gunicorn';
  if (dependencyFileKind(path)) return 'dependencies';
  const command = commandSourceKindByName(path);
  if (command && command !== 'shell') return command;
  if (unitTypeOf(path) || isDropIn(path)) return 'systemd';
  // A script in an nginx folder (sites-enabled/*) is nginx's by path, as the editor associates it.
  if (isNginxPath(path)) return 'nginx';
  if (command) return command;
  if (hints.firstLine !== undefined && !name.includes('.') && SHELL_SHEBANG.test(hints.firstLine)) {
    const dir = parentName(path);
    if (SCRIPT_NAMES.test(lower) || dir === 'bin' || dir === 'scripts') return 'shell';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Launch records

interface Span {
  from: number;
  to: number;
}

/** Maps offsets of the text an invocation was parsed from to offsets in the document. */
export type ToDocument = (from: number, to: number) => Span;

const identity: ToDocument = (from, to) => ({ from, to });

/** A launch with what this module also knows about it. */
export interface LaunchDetails extends GunicornLaunch {
  /** systemd EnvironmentFile= and compose `env_file:` entries: they add variables this model does not read. */
  environmentFiles?: Located<string>[];
}

/** A launch plus the parsed command lines behind it, for diagnostics, hovers and completion. */
export interface LaunchRecord {
  launch: LaunchDetails;
  /** The invocation as parsed; its offsets go through `toDocument` (identity for most sources). */
  parsed: GunicornInvocation;
  toDocument: ToDocument;
  /** False when `toDocument` can only point at a whole script (escapes inside it): no edits inside then. */
  exact: boolean;
  /** GUNICORN_CMD_ARGS of the launch's environment, parsed like a command line (no launcher, no app). */
  cmdArgs?: {
    invocation: GunicornInvocation;
    toDocument: ToDocument;
    /** The variable's value where it is written. */
    span: Span;
    exact: boolean;
  };
}

/** Where shell-like command text lives in the document, for completion: `text` keeps document offsets. */
export interface CommandRegion {
  /** Offset where the command text starts and where its logical line ends. */
  from: number;
  to: number;
  /** The document text with blanks in place of what the source strips (continuations, quotes, comments). */
  text: string;
  form: 'shell' | 'json';
}

/** A GUNICORN_CMD_ARGS value written in the file, parsed like a command line. */
export interface CmdArgsDefinition {
  value: string;
  /** The value's span in the document. */
  span: Span;
  invocation: GunicornInvocation;
  toDocument: ToDocument;
  /** False when the value's words can only be pointed at as a whole. */
  exact: boolean;
}

export interface ParsedSource {
  lines: LineIndex;
  /** Every GUNICORN_CMD_ARGS assignment of the file (used by a launch or not), in document order. */
  cmdArgsDefinitions: CmdArgsDefinition[];
  records: LaunchRecord[];
  regions: CommandRegion[];
  /** Comment spans (for suppression comments). */
  comments: Span[];
}

interface EnvEntry {
  name: string;
  value: string;
  /** The value's span in the document. */
  span: Span;
  /** True when the document text of `span` reads exactly as the value (so words inside map one to one). */
  exact: boolean;
}

type Env = Map<string, EnvEntry>;

/** Variables defined while one source is parsed (parsing is synchronous, so one collector at a time). */
let definitions: EnvEntry[] | undefined;

function setEnv(env: Env, entry: EnvEntry): void {
  env.set(entry.name, entry);
  definitions?.push(entry);
}

interface Site {
  kind: LaunchKind;
  invocation: GunicornInvocation;
  toDocument: ToDocument;
  /** The document span of the whole command line. */
  span: Span;
  env: Env;
  cwd?: EnvEntry;
  unit?: string;
  environmentFiles?: EnvEntry[];
  /** A compose service's `build:` (the image its command runs in). */
  build?: { context: string; dockerfile?: string };
  /** False when words could only be placed as a whole (escapes in between): then no fix may edit inside them. */
  exact?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BOM = '\uFEFF';

/** Every Gunicorn launch in a workspace file of a command kind; [] for other kinds. Never throws. */
export function launchesIn(source: WorkspaceSource, version: Version): GunicornLaunch[] {
  return parseCommandSourceText(source, version).records.map((record) => record.launch);
}

/** Launches with their parses, command regions and comments of a source; never throws. */
export function parseCommandSourceText(source: WorkspaceSource, version: Version): ParsedSource {
  const lines = new LineIndex(source.text);
  const parsed: ParsedSource = { lines, cmdArgsDefinitions: [], records: [], regions: [], comments: [] };
  let sites: Site[] = [];
  const defined: EnvEntry[] = [];
  definitions = defined;
  try {
    switch (source.kind) {
      case 'systemd':
        sites = systemdSites(source, version);
        break;
      case 'dockerfile':
        sites = dockerfileSites(source.text, version, parsed);
        break;
      case 'procfile':
        sites = procfileSites(source.text, version, parsed);
        break;
      case 'shell':
        sites = shellFileSites(source.text, version, parsed);
        break;
      case 'compose':
        sites = composeSites(source.text, version, parsed);
        break;
      default:
        sites = [];
    }
  } catch {
    // A parser bug must not take the deployment model down: report what was found so far (nothing).
    sites = [];
  }
  for (const site of sites) {
    try {
      parsed.records.push(record(source, site, version, lines));
    } catch {
      // Skip a launch we cannot describe rather than fail the whole file.
    }
  }
  definitions = undefined;
  const seen = new Set<string>();
  for (const entry of defined) {
    const key = `${entry.span.from}:${entry.span.to}`;
    if (entry.name !== 'GUNICORN_CMD_ARGS' || seen.has(key)) continue;
    seen.add(key);
    try {
      const cmdArgs = parseCmdArgs(source.text, entry, version);
      parsed.cmdArgsDefinitions.push({ value: entry.value, ...cmdArgs });
    } catch {
      // Leave out a value we cannot read.
    }
  }
  parsed.cmdArgsDefinitions.sort((a, b) => a.span.from - b.span.from);
  return parsed;
}

function record(source: WorkspaceSource, site: Site, version: Version, lines: LineIndex): LaunchRecord {
  const located = <T>(value: T, span: Span): Located<T> => ({
    value,
    uri: source.uri,
    range: lines.range(span.from, span.to),
  });
  const { invocation, toDocument } = site;
  const env = new Map(site.env);
  for (const assignment of invocation.envAssignments) {
    const entry = assignmentEntry(
      source.text,
      assignment.token,
      assignment.name,
      assignment.value,
      toDocument,
    );
    setEnv(env, entry);
  }
  const commandLine = locatedSettings(effectiveCliSettings(invocation), toDocument, located);
  let cmdArgs: LaunchRecord['cmdArgs'];
  const cmdArgsEntry = env.get('GUNICORN_CMD_ARGS');
  // GUNICORN_CMD_ARGS is read since 19.7.0.
  if (cmdArgsEntry && isAtLeast(version, '19.7.0')) {
    cmdArgs = parseCmdArgs(source.text, cmdArgsEntry, version);
  }
  const cmdArgsSettings = cmdArgs
    ? locatedSettings(effectiveCliSettings(cmdArgs.invocation), cmdArgs.toDocument, located)
    : new Map<string, Located<string | true> & { values?: string[] }>();
  const app = invocation.positionals[0];
  const configFromCli = commandLine.get('config');
  // `-c` inside GUNICORN_CMD_ARGS counts since 19.8.0, and only when the command line names no config file.
  const configFromEnv = isAtLeast(version, '19.8.0') ? cmdArgsSettings.get('config') : undefined;
  const config = configFromCli ?? configFromEnv;
  const launch: LaunchDetails = {
    uri: source.uri,
    path: source.path,
    kind: site.kind,
    range: lines.range(site.span.from, site.span.to),
    invocation: toDocument === identity ? invocation : remapInvocation(invocation, toDocument),
    commandLine,
    cmdArgs: cmdArgsSettings,
    env: new Map([...env].map(([name, entry]) => [name, located(entry.value, entry.span)])),
    ...(config && typeof config.value === 'string'
      ? { configFile: { value: config.value, uri: config.uri, range: config.range } }
      : {}),
    ...(site.cwd ? { workingDirectory: located(site.cwd.value, site.cwd.span) } : {}),
    ...(site.unit !== undefined ? { unit: site.unit } : {}),
    ...(app ? { app: located(app.text, toDocument(app.from, app.to)) } : {}),
    ...(site.environmentFiles?.length
      ? { environmentFiles: site.environmentFiles.map((file) => located(file.value, file.span)) }
      : {}),
    ...(site.build ? { build: site.build } : {}),
  };
  return {
    launch,
    parsed: invocation,
    toDocument,
    exact: site.exact !== false,
    ...(cmdArgs ? { cmdArgs } : {}),
  };
}

function locatedSettings(
  settings: Map<string, CliSettingValue>,
  toDocument: ToDocument,
  located: <T>(value: T, span: Span) => Located<T>,
): Map<string, Located<string | true> & { values?: string[] }> {
  const result = new Map<string, Located<string | true> & { values?: string[] }>();
  for (const [name, setting] of settings) {
    const option = setting.option;
    const span =
      option.valueFrom !== undefined && option.valueTo !== undefined
        ? toDocument(option.valueFrom, option.valueTo)
        : toDocument(option.flagToken.from, option.flagToken.to);
    result.set(name, {
      ...located<string | true>(setting.value, span),
      ...(setting.values ? { values: setting.values } : {}),
    });
  }
  return result;
}

/** A copy of an invocation whose token offsets are document offsets. */
function remapInvocation(invocation: GunicornInvocation, toDocument: ToDocument): GunicornInvocation {
  const mapped = new Map<Token, Token>();
  const token = (original: Token): Token => {
    let copy = mapped.get(original);
    if (!copy) {
      const span = toDocument(original.from, original.to);
      copy = { ...original, from: span.from, to: span.to };
      mapped.set(original, copy);
    }
    return copy;
  };
  return {
    ...invocation,
    launcher: token(invocation.launcher),
    ...(invocation.interpreter ? { interpreter: token(invocation.interpreter) } : {}),
    options: invocation.options.map((option) => {
      const copy = { ...option, flagToken: token(option.flagToken) };
      if (option.valueFrom !== undefined && option.valueTo !== undefined) {
        const span = toDocument(option.valueFrom, option.valueTo);
        copy.valueFrom = span.from;
        copy.valueTo = span.to;
      }
      return copy;
    }),
    positionals: invocation.positionals.map(token),
    envAssignments: invocation.envAssignments.map((assignment) => ({
      ...assignment,
      token: token(assignment.token),
    })),
    args: invocation.args.map(token),
  };
}

/** The text of `span` as one line at its own offsets (everything before it blank), so words keep document offsets. */
function isolated(text: string, span: Span): string {
  if (span.from === 0) return forwardLine(text, span);
  return ' '.repeat(span.from) + text.slice(span.from, span.to).replace(/[\r\n]/g, ' ');
}

/**
 * The text up to `span.to` as one line (line breaks as blanks), for readers that only scan forward from `span.from`
 * (splitCommands): what comes before `span.from` is left as it is. Called once per instruction or variable of a big
 * file, so the text is flattened once and sliced (O(1), shared memory) instead of padded each time.
 */
function forwardLine(text: string, span: Span): string {
  if (flattened?.text !== text) flattened = { text, flat: text.replace(/[\r\n]/g, ' ') };
  return flattened.flat.slice(0, span.to);
}
/** The last text `forwardLine` flattened (a Dockerfile's shadow, a Procfile, a compose file) and its flat copy. */
let flattened: { text: string; flat: string } | undefined;

function parseCmdArgs(text: string, entry: EnvEntry, version: Version): NonNullable<LaunchRecord['cmdArgs']> {
  let words: Token[];
  let toDocument: ToDocument;
  if (entry.exact) {
    words = splitCommands(forwardLine(text, entry.span), entry.span.from, 'shell').flat();
    toDocument = identity;
  } else {
    // The value went through the source's own unquoting: its words can only be pointed at as a whole.
    words = splitCommands(entry.value.replace(/[\r\n]/g, ' '), 0, 'shell').flat();
    toDocument = () => entry.span;
  }
  const { options, positionals } = parseArguments(words, version);
  const launcher: Token = { text: 'GUNICORN_CMD_ARGS', from: 0, to: 0, quoted: false };
  const invocation: GunicornInvocation = {
    launcher,
    options,
    // Gunicorn ignores app positionals in GUNICORN_CMD_ARGS; checks should not judge them as the app.
    positionals: [],
    envAssignments: [],
    args: words,
    version,
  };
  void positionals;
  return { invocation, toDocument, span: entry.span, exact: entry.exact };
}

/** The env entry of a `NAME=value` word (possibly quoted as a whole or after `=`). */
function assignmentEntry(
  text: string,
  token: Token,
  name: string,
  value: string,
  toDocument: ToDocument,
): EnvEntry {
  const docToken = toDocument(token.from, token.to);
  const raw = text.slice(docToken.from, docToken.to);
  const n = name.length;
  const exactAt = (from: number, to: number): EnvEntry => ({
    name,
    value,
    span: { from, to },
    exact: text.slice(from, to) === value,
  });
  if (raw === `${name}=${value}`) return exactAt(docToken.from + n + 1, docToken.to);
  for (const quote of ['"', "'"]) {
    if (raw === `${name}=${quote}${value}${quote}`) return exactAt(docToken.from + n + 2, docToken.to - 1);
    if (raw === `${quote}${name}=${value}${quote}`) return exactAt(docToken.from + n + 2, docToken.to - 1);
  }
  const from = Math.min(docToken.to, docToken.from + raw.indexOf('=') + 1);
  return { name, value, span: { from, to: docToken.to }, exact: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Shell command lines (Dockerfile shell form, Procfile, scripts, sh -c)

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);

/** End of the logical line that starts at or before `from`: the first line break not escaped by a backslash. */
function logicalLineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (ch === '\n' || ch === '\r') return i;
    i++;
  }
  return text.length;
}

interface ShellState {
  env: Env;
  cwd?: EnvEntry;
}

function resolveDir(current: string | undefined, dir: string): string {
  if (dir.startsWith('/') || dir.startsWith('~') || dir.startsWith('$') || current === undefined) return dir;
  const base = current.endsWith('/') ? current.slice(0, -1) : current;
  return dir === '.' ? current : `${base}/${dir.replace(/^\.\//, '')}`;
}

/**
 * The Gunicorn invocations of one shell command line whose words carry document offsets. `cd DIR` and
 * `export VAR=value` commands before them update `state` (and so apply to later commands).
 */
function shellLineSites(
  text: string,
  lineText: string,
  from: number,
  kind: LaunchKind,
  version: Version,
  state: ShellState,
  extra: Pick<Site, 'unit'> = {},
): { sites: Site[]; end: number } {
  const commands = splitCommands(lineText, from, 'shell');
  const sites: Site[] = [];
  let end = from;
  for (const words of commands) {
    const last = words[words.length - 1];
    if (last) end = Math.max(end, last.to);
    const first = words[0];
    if (!first) continue;
    const program = baseName(first.text);
    if (program === 'cd' && words.length <= 3) {
      const dir = words.find((w, i) => i > 0 && !w.text.startsWith('-'));
      if (dir) {
        state.cwd = {
          name: 'cwd',
          value: resolveDir(state.cwd?.value, dir.text),
          span: { from: dir.from, to: dir.to },
          exact: true,
        };
      }
      continue;
    }
    if (program === 'export' || (program === 'declare' && words[1]?.text === '-x')) {
      for (const word of words.slice(1)) {
        const m = /^([A-Za-z_]\w*)=/.exec(word.text);
        if (!m) continue;
        const entry = assignmentEntry(text, word, m[1]!, word.text.slice(m[0].length), identity);
        setEnv(state.env, entry);
      }
      continue;
    }
    const invocation = findGunicornInvocation(words, { version });
    if (invocation) {
      sites.push({
        kind,
        invocation,
        toDocument: identity,
        span: { from: first.from, to: last!.to },
        env: new Map(state.env),
        ...(state.cwd ? { cwd: state.cwd } : {}),
        ...extra,
      });
      continue;
    }
    // `sh -c 'gunicorn …'` / `bash -lc "…"`: the script is a command line of its own.
    sites.push(...shellScriptSites(text, words, kind, version, state, extra));
  }
  return { sites, end };
}

/** Invocations inside `sh -c SCRIPT` when the script's text maps one to one onto the document. */
function shellScriptSites(
  text: string,
  words: readonly Token[],
  kind: LaunchKind,
  version: Version,
  state: ShellState,
  extra: Pick<Site, 'unit'>,
): Site[] {
  const program = baseName(words[0]?.text ?? '');
  if (!SHELLS.has(program)) return [];
  const flag = words.findIndex((word, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(word.text));
  const script = flag > 0 ? words[flag + 1] : undefined;
  if (!script) return [];
  const raw = text.slice(script.from, script.to);
  let span: Span | undefined;
  if (raw === script.text) span = { from: script.from, to: script.to };
  else if (raw === `'${script.text}'` || raw === `"${script.text}"`) {
    span = { from: script.from + 1, to: script.to - 1 };
  }
  if (span) {
    const inner: ShellState = { env: new Map(state.env), ...(state.cwd ? { cwd: state.cwd } : {}) };
    return shellLineSites(text, isolated(text, span), span.from, kind, version, inner, extra).sites;
  }
  // Escapes inside the script: read its words on their own and point at the whole script.
  const whole = { from: script.from, to: script.to };
  const sites: Site[] = [];
  for (const command of splitCommands(script.text.replace(/[\r\n]/g, ' '), 0, 'shell')) {
    const invocation = findGunicornInvocation(command, { version });
    if (!invocation) continue;
    sites.push({
      kind,
      invocation,
      toDocument: () => whole,
      span: whole,
      exact: false,
      env: new Map(state.env),
      ...(state.cwd ? { cwd: state.cwd } : {}),
      ...extra,
    });
  }
  return sites;
}

/** `#` comments: at the start of a line, or after a blank outside quotes. */
function hashComments(lines: LineIndex, out: Span[]): void {
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const lineText = lines.lineText(line);
    let quote: string | undefined;
    for (let i = 0; i < lineText.length; i++) {
      const ch = lineText[i]!;
      if (quote) {
        if (ch === quote) quote = undefined;
        else if (ch === '\\' && quote === '"') i++;
        continue;
      }
      if (ch === '\\') {
        i++;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (
        ch === '#' &&
        (i === 0 || /\s/.test(lineText[i - 1]!) || lineText.slice(0, i).trim() === BOM)
      ) {
        out.push({ from: start + i, to: start + lineText.trimEnd().length });
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Procfile

function procfileSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const { lines } = parsed;
  const sites: Site[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const lineText = lines.lineText(line);
    const m = /^(\uFEFF?[ \t]*)([A-Za-z0-9_-]+)[ \t]*:[ \t]*/.exec(lineText);
    if (!m) {
      if (/^\uFEFF?\s*#/.test(lineText)) {
        const at = lineText.indexOf('#');
        parsed.comments.push({ from: start + at, to: start + lineText.trimEnd().length });
      }
      continue;
    }
    const from = start + m[0].length;
    const to = start + lineText.length;
    const lineOnly = isolated(text, { from: 0, to });
    parsed.regions.push({ from, to, text: lineOnly, form: 'shell' });
    const state: ShellState = { env: new Map() };
    sites.push(...shellLineSites(text, lineOnly, from, 'procfile', version, state, { unit: m[2]! }).sites);
  }
  return sites;
}

// ---------------------------------------------------------------------------------------------------------------
// Shell scripts

function shellFileSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const { lines } = parsed;
  hashComments(lines, parsed.comments);
  const state: ShellState = { env: new Map() };
  const sites: Site[] = [];
  let i = text.startsWith(BOM) ? 1 : 0;
  let heredoc: string | undefined;
  while (i < text.length) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = text.length;
    const physical = text.slice(i, lineEnd).replace(/\r$/, '');
    if (heredoc !== undefined) {
      if (physical.replace(/^\t+/, '') === heredoc) heredoc = undefined;
      i = lineEnd + 1;
      continue;
    }
    if (/^\s*(#|$)/.test(physical)) {
      i = lineEnd + 1;
      continue;
    }
    const end = logicalLineEnd(text, i);
    parsed.regions.push({ from: i, to: end, text, form: 'shell' });
    const found = shellLineSites(text, text, i, 'shell', version, state);
    sites.push(...found.sites);
    const marker = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(text.slice(i, end));
    if (marker) heredoc = marker[2];
    // A quoted word may run over line breaks: continue after the line the command ended on.
    const next = text.indexOf('\n', Math.max(end, found.end));
    i = next < 0 ? text.length : next + 1;
  }
  return sites;
}

// ---------------------------------------------------------------------------------------------------------------
// Dockerfile

interface Instruction {
  keyword: string;
  /** Where the instruction's arguments start and end (end of its last line). */
  argsFrom: number;
  to: number;
  from: number;
}

interface Stage {
  name?: string;
  env: Env;
  cwd?: EnvEntry;
  cmd?: Instruction;
  entrypoint?: Instruction;
  cmdSet: boolean;
}

/**
 * The document with Docker's line joining applied in place: line continuations, comment lines and empty lines inside
 * an instruction become blanks, so every instruction reads as one line at its own offsets.
 */
function dockerfileInstructions(
  text: string,
  parsed: ParsedSource,
): { shadow: string; instructions: Instruction[] } {
  const { lines } = parsed;
  // Blanked ranges, in document order; the shadow is built from slices once (not a char array of the whole text).
  const blanks: [number, number][] = [];
  let escape = '\\';
  let continuation: { escape: string; pattern: RegExp } | undefined;
  const instructions: Instruction[] = [];
  let current: Instruction | undefined;
  let directivesAllowed = true;
  const blank = (from: number, to: number) => {
    if (to > from) blanks.push([from, to]);
  };
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : end;
    let content = text.slice(start, end);
    let contentFrom = start;
    if (line === 0 && content.startsWith(BOM)) {
      content = content.slice(1);
      contentFrom++;
      blank(start, start + 1);
    }
    const trimmed = content.trim();
    const isComment = trimmed.startsWith('#');
    if (directivesAllowed && isComment) {
      const directive = /^#\s*escape\s*=\s*(\S)\s*$/i.exec(trimmed);
      if (directive) escape = directive[1]!;
    }
    if (!isComment) directivesAllowed = false;
    if (isComment || (current && trimmed === '')) {
      if (isComment) {
        const at = contentFrom + content.indexOf('#');
        parsed.comments.push({ from: at, to: contentFrom + content.trimEnd().length });
      }
      // Docker drops comment and empty lines inside a continued instruction.
      if (current) blank(start, next);
      continue;
    }
    if (!current) {
      if (trimmed === '') continue;
      const m = /^(\s*)([A-Za-z]+)(\s+|$)/.exec(content);
      if (!m) continue;
      current = {
        keyword: m[2]!.toUpperCase(),
        from: contentFrom + m[1]!.length,
        argsFrom: contentFrom + m[0].length,
        to: end,
      };
      instructions.push(current);
    }
    current.to = end;
    if (continuation?.escape !== escape) {
      continuation = { escape, pattern: new RegExp(`${escape === '\\' ? '\\\\' : escape}[ \\t]*$`) };
    }
    const continued = continuation.pattern.exec(content);
    if (continued && line + 1 < lines.lineCount) {
      blank(contentFrom + continued.index, next);
    } else {
      current = undefined;
    }
  }
  const parts: string[] = [];
  let at = 0;
  for (const [from, to] of blanks) {
    const start = Math.max(from, at);
    if (to <= start) continue;
    parts.push(text.slice(at, start), ' '.repeat(to - start));
    at = to;
  }
  parts.push(text.slice(at));
  return { shadow: parts.join(''), instructions };
}

function dockerfileSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const { shadow, instructions } = dockerfileInstructions(text, parsed);
  const stages: Stage[] = [];
  let stage: Stage = { env: new Map(), cmdSet: false };
  for (const instruction of instructions) {
    const args = shadow.slice(instruction.argsFrom, instruction.to);
    switch (instruction.keyword) {
      case 'FROM': {
        const words = args.trim().split(/\s+/);
        const image = (words[0] ?? '').toLowerCase();
        const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
        const name = asAt > 0 ? words[asAt + 1]?.toLowerCase() : undefined;
        const parent = stages.find((s) => s.name !== undefined && s.name === image);
        stage = parent
          ? {
              env: new Map(parent.env),
              ...(parent.cwd ? { cwd: parent.cwd } : {}),
              ...(parent.cmd ? { cmd: parent.cmd } : {}),
              ...(parent.entrypoint ? { entrypoint: parent.entrypoint } : {}),
              cmdSet: false,
            }
          : { env: new Map(), cmdSet: false };
        if (name) stage.name = name;
        stages.push(stage);
        break;
      }
      case 'ENV':
        dockerEnv(text, shadow, instruction, stage.env);
        break;
      case 'WORKDIR': {
        const value = args.trim();
        if (!value) break;
        const from = instruction.argsFrom + args.indexOf(value);
        const dir = value.replace(/^(["'])(.*)\1$/, '$2');
        stage.cwd = {
          name: 'cwd',
          value: resolveDir(stage.cwd?.value, dir),
          span: { from, to: from + value.length },
          exact: true,
        };
        break;
      }
      case 'CMD':
        stage.cmd = instruction;
        stage.cmdSet = true;
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = instruction;
        // An ENTRYPOINT clears a CMD inherited from the base; one set in this stage stays.
        if (!stage.cmdSet) delete stage.cmd;
        break;
      default:
        break;
    }
  }
  for (const instruction of [stage.entrypoint, stage.cmd]) {
    if (!instruction) continue;
    // Decided by the bracket, not by a successful parse: completion runs while the array is still being typed.
    parsed.regions.push({
      from: instruction.argsFrom,
      to: instruction.to,
      text: shadow,
      form: shadow[instruction.argsFrom] === '[' ? 'json' : 'shell',
    });
  }
  return dockerLaunchSites(text, shadow, stage, version);
}

/** `ENV A=b C="d e"` and the legacy `ENV A b c`. */
function dockerEnv(text: string, shadow: string, instruction: Instruction, env: Env): void {
  const line = isolated(shadow, { from: 0, to: instruction.to });
  const words = splitCommands(line, instruction.argsFrom, 'shell').flat();
  const first = words[0];
  if (!first) return;
  if (!first.text.includes('=')) {
    // Legacy form: the first word is the name, the rest of the line is the value as written.
    if (!ENV_NAME.test(first.text)) return;
    const rest = shadow.slice(first.to, instruction.to);
    const value = rest.trim();
    const from = first.to + rest.indexOf(value);
    setEnv(env, {
      name: first.text,
      value,
      span: { from, to: from + value.length },
      exact: text.slice(from, from + value.length) === value,
    });
    return;
  }
  for (const word of words) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(word.text);
    if (!m) continue;
    setEnv(env, assignmentEntry(text, word, m[1]!, word.text.slice(m[0].length), identity));
  }
}

interface DockerCommand {
  instruction: Instruction;
  json?: Token[];
}

function dockerCommand(shadow: string, instruction: Instruction | undefined): DockerCommand | undefined {
  if (!instruction) return undefined;
  const json = tokensFromJsonArray(shadow, instruction.argsFrom);
  return json ? { instruction, json } : { instruction };
}

function dockerLaunchSites(text: string, shadow: string, stage: Stage, version: Version): Site[] {
  const entrypoint = dockerCommand(shadow, stage.entrypoint);
  const cmd = dockerCommand(shadow, stage.cmd);
  const state = (): ShellState => ({ env: new Map(stage.env), ...(stage.cwd ? { cwd: stage.cwd } : {}) });
  const shellForm = (command: DockerCommand): Site[] => {
    const line = isolated(shadow, { from: 0, to: command.instruction.to });
    return shellLineSites(text, line, command.instruction.argsFrom, 'dockerfile', version, state()).sites;
  };
  const execForm = (words: Token[], span: Span): Site[] => {
    const invocation = findGunicornInvocation(words, { version });
    if (invocation) {
      return [
        {
          kind: 'dockerfile',
          invocation,
          toDocument: identity,
          span,
          env: new Map(stage.env),
          ...(stage.cwd ? { cwd: stage.cwd } : {}),
        },
      ];
    }
    return shellScriptSites(text, words, 'dockerfile', version, state(), {});
  };
  const wordsSpan = (words: Token[], fallback: Instruction): Span =>
    words.length
      ? { from: words[0]!.from, to: words[words.length - 1]!.to }
      : { from: fallback.argsFrom, to: fallback.to };
  if (entrypoint) {
    if (!entrypoint.json) return shellForm(entrypoint);
    // Exec-form ENTRYPOINT gets an exec-form CMD as its arguments (a shell-form CMD would arrive as `/bin/sh -c …`).
    const args = cmd?.json ?? [];
    const combined = execForm(
      [...entrypoint.json, ...args],
      wordsSpan(entrypoint.json, entrypoint.instruction),
    );
    if (combined.length) return combined;
    // An entry-point script (`docker-entrypoint.sh`, `tini --`) that runs its arguments: the CMD is the command.
    if (cmd?.json) return execForm(cmd.json, wordsSpan(cmd.json, cmd.instruction));
    return cmd ? shellForm(cmd) : [];
  }
  if (!cmd) return [];
  return cmd.json ? execForm(cmd.json, wordsSpan(cmd.json, cmd.instruction)) : shellForm(cmd);
}

// ---------------------------------------------------------------------------------------------------------------
// systemd units

function systemdSites(source: WorkspaceSource, version: Version): Site[] {
  const model = parseUnitFile(source.text);
  const env: Env = new Map();
  const environmentFiles: EnvEntry[] = [];
  let cwd: EnvEntry | undefined;
  for (const directive of model.directives) {
    if (directive.section?.name !== 'Service') continue;
    if (directive.key === 'Environment') {
      if (directive.value === '') env.clear();
      else systemdEnvironment(source.text, directive, env);
    } else if (directive.key === 'EnvironmentFile') {
      if (directive.value === '') environmentFiles.length = 0;
      else environmentFiles.push(directiveEntry(source.text, directive, 'EnvironmentFile'));
    } else if (directive.key === 'WorkingDirectory') {
      if (directive.value === '') cwd = undefined;
      else cwd = directiveEntry(source.text, directive, 'WorkingDirectory');
    }
  }
  const unit = baseName(untemplatedPath(source.path));
  return gunicornExecs(model, version).map((exec) => ({
    kind: 'systemd' as const,
    invocation: exec.invocation,
    toDocument: (from: number, to: number) => exec.span(from, to),
    span: exec.directive.valueSpan,
    env: new Map(env),
    ...(cwd ? { cwd } : {}),
    ...(unit ? { unit } : {}),
    ...(environmentFiles.length ? { environmentFiles: [...environmentFiles] } : {}),
  }));
}

/** A whole directive value (a leading `-` that marks it optional dropped). */
function directiveEntry(text: string, directive: Directive, name: string): EnvEntry {
  const skip = directive.value.startsWith('-') ? 1 : 0;
  const value = directive.value.slice(skip);
  const span = valueSubSpan(directive, skip, directive.value.length);
  return { name, value, span, exact: text.slice(span.from, span.to) === value };
}

function systemdEnvironment(text: string, directive: Directive, env: Env): void {
  const toDocument: ToDocument = (from, to) => valueSubSpan(directive, from, to);
  for (const word of splitCommands(directive.value, 0, 'systemd').flat()) {
    const m = /^([^=\s]+)=/.exec(word.text);
    if (!m) continue;
    const name = m[1]!;
    const value = word.text.slice(m[0].length);
    const entry = assignmentEntry(directive.value, word, name, value, identity);
    const span = toDocument(entry.span.from, entry.span.to);
    setEnv(env, { name, value, span, exact: entry.exact && text.slice(span.from, span.to) === value });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Compose files

interface YamlLine {
  line: number;
  indent: number;
  /** Offset of the first non-blank character and of the end of the line's content. */
  from: number;
  end: number;
  /** Blank or comment only. */
  empty: boolean;
}

interface YamlScalar {
  value: string;
  /** The raw scalar, quotes included. */
  raw: Span;
  /** The text inside the quotes (the whole scalar when plain or a block). */
  inner: Span;
  quoted: boolean;
  /** True when the document text of `inner` reads as the value (whitespace aside for blocks and folded lines). */
  exact: boolean;
}

type YamlNode =
  | { kind: 'scalar'; scalar: YamlScalar }
  | { kind: 'list'; items: YamlScalar[] }
  | { kind: 'map'; entries: { key: string; value?: YamlScalar }[] };

function yamlLines(text: string, lines: LineIndex, comments: Span[]): YamlLine[] {
  const result: YamlLine[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    let start = lines.lineStart(line);
    if (line === 0 && text.startsWith(BOM)) start++;
    const end = lines.lineEnd(line);
    const content = text.slice(start, end);
    const indent = content.length - content.trimStart().length;
    const trimmed = content.trim();
    const empty = trimmed === '' || trimmed.startsWith('#');
    if (trimmed.startsWith('#')) {
      comments.push({ from: start + indent, to: start + content.trimEnd().length });
    }
    result.push({ line, indent, from: start + indent, end: start + content.trimEnd().length, empty });
  }
  return result;
}

/** Offset of a ` #` comment on a plain scalar's line (or the end). */
function plainEnd(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (text[i] === '#' && (i === from || /\s/.test(text[i - 1]!))) return i;
  }
  return end;
}

function trimSpan(text: string, from: number, to: number): Span {
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  return { from, to };
}

const YAML_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '/': '/',
  '0': '\0',
};

/** A quoted scalar starting at `from` (on the quote); its end may be on a later line. */
function quotedScalar(text: string, from: number): { scalar: YamlScalar; end: number } {
  const quote = text[from]!;
  let i = from + 1;
  let value = '';
  let exact = true;
  while (i < text.length) {
    const ch = text[i]!;
    if (quote === "'" && ch === "'" && text[i + 1] === "'") {
      value += "'";
      exact = false;
      i += 2;
      continue;
    }
    if (ch === quote) break;
    if (quote === '"' && ch === '\\') {
      value += YAML_ESCAPES[text[i + 1] ?? ''] ?? text[i + 1] ?? '';
      exact = false;
      i += 2;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      // A line break inside quotes folds to a space with the next line's indentation.
      exact = false;
      value = value.trimEnd() + ' ';
      while (i < text.length && /\s/.test(text[i]!)) i++;
      continue;
    }
    value += ch;
    i++;
  }
  const close = Math.min(i, text.length);
  return {
    scalar: {
      value,
      raw: { from, to: Math.min(close + 1, text.length) },
      inner: { from: from + 1, to: close },
      quoted: true,
      exact,
    },
    end: Math.min(close + 1, text.length),
  };
}

/** Items of a flow sequence `[a, "b", 'c']` starting at `from` (on the bracket). */
function flowItems(text: string, from: number): { items: YamlScalar[]; end: number } {
  const items: YamlScalar[] = [];
  let i = from + 1;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i]!)) i++;
    if (i >= text.length) return { items, end: i };
    const ch = text[i]!;
    if (ch === ']') return { items, end: i + 1 };
    if (ch === '"' || ch === "'") {
      const quoted = quotedScalar(text, i);
      items.push(quoted.scalar);
      i = quoted.end;
      continue;
    }
    const start = i;
    while (i < text.length && !/[,\]\n\r]/.test(text[i]!)) i++;
    const span = trimSpan(text, start, i);
    if (span.to > span.from) {
      const value = text.slice(span.from, span.to);
      items.push({ value, raw: span, inner: span, quoted: false, exact: true });
    }
  }
}

/** Entries of a flow mapping `{A: b, C: "d"}` starting at `from`. */
function flowEntries(text: string, from: number): { key: string; value?: YamlScalar }[] {
  const close = text.indexOf('}', from);
  const body = close < 0 ? text.length : close;
  const entries: { key: string; value?: YamlScalar }[] = [];
  let i = from + 1;
  while (i < body) {
    let next = text.indexOf(',', i);
    if (next < 0 || next > body) next = body;
    const colon = text.indexOf(':', i);
    if (colon > i && colon < next) {
      const key = text
        .slice(i, colon)
        .trim()
        .replace(/^(["'])(.*)\1$/, '$2');
      const valueSpan = trimSpan(text, colon + 1, next);
      const value = scalarAt(text, valueSpan.from, valueSpan.to);
      entries.push({ key, ...(value ? { value } : {}) });
    }
    i = next + 1;
  }
  return entries;
}

/** A one-line scalar in [from, end): quoted or plain (a trailing comment dropped). */
function scalarAt(text: string, from: number, end: number): YamlScalar | undefined {
  if (from >= end) return undefined;
  if (text[from] === '"' || text[from] === "'") return quotedScalar(text, from).scalar;
  const span = trimSpan(text, from, plainEnd(text, from, end));
  if (span.to <= span.from) return undefined;
  return { value: text.slice(span.from, span.to), raw: span, inner: span, quoted: false, exact: true };
}

/** The value of `key:` whose line is `lines[index]`, with its text starting at `valueFrom`. */
function yamlValue(text: string, lines: YamlLine[], index: number, valueFrom: number): YamlNode | undefined {
  const owner = lines[index]!;
  const inline = trimSpan(text, valueFrom, plainEnd(text, valueFrom, owner.end));
  const first = text[inline.from];
  // The lines that belong to this value: more indented, or `- ` items at the key's own indentation.
  const body: YamlLine[] = [];
  for (let k = index + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.empty) {
      body.push(line);
      continue;
    }
    const dash = text[line.from] === '-' && /[\s]/.test(text[line.from + 1] ?? ' ');
    if (line.indent > owner.indent || (dash && line.indent === owner.indent && inline.from === inline.to)) {
      body.push(line);
    } else {
      break;
    }
  }
  while (body.length && body[body.length - 1]!.empty) body.pop();
  if (inline.from < inline.to) {
    if (first === '|' || first === '>') {
      const content = body.filter((line) => !line.empty || line.from < line.end);
      const textLines = body.filter((line) => !(line.from === line.end));
      if (!textLines.length) return undefined;
      const span = { from: textLines[0]!.from, to: textLines[textLines.length - 1]!.end };
      const indent = Math.min(...textLines.map((line) => line.indent));
      const parts = content.map((line) =>
        line.from === line.end ? '' : ' '.repeat(line.indent - indent) + text.slice(line.from, line.end),
      );
      const value = first === '|' ? parts.join('\n') : parts.join(' ').replace(/ +/g, ' ').trim();
      return { kind: 'scalar', scalar: { value, raw: span, inner: span, quoted: false, exact: true } };
    }
    if (first === '[') return { kind: 'list', items: flowItems(text, inline.from).items };
    if (first === '{') return { kind: 'map', entries: flowEntries(text, inline.from) };
    if (first === '"' || first === "'") {
      return { kind: 'scalar', scalar: quotedScalar(text, inline.from).scalar };
    }
    // A plain scalar continues on more indented lines.
    const more = body.filter((line) => !line.empty);
    const last = more[more.length - 1];
    const span = { from: inline.from, to: last ? plainEnd(text, last.from, last.end) : inline.to };
    const trimmed = trimSpan(text, span.from, span.to);
    const value = text
      .slice(trimmed.from, trimmed.to)
      .split(/\r?\n|\r/)
      .map((part) => part.trim())
      .join(' ');
    return { kind: 'scalar', scalar: { value, raw: trimmed, inner: trimmed, quoted: false, exact: true } };
  }
  const content = body.filter((line) => !line.empty);
  if (!content.length) return undefined;
  if (text[content[0]!.from] === '-') {
    const itemIndent = content[0]!.indent;
    const items: YamlScalar[] = [];
    for (const line of content) {
      if (line.indent !== itemIndent || text[line.from] !== '-') continue;
      const scalar = scalarAt(text, trimSpan(text, line.from + 1, line.end).from, line.end);
      if (scalar) items.push(scalar);
    }
    return { kind: 'list', items };
  }
  const keyIndent = content[0]!.indent;
  const entries: { key: string; value?: YamlScalar }[] = [];
  for (const line of content) {
    if (line.indent !== keyIndent) continue;
    const m = /^("[^"]*"|'[^']*'|[^:#\s][^:]*?)\s*:(?=\s|$)/.exec(text.slice(line.from, line.end));
    if (!m) continue;
    const key = m[1]!.replace(/^(["'])(.*)\1$/, '$2');
    const value = scalarAt(text, trimSpan(text, line.from + m[0].length, line.end).from, line.end);
    entries.push({ key, ...(value ? { value } : {}) });
  }
  return { kind: 'map', entries };
}

interface ComposeService {
  name: string;
  keys: Map<string, YamlNode | undefined>;
}

const COMPOSE_KEYS = new Set(['command', 'entrypoint', 'environment', 'working_dir', 'env_file', 'build']);

function composeServices(text: string, lines: YamlLine[]): ComposeService[] {
  const services: ComposeService[] = [];
  const key = (line: YamlLine) =>
    /^("[^"]*"|'[^']*'|[\w.-]+)\s*:(?=\s|$)/.exec(text.slice(line.from, line.end));
  const at = lines.findIndex((line) => !line.empty && line.indent === 0 && key(line)?.[1] === 'services');
  if (at < 0) return services;
  let serviceIndent = -1;
  let keyIndent = -1;
  let current: ComposeService | undefined;
  for (let k = at + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.empty) continue;
    if (line.indent === 0) break;
    if (serviceIndent < 0) serviceIndent = line.indent;
    const m = key(line);
    if (line.indent === serviceIndent) {
      current = m ? { name: m[1]!.replace(/^(["'])(.*)\1$/, '$2'), keys: new Map() } : undefined;
      if (current) services.push(current);
      keyIndent = -1;
      continue;
    }
    if (!current || line.indent < serviceIndent) continue;
    if (keyIndent < 0) keyIndent = line.indent;
    if (line.indent !== keyIndent || !m || !COMPOSE_KEYS.has(m[1]!)) continue;
    current.keys.set(m[1]!, yamlValue(text, lines, k, line.from + m[0].length));
  }
  return services;
}

/** Words that could only be placed on their whole scalar (escapes inside it). */
const coarseTokens = new WeakSet<Token>();

const PLAIN_WORD = /^[^\s'"\\;&|<>()`#]+$/;

/** One argv element of a list form, as a token (with exact offsets when the scalar is a plain shell word). */
function itemToken(text: string, scalar: YamlScalar): Token {
  if (PLAIN_WORD.test(scalar.value) && text.slice(scalar.inner.from, scalar.inner.to) === scalar.value) {
    const [token] = splitCommands(forwardLine(text, scalar.raw), scalar.raw.from, 'shell').flat();
    if (token && token.text === scalar.value && token.to === scalar.raw.to) return token;
  }
  return {
    text: scalar.value,
    from: scalar.raw.from,
    to: scalar.raw.to,
    quoted: scalar.quoted,
    // Compose interpolates ${VAR} and $VAR in every value from the environment it runs in.
    ...(/\$[{\w]/.test(scalar.value) ? { dynamic: true } : {}),
  };
}

/** The argv of a compose command/entrypoint: a list as it is, a string split into words like a shell would. */
function composeWords(
  text: string,
  node: YamlNode | undefined,
  regions: CommandRegion[],
): Token[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'list') {
    const first = node.items[0];
    const last = node.items[node.items.length - 1];
    if (first && last) regions.push({ from: first.raw.from, to: last.raw.to, text, form: 'json' });
    return node.items.map((item) => itemToken(text, item));
  }
  if (node.kind !== 'scalar') return undefined;
  const { scalar } = node;
  if (scalar.exact) {
    const line = isolated(text, scalar.inner);
    regions.push({ from: scalar.inner.from, to: scalar.inner.to, text: line, form: 'shell' });
    return splitCommands(line, scalar.inner.from, 'shell').flat();
  }
  const whole = scalar.raw;
  return splitCommands(scalar.value.replace(/[\r\n]/g, ' '), 0, 'shell')
    .flat()
    .map((token) => {
      const placed = { ...token, from: whole.from, to: whole.to };
      coarseTokens.add(placed);
      return placed;
    });
}

function composeEnv(text: string, node: YamlNode | undefined): Env {
  const env: Env = new Map();
  if (!node) return env;
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (!entry.value || !ENV_NAME.test(entry.key)) continue;
      const scalar = entry.value;
      setEnv(env, {
        name: entry.key,
        value: scalar.value,
        span: scalar.inner,
        exact: scalar.exact && text.slice(scalar.inner.from, scalar.inner.to) === scalar.value,
      });
    }
    return env;
  }
  if (node.kind !== 'list') return env;
  for (const item of node.items) {
    const eq = item.value.indexOf('=');
    if (eq <= 0) continue;
    const name = item.value.slice(0, eq);
    if (!ENV_NAME.test(name)) continue;
    const value = item.value.slice(eq + 1);
    const exact = item.exact && text.slice(item.inner.from, item.inner.to) === item.value;
    const span = exact ? { from: item.inner.from + eq + 1, to: item.inner.to } : item.inner;
    setEnv(env, { name, value, span, exact });
  }
  return env;
}

/** A service's `build:`: a context folder, or a map with `context:` and `dockerfile:`. */
function composeBuild(node: YamlNode | undefined): { context: string; dockerfile?: string } | undefined {
  if (node?.kind === 'scalar') return node.scalar.value ? { context: node.scalar.value } : undefined;
  if (node?.kind !== 'map') return undefined;
  const entry = (key: string) => node.entries.find((e) => e.key === key)?.value?.value;
  const dockerfile = entry('dockerfile');
  return { context: entry('context') ?? '.', ...(dockerfile ? { dockerfile } : {}) };
}

function composeSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const lines = yamlLines(text, parsed.lines, parsed.comments);
  const sites: Site[] = [];
  for (const service of composeServices(text, lines)) {
    const command = composeWords(text, service.keys.get('command'), parsed.regions);
    const entrypoint = composeWords(text, service.keys.get('entrypoint'), parsed.regions);
    if (!command && !entrypoint) continue;
    const env = composeEnv(text, service.keys.get('environment'));
    const dir = service.keys.get('working_dir');
    const cwd: EnvEntry | undefined =
      dir?.kind === 'scalar'
        ? { name: 'cwd', value: dir.scalar.value, span: dir.scalar.inner, exact: dir.scalar.exact }
        : undefined;
    const files = service.keys.get('env_file');
    const environmentFiles: EnvEntry[] = (
      files?.kind === 'list' ? files.items : files?.kind === 'scalar' ? [files.scalar] : []
    ).map((file) => ({ name: 'env_file', value: file.value, span: file.inner, exact: file.exact }));
    const build = composeBuild(service.keys.get('build'));
    const base = {
      kind: 'compose' as const,
      toDocument: identity,
      env,
      ...(cwd ? { cwd } : {}),
      unit: service.name,
      ...(environmentFiles.length ? { environmentFiles } : {}),
      ...(build ? { build } : {}),
    };
    const state: ShellState = { env: new Map(env), ...(cwd ? { cwd } : {}) };
    const sitesOf = (words: Token[]): Site[] => {
      const invocation = findGunicornInvocation(words, { version });
      if (invocation) {
        const span = { from: words[0]!.from, to: words[words.length - 1]!.to };
        return [{ ...base, invocation, span, exact: !words.some((word) => coarseTokens.has(word)) }];
      }
      return shellScriptSites(text, words, 'compose', version, state, { unit: service.name }).map((site) => ({
        ...site,
        ...(environmentFiles.length ? { environmentFiles } : {}),
        ...(build ? { build } : {}),
      }));
    };
    const combined = sitesOf([...(entrypoint ?? []), ...(command ?? [])]);
    // An entry-point script that runs its arguments (`exec "$@"`): the command is what it starts.
    sites.push(...(combined.length || !entrypoint || !command ? combined : sitesOf(command)));
  }
  return sites;
}

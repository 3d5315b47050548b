// Gunicorn command lines (systemd ExecStart=, Dockerfile CMD/ENTRYPOINT, Procfile, compose, scripts): the launcher and its options.

import { isAtLeast, type Version } from '../../core/version';
import { gunicornCatalog, type GunicornCatalog } from './catalog';
import type { SettingInfo } from './catalogTypes';

import { rawRange, splitCommands, withoutFirstChars, type Dialect, type Token } from './commandWords';

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
/**
 * Programs that run the command after them in their own place (they exec it, so Gunicorn still gets the signals):
 * APM agents and user switchers. The number is how many words of their own come first (the user to switch to).
 */
const EXEC_WRAPPERS = new Map([
  ['ddtrace-run', 0],
  ['gosu', 1],
  ['su-exec', 1],
]);

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Strips systemd's ExecStart prefixes (`-`, `@`, `:`, `+`, `!`, `!!`) from the first word. */
function stripExecPrefixes(token: Token): { token: Token; argv0Follows: boolean } {
  const m = /^[-@:+!]+/.exec(token.text);
  if (!m || m[0].length === token.text.length || token.quoted) return { token, argv0Follows: false };
  // With `@`, the word after the executable is argv[0], not an argument.
  return { token: withoutFirstChars(token, m[0].length), argv0Follows: m[0].includes('@') };
}

/**
 * Finds Gunicorn in one command's words: `gunicorn`, a path to it, `python -m gunicorn`, behind `exec`, `env`,
 * `nohup`, assignments, `poetry/uv/pipenv run`, an APM agent (`newrelic-admin run-program`, `ddtrace-run`,
 * `opentelemetry-instrument`), a user switch (`gosu app`, `su-exec app`), and systemd exec prefixes. Undefined when
 * the command is something else (uvicorn, a worker class path in another program's arguments, ...).
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
    } else if (EXEC_WRAPPERS.has(name)) {
      i = skipOptions(words, i + 1, new Set()) + EXEC_WRAPPERS.get(name)!;
    } else if (name === 'newrelic-admin' && words[i + 1]?.text === 'run-program') {
      i += 2;
    } else if (name === 'newrelic-admin' && words[i + 1]?.text === 'run-python') {
      const launch = pythonLaunch(words, i + 2);
      if (!launch) return undefined;
      return invocation(launch.launcher, word, words.slice(launch.next), envAssignments, version);
    } else if (name === 'opentelemetry-instrument') {
      // Its options all take a value (`--service_name web`, or `--service_name=web`).
      i++;
      while (i < words.length && words[i]!.text.startsWith('--')) i += words[i]!.text.includes('=') ? 1 : 2;
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

function arityOf(setting: SettingInfo, catalog: GunicornCatalog, version: Version): Arity {
  if (setting.cliAction === 'store_true' || setting.cliAction === 'store_const') return 'none';
  // A setting judged by validate_bool in this version was a store_true flag then (proxy_protocol before 24.1).
  if (catalog.validatorFor(setting, version) === 'validate_bool') return 'none';
  return OPTIONAL_VALUE_SETTINGS.has(setting.name) ? 'optional' : 'one';
}

export interface FlagTables {
  /** Flags argparse knows in the version. */
  inVersion: Map<string, FlagInfo>;
  /** Flags of settings from any version, for "not in this version" rather than "unknown". */
  anyVersion: Map<string, FlagInfo>;
}

const tableCache = new Map<string, FlagTables>();

/** The flags of `version`'s parser, by what they are written as (made once per version). */
export function flagTables(version: Version): FlagTables {
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

// Checks of a Gunicorn command line: what argparse or Gunicorn would refuse, and values Gunicorn would misread.

import { closestMatches } from '../../core/editDistance';
import { formatVersion, isAtLeast, type Version } from '../../core/version';
import { hasPlaceholder } from '../../core/templates';
import { gunicornCatalog } from './catalog';
import type { Value } from './model';
import { bindProblem } from './rules/invalidBind';
import { valueVerdict } from './rules/invalidValue';
import { workerClassVerdict } from './workerClassVerdict';

import { flagTables, parseArguments, type CliOption, type GunicornInvocation } from './commandLine';
import { rawRange, type Token } from './commandWords';

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

export type CommandLineRule =
  | 'repeated-cli-flag'
  | 'unknown-cli-worker-class'
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
  issues.push(...repeatedFlagIssues(parsed.options));
  const usesPaste = parsed.options.some((o) => o.setting === 'paste' && !o.problem);
  if (!usesPaste) {
    for (const positional of parsed.positionals) {
      const issue = appSpecIssue(positional);
      if (issue) issues.push(issue);
    }
  }
  return issues;
}

/**
 * A setting given twice with different values by flags that store one value (`-w 3 … -w 2`, often a copy-paste slip
 * such as `-w $GUNICORN_WORKERS -w $GUNICORN_THREADS`): argparse keeps the last, so the earlier one does nothing.
 * Flags that collect their values (`-b`, `-e`) may repeat.
 */
function repeatedFlagIssues(options: readonly CliOption[]): CommandLineIssue[] {
  const issues: CommandLineIssue[] = [];
  const last = new Map<string, CliOption>();
  for (let i = options.length - 1; i >= 0; i--) {
    const option = options[i]!;
    const setting = option.setting;
    if (!setting || option.problem || option.value === undefined) continue;
    if (gunicornCatalog().get(setting)?.cliAction !== 'store') continue;
    const later = last.get(setting);
    if (!later) {
      last.set(setting, option);
      continue;
    }
    if (later.value === option.value) continue;
    issues.push({
      rule: 'repeated-cli-flag',
      severity: 'warning',
      ...flagRangeOf(option),
      message: `${option.flag} is given again later (${later.flag} ${later.value}): Gunicorn keeps the last value, so ${option.value} here has no effect.`,
    });
  }
  return issues.reverse();
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
  if (setting.name === 'worker_class') {
    const verdict = workerClassVerdict(value, catalog, version, formatVersion(version));
    if (!verdict) return undefined;
    const [meant] = verdict.suggestions;
    return {
      rule: 'unknown-cli-worker-class',
      severity: 'error',
      from,
      to,
      message: `${flag} ${value}: ${verdict.message}`,
      ...(meant ? { fix: replaceValueFix(option, meant, from, to) } : {}),
    };
  }
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

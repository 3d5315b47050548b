// Value checks per directive type, following how systemd parses each kind (booleans, time spans, modes, paths…).

import type { DirectiveInfo } from './catalogTypes';
import { closestMatches } from '../../core/editDistance';
import { hasPlaceholder } from '../../core/templates';

export interface ValueProblem {
  message: string;
  /** A replacement for the whole value, when the intent is clear. */
  replacement?: string;
  /** The replacement only re-spells what was written (sigterm -> SIGTERM), so fix-all may apply it. */
  safe?: boolean;
}

const TRUE_WORDS = ['1', 'yes', 'y', 'true', 't', 'on'];
const FALSE_WORDS = ['0', 'no', 'n', 'false', 'f', 'off'];

export function isBoolean(value: string): boolean {
  const lower = value.toLowerCase();
  return TRUE_WORDS.includes(lower) || FALSE_WORDS.includes(lower);
}

/** True/false for a systemd boolean, undefined when it is not one. */
export function booleanValue(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (TRUE_WORDS.includes(lower)) return true;
  if (FALSE_WORDS.includes(lower)) return false;
  return undefined;
}

// Units systemd's time parser accepts, with their length in seconds (a bare number means seconds).
const TIME_UNITS: Record<string, number> = {
  usec: 1e-6,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  msec: 1e-3,
  ms: 1e-3,
  seconds: 1,
  second: 1,
  sec: 1,
  s: 1,
  minutes: 60,
  minute: 60,
  min: 60,
  m: 60,
  hours: 3600,
  hour: 3600,
  hr: 3600,
  h: 3600,
  days: 86400,
  day: 86400,
  d: 86400,
  weeks: 604800,
  week: 604800,
  w: 604800,
  months: 2629800,
  month: 2629800,
  M: 2629800,
  years: 31557600,
  year: 31557600,
  y: 31557600,
};

/** Seconds in a time span such as `1min 30s`, `90`, `500ms` or `infinity`; undefined when systemd would reject it. */
export function parseTimespan(value: string): number | undefined {
  const text = value.trim();
  if (text === 'infinity') return Infinity;
  if (text === '') return undefined;
  let total = 0;
  let rest = text;
  while (rest.length) {
    const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z\u00b5\u03bc]*)\s*/.exec(rest);
    if (!match || match[0] === '') return undefined;
    const unit = match[2] ?? '';
    const factor = unit === '' ? 1 : TIME_UNITS[unit];
    if (factor === undefined) return undefined;
    total += Number(match[1]) * factor;
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** Bytes in a size such as `512M`, `1.5G` or a plain number (base 1024 suffixes, as systemd reads them). */
export function parseSize(value: string): number | undefined {
  // Suffixes are case-sensitive and stand alone: 512M and 512B parse, 512MB and 512m do not. Like systemd, several
  // parts add up ("1G 512M", "1G512M") when each unit is smaller than the one before.
  const text = value.trim();
  const part = /(\d+(?:\.\d+)?)\s*([KMGTPE]|B)?\s*/y;
  let total = 0;
  let previous = Infinity;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const match = part.exec(text);
    if (!match || match[0].length === 0) return undefined;
    // No suffix and B are bytes; K is 1024 and each further letter another 1024.
    const power = match[2] && match[2] !== 'B' ? 'KMGTPE'.indexOf(match[2]) + 1 : 0;
    if (power >= previous) return undefined;
    previous = power;
    total += Number(match[1]) * 1024 ** power;
    at = part.lastIndex;
  }
  return at === 0 ? undefined : total;
}

const SIGNALS = [
  'HUP',
  'INT',
  'QUIT',
  'ILL',
  'TRAP',
  'ABRT',
  'IOT',
  'BUS',
  'FPE',
  'KILL',
  'USR1',
  'SEGV',
  'USR2',
  'PIPE',
  'ALRM',
  'TERM',
  'STKFLT',
  'CHLD',
  'CONT',
  'STOP',
  'TSTP',
  'TTIN',
  'TTOU',
  'URG',
  'XCPU',
  'XFSZ',
  'VTALRM',
  'PROF',
  'WINCH',
  'IO',
  'POLL',
  'PWR',
  'SYS',
];

function signalProblem(value: string): ValueProblem | undefined {
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 64) return undefined;
  const name = value.replace(/^SIG/, '');
  if (SIGNALS.includes(name) || /^RTM(IN|AX)([+-]\d+)?$/.test(name)) return undefined;
  const upper = value.toUpperCase().replace(/^SIG/, '');
  if (SIGNALS.includes(upper)) {
    return { message: `signal names are upper-case: '${value}'`, replacement: `SIG${upper}`, safe: true };
  }
  return { message: `'${value}' is not a signal name such as SIGTERM or SIGHUP` };
}

/** `soft[:hard]` resource limit: numbers (with size or time suffixes for those limits) or `infinity`. */
/** Limits measured in bytes (K/M/G suffixes, base 1024) and in time; every other Limit*= takes a plain count. */
const SIZE_LIMITS = new Set([
  'LimitFSIZE',
  'LimitDATA',
  'LimitSTACK',
  'LimitCORE',
  'LimitRSS',
  'LimitAS',
  'LimitMEMLOCK',
  'LimitMSGQUEUE',
]);
const TIME_LIMITS = new Set(['LimitCPU', 'LimitRTTIME']);

/** `LimitX=SOFT[:HARD]` as systemd reads it for resource `name`: the value in comparable units, or undefined. */
function limitValue(name: string, text: string): number | undefined {
  if (text === 'infinity') return Infinity;
  if (/^\d+$/.test(text)) return Number(text);
  if (SIZE_LIMITS.has(name)) return parseSize(text);
  if (TIME_LIMITS.has(name)) return parseTimespan(text);
  if (name === 'LimitNICE' && /^[-+]\d+$/.test(text)) return Number(text);
  return undefined;
}

function limitProblem(name: string, value: string): ValueProblem | undefined {
  const parts = value.split(':').map((part) => part.trim());
  if (parts.length > 2) return { message: `'${value}' is not a limit: write SOFT or SOFT:HARD` };
  const values: number[] = [];
  for (const part of parts) {
    const parsed = limitValue(name, part);
    if (parsed === undefined) {
      const unit = SIZE_LIMITS.has(name)
        ? 'a size'
        : TIME_LIMITS.has(name)
          ? 'a time span'
          : 'a whole number';
      return {
        message: `'${part}' is not ${unit} or 'infinity' (${name}= takes ${unit}, no suffixes otherwise)`,
      };
    }
    values.push(parsed);
  }
  const [soft, hard] = values;
  if (hard !== undefined && soft! > hard) {
    return {
      message: `the soft limit ${parts[0]} is above the hard limit ${parts[1]}; systemd ignores the line`,
    };
  }
  return undefined;
}

/** The unit names systemd accepts: `name.type`, optionally `name@instance.type`, in the allowed character set. */
export function isUnitName(name: string): boolean {
  return /^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$/.test(
    name,
  );
}

/** `ListenStream=` and friends: a port, host:port, [v6]:port, an absolute path, `@abstract`, or vsock:/netlink forms. */
function listenProblem(value: string): ValueProblem | undefined {
  if (value.startsWith('/') || value.startsWith('@') || /^(vsock|netlink):/.test(value)) return undefined;
  // systemd never resolves host names: the host part must be an IP literal.
  const named = /^([A-Za-z][\w.-]*|\*)?:(\d+)$/.exec(value);
  if (named) {
    return {
      message: `'${value}': systemd does not resolve host names; use an IP address such as 127.0.0.1:${named[2]!}`,
      ...(named[1] === 'localhost' ? { replacement: `127.0.0.1:${named[2]!}` } : {}),
    };
  }
  const port = /^(?:\[[^\]]+\]:|\d{1,3}(?:\.\d{1,3}){3}:)?(\d+)$/.exec(value);
  if (port) {
    return Number(port[1]) >= 1 && Number(port[1]) <= 65535
      ? undefined
      : { message: `port ${port[1]!} is out of range (1–65535)` };
  }
  if (/^unix:/.test(value)) {
    return {
      message: `write the socket path alone, without 'unix:'`,
      replacement: value.slice(5),
      safe: true,
    };
  }
  return {
    message: `'${value}' is not an address systemd can listen on: use a port, ADDRESS:PORT, [IPv6]:PORT or an absolute socket path`,
  };
}

/**
 * An empty assignment resets list settings and most strings to their default, but systemd's parsers for booleans,
 * time spans, resource limits and modes reject it ("Failed to parse …, ignoring"); these few accept it (measured
 * with systemd-analyze 252).
 */
const EMPTY_ACCEPTED = new Set(['MountAPIVFS', 'CPUQuotaPeriodSec', 'TimeoutAbortSec']);

function emptyProblem(directive: DirectiveInfo): ValueProblem | undefined {
  if (directive.list || EMPTY_ACCEPTED.has(directive.name)) return undefined;
  if (!['bool', 'timespan', 'limit', 'mode'].includes(directive.type)) return undefined;
  return {
    message: `an empty ${directive.name}= is not a reset here: systemd cannot parse it and ignores the line (delete the line to get the default)`,
  };
}

/**
 * What systemd would complain about in `value` for `directive`, or undefined when it parses. `release` is the systemd
 * version judged: values it added later (`valuesSince`) are accepted from that release on; without it, never.
 */
export function valueProblem(
  directive: DirectiveInfo,
  value: string,
  release?: number,
): ValueProblem | undefined {
  // Specifiers are expanded at load time and can stand for anything.
  if (value.includes('%')) return undefined;
  // So are placeholders a template or a tutorial leaves for later (`__FINALPATH__`, `<path_to_app>`, `{{ dir }}`).
  if (hasPlaceholder(value)) return undefined;
  const valueSince = directive.valuesSince?.[value];
  if (valueSince !== undefined && release !== undefined) {
    return release >= valueSince
      ? undefined
      : { message: `'${value}' needs systemd ${valueSince} or later, and the target is systemd ${release}` };
  }
  if (value === '') return emptyProblem(directive);
  switch (directive.type) {
    case 'bool':
      return isBoolean(value)
        ? undefined
        : { message: `'${value}' is not a boolean: use yes or no (true/false, on/off, 1/0 also work)` };
    case 'enum': {
      const values = directive.values ?? [];
      if (values.includes(value) || (directive.acceptsBool && isBoolean(value))) return undefined;
      const close =
        closestMatches(value, values, 1)[0] ?? values.find((v) => v.toLowerCase() === value.toLowerCase());
      return {
        message: `'${value}' is not one of: ${values.join(', ')}${directive.acceptsBool ? ' (or a boolean)' : ''}`,
        ...(close ? { replacement: close } : {}),
      };
    }
    case 'timespan':
      return parseTimespan(value) === undefined
        ? { message: `'${value}' is not a time span such as 30s, 5min 20s or infinity` }
        : undefined;
    case 'mode':
      return /^0*[0-7]{1,4}$/.test(value)
        ? undefined
        : { message: `'${value}' is not an octal access mode such as 0660` };
    case 'int': {
      if (directive.name === 'IOSchedulingPriority') {
        return /^[0-7]$/.test(value)
          ? undefined
          : { message: `'${value}' is not an I/O priority between 0 and 7` };
      }
      // Only OOMScoreAdjust= is signed (-1000..1000); every other count systemd takes is unsigned.
      const signed = directive.name === 'OOMScoreAdjust';
      if (value === 'infinity' || /^\d+%$/.test(value)) return undefined;
      if (!(signed ? /^-?\d+$/ : /^\d+$/).test(value)) {
        return { message: `'${value}' is not a ${signed ? '' : 'non-negative '}whole number` };
      }
      return signed && Math.abs(Number(value)) > 1000
        ? { message: `${value} is outside -1000..1000` }
        : undefined;
    }
    case 'nice':
      return /^-?\d+$/.test(value) && Number(value) >= -20 && Number(value) <= 19
        ? undefined
        : { message: `'${value}' is not a nice level between -20 and 19` };
    case 'size':
      return parseSize(value) !== undefined || value === 'infinity' || /^\d+(\.\d+)?%$/.test(value)
        ? undefined
        : { message: `'${value}' is not a size such as 512M, 2G, 80% or infinity` };
    case 'percent':
      return /^\d+(\.\d+)?%$/.test(value)
        ? undefined
        : { message: `'${value}' is not a percentage such as 50%` };
    case 'signal':
      return signalProblem(value);
    case 'limit':
      return limitProblem(directive.name, value);
    case 'listen':
      return listenProblem(value);
    case 'path':
      // PIDFile= may be relative: systemd places it below /run.
      return /^[-!]*[/~]/.test(value) || value.startsWith('-') || directive.name === 'PIDFile'
        ? undefined
        : pathProblem(value);
    case 'envfile':
      return /^-?\//.test(value) ? undefined : pathProblem(value.replace(/^-/, ''));
    case 'env': {
      // A word runs to the next unquoted blank: quotes may start mid-word (A="x y" is one assignment).
      const bad = (value.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+|["']/g) ?? [])
        .map((word) => word.replace(/^["']|["']$/g, ''))
        .find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
      return bad === undefined ? undefined : { message: `'${bad}' is not NAME=value` };
    }
    case 'command':
      return commandProblem(value);
    case 'calendar':
      return calendarProblem(value);
    case 'unit':
    case 'units': {
      const bad = value.split(/\s+/).find((name) => name !== '' && !isUnitName(name));
      return bad
        ? { message: `'${bad}' is not a unit name such as network-online.target or app.socket` }
        : undefined;
    }
    case 'string':
      return specifierProblem(directive, value);
    default:
      return undefined;
  }
}

/**
 * Free-text directives whose known values include `prefix:` forms (StandardOutput=file:/path, fd:name) take one of
 * those values or prefixes; anything else is rejected by systemd.
 */
function specifierProblem(directive: DirectiveInfo, value: string): ValueProblem | undefined {
  const values = directive.values ?? [];
  if (!values.some((v) => v.endsWith(':'))) return undefined;
  if (values.includes(value) || directive.deprecatedValues?.some((d) => d.value === value)) return undefined;
  const prefix = values.find((v) => v.endsWith(':') && value.startsWith(v));
  if (prefix) {
    const rest = value.slice(prefix.length);
    return prefix === 'fd:' || rest.startsWith('/')
      ? undefined
      : { message: `${prefix} needs an absolute path, not '${rest}'` };
  }
  const close = closestMatches(
    value,
    values.filter((v) => !v.endsWith(':')),
    1,
  )[0];
  return {
    message: `'${value}' is not one of: ${values.join(', ')}`,
    ...(close ? { replacement: close } : {}),
  };
}

/** The executable of a command line: an absolute path or a bare name systemd looks up in its own PATH. */
function commandProblem(value: string): ValueProblem | undefined {
  const executable = value.replace(/^(?:[-@:+]|!!?)+/, '').split(/\s+/)[0] ?? '';
  if (executable === '' || executable.startsWith('/') || !executable.includes('/')) return undefined;
  return {
    message: `'${executable}' is neither an absolute path nor a plain command name; systemd refuses the unit`,
  };
}

const CALENDAR_WORDS = [
  'minutely',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'yearly',
  'annually',
  'quarterly',
  'semiannually',
  ...['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  ...['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
];

/** Only single-word calendar specs are judged; full expressions are left to `systemd-analyze calendar`. */
function calendarProblem(value: string): ValueProblem | undefined {
  if (!/^[A-Za-z]+$/.test(value) || CALENDAR_WORDS.includes(value.toLowerCase())) return undefined;
  const close = closestMatches(value.toLowerCase(), CALENDAR_WORDS, 1)[0];
  return {
    message: `'${value}' is not a calendar event such as daily, weekly or Mon *-*-* 04:00`,
    ...(close ? { replacement: close } : {}),
  };
}

function pathProblem(value: string): ValueProblem {
  return { message: `'${value}' is not an absolute path; systemd needs paths that start with /` };
}

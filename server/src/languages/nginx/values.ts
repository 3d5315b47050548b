// nginx's argument value parsers (sizes, offsets, times, numbers, on/off, enumerations, bitmasks) as pure functions.

import { closestMatches } from '../../core/editDistance';

/** The value kinds of nginx's generic directive handlers (ngx_conf_set_*_slot). */
export type NginxValueKind = 'flag' | 'msec' | 'sec' | 'size' | 'off' | 'num' | 'enum' | 'bitmask';

/** How a directive's arguments are read: a kind, and for enumerations and bitmasks the words nginx knows. */
export interface NginxValueSpec {
  kind: NginxValueKind;
  values?: readonly string[];
}

/** The outcome of reading one value: accepted (with its number where there is one) or refused with a reason. */
export type ValueResult =
  | { ok: true; value?: number }
  | {
      ok: false;
      /** Why nginx refuses it, in a phrase that completes "nginx will refuse to start: …". */
      reason: string;
      /** The value as the user probably meant it, when that is certain enough to offer as a fix. */
      replacement?: string;
      /** Close words for a typo in an enumeration or bitmask. */
      suggestions?: string[];
    };

const OK: ValueResult = { ok: true };

/** The largest value of nginx's signed 64-bit integers (size_t, off_t and ngx_int_t limits on 64-bit builds). */
const MAX_INT = 2n ** 63n - 1n;

/**
 * nginx's ngx_atoi and friends: one or more ASCII digits, nothing else (no sign, no spaces, no decimal point), and no
 * overflow. Returns undefined for anything it refuses.
 */
export function parseDigits(text: string): bigint | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  // Leading zeros are fine (nginx multiplies them away); beyond 19 significant digits it always overflows.
  const significant = text.replace(/^0+(?=[0-9])/, '');
  if (significant.length > 19) return undefined;
  const value = BigInt(significant);
  return value > MAX_INT ? undefined : value;
}

/** A number for ngx_conf_set_num_slot: digits only. */
export function parseNginxNumber(text: string): ValueResult {
  const value = parseDigits(text);
  if (value !== undefined) return { ok: true, value: Number(value) };
  const trimmed = text.trim();
  const replacement = trimmed !== text && parseDigits(trimmed) !== undefined ? trimmed : undefined;
  return {
    ok: false,
    reason: /^[0-9]+$/.test(text) ? 'the number is too large' : 'a number is written with digits only',
    ...(replacement ? { replacement } : {}),
  };
}

const SIZE_UNITS = { '': 1n, k: 1024n, m: 1024n ** 2n, g: 1024n ** 3n } as const;

/**
 * A size: digits with an optional `k` or `m` suffix in either case (ngx_parse_size); with `allowGiga` (an offset,
 * ngx_parse_offset) also `g`.
 */
function parseBytes(text: string, allowGiga: boolean): bigint | undefined {
  const last = text.slice(-1).toLowerCase();
  const unit = last === 'k' || last === 'm' || (allowGiga && last === 'g') ? last : '';
  const digits = unit ? text.slice(0, -1) : text;
  const value = parseDigits(digits);
  if (value === undefined) return undefined;
  const scale = SIZE_UNITS[unit];
  return value > MAX_INT / scale ? undefined : value * scale;
}

/** What people write for sizes that nginx does not take: `10MB`, `10 M`, `1.5m`, `1G` where only k and m count. */
function sizeRewrite(text: string, allowGiga: boolean): string | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmg])?i?b?\s*$/i.exec(text);
  if (!match) return undefined;
  const [, number, unit] = match as unknown as [string, string, string | undefined];
  const scale = Number(SIZE_UNITS[(unit?.toLowerCase() ?? '') as keyof typeof SIZE_UNITS]);
  const bytes = Number(number) * scale;
  if (!Number.isSafeInteger(bytes)) return undefined;
  const units: [string, number][] = allowGiga
    ? [
        ['g', 1024 ** 3],
        ['m', 1024 ** 2],
        ['k', 1024],
      ]
    : [
        ['m', 1024 ** 2],
        ['k', 1024],
      ];
  for (const [suffix, size] of units) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

function readSize(text: string, allowGiga: boolean): ValueResult {
  const value = parseBytes(text, allowGiga);
  if (value !== undefined) return { ok: true, value: Number(value) };
  const units = allowGiga ? 'k, m or g' : 'k or m';
  const replacement = sizeRewrite(text, allowGiga);
  const gigaHere = !allowGiga && /^[0-9]+[gG]$/.test(text);
  return {
    ok: false,
    reason: gigaHere
      ? 'this size takes only the units k and m, not g'
      : /^[0-9]+[kmgKMG]?$/.test(text)
        ? 'the size is too large'
        : `a size is a whole number of bytes with an optional ${units} suffix`,
    ...(replacement && replacement !== text && parseBytes(replacement, allowGiga) !== undefined
      ? { replacement }
      : {}),
  };
}

/** A size for ngx_conf_set_size_slot: `512`, `8k`, `10M`. */
export function parseNginxSize(text: string): ValueResult {
  return readSize(text, false);
}

/** An offset for ngx_conf_set_off_slot: a size that may also end in `g`. */
export function parseNginxOffset(text: string): ValueResult {
  return readSize(text, true);
}

/** Unit order and size in seconds, largest first, as ngx_parse_time reads them. */
const TIME_UNITS: readonly { unit: string; seconds: number }[] = [
  { unit: 'y', seconds: 365 * 24 * 3600 },
  { unit: 'M', seconds: 30 * 24 * 3600 },
  { unit: 'w', seconds: 7 * 24 * 3600 },
  { unit: 'd', seconds: 24 * 3600 },
  { unit: 'h', seconds: 3600 },
  { unit: 'm', seconds: 60 },
  { unit: 's', seconds: 1 },
  { unit: 'ms', seconds: 0.001 },
];

/**
 * nginx's time reader (ngx_parse_time): numbers each followed by a unit, largest unit first, each unit at most once,
 * spaces allowed after a unit; a trailing number without unit counts as seconds. In milliseconds (`msec`) `y` and `M`
 * are refused; in seconds (`sec`) `ms` is. Returns the time in the kind's own unit, or undefined.
 */
export function parseTimeValue(text: string, kind: 'msec' | 'sec'): bigint | undefined {
  const isSec = kind === 'sec';
  const scaleOf = (seconds: number): bigint => (seconds < 1 ? 1n : BigInt(seconds) * (isSec ? 1n : 1000n));
  // The index in TIME_UNITS of the last unit read; a unit must come after it. In msec mode y and M are never allowed.
  let step = isSec ? -1 : 1;
  let value = 0n;
  let total = 0n;
  let digits = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch >= '0' && ch <= '9') {
      value = value * 10n + BigInt(ch.charCodeAt(0) - 48);
      if (value > MAX_INT) return undefined;
      digits = true;
      i++;
      continue;
    }
    i++;
    let index: number;
    if (ch === 'm' && text[i] === 's') {
      if (isSec) return undefined;
      i++;
      index = 7;
    } else if (ch === ' ') {
      // A space right after digits ends the number as seconds (not allowed once seconds were given); no unit may
      // follow, only a last bare number.
      if (step >= 6) return undefined;
      index = 8;
    } else {
      index = TIME_UNITS.findIndex((u) => u.unit === ch);
      if (index < 0 || index > 6) return undefined;
    }
    if (index <= step) return undefined;
    step = index;
    const scale = index === 8 ? scaleOf(1) : scaleOf(TIME_UNITS[index]!.seconds);
    if (value > MAX_INT / scale) return undefined;
    total += value * scale;
    if (total > MAX_INT) return undefined;
    value = 0n;
    while (text[i] === ' ') i++;
  }
  if (!digits) return undefined;
  const last = value * (isSec ? 1n : 1000n);
  if (last > MAX_INT || total + last > MAX_INT) return undefined;
  return total + last;
}

/** Writes a number of milliseconds with the largest units that fit exactly: 5400000 → `1h30m`, 1500 → `1500ms`. */
function formatTime(ms: number, kind: 'msec' | 'sec'): string | undefined {
  if (!Number.isSafeInteger(ms) || ms < 0) return undefined;
  if (ms % 1000 !== 0) return kind === 'msec' ? `${ms}ms` : undefined;
  let seconds = ms / 1000;
  if (seconds === 0) return '0';
  let out = '';
  for (const { unit, seconds: size } of TIME_UNITS.slice(3, 7)) {
    if (seconds < size) continue;
    out += `${Math.floor(seconds / size)}${unit}`;
    seconds %= size;
  }
  return out;
}

/** What people write for times that nginx does not take: `10 S`, `1.5s`, `30 sec`, `5min`. */
function timeRewrite(text: string, kind: 'msec' | 'sec'): string | undefined {
  const compact = text.replace(/\s+/g, '');
  const words: Record<string, number> = {
    ms: 0.001,
    msec: 0.001,
    s: 1,
    sec: 1,
    secs: 1,
    second: 1,
    seconds: 1,
    m: 60,
    min: 60,
    mins: 60,
    minute: 60,
    minutes: 60,
    h: 3600,
    hr: 3600,
    hour: 3600,
    hours: 3600,
    d: 86400,
    day: 86400,
    days: 86400,
    w: 604800,
    week: 604800,
    weeks: 604800,
  };
  const match = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]*)$/.exec(compact);
  if (!match) {
    // Units in the wrong case or with spaces between parts: `1H 30M` → `1h30m` (M stays months in seconds).
    const lowered =
      kind === 'sec' ? compact.replace(/[A-LN-Z]/g, (c) => c.toLowerCase()) : compact.toLowerCase();
    return parseTimeValue(lowered, kind) !== undefined ? lowered : undefined;
  }
  const [, number, word] = match as unknown as [string, string, string];
  // In seconds, "M" is months: leave it to nginx's own meaning rather than guess.
  const unit = word === 'M' && kind === 'sec' ? undefined : words[word.toLowerCase()];
  if (word !== '' && unit === undefined) return undefined;
  const ms = Math.round(Number(number) * (unit ?? 1) * 1000);
  return formatTime(ms, kind);
}

/** A time for ngx_conf_set_msec_slot (`msec`: `500ms`, `10s`, `1h30m`) or ngx_conf_set_sec_slot (`sec`: `30d`, `1y`). */
export function parseNginxTime(text: string, kind: 'msec' | 'sec'): ValueResult {
  const value = parseTimeValue(text, kind);
  if (value !== undefined) return { ok: true, value: Number(value) };
  const replacement = timeRewrite(text, kind);
  let reason: string;
  if (/^-/.test(text)) reason = 'a time cannot be negative';
  else if (/[0-9]\.[0-9]/.test(text)) reason = 'a time has no fractions; use a smaller unit';
  else if (kind === 'msec' && /[0-9](y|M)/.test(text)) {
    reason = 'this time takes units up to weeks (w), not y or M';
  } else if (kind === 'sec' && /ms/.test(text)) {
    reason = 'this time is counted in whole seconds; ms is not accepted';
  } else if (/[0-9] +[a-zA-Z]/.test(text)) reason = 'a unit must follow its number without a space';
  else {
    reason =
      kind === 'msec'
        ? 'a time is numbers with the units w, d, h, m, s or ms (largest first, e.g. 1h30m or 500ms)'
        : 'a time is numbers with the units y, M, w, d, h, m or s (largest first, e.g. 1h30m or 30d)';
  }
  return {
    ok: false,
    reason,
    ...(replacement && replacement !== text && parseTimeValue(replacement, kind) !== undefined
      ? { replacement }
      : {}),
  };
}

const FLAG_SYNONYMS: Readonly<Record<string, 'on' | 'off'>> = {
  yes: 'on',
  true: 'on',
  '1': 'on',
  enable: 'on',
  enabled: 'on',
  no: 'off',
  false: 'off',
  '0': 'off',
  disable: 'off',
  disabled: 'off',
  none: 'off',
};

/** on or off, in any case (ngx_conf_set_flag_slot compares case-insensitively). */
export function parseNginxFlag(text: string): ValueResult {
  const lower = text.toLowerCase();
  if (lower === 'on' || lower === 'off') return OK;
  const meant = FLAG_SYNONYMS[lower];
  return { ok: false, reason: 'it takes on or off', ...(meant ? { replacement: meant } : {}) };
}

/** One word out of a fixed list, in any case (ngx_conf_set_enum_slot and each word of ngx_conf_set_bitmask_slot). */
export function parseNginxWord(text: string, values: readonly string[]): ValueResult {
  const lower = text.toLowerCase();
  if (values.some((v) => v.toLowerCase() === lower)) return OK;
  const suggestions = closestMatches(lower, [...values], 3);
  const reason = `it takes ${values.length === 1 ? '' : 'one of '}${values.join(', ')}`;
  return suggestions.length === 1
    ? { ok: false, reason, suggestions, replacement: suggestions[0]! }
    : { ok: false, reason, ...(suggestions.length ? { suggestions } : {}) };
}

/** Reads one argument as a generic kind; `flag`, `enum` and `bitmask` need `values` for the latter two. */
export function parseNginxValue(text: string, spec: NginxValueSpec): ValueResult {
  switch (spec.kind) {
    case 'flag':
      return parseNginxFlag(text);
    case 'msec':
    case 'sec':
      return parseNginxTime(text, spec.kind);
    case 'size':
      return parseNginxSize(text);
    case 'off':
      return parseNginxOffset(text);
    case 'num':
      return parseNginxNumber(text);
    case 'enum':
    case 'bitmask':
      return spec.values?.length ? parseNginxWord(text, spec.values) : OK;
  }
}

/**
 * True when the value holds something that is filled in before nginx reads the file or while it runs: an nginx
 * variable (`$host`), or a template placeholder (`${PORT}`, `{{ port }}`, `{% … %}`, `<%= … %>`, `@PORT@`,
 * YunoHost's `__PORT__` and the `__XXXX__` a masked template expression becomes, a tutorial's `<port>`). Such a value
 * is unknown here and never judged.
 */
export function hasPlaceholder(text: string): boolean {
  return /\$|\{\{|\{%|<%|@[A-Za-z_]+@|__[A-Z][A-Z0-9_]*__|<[A-Za-z][\w.-]*>/.test(text);
}

// The http `listen` directive read as nginx reads it: the address (unix path, IPv6, IPv4 or host, port or port range)
// and each parameter, with the nginx versions that added or deprecated one.

import { compareVersions, type Version } from '../../core/version';
import { closestMatches } from '../../core/editDistance';
import type { ArgProblem } from './valueHandlers';
import { hasPlaceholder, parseDigits, parseNginxSize, parseTimeValue } from './values';

/** The longest unix socket path nginx takes: sun_path holds 108 bytes, one of them the terminating zero. */
const MAX_UNIX_PATH = 107;

/** A port as nginx's URL parser reads it for `listen`: digits from 1 to 65535. */
function isPort(text: string): boolean {
  const n = parseDigits(text);
  return n !== undefined && n >= 1n && n <= 65535n;
}

/** A port or a range `8000-8010` (first not above last), or the reason it is not one. */
function portProblem(text: string): string | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) return isPort(text) ? undefined : 'a port is a number from 1 to 65535';
  const first = text.slice(0, dash);
  const last = text.slice(dash + 1);
  if (!isPort(first) || !isPort(last)) return 'a port is a number from 1 to 65535';
  return Number(first) > Number(last) ? 'a port range must go from the lower port to the higher' : undefined;
}

/** A dotted IPv4 address as nginx reads one: four numbers of at most 255. */
export function isNginxIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]+$/.test(p) && Number(p) <= 255);
}

/**
 * An IPv6 address as nginx's own reader takes it (between the brackets of `[…]`): up to eight groups of one to four
 * hex digits, one `::` at most, an optional dotted IPv4 tail in place of the last two groups.
 */
export function isNginxIPv6(text: string): boolean {
  let s = text.startsWith(':') ? text.slice(1) : text;
  if (!s.length && !text.length) return false;
  let groups = 0;
  let compressed = false;
  let digits = 0;
  let groupStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ':') {
      if (digits) {
        groups++;
        if (groups === 8) return false;
        digits = 0;
      } else if (compressed) {
        return false;
      } else {
        compressed = true;
      }
      groupStart = i + 1;
      continue;
    }
    if (c === '.' && digits) {
      // The rest, from the start of this group, is an IPv4 address worth two groups.
      if (groups > 6 || groupStart === 0) return false;
      if (!isNginxIPv4(s.slice(groupStart))) return false;
      groups += 2;
      s = '';
      digits = -1;
      break;
    }
    if (++digits > 4 || !/[0-9a-fA-F]/.test(c)) return false;
  }
  if (digits === -1) return compressed ? groups < 8 : groups === 8;
  if (digits === 0 && !compressed) return false;
  // Like nginx, the last group counts even when empty after "::" (so `1:2:3:4:5:6:7::` is refused).
  groups++;
  return compressed ? groups < 8 : groups === 8;
}

/** The problem with the address part of `listen`, as nginx's URL parser words it in spirit. */
export function listenAddressProblem(address: string): string | undefined {
  if (/^unix:/i.test(address)) {
    const path = address.slice(5);
    if (!path.length) return 'the unix socket has no path after "unix:"';
    // nginx copies bytes: count UTF-8 bytes, not characters.
    const bytes = new TextEncoder().encode(path).length;
    return bytes > MAX_UNIX_PATH ? `the unix socket path is longer than ${MAX_UNIX_PATH} bytes` : undefined;
  }
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return 'the IPv6 address has no closing "]"';
    const rest = address.slice(close + 1);
    if (rest.includes('/')) return 'listen takes an address and port, not a URI';
    if (rest.length && !rest.startsWith(':')) return 'only ":port" may follow the "]" of an IPv6 address';
    if (rest.length) {
      const port = portProblem(rest.slice(1));
      if (port) return port;
    }
    const host = address.slice(1, close);
    if (!host.length) return 'the brackets hold no IPv6 address';
    return isNginxIPv6(host) ? undefined : `"${host}" is not an IPv6 address`;
  }
  const colon = address.indexOf(':');
  const slash = address.search(/[/?]/);
  if (slash >= 0) return 'listen takes an address and port, not a URI';
  if (colon >= 0) {
    const port = portProblem(address.slice(colon + 1));
    if (port) return port;
    if (colon === 0) return 'there is no address before ":"';
    return undefined;
  }
  // A bare number (or number range) is a port; anything else is a host name or address on port 80.
  const dash = address.indexOf('-');
  const looksLikePort = /^[0-9]+$/.test(dash < 0 ? address : address.slice(0, dash));
  if (dash >= 0 && !/^[0-9]+$/.test(address.slice(dash + 1))) return undefined;
  return looksLikePort ? portProblem(address) : undefined;
}

/** Parameters that stand alone (no `=`), with the nginx version that added each when it is newer than 1.18. */
const FLAGS: Readonly<Record<string, string | undefined>> = {
  default_server: undefined,
  default: undefined,
  bind: undefined,
  deferred: undefined,
  reuseport: undefined,
  ssl: undefined,
  http2: undefined,
  quic: '1.25.0',
  proxy_protocol: undefined,
  multipath: '1.29.7',
};

/** Words people write for a parameter that nginx spells otherwise (HTTP/3 is `quic`; SPDY gave way to HTTP/2). */
const MISNOMERS: Readonly<Record<string, string>> = { http3: 'quic', h3: 'quic', spdy: 'http2', h2: 'http2' };

/** Parameters with a value, written `name=value`. */
const KEYED = [
  'backlog',
  'rcvbuf',
  'sndbuf',
  'fastopen',
  'ipv6only',
  'so_keepalive',
  'setfib',
  'accept_filter',
] as const;

/** Parameters nginx refuses together with `quic` (a UDP listener). */
const NOT_WITH_QUIC = [
  'fastopen',
  'backlog',
  'accept_filter',
  'deferred',
  'ssl',
  'http2',
  'so_keepalive',
  'proxy_protocol',
];

/** The version since which `listen … http2` is deprecated in favour of the `http2` directive. */
const HTTP2_DEPRECATED: Version = [1, 25, 1];

const atLeast = (version: Version | undefined, since: string): boolean => {
  if (!version) return true;
  const [a, b, c] = since.split('.').map(Number) as [number, number, number];
  return compareVersions(version, [a, b, c]) >= 0;
};

/** `so_keepalive=on|off|[idle][:[interval][:count]]` as Linux nginx reads it (at least one part not zero). */
function soKeepaliveOk(value: string): boolean {
  if (value === 'on' || value === 'off') return true;
  const [idle = '', interval = '', count = '', ...extra] = value.split(':');
  // Beyond the second colon nginx reads the rest as the count: a third colon makes it no number.
  if (extra.length) return false;
  const times = [idle, interval].map((t) => (t === '' ? 0n : parseTimeValue(t, 'sec')));
  const cnt = count === '' ? 0n : parseDigits(count);
  if (times.some((t) => t === undefined) || cnt === undefined) return false;
  return times.some((t) => t !== 0n) || cnt !== 0n;
}

/** Checks an http `listen`: its address and every parameter, for the given nginx version (undefined: the newest). */
export function checkListen(args: readonly string[], version: Version | undefined): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const address = args[0];
  if (address !== undefined && !hasPlaceholder(address)) {
    const reason = listenAddressProblem(address);
    if (reason) problems.push({ arg: 0, reason });
  }
  const seen = new Set<string>();
  args.forEach((arg, index) => {
    if (index === 0 || hasPlaceholder(arg)) return;
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? '' : arg.slice(eq + 1);
    const part = eq < 0 ? undefined : { from: eq + 1, to: arg.length };
    if (eq < 0 && key in FLAGS) {
      const since = FLAGS[key];
      if (since && !atLeast(version, since)) {
        problems.push({
          arg: index,
          reason: `the "${key}" parameter needs nginx ${since} or newer`,
          remove: true,
        });
        return;
      }
      seen.add(key);
      // Only for a known target: the fix writes `http2 on;`, which nginx before 1.25.1 does not know.
      if (key === 'http2' && version && compareVersions(version, HTTP2_DEPRECATED) >= 0) {
        problems.push({
          arg: index,
          severity: 'warning',
          reason:
            'since nginx 1.25.1 "listen … http2" is deprecated and nginx warns about it at every start; "http2 on;" in the server block replaces it',
          remove: true,
          addDirective: 'http2 on;',
        });
      }
      return;
    }
    const keyed = (KEYED as readonly string[]).includes(key) && eq >= 0;
    if (!keyed) {
      const suggestion =
        MISNOMERS[arg.toLowerCase()] ??
        closestMatches(arg.toLowerCase(), [...Object.keys(FLAGS), ...KEYED.map((k) => `${k}=`)], 1)[0];
      problems.push({
        arg: index,
        reason: 'it is not a listen parameter',
        ...(suggestion ? { suggestions: [suggestion] } : {}),
        ...(suggestion && !suggestion.endsWith('=') ? { replacement: suggestion } : {}),
      });
      return;
    }
    seen.add(key);
    let reason: string | undefined;
    switch (key) {
      case 'backlog': {
        const n = parseDigits(value);
        if (n === undefined || n === 0n) reason = 'backlog= takes a number above zero';
        break;
      }
      case 'fastopen':
        if (parseDigits(value) === undefined) reason = 'fastopen= takes a number';
        break;
      case 'rcvbuf':
      case 'sndbuf':
        if (!parseNginxSize(value).ok) reason = `${key}= takes a size such as 64k or 1m (k or m only)`;
        break;
      case 'ipv6only':
        if (value !== 'on' && value !== 'off') reason = 'ipv6only= takes on or off';
        break;
      case 'so_keepalive':
        if (!soKeepaliveOk(value)) {
          reason = 'so_keepalive= takes on, off or idle:interval:count (times and a count, not all zero)';
        }
        break;
      case 'setfib':
        // FreeBSD only: elsewhere nginx does not know the parameter. The platform is not ours to know: a warning.
        problems.push({
          arg: index,
          severity: 'warning',
          reason: 'setfib= exists only on FreeBSD; nginx on Linux refuses it as an unknown parameter',
        });
        return;
      case 'accept_filter':
        // FreeBSD only; elsewhere nginx logs that it ignores it but starts.
        return;
    }
    if (reason) problems.push({ arg: index, reason, ...(part ? { part } : {}) });
  });
  if (seen.has('quic')) {
    args.forEach((arg, index) => {
      const key = arg.split('=')[0]!;
      if (index > 0 && NOT_WITH_QUIC.includes(key)) {
        problems.push({ arg: index, reason: `"${key}" cannot be combined with "quic" on one listen` });
      }
    });
  }
  return problems;
}

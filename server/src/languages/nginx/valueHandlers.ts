// Directives whose own nginx handler reads their arguments (listen, log_format, limit_req, expires, return, …):
// each checked the way that handler reads it. Pure functions over the argument words.

import { closestMatches } from '../../core/editDistance';
import type { Version } from '../../core/version';
import { checkCachePath } from './cachePathValue';
import { checkListen } from './listenValue';
import { hasPlaceholder, parseDigits, parseNginxSize, parseNginxTime, parseTimeValue } from './values';

/** One argument nginx refuses (or, with `severity: 'warning'`, accepts with a complaint). */
export interface ArgProblem {
  /** Index into the directive's arguments; -1 for the directive as a whole (a parameter it lacks). */
  arg: number;
  /** The refused part inside the argument's value (e.g. the size after `zone=name:`), when not all of it. */
  part?: { from: number; to: number };
  /** Why, in a phrase that completes "nginx will refuse to start: …". */
  reason: string;
  /** The argument as the user probably meant it. */
  replacement?: string;
  /** Close words when the argument looks like a typo. */
  suggestions?: string[];
  /** True when deleting the argument is the fix (a parameter this nginx does not have). */
  remove?: boolean;
  /** A directive that replaces the argument (`http2 on;` for `listen … http2`): the fix moves it there. */
  addDirective?: string;
  /** Set when nginx starts anyway but says something; errors by default. */
  severity?: 'warning';
}

/** A custom check: the directive's argument words and the target nginx version (undefined: the newest). */
export type ValueHandler = (args: readonly string[], version: Version | undefined) => ArgProblem[];

export interface ValueHandlerEntry {
  /** The module whose directive this is; the same name in another module (stream's listen) is read differently. */
  module: string;
  check: ValueHandler;
}

/** `log_format name [escape=default|json|none] format…`: the escaping, compared case-sensitively. */
function checkLogFormat(args: readonly string[]): ArgProblem[] {
  const escape = args[1];
  if (escape === undefined || !escape.startsWith('escape=')) return [];
  const value = escape.slice(7);
  const known = ['default', 'json', 'none'];
  if (known.includes(value)) return [];
  const lower = value.toLowerCase();
  return [
    {
      arg: 1,
      part: { from: 7, to: escape.length },
      reason: 'escape= takes default, json or none',
      ...(known.includes(lower) ? { replacement: `escape=${lower}` } : {}),
    },
  ];
}

/** The smallest shared zone nginx takes: eight memory pages, at least 32k with the smallest (4k) pages. */
const MIN_ZONE_BYTES = 8 * 4096;

/** The problems with a `zone=name:size` of limit_req_zone or limit_conn_zone. */
function zoneProblems(arg: string, index: number): ArgProblem[] {
  const colon = arg.indexOf(':');
  if (colon < 0) return [{ arg: index, reason: 'zone= needs a size after the name, as in zone=name:10m' }];
  const size = parseNginxSize(arg.slice(colon + 1));
  const part = { from: colon + 1, to: arg.length };
  if (!size.ok) {
    return [
      {
        arg: index,
        part,
        reason: 'the zone size is a size such as 10m (k or m only)',
        ...(size.replacement ? { replacement: `${arg.slice(0, colon + 1)}${size.replacement}` } : {}),
      },
    ];
  }
  return (size.value ?? 0) < MIN_ZONE_BYTES
    ? [{ arg: index, part, reason: 'the zone is too small: it needs at least 32k' }]
    : [];
}

/** `limit_req_zone key zone=name:size rate=Nr/s|Nr/m`. */
function checkLimitReqZone(args: readonly string[]): ArgProblem[] {
  const problems: ArgProblem[] = [];
  let zone = false;
  args.forEach((arg, index) => {
    if (index === 0 || hasPlaceholder(arg)) {
      if (index > 0 && arg.startsWith('zone=')) zone = true;
      return;
    }
    if (arg.startsWith('zone=')) {
      zone ||= /^zone=[^:]/.test(arg);
      problems.push(...zoneProblems(arg, index));
      return;
    }
    if (arg.startsWith('rate=')) {
      const rate = /^rate=([^]*?)(r\/s|r\/m)?$/.exec(arg)!;
      const n = parseDigits(rate[1]!);
      if (n === undefined || n === 0n) {
        problems.push({
          arg: index,
          part: { from: 5, to: arg.length },
          reason: 'rate= takes a whole number of requests per second or minute, such as 10r/s or 30r/m',
        });
      }
      return;
    }
    problems.push({ arg: index, reason: 'limit_req_zone takes only zone= and rate= after the key' });
  });
  if (!zone && !problems.length) {
    problems.push({ arg: -1, reason: 'limit_req_zone needs a zone=name:size parameter' });
  }
  return problems;
}

/** `limit_req zone=name [burst=N] [nodelay | delay=N]`. */
function checkLimitReq(args: readonly string[]): ArgProblem[] {
  const problems: ArgProblem[] = [];
  let zone = false;
  args.forEach((arg, index) => {
    if (arg.startsWith('zone=')) {
      zone = true;
      return;
    }
    if (hasPlaceholder(arg) || arg === 'nodelay') return;
    const key = arg.startsWith('burst=') ? 'burst' : arg.startsWith('delay=') ? 'delay' : undefined;
    if (!key) {
      problems.push({ arg: index, reason: 'limit_req takes only zone=, burst=, delay= and nodelay' });
      return;
    }
    const n = parseDigits(arg.slice(key.length + 1));
    if (n === undefined || n === 0n) {
      problems.push({
        arg: index,
        part: { from: key.length + 1, to: arg.length },
        reason: `${key}= takes a whole number above zero`,
      });
    }
  });
  if (!zone) problems.push({ arg: -1, reason: 'limit_req needs a zone= parameter' });
  return problems;
}

/** `limit_conn_zone key zone=name:size`: the same zone reader as limit_req_zone, and no other parameter. */
function checkLimitConnZone(args: readonly string[]): ArgProblem[] {
  const problems: ArgProblem[] = [];
  let zone = false;
  args.forEach((arg, index) => {
    if (index === 0) return;
    if (arg.startsWith('zone=')) {
      zone ||= hasPlaceholder(arg) || /^zone=[^:]/.test(arg);
      if (!hasPlaceholder(arg)) problems.push(...zoneProblems(arg, index));
      return;
    }
    if (!hasPlaceholder(arg)) {
      problems.push({ arg: index, reason: 'limit_conn_zone takes only zone=name:size after the key' });
    }
  });
  if (!zone && !problems.length) {
    problems.push({ arg: -1, reason: 'limit_conn_zone needs a zone=name:size parameter' });
  }
  return problems;
}

/** `limit_conn zone number`: a number of connections from 1 to 65535. */
function checkLimitConn(args: readonly string[]): ArgProblem[] {
  const count = args[1];
  if (count === undefined || hasPlaceholder(count)) return [];
  const n = parseDigits(count);
  return n === undefined || n === 0n || n > 65535n
    ? [{ arg: 1, reason: 'the connection limit is a number from 1 to 65535' }]
    : [];
}

/** `ssl_session_cache off | none | builtin[:size] | shared:name:size …` (words compared case-sensitively). */
function checkSslSessionCache(args: readonly string[]): ArgProblem[] {
  const problems: ArgProblem[] = [];
  args.forEach((arg, index) => {
    if (hasPlaceholder(arg) || ['off', 'none', 'builtin'].includes(arg)) return;
    if (arg.startsWith('builtin:') && arg.length > 8) {
      if (parseDigits(arg.slice(8)) === undefined) {
        problems.push({
          arg: index,
          part: { from: 8, to: arg.length },
          reason: 'builtin: takes a number of sessions',
        });
      }
      return;
    }
    const shared = /^shared:([^:]+):([^]*)$/.exec(arg);
    if (shared) {
      const size = parseNginxSize(shared[2]!);
      const part = { from: arg.length - shared[2]!.length, to: arg.length };
      if (!size.ok) {
        problems.push({
          arg: index,
          part,
          reason: 'the cache size is a size such as 10m (k or m only)',
          ...(size.replacement ? { replacement: `shared:${shared[1]!}:${size.replacement}` } : {}),
        });
      } else if ((size.value ?? 0) < MIN_ZONE_BYTES) {
        problems.push({ arg: index, part, reason: 'the shared cache is too small: it needs at least 32k' });
      }
      return;
    }
    const lower = arg.toLowerCase();
    problems.push({
      arg: index,
      reason: 'it takes off, none, builtin[:number] or shared:name:size',
      ...(['off', 'none', 'builtin'].includes(lower) ? { replacement: lower } : {}),
    });
  });
  return problems;
}

/** `keepalive_timeout timeout [header_timeout]`: a time in milliseconds, then one in whole seconds. */
function checkKeepaliveTimeout(args: readonly string[]): ArgProblem[] {
  const problems: ArgProblem[] = [];
  (['msec', 'sec'] as const).forEach((kind, index) => {
    const arg = args[index];
    if (arg === undefined || hasPlaceholder(arg)) return;
    const result = parseNginxTime(arg, kind);
    if (!result.ok) {
      problems.push({
        arg: index,
        reason: result.reason,
        ...(result.replacement ? { replacement: result.replacement } : {}),
      });
    }
  });
  return problems;
}

/** `expires [modified] time | epoch | max | off`; a time may start with @ (time of day), + or -. */
function checkExpires(args: readonly string[]): ArgProblem[] {
  const modified = args.length === 2;
  if (modified && args[0] !== 'modified') {
    return [{ arg: 0, reason: 'with two arguments the first must be "modified"' }];
  }
  const index = modified ? 1 : 0;
  const value = args[index];
  // A value with variables is evaluated for each request.
  if (value === undefined || hasPlaceholder(value)) return [];
  if (!modified && (value === 'epoch' || value === 'max' || value === 'off')) return [];
  let time = value;
  const daily = time.startsWith('@');
  if (daily && modified) {
    return [{ arg: index, reason: 'a time of day (@) cannot be combined with "modified"' }];
  }
  if (/^[@+-]/.test(time)) time = time.slice(1);
  const seconds = parseTimeValue(time, 'sec');
  if (seconds === undefined) {
    const result = parseNginxTime(time, 'sec');
    const lower = value.toLowerCase();
    const word = !modified && ['epoch', 'max', 'off'].includes(lower) ? lower : undefined;
    const fixed =
      !result.ok && result.replacement
        ? `${value.slice(0, value.length - time.length)}${result.replacement}`
        : undefined;
    return [
      {
        arg: index,
        reason: modified
          ? 'it takes a time such as 30d or 1h'
          : 'it takes a time such as 30d, or epoch, max or off',
        ...(word ? { replacement: word } : fixed ? { replacement: fixed } : {}),
      },
    ];
  }
  if (daily && seconds > 24n * 3600n) {
    return [{ arg: index, reason: 'a time of day (@) must be within 24 hours' }];
  }
  return [];
}

/** `return code [text|URL]` or `return URL`: a code up to 999, or a URL starting http://, https:// or $scheme. */
function checkReturn(args: readonly string[]): ArgProblem[] {
  const first = args[0];
  if (first === undefined) return [];
  const code = parseDigits(first);
  if (code !== undefined) {
    return code > 999n ? [{ arg: 0, reason: 'a return code has at most three digits' }] : [];
  }
  if (args.length === 1 && /^(https?:\/\/|\$scheme)/.test(first)) return [];
  if (hasPlaceholder(first)) return [];
  return [
    {
      arg: 0,
      reason:
        args.length === 1
          ? 'a lone return argument is a code or a URL starting with http://, https:// or $scheme'
          : 'the first argument of return is a status code',
    },
  ];
}

/** `error_page code… [=[response]] uri`: codes from 300 to 599 (not 499), an optional `=` or `=NNN`. */
function checkErrorPage(args: readonly string[]): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const beforeUri = args.length - 2;
  const overwrite = args[beforeUri]?.startsWith('=') ?? false;
  if (overwrite) {
    const arg = args[beforeUri]!;
    if (beforeUri === 0) problems.push({ arg: 0, reason: 'error_page needs a status code before "="' });
    else if (arg.length > 1 && !hasPlaceholder(arg) && parseDigits(arg.slice(1)) === undefined) {
      problems.push({
        arg: beforeUri,
        part: { from: 1, to: arg.length },
        reason: 'after "=" comes a response code',
      });
    }
  }
  const codes = overwrite ? beforeUri : beforeUri + 1;
  for (let index = 0; index < codes; index++) {
    const arg = args[index]!;
    if (hasPlaceholder(arg)) continue;
    const code = parseDigits(arg);
    if (code === undefined || code === 499n) {
      problems.push({
        arg: index,
        reason: 'error_page takes status codes (300 to 599, not 499) before the page',
      });
    } else if (code < 300n || code > 599n) {
      problems.push({ arg: index, reason: 'error_page catches status codes from 300 to 599' });
    }
  }
  return problems;
}

/** `add_header name value [always]` (and add_trailer): the third word can only be `always`. */
function checkAlways(args: readonly string[]): ArgProblem[] {
  const third = args[2];
  if (third === undefined || third === 'always') return [];
  return [
    {
      arg: 2,
      reason: 'the only word allowed after the value is "always"',
      ...(closestMatches(third.toLowerCase(), ['always'], 1).length ? { replacement: 'always' } : {}),
    },
  ];
}

/** The directives with a custom check, by name. */
export const VALUE_HANDLERS: ReadonlyMap<string, ValueHandlerEntry> = new Map([
  ['listen', { module: 'ngx_http_core_module', check: checkListen }],
  ['log_format', { module: 'ngx_http_log_module', check: checkLogFormat }],
  ['limit_req_zone', { module: 'ngx_http_limit_req_module', check: checkLimitReqZone }],
  ['limit_req', { module: 'ngx_http_limit_req_module', check: checkLimitReq }],
  ['limit_conn_zone', { module: 'ngx_http_limit_conn_module', check: checkLimitConnZone }],
  ['limit_conn', { module: 'ngx_http_limit_conn_module', check: checkLimitConn }],
  ['ssl_session_cache', { module: 'ngx_http_ssl_module', check: checkSslSessionCache }],
  ['keepalive_timeout', { module: 'ngx_http_core_module', check: checkKeepaliveTimeout }],
  ['expires', { module: 'ngx_http_headers_module', check: checkExpires }],
  ['return', { module: 'ngx_http_rewrite_module', check: checkReturn }],
  ['error_page', { module: 'ngx_http_core_module', check: checkErrorPage }],
  ['add_header', { module: 'ngx_http_headers_module', check: checkAlways }],
  ['add_trailer', { module: 'ngx_http_headers_module', check: checkAlways }],
  ['proxy_cache_path', { module: 'ngx_http_proxy_module', check: checkCachePath }],
  ['fastcgi_cache_path', { module: 'ngx_http_fastcgi_module', check: checkCachePath }],
  ['uwsgi_cache_path', { module: 'ngx_http_uwsgi_module', check: checkCachePath }],
  ['scgi_cache_path', { module: 'ngx_http_scgi_module', check: checkCachePath }],
]);

// `proxy_cache_path` (and the fastcgi, uwsgi and scgi twins) read as nginx's cache-path reader reads them: the
// path, then `keys_zone=name:size` (required) and the optional levels, times, sizes and counts.

import { compareVersions, type Version } from '../../core/version';
import { closestMatches } from '../../core/editDistance';
import type { ArgProblem } from './valueHandlers';
import { hasPlaceholder, parseDigits, parseNginxOffset, parseNginxSize, parseTimeValue } from './values';

/** The smallest keys zone nginx takes: two memory pages, at least 8k with the smallest (4k) pages. */
const MIN_KEYS_ZONE = 2 * 4096;

/** The release that added `min_free=`. */
const MIN_FREE_SINCE: Version = [1, 19, 1];

type Reader = (value: string) => string | undefined;

const time =
  (kind: 'msec' | 'sec', example: string): Reader =>
  (value) =>
    parseTimeValue(value, kind) === undefined ? `it takes a time such as ${example}` : undefined;

const count: Reader = (value) => (parseDigits(value) === undefined ? 'it takes a whole number' : undefined);

const offset: Reader = (value) =>
  parseNginxOffset(value).ok ? undefined : 'it takes a size such as 500m or 10g';

/** The parameters with a value, each with its reader (the keys zone is read apart). */
const PARAMETERS: Readonly<Record<string, Reader>> = {
  // One to three levels of 1 or 2 characters, separated by colons (`1:2`); empty is accepted too.
  levels: (value) =>
    /^([12](:[12]){0,2})?$/.test(value) ? undefined : 'it takes 1 to 3 levels of 1 or 2, as in 1:2',
  use_temp_path: (value) => (value === 'on' || value === 'off' ? undefined : 'it takes on or off'),
  inactive: time('sec', '60m or 7d'),
  max_size: offset,
  min_free: offset,
  loader_files: count,
  manager_files: count,
  loader_sleep: time('msec', '50ms'),
  loader_threshold: time('msec', '200ms'),
  manager_sleep: time('msec', '50ms'),
  manager_threshold: time('msec', '200ms'),
};

/** Checks `*_cache_path path [levels=…] keys_zone=name:size [inactive=…] [max_size=…] …`. */
export function checkCachePath(args: readonly string[], version: Version | undefined): ArgProblem[] {
  const problems: ArgProblem[] = [];
  let zone = false;
  args.forEach((arg, index) => {
    if (index === 0) return;
    const eq = arg.indexOf('=');
    const key = eq < 0 ? '' : arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const part = { from: eq + 1, to: arg.length };
    if (key === 'keys_zone') {
      zone = true;
      if (hasPlaceholder(arg)) return;
      const colon = value.indexOf(':');
      if (colon < 0) {
        problems.push({
          arg: index,
          reason: 'keys_zone= needs a size after the name, as in keys_zone=cache:10m',
        });
        return;
      }
      const size = parseNginxSize(value.slice(colon + 1));
      const sizePart = { from: eq + 2 + colon, to: arg.length };
      if (!size.ok) {
        problems.push({
          arg: index,
          part: sizePart,
          reason: 'the keys zone size is a size such as 10m (k or m only)',
        });
      } else if ((size.value ?? 0) < MIN_KEYS_ZONE) {
        problems.push({
          arg: index,
          part: sizePart,
          reason: 'the keys zone is too small: it needs at least 8k',
        });
      } else if (colon === 0) {
        problems.push({ arg: index, reason: 'keys_zone= needs a zone name before the size' });
      }
      return;
    }
    if (hasPlaceholder(arg)) return;
    const reader = PARAMETERS[key];
    if (!reader || (key === 'min_free' && version && compareVersions(version, MIN_FREE_SINCE) < 0)) {
      const known = Object.keys(PARAMETERS).map((k) => `${k}=`);
      const near = closestMatches(eq < 0 ? arg : `${key}=`, ['keys_zone=', ...known], 1)[0];
      problems.push({
        arg: index,
        reason:
          key === 'min_free'
            ? 'min_free= needs nginx 1.19.1 or newer'
            : 'it is not a parameter of a cache path',
        ...(near && key !== 'min_free' ? { suggestions: [near] } : {}),
        ...(key === 'min_free' ? { remove: true } : {}),
      });
      return;
    }
    const reason = reader(value);
    if (reason) problems.push({ arg: index, part, reason: `${key}= ${reason.replace(/^it /, '')}` });
  });
  if (!zone && !problems.length) {
    problems.push({ arg: -1, reason: 'a cache path needs a keys_zone=name:size parameter' });
  }
  return problems;
}

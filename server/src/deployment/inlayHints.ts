// Inlay hints as plain data: the effective value next to a setting another file overrides (from a build's effective
// sites), and, on request, Gunicorn's default next to a config assignment.

import type { Version } from '../core/version';
import { gunicornCatalog } from '../languages/gunicorn/catalog';
import type { ConfigModel } from '../languages/gunicorn/model';
import type { EffectiveSetting, EffectiveSites } from './model';
import { fileName, originLabel } from './rules/shared';
import { configValue, defaultValue } from './settingValues';

/** One hint: where it goes (an offset of the text), what it says, and a longer explanation. */
export interface InlayHintData {
  offset: number;
  label: string;
  tooltip?: string;
}

/** Values longer than this are cut in a label (the tooltip has them whole). */
const MAX_VALUE_CHARS = 40;

const shorten = (value: string): string =>
  value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS - 1)}\u2026` : value;

/** "shop.service:9", or how the value was set when it is written nowhere. */
function placeOf(effective: EffectiveSetting): string {
  const where = effective.where;
  if (!where) return originLabel(effective.origin);
  let uri = where.uri;
  try {
    uri = decodeURIComponent(uri);
  } catch {
    // a malformed escape: show the URI as it is
  }
  return `${fileName(uri)}:${where.range.start.line + 1}`;
}

/**
 * `→ 4 from shop.service:9` at the end of each place in this file whose value does not count because another place
 * (another file, or a later line) sets the effective value. `lineAt` maps an offset of the built text to its line.
 * `describe` gives the tooltip (the hover's effective-value paragraph).
 */
export function overrideHints(
  sites: EffectiveSites,
  uri: string,
  lineAt: (offset: number) => number,
  describe?: (effective: EffectiveSetting, line: number) => string | undefined,
): InlayHintData[] {
  const hints: InlayHintData[] = [];
  const { spans, settings } = sites;
  for (let i = 0; i < spans.length; i += 3) {
    const effective = settings[spans[i + 2]!];
    if (!effective) continue;
    const from = spans[i]!;
    const to = spans[i + 1]!;
    const line = lineAt(from);
    const where = effective.where;
    // The place that decides the value needs no hint, nor does a default (a written place always overrides it).
    if (!where || (where.uri === uri && where.range.start.line === line)) continue;
    if (effective.origin === 'default') continue;
    const label = effective.known
      ? `\u2192 ${shorten(effective.value)} from ${placeOf(effective)}`
      : `\u2192 overridden by ${placeOf(effective)}`;
    const tooltip = describe?.(effective, line);
    hints.push({ offset: to, label, ...(tooltip ? { tooltip } : {}) });
  }
  return hints;
}

/**
 * Gunicorn's default after each assignment of a setting in a config (the option `gunicornConfig.inlayHints.defaults`):
 * `default: 30` where the written value differs, `(default)` where it is the default already. Only values known
 * statically are compared; defaults that the environment feeds (PORT, WEB_CONCURRENCY) show Gunicorn's own.
 */
export function defaultHints(model: ConfigModel, version: Version): InlayHintData[] {
  const hints: InlayHintData[] = [];
  const catalog = gunicornCatalog();
  const noEnv = new Map();
  for (const binding of model.bindings) {
    if (binding.kind !== 'assign') continue;
    const info = catalog.get(binding.name);
    if (!info || info.kind === 'hook' || catalog.availability(info, version) !== 'available') continue;
    const fallback = defaultValue(binding.name, version, noEnv)?.value;
    if (!fallback?.known) continue;
    const written = configValue(binding.name, binding.value, model.text);
    if (!written.known) continue;
    const same = written.text === fallback.text;
    hints.push({
      offset: binding.value.span.to,
      label: same ? '(default)' : `default: ${shorten(fallback.text === '' ? "''" : fallback.text)}`,
      tooltip: same
        ? `Gunicorn's default for ${binding.name} is ${fallback.text || "''"} already: this line changes nothing.`
        : `Gunicorn's default for ${binding.name} is ${fallback.text || "''"}.`,
    });
  }
  return hints;
}

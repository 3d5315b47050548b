// Which nginx release a catalogue entry belongs to: availability of an entry at a version, and a name's history.

import { compareVersions, parseVersion, type Version } from '../../core/version';
import type { NginxDirectiveInfo } from './catalogTypes';

/** True when the entry's facts hold at `version` (`since` inclusive, `until` exclusive). */
export function availableAt(entry: Pick<NginxDirectiveInfo, 'since' | 'until'>, version: Version): boolean {
  const since = parseVersion(entry.since);
  const until = parseVersion(entry.until);
  return (!since || compareVersions(version, since) >= 0) && (!until || compareVersions(version, until) < 0);
}

/** When a directive name exists at all: the first release with it and the first without it again, if any. */
export interface NginxNameHistory {
  /** undefined when the oldest release we read already had it */
  since?: string;
  /** undefined when the newest release still has it */
  until?: string;
}

/**
 * The history of a name over its entries (all modules). Gaps between ranges are ignored: a name nginx dropped and later
 * brought back reads as one span, which only matters for wording.
 */
export function nameHistory(entries: readonly NginxDirectiveInfo[]): NginxNameHistory | undefined {
  if (!entries.length) return undefined;
  const earliest = entries.some((e) => !e.since)
    ? undefined
    : entries.map((e) => e.since!).reduce((a, b) => (byVersion(a, b) <= 0 ? a : b));
  const latest = entries.some((e) => !e.until)
    ? undefined
    : entries.map((e) => e.until!).reduce((a, b) => (byVersion(a, b) >= 0 ? a : b));
  return { ...(earliest ? { since: earliest } : {}), ...(latest ? { until: latest } : {}) };
}

function byVersion(a: string, b: string): number {
  return compareVersions(parseVersion(a) ?? [0, 0, 0], parseVersion(b) ?? [0, 0, 0]);
}

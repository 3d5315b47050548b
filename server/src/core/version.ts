// Gunicorn version numbers: parsing and comparison ("19.9", "20.1.0", "<=0.10.0" style catalogue values).

/** A version as [major, minor, patch]. */
export type Version = readonly [number, number, number];

/** Parses "20", "20.1", "20.1.0", "v20.1.0", "20.1.0rc1"; returns undefined for anything else. */
export function parseVersion(text: string | null | undefined): Version | undefined {
  if (!text) return undefined;
  const match = /^\s*(?:<=\s*)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatVersion(v: Version): string {
  return `${v[0]}.${v[1]}.${v[2]}`;
}

/** True when `v` is at least `since` (a catalogue string); unknown `since` counts as always. */
export function isAtLeast(v: Version, since: string | null | undefined): boolean {
  const s = parseVersion(since);
  return s === undefined || compareVersions(v, s) >= 0;
}

// The nginx version configs are judged against: the nginxVersion setting, else the workspace's nginx image, else the
// newest release in the catalogue (then only assumed, so version verdicts are warnings).

import { compareVersions, formatVersion, parseVersion, type Version } from '../../core/version';

export interface NginxTarget {
  version: Version;
  /** where the version came from, for messages and hovers: "1.24.0 (found in docker/Dockerfile:1)" */
  label: string;
  /** true when neither the setting nor the workspace named a version: the newest release is only a guess */
  assumed: boolean;
}

/**
 * An nginx version the workspace names (see commands/nginxImage.ts): "1.27", "1.27.3", "latest" (the newest release)
 * or "stable" (the newest release of an even minor version, nginx's stable line), and where.
 */
export interface NginxVersionFound {
  version: string;
  /** e.g. "docker/Dockerfile:1" */
  source: string;
}

/**
 * Explicit setting > the workspace's nginx images > the newest release. `versions` are the releases the catalogue
 * knows, oldest first; a version outside them is judged with the facts of the nearest release read (directives older
 * than 1.18.0 carry their documented first release). Several images with different versions are judged by the newest
 * of them, as an assumption (the file may serve any of them).
 */
export function resolveNginxTarget(
  setting: string,
  found: readonly NginxVersionFound[],
  versions: readonly string[],
): NginxTarget {
  const known = versions.map((v) => parseVersion(v)).filter((v): v is Version => v !== undefined);
  const newest: Version = known[known.length - 1] ?? [1, 0, 0];
  const stable: Version = [...known].reverse().find((k) => k[1] % 2 === 0) ?? newest;
  const moving = (version: string): Version | undefined =>
    version === 'latest' ? newest : version === 'stable' ? stable : undefined;
  const explicit =
    setting.trim() !== 'auto' ? parseVersion(completeVersion(setting.trim(), versions)) : undefined;
  if (explicit) {
    return {
      version: explicit,
      label: `${formatVersion(explicit)} (from the nginxVersion setting)`,
      assumed: false,
    };
  }
  const resolved = found
    .map((f) => ({
      ...f,
      parsed: moving(f.version) ?? parseVersion(completeVersion(f.version, versions)),
    }))
    .filter((f): f is NginxVersionFound & { parsed: Version } => f.parsed !== undefined);
  if (resolved.length) {
    const distinct = [...new Set(resolved.map((f) => formatVersion(f.parsed)))];
    const pick = resolved.reduce((a, b) => (compareVersions(b.parsed, a.parsed) > 0 ? b : a));
    const from = moving(pick.version)
      ? `the newest ${pick.version === 'stable' ? 'stable ' : ''}release: ${pick.source} uses a moving tag`
      : `found in ${pick.source}`;
    if (distinct.length === 1) {
      return { version: pick.parsed, label: `${formatVersion(pick.parsed)} (${from})`, assumed: false };
    }
    const others = resolved.filter((f) => f !== pick).map((f) => `${formatVersion(f.parsed)} in ${f.source}`);
    return {
      version: pick.parsed,
      label: `${formatVersion(pick.parsed)} (${from}; the workspace also has ${others.join(', ')})`,
      assumed: true,
    };
  }
  return {
    version: newest,
    label: `${formatVersion(newest)} (the newest release; no nginx version found in the workspace or settings)`,
    assumed: true,
  };
}

/** A partial version from an image tag (`1.27`) reads as the newest release of that line we know (`1.27.5`). */
export function completeVersion(version: string, versions: readonly string[]): string {
  if (/^\d+\.\d+\.\d+$/.test(version)) return version;
  const line = versions.filter((v) => v.startsWith(`${version}.`));
  return line[line.length - 1] ?? version;
}

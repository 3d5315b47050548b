// User settings shared by the server and the CLI, and how they resolve to a target Gunicorn version.

import type { SeverityOverride } from './findings';
import { formatVersion, parseVersion, type Version } from './version';

export interface UserSettings {
  /** "auto" or a version such as "20.1" or "23.0.0". */
  gunicornVersion: string;
  severity: Record<string, SeverityOverride>;
  /** More glob patterns of Python files that are Gunicorn configs (`gunicornConfig.files`). */
  files: string[];
  /** "auto" (the workspace's nginx image, else the newest release) or a version such as "1.24" or "1.26.2". */
  nginxVersion: string;
}

export const DEFAULT_SETTINGS: UserSettings = {
  gunicornVersion: 'auto',
  severity: {},
  files: [],
  nginxVersion: 'auto',
};

export interface ResolvedVersion {
  version: Version;
  label: string;
}

/** Explicit setting > workspace pin > newest known release. */
export function resolveTargetVersion(
  setting: string,
  pin: { version: string; source: string } | undefined,
  latest: Version,
): ResolvedVersion {
  const explicit = setting !== 'auto' ? parseVersion(setting) : undefined;
  if (explicit) {
    return { version: explicit, label: `${formatVersion(explicit)} (from the gunicornVersion setting)` };
  }
  const pinned = pin ? parseVersion(pin.version) : undefined;
  if (pin && pinned) return { version: pinned, label: `${formatVersion(pinned)} (pinned in ${pin.source})` };
  return {
    version: latest,
    label: `${formatVersion(latest)} (the newest release; no pin found in the workspace)`,
  };
}

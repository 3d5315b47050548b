// User settings shared by the server and the CLI, and how they resolve to a target Gunicorn version.

import type { SeverityOverride } from './findings';
import { formatVersion, parseVersion, type Version } from './version';

export interface UserSettings {
  /** "auto" or a version such as "20.1" or "23.0.0". */
  gunicornVersion: string;
  severity: Record<string, SeverityOverride>;
  /** More glob patterns of Python files that are Gunicorn configs (`gunicornConfig.files`). */
  files: string[];
  /** "auto" (the newest systemd release catalogued) or a release such as "252": what unit files are judged against. */
  systemdVersion: string;
  /** "auto" (the workspace's nginx image, else the newest release) or a version such as "1.24" or "1.26.2". */
  nginxVersion: string;
}

export const DEFAULT_SETTINGS: UserSettings = {
  gunicornVersion: 'auto',
  severity: {},
  files: [],
  systemdVersion: 'auto',
  nginxVersion: 'auto',
};

export interface ResolvedVersion {
  version: Version;
  label: string;
  /** True when neither the setting nor a workspace pin gave the version: verdicts that hinge on it are warnings. */
  assumed: boolean;
}

/**
 * Explicit setting > workspace pin > newest known release. `settingName` is how the label names where an explicit
 * version came from (the CLI's is a flag).
 */
export function resolveTargetVersion(
  setting: string,
  pin: { version: string; source: string } | undefined,
  latest: Version,
  settingName = 'the gunicornVersion setting',
): ResolvedVersion {
  const explicit = setting !== 'auto' ? parseVersion(setting) : undefined;
  if (explicit) {
    return {
      version: explicit,
      label: `${formatVersion(explicit)} (from ${settingName})`,
      assumed: false,
    };
  }
  const pinned = pin ? parseVersion(pin.version) : undefined;
  if (pin && pinned) {
    return { version: pinned, label: `${formatVersion(pinned)} (pinned in ${pin.source})`, assumed: false };
  }
  return {
    version: latest,
    label: `${formatVersion(latest)} (the newest release; your project pins no version)`,
    assumed: true,
  };
}

// The systemd version unit files are judged against: the `systemdVersion` setting, else the newest catalogued release.

import { systemdCatalog } from './catalog';

export interface SystemdTarget {
  /** A systemd release number, e.g. 252. */
  version: number;
  /** What hovers and messages say about where the version came from. */
  label: string;
  /** True when no setting chose it: verdicts that depend on it are softened to warnings. */
  assumed: boolean;
}

/** The releases the catalogue knows: additions from the oldest on, removals from the oldest sampled source on. */
export function systemdVersionRange(): { oldest: number; newest: number } {
  const { oldest, newest } = systemdCatalog().data.versions;
  return { oldest, newest };
}

/**
 * Reads the setting: "auto" (or empty, or anything that is not a release number) means the newest catalogued release,
 * assumed. A number such as "252", "v257" or "257.13" is taken as set, even outside the catalogued range (the label
 * then says what the catalogue covers).
 */
export function resolveSystemdVersion(setting: string | undefined): SystemdTarget {
  const { oldest, newest } = systemdVersionRange();
  const match = /^\s*v?(\d{1,4})(?:\.\d+)*\s*$/.exec(setting ?? '');
  const number = match ? Number(match[1]) : undefined;
  if (number !== undefined && number > 0) {
    const outside = number < oldest || number > newest ? `; the catalogue covers ${oldest} to ${newest}` : '';
    return {
      version: number,
      label: `systemd ${number} (from the systemdVersion setting${outside})`,
      assumed: false,
    };
  }
  return {
    version: newest,
    label: `systemd ${newest} (assumed: the newest release we know; set the systemdVersion setting to yours)`,
    assumed: true,
  };
}

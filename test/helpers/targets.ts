// The seam between a judge set and our analysis: the versions a user would set (gunicornVersion, nginxVersion,
// systemdVersion in UserSettings) to target that judge's release, in the form the analysis options take them.

import type { UserSettings } from '../../server/src/core/settings';
import type { JudgeSet } from './judges';

/**
 * The settings named `K`, typed only once UserSettings has them: before `nginxVersion` / `systemdVersion` exist the
 * type is empty (so spreading it into analysis options compiles), afterwards it is checked against the options.
 * The value always carries the version, so the analysis follows the judge as soon as it reads the option.
 */
type SettingsNamed<K extends string> = Pick<UserSettings, Extract<keyof UserSettings, K>>;

/** Spread into NginxAnalysisOptions: the nginx release to check against ("1.26.3"). */
export function nginxTarget(set: JudgeSet): SettingsNamed<'nginxVersion'> {
  return { nginxVersion: set.nginx.version } as SettingsNamed<'nginxVersion'>;
}

/** Spread into UnitAnalysisOptions: the systemd release to check against ("257"). */
export function systemdTarget(set: JudgeSet): SettingsNamed<'systemdVersion'> {
  return { systemdVersion: set.systemd.version } as SettingsNamed<'systemdVersion'>;
}

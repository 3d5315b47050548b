// The seam between a judge set and our analysis: the nginx and systemd versions to check against, as the
// nginxVersion / systemdVersion settings resolve to the analysis options (`nginxTarget`, `systemd`) once the version
// branches (h/nginx-catalog, h/systemd-versions) are merged. Before that the options do not exist and the analysis
// ignores these fields; afterwards the compiler checks them against NginxTarget and SystemdTarget.

import { parseVersion } from '../../server/src/core/version';
import type { JudgeSet } from './judges';

/** Spread into NginxAnalysisOptions: check against the judge's nginx, as if set by the nginxVersion setting. */
export function nginxTarget(set: JudgeSet) {
  return {
    nginxTarget: {
      version: parseVersion(set.nginx.version)!,
      label: `${set.nginx.version} (the nginx of ${set.debian}, the oracle judge)`,
      assumed: false,
    },
  };
}

/** Spread into UnitAnalysisOptions: check against the judge's systemd, as if set by the systemdVersion setting. */
export function systemdTarget(set: JudgeSet) {
  return {
    systemd: {
      version: Number(set.systemd.version),
      label: `systemd ${set.systemd.version} (the systemd of ${set.debian}, the oracle judge)`,
      assumed: false,
    },
  };
}

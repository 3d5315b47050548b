// The seam between a judge set and our analysis: the versions of the judge's programs, handed to the analysis the way
// a user hands them over (the gunicornVersion, nginxVersion and systemdVersion settings), through the resolvers the
// LSP layer and the CLI call. The judge sets (judges.ts) are the one place that knows a judge's version.

import { resolveTargetVersion } from '../../server/src/core/settings';
import type { Version } from '../../server/src/core/version';
import { latestGunicornVersion } from '../../server/src/languages/gunicorn/catalog';
import { nginxCatalogVersions } from '../../server/src/languages/nginx/catalog';
import { resolveNginxTarget, type NginxTarget } from '../../server/src/languages/nginx/target';
import { resolveSystemdVersion, type SystemdTarget } from '../../server/src/languages/systemd/version';
import type { JudgeSet } from './judges';

/** Spread into NginxAnalysisOptions: check against the judge's nginx, as the nginxVersion setting would. */
export function nginxTarget(set: JudgeSet): { nginxTarget: NginxTarget } {
  return { nginxTarget: resolveNginxTarget(set.nginx.version, [], nginxCatalogVersions()) };
}

/** Spread into UnitAnalysisOptions: check against the judge's systemd, as the systemdVersion setting would. */
export function systemdTarget(set: JudgeSet): { systemd: SystemdTarget } {
  return { systemd: resolveSystemdVersion(set.systemd.version) };
}

/**
 * Spread into the analysis options of every language (gunicornVersion, versionLabel, versionAssumed): the judge's
 * Gunicorn, as the gunicornVersion setting would give it.
 */
export function gunicornTarget(set: JudgeSet): {
  gunicornVersion: Version;
  versionLabel: string;
  versionAssumed: boolean;
} {
  const resolved = resolveTargetVersion(set.gunicorn.version, undefined, latestGunicornVersion());
  return {
    gunicornVersion: resolved.version,
    versionLabel: resolved.label,
    versionAssumed: resolved.assumed,
  };
}

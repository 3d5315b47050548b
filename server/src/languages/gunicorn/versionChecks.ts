// What every language's rule run is told about the Gunicorn version: the target, and the releases to compare its
// verdicts with when the target was only assumed (none for documents too long to check once per release).

import { RECHECK_MAX_CHARS, type TargetVersion } from '../../core/assumedVersion';
import type { Version } from '../../core/version';
import { releasedVersions } from './catalog';

export function versionChecks(
  version: Version,
  label: string,
  assumed: boolean | undefined,
  textLength: number,
): { target: TargetVersion; releases: readonly Version[] } {
  return {
    target: { version, label, assumed: assumed ?? false },
    releases: textLength <= RECHECK_MAX_CHARS ? releasedVersions() : [],
  };
}

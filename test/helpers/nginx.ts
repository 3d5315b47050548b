// nginx as a test oracle, for suites that judge with Debian 12's nginx only; suites that judge with both releases use
// the judge sets of judges.ts.

import { BOOKWORM, requireJudge } from './judges';

export const NGINX = '/usr/sbin/nginx';

export function nginxAvailable(): boolean {
  return BOOKWORM.missing('nginx') === undefined;
}

/**
 * Skips the test or suite when nginx is not installed; on CI, where `.ci/run` installs it, a missing nginx fails
 * instead, so the oracle cannot pass by not running.
 */
export function requireNginx(context: Mocha.Context): void {
  requireJudge(context, BOOKWORM, 'nginx');
}

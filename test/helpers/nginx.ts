// nginx as a test oracle: where Debian installs it, and a guard for suites that need it.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const NGINX = '/usr/sbin/nginx';

export function nginxAvailable(): boolean {
  return existsSync(NGINX) && spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).status === 0;
}

/**
 * Skips the test or suite when nginx is not installed; on CI, where `.ci/run` installs it, a missing nginx fails
 * instead, so the oracle cannot pass by not running.
 */
export function requireNginx(context: Mocha.Context): void {
  if (nginxAvailable()) return;
  if (process.env.CI) {
    throw new Error(
      `${NGINX} is missing; install the Debian packages 'nginx-light' and 'libnginx-mod-stream'`,
    );
  }
  context.skip();
}

// The systemd release the systemd oracles judge at: the installed one (`systemctl --version`), or the release named
// by SYSTEMD_ORACLE_VERSION when the judge runs elsewhere (e.g. a Debian 13 chroot with systemd 257): then put its
// systemd-analyze first in PATH, and name its systemd binary in SYSTEMD_ORACLE_BINARY for the configuration dump.

import { spawnSync } from 'node:child_process';

/** The release number, or undefined when neither the variable nor an installed systemd tells it. */
export function oracleSystemdVersion(): number | undefined {
  const fromEnv = process.env.SYSTEMD_ORACLE_VERSION;
  if (fromEnv && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  const out = spawnSync('systemctl', ['--version'], { encoding: 'utf8' });
  const m = out.status === 0 ? /^systemd (\d+)/.exec(out.stdout) : null;
  return m ? Number(m[1]) : undefined;
}

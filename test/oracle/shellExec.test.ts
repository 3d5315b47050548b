// Oracle: the real shells of this Debian host decide whether a shell stays between the container runtime and the
// command it runs (`/bin/sh -c SCRIPT`, which is dash here as in the Debian-based python images). In each script the
// Gunicorn command is replaced by `cat /proc/self/stat`, whose parent pid says whether the shell replaced itself by
// it (parent = this process) or stayed (parent = the shell). container-shell-signals must report exactly the scripts
// where dash stays, and never a case where the shell goes away.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { buildDeploymentModel } from '../../server/src/deployment/model';

const GUNICORN = 'gunicorn -b 0.0.0.0:8000 app:app';
const PROBE = 'cat /proc/self/stat';

/** True when `shell -c script` stays as the probe's parent. */
function shellStays(shell: string, script: string): boolean {
  const result = spawnSync(shell, ['-c', script.replace(GUNICORN, PROBE)], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const stat = result.stdout.trim().split('\n').pop()!;
  // Fields after the command name in parentheses: state, ppid, …
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return ppid !== process.pid;
}

function reported(dockerfile: string): boolean {
  const model = buildDeploymentModel(
    [{ uri: 'file:///w/Dockerfile', path: '/w/Dockerfile', kind: 'dockerfile', text: dockerfile }],
    { version: [23, 0, 0], versionLabel: '23.0.0' },
  );
  return [...model.findings.values()].flat().some((finding) => finding.rule === 'container-shell-signals');
}

const SCRIPTS = [
  GUNICORN,
  `exec ${GUNICORN}`,
  `cd /tmp && ${GUNICORN}`,
  `cd /tmp && exec ${GUNICORN}`,
  `export A=1; ${GUNICORN}`,
  `true; exec ${GUNICORN}`,
];

describe('oracle: does the shell stay between Docker and Gunicorn (dash and bash of this host)', () => {
  before(function () {
    if (!existsSync('/bin/sh') || !realpathSync('/bin/sh').endsWith('dash')) this.skip();
  });

  for (const script of SCRIPTS) {
    it(`/bin/sh -c '${script}': our verdict on a python image matches dash`, () => {
      const stays = shellStays('/bin/sh', script);
      assert.equal(reported(`FROM python:3.12-slim\nCMD ${script}\n`), stays, `dash stays: ${stays}`);
      assert.equal(reported(`FROM python:3.12-slim\nCMD ["sh", "-c", "${script}"]\n`), stays);
    });

    it(`bash -c '${script}': never reported where bash replaces itself`, () => {
      const stays = shellStays('/bin/bash', script);
      const verdict = reported(`FROM python:3.12-slim\nCMD ["bash", "-c", "${script}"]\n`);
      assert.ok(!verdict || stays, 'reported although bash goes away');
    });
  }
});

// Oracle: the real tools judge the files `gunicorn-config init` writes, those of Debian 12 and of Debian 13. nginx
// (1.22, 1.26) must pass the site with `nginx -t` (inside events {} and http {}, under a temporary prefix); systemd's
// `systemd-analyze verify` (252, 257) must accept the service and socket without a single complaint. Each judge is first shown a broken copy, to prove it
// really reads the files.

import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  newDeployment,
  type DeploymentAnswers,
  type GeneratedFile,
} from '../../server/src/deployment/template';
import { JUDGE_SETS, requireJudge } from '../helpers/judges';
import { nginxSiteTest } from '../helpers/nginxSite';

const VARIANTS: { label: string; answers: Partial<DeploymentAnswers> }[] = [
  { label: 'defaults on 26.1', answers: {} },
  { label: 'gthread on Debian’s 20.1', answers: { workerClass: 'gthread', gunicornVersion: '20.1.0' } },
  {
    label: 'uvicorn-worker on loopback TCP',
    answers: { workerClass: 'uvicorn_worker.UvicornWorker', socket: '127.0.0.1:8001' },
  },
  {
    label: 'socket outside /run, several server names',
    answers: { socket: '/srv/shop/run/gunicorn.sock', serverName: 'shop.example.com www.shop.example.com' },
  },
  { label: 'Gunicorn 19.9 (Type=exec)', answers: { gunicornVersion: '19.9.0', user: 'shop' } },
];

function generate(partial: Partial<DeploymentAnswers>, venv?: string): GeneratedFile[] {
  return newDeployment({
    name: 'shop',
    app: 'shop.wsgi:application',
    projectDir: '/srv/shop',
    gunicornVersion: '26.1.0',
    ...(venv ? { venv } : {}),
    ...partial,
  });
}

function fileOf(files: GeneratedFile[], suffix: string): string {
  const found = files.find((f) => f.path.endsWith(suffix));
  if (!found) throw new Error(`no ${suffix}`);
  return found.text;
}

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx -t ${set.nginx.version} accepts the generated site`, function () {
    this.timeout(30_000);
    let dir = '';

    before(function () {
      requireJudge(this, set, 'nginx');
      dir = mkdtempSync(join(tmpdir(), 'template-nginx-'));
      mkdirSync(join(dir, 'temp'));
      mkdirSync(join(dir, 'logs'));
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const nginxTest = (site: string) => nginxSiteTest(set, dir, site);

    it('the judge rejects a broken copy', () => {
      const site = fileOf(generate({}), '.conf').replace('proxy_read_timeout', 'proxy_read_timout');
      const verdict = nginxTest(site);
      assert.equal(verdict.ok, false);
      assert.match(verdict.output, /unknown directive "proxy_read_timout"/);
    });

    for (const variant of VARIANTS) {
      it(`accepts: ${variant.label}`, () => {
        const verdict = nginxTest(fileOf(generate(variant.answers), `nginx/shop.conf`));
        assert.ok(verdict.ok, verdict.output);
        assert.ok(!/\[(warn|emerg|alert|crit)\]/.test(verdict.output), verdict.output);
      });
    }
  });

  describe(`oracle: ${set.debian}'s systemd-analyze verify ${set.systemd.version} accepts the generated units`, function () {
    this.timeout(60_000);
    let dir = '';

    before(function () {
      requireJudge(this, set, 'systemd');
      dir = mkdtempSync(join(tmpdir(), 'template-systemd-'));
      // systemd checks that ExecStart='s program exists and is executable: give it a stand-in Gunicorn.
      mkdirSync(join(dir, 'venv', 'bin'), { recursive: true });
      const gunicorn = join(dir, 'venv', 'bin', 'gunicorn');
      writeFileSync(gunicorn, '#!/bin/sh\nexit 0\n');
      chmodSync(gunicorn, 0o755);
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Writes the service and socket into a fresh folder and returns what systemd says about them. */
    function verify(files: GeneratedFile[]): { status: number | null; complaints: string[] } {
      const unitDir = mkdtempSync(join(dir, 'units-'));
      const paths: string[] = [];
      for (const file of files.filter((f) => /\.(service|socket)$/.test(f.path))) {
        const path = join(unitDir, file.path.split('/').pop()!);
        writeFileSync(path, file.text);
        paths.push(path);
      }
      const r = set.systemd.verify(['--man=no', '--generators=no', ...paths]);
      const complaints = `${r.stdout}\n${r.stderr}`
        .split('\n')
        .filter((line) => line.trim() !== '')
        .filter(
          (line) =>
            line.includes(unitDir) ||
            /^shop\.(service|socket)\b/.test(line) ||
            /\bshop\.(service|socket)\b/.test(line),
        );
      return { status: r.status, complaints };
    }

    it('the judge rejects a broken copy', () => {
      const files = generate({}, join(dir, 'venv')).map((f) => ({
        ...f,
        text: f.text.replace('KillMode=mixed', 'KillMode=mixd').replace('ListenStream=', 'ListenStreem='),
      }));
      const verdict = verify(files);
      assert.notEqual(verdict.status, 0);
      assert.ok(
        verdict.complaints.some((c) => /mixd/.test(c)),
        verdict.complaints.join('\n'),
      );
      assert.ok(
        verdict.complaints.some((c) => /ListenStreem/.test(c)),
        verdict.complaints.join('\n'),
      );
    });

    for (const variant of VARIANTS) {
      it(`accepts: ${variant.label}`, () => {
        const verdict = verify(generate(variant.answers, join(dir, 'venv')));
        assert.deepEqual(verdict.complaints, []);
        assert.equal(verdict.status, 0);
      });
    }
  });
}

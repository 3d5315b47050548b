// The CLI on whole deployment folders: per-file findings and cross-file findings together, with related locations.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { deploymentRules } from '../../server/src/deployment/rules/index';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'out', 'server', 'src', 'cli.js');
const CROSS_FILE = new Set(deploymentRules.map((rule) => rule.meta.id));

interface Row {
  file: string;
  line: number;
  rule: string;
  severity: string;
  message: string;
}

function check(folder: string): { status: number | null; rows: Row[] } {
  const result = spawnSync(process.execPath, [CLI, 'check', folder, '--format', 'json'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return { status: result.status, rows: JSON.parse(result.stdout) as Row[] };
}

describe('gunicorn-config check DIR: the deployment as a whole', () => {
  it('reports the cross-file mistakes of a broken socket-activated deployment in the files to fix', () => {
    const { status, rows } = check('test/fixtures/deployments/broken-socket');
    assert.equal(status, 0, 'warnings only');
    const crossFile = rows.filter((r) => CROSS_FILE.has(r.rule)).map((r) => `${r.file}:${r.line} ${r.rule}`);
    const dir = 'test/fixtures/deployments/broken-socket';
    assert.deepEqual(crossFile.sort(), [
      `${dir}/deploy/nginx/sites/shop.conf:14 proxy-read-timeout-short`,
      `${dir}/deploy/shop.socket:8 socket-permission-denied`,
      `${dir}/gunicorn.conf.py:2 bind-ignored-by-socket-activation`,
      `${dir}/gunicorn.conf.py:5 stop-timeout-below-graceful`,
    ]);
  });

  it('finds nginx aimed at the wrong port of a Procfile launch', () => {
    const { rows } = check('test/fixtures/deployments/broken-address');
    assert.deepEqual(
      rows.filter((r) => CROSS_FILE.has(r.rule)).map((r) => `${r.file.split('/').pop()}:${r.line} ${r.rule}`),
      ['app.conf:5 bind-address-mismatch'],
    );
  });

  it('reports what breaks a compose app with nginx in the compose file or Dockerfile to fix', () => {
    const dir = 'test/fixtures/deployments/compose-broken';
    const { status, rows } = check(dir);
    assert.equal(status, 0, 'warnings only');
    assert.deepEqual(
      rows
        .filter((r) => CROSS_FILE.has(r.rule))
        .map((r) => `${r.file.slice(dir.length + 1)}:${r.line} ${r.rule}`)
        .sort(),
      [
        'app/Dockerfile:6 container-port-not-declared',
        'app/Dockerfile:6 container-shell-signals',
        'compose.yaml:10 container-stop-before-graceful',
        'compose.yaml:4 container-stop-signal-quick',
        'compose.yaml:9 container-bind-loopback',
        'nginx/default.conf:4 bind-address-mismatch',
      ],
    );
    // A compose app is named by its service, not by the Dockerfile or compose file that launches it.
    const mismatch = rows.find((r) => r.rule === 'bind-address-mismatch')!;
    assert.match(mismatch.message, /compose service web listens on /);
  });

  it("checks as nginx a template the proxy's Dockerfile copies into nginx's folder, whatever its name", () => {
    const dir = 'test/fixtures/deployments/proxy-template';
    const { status, rows } = check(dir);
    assert.equal(status, 1, 'an error');
    assert.deepEqual(
      rows.map((r) => `${r.file.slice(dir.length + 1)}:${r.line} ${r.severity} ${r.rule}`),
      [
        'proxy/site.conf.tpl:2 info template-placeholder',
        'proxy/site.conf.tpl:8 error nginx-duplicate-directive',
      ],
    );
  });

  it('is silent across files on a compose app that fits together', () => {
    const { rows } = check('test/fixtures/deployments/compose-good');
    assert.deepEqual(
      rows.filter((r) => CROSS_FILE.has(r.rule)),
      [],
    );
  });

  it('reports what kills or misses Gunicorn in Kubernetes, Render and Fly apps, in the manifest lines to fix', () => {
    const expected: Record<string, string[]> = {
      'kubernetes-broken': [
        'k8s/deployment.yaml:16 container-stop-before-graceful',
        'k8s/deployment.yaml:20 orchestrator-port-mismatch',
        'k8s/deployment.yaml:42 container-bind-loopback',
      ],
      'render-broken': [
        'render.yaml:6 container-bind-loopback',
        'render.yaml:6 container-stop-before-graceful',
      ],
      'fly-broken': [
        'fly.toml:2 container-stop-before-graceful',
        'fly.toml:5 orchestrator-port-mismatch',
        'fly.toml:5 platform-stop-signal-quick',
      ],
    };
    for (const [name, findings] of Object.entries(expected)) {
      const dir = `test/fixtures/deployments/${name}`;
      const { status, rows } = check(dir);
      assert.equal(status, 0, 'warnings only');
      assert.deepEqual(
        rows
          .filter((r) => CROSS_FILE.has(r.rule))
          .map((r) => `${r.file.slice(dir.length + 1)}:${r.line} ${r.rule}`)
          .sort(),
        findings,
        name,
      );
    }
  });

  it('is silent on Kubernetes, Render and Fly apps that fit together', () => {
    for (const name of ['kubernetes-good', 'render-good', 'fly-good']) {
      const { rows } = check(`test/fixtures/deployments/${name}`);
      assert.deepEqual(rows, [], name);
    }
  });

  it('is silent across files on a deployment that fits together', () => {
    const { status, rows } = check('test/fixtures/deployments/good-socket');
    assert.equal(status, 0);
    assert.deepEqual(
      rows.filter((r) => CROSS_FILE.has(r.rule)),
      [],
    );
  });

  it('treats a file named by -c as a Gunicorn config whatever its name', () => {
    const { rows } = check('test/fixtures/deployments/unusual-config-name');
    const config = rows.filter((r) => r.file.endsWith('deploy/production_settings.py'));
    assert.ok(
      config.some((r) => r.rule === 'unknown-setting'),
      JSON.stringify(rows),
    );
    assert.ok(
      rows.some((r) => r.rule === 'stop-timeout-below-graceful'),
      JSON.stringify(rows),
    );
  });
});

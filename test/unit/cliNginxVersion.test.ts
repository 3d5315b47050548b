// The CLI's nginx target: --nginx-version, else the nginx image of the checked folder, else the newest (assumed).

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'out', 'server', 'src', 'cli.js');

interface Row {
  file: string;
  line: number;
  rule: string;
  severity: string;
  message: string;
}

describe('gunicorn-config check: the nginx version', () => {
  let dir: string;
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, 'check', dir, ...args], { encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const rows = (...args: string[]): Row[] =>
    (JSON.parse(run('--format', 'json', ...args).stdout) as Row[]).filter(
      (r) => r.rule === 'nginx-directive-version',
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gc-cli-nginx-'));
    mkdirSync(join(dir, 'nginx', 'conf.d'), { recursive: true });
    writeFileSync(
      join(dir, 'nginx', 'conf.d', 'site.conf'),
      'server {\n    listen 443 ssl;\n    http2 on;\n    ssl_certificate /x.pem;\n    ssl_certificate_key /x.key;\n}\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the version from a Dockerfile in the folder, and an error fails the check', () => {
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, 'docker', 'Dockerfile'), 'FROM nginx:1.24.0-alpine\n');
    const found = rows();
    assert.deepEqual(
      found.map((r) => `${r.line}:${r.severity}`),
      ['3:error'],
    );
    assert.match(found[0]!.message, /the target is 1\.24\.0 \(found in docker\/Dockerfile:1\)/);
    assert.equal(run().status, 1);
    assert.match(
      run().stdout,
      /Checking nginx files against nginx 1\.24\.0 \(found in docker\/Dockerfile:1\)/,
    );
  });

  it('lets --nginx-version win over the folder, and reads compose files', () => {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.22\n');
    assert.deepEqual(
      rows().map((r) => r.severity),
      ['error'],
    );
    assert.deepEqual(rows('--nginx-version', '1.26'), []);
    assert.deepEqual(rows('--nginx-version=1.25.1'), []);
  });

  it('assumes the newest release without a version anywhere (no version errors then)', () => {
    writeFileSync(join(dir, 'nginx', 'conf.d', 'old.conf'), 'server {\n    ssl on;\n}\n');
    const found = rows();
    assert.deepEqual(
      found.map((r) => `${r.file.split('/').pop()}:${r.line}:${r.severity}`),
      ['old.conf:2:warning'],
    );
    assert.equal(run().status, 0);
  });

  it('rejects a --nginx-version that is no version', () => {
    const result = run('--nginx-version', 'newest');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--nginx-version takes a version/);
  });
});

// Validate with the real Gunicorn (Debian's /usr/bin/gunicorn when installed): a good config passes, a bad value fails
// with Gunicorn's own message at the setting's line, a config that never finishes is stopped by the timeout.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGunicorn, validateWithGunicorn } from '../../server/src/validateGunicorn';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'out', 'server', 'src', 'cli.js');
const DEBIAN_GUNICORN = '/usr/bin/gunicorn';
const APP = 'def app(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n';

describe('validate with the real Gunicorn', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!existsSync(DEBIAN_GUNICORN)) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'gc-validate-'));
    writeFileSync(join(dir, 'app.py'), APP);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('passes a good config and fails a bad value with the message', async () => {
    writeFileSync(join(dir, 'good.py'), 'workers = 2\nbind = "127.0.0.1:8001"\n');
    writeFileSync(join(dir, 'bad.py'), 'bind = "127.0.0.1:8001"\nworkers = "abc"\n');
    const run = (config: string) =>
      validateWithGunicorn({
        gunicorn: DEBIAN_GUNICORN,
        config,
        app: 'app:app',
        cwd: dir,
        timeoutMs: 30_000,
      });
    const good = await run('good.py');
    assert.equal(good.status, 'passed', good.stderr);
    const bad = await run('bad.py');
    assert.equal(bad.status, 'failed');
    assert.equal(bad.exitCode, 1);
    assert.equal(bad.problems[0]?.setting, 'workers');
    const missing = await validateWithGunicorn({
      gunicorn: DEBIAN_GUNICORN,
      config: 'good.py',
      app: 'nosuchmodule:app',
      cwd: dir,
      timeoutMs: 30_000,
    });
    assert.equal(missing.status, 'failed');
    assert.match(missing.problems.map((p) => p.message).join('\n'), /No module named 'nosuchmodule'/);
  });

  it('stops a config that never finishes loading when the time is up', async () => {
    // The config waits on a pipe nobody writes to: it would block forever.
    writeFileSync(join(dir, 'stuck.py'), 'import os\nr, w = os.pipe()\nos.read(r, 1)\n');
    const result = await validateWithGunicorn({
      gunicorn: DEBIAN_GUNICORN,
      config: 'stuck.py',
      app: 'app:app',
      cwd: dir,
      timeoutMs: 1_500,
    });
    assert.equal(result.status, 'timeout');
  });

  it('gives Gunicorn a minimal environment (no GUNICORN_CMD_ARGS of the caller)', async () => {
    writeFileSync(join(dir, 'env.py'), 'import os\nassert "SECRET_TOKEN" not in os.environ\nworkers = 1\n');
    process.env.SECRET_TOKEN = 'x';
    process.env.GUNICORN_CMD_ARGS = '--workers=notanumber';
    try {
      const result = await validateWithGunicorn({
        gunicorn: DEBIAN_GUNICORN,
        config: 'env.py',
        app: 'app:app',
        cwd: dir,
        timeoutMs: 30_000,
      });
      assert.equal(result.status, 'passed', result.stderr);
    } finally {
      delete process.env.SECRET_TOKEN;
      delete process.env.GUNICORN_CMD_ARGS;
    }
  });

  it('gunicorn-config validate DIR reports the failing line of a Procfile deployment', () => {
    writeFileSync(join(dir, 'gunicorn.conf.py'), 'bind = "127.0.0.1:8001"\nworkers = "abc"\n');
    writeFileSync(join(dir, 'Procfile'), 'web: gunicorn -c gunicorn.conf.py app:app\n');
    const result = spawnSync(process.execPath, [CLI, 'validate', dir, '--gunicorn', DEBIAN_GUNICORN], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.ok(
      result.stdout.includes(`${join(dir, 'gunicorn.conf.py')}:2: Gunicorn rejects workers = abc`),
      result.stdout,
    );
    writeFileSync(join(dir, 'gunicorn.conf.py'), 'bind = "127.0.0.1:8001"\nworkers = 2\n');
    const fixed = spawnSync(process.execPath, [CLI, 'validate', dir, '--gunicorn', DEBIAN_GUNICORN], {
      encoding: 'utf8',
    });
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  });

  it('finds a virtual environment in the folder before PATH', () => {
    assert.equal(findGunicorn(dir, ''), undefined);
    assert.equal(findGunicorn(dir, '/usr/bin'), DEBIAN_GUNICORN);
  });
});

// What a file named on the command line is by its first lines, when its name says nothing; and the CLI using it.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentKind } from '../../server/src/languages/contentKind';
import { languageKnownByName } from '../../server/src/languages/registry';

const CLI = join(__dirname, '..', '..', '..', 'out', 'server', 'src', 'cli.js');

describe('contentKind', () => {
  it('tells units, Dockerfiles, nginx, Gunicorn configs, scripts and Procfiles by their first lines', () => {
    const cases: [string, string | undefined][] = [
      [
        '# the API\n\n[Unit]\nDescription=api\n[Service]\nExecStart=/srv/venv/bin/gunicorn app:app\n',
        'systemd',
      ],
      [
        '# syntax=docker/dockerfile:1\nARG PY=3.12\nFROM python:${PY}-slim\nCMD ["gunicorn", "app:app"]\n',
        'dockerfile',
      ],
      ['from python:3.12\nrun pip install gunicorn\n', 'dockerfile'],
      [
        'upstream api {\n    server unix:/run/api.sock;\n}\nserver {\n    listen 80;\n    location / {\n',
        'nginx',
      ],
      [
        '# included by the site\nproxy_set_header Host $host;\nproxy_set_header X-Forwarded-Proto $scheme;\n',
        'nginx',
      ],
      ['limit_req zone=one burst=5;\nclient_max_body_size 10m;\n', 'nginx'],
      ['import os\n\nbind = os.environ.get("BIND", "0.0.0.0:8000")\nworkers = 3\n', 'gunicorn'],
      ['workers = 4;\ntimeout = 60\n', 'gunicorn'],
      ['#!/bin/bash\nset -e\nexec gunicorn app:app\n', 'shell'],
      ['web: gunicorn app:app --log-file -\nworker: celery -A app worker\n', 'procfile'],
      ['[program:web]\ncommand=gunicorn app:app\n', undefined],
      ['[mysqld]\nmax_connections = 100\n', undefined],
      ['Some notes about the deployment.\n', undefined],
      ['', undefined],
      ['\uFEFF[Unit]\r\nDescription=x\r\n', 'systemd'],
    ];
    for (const [text, expected] of cases) {
      const kind = contentKind(text);
      const got = kind?.language === 'commands' ? kind.commandSourceKind : kind?.language;
      assert.equal(got, expected, text);
    }
  });

  it('is asked only for names that say nothing', () => {
    for (const known of [
      'app.service',
      'nginx.conf',
      'Dockerfile-prod',
      'gunicorn.conf.py',
      'settings.py',
      'start.sh',
    ]) {
      assert.ok(languageKnownByName(`/w/${known}`), known);
    }
    for (const unknown of ['bench_manager_nginx.conf', 'echobot.service.f', 'gunicorn.conf', 'notes.txt']) {
      assert.ok(!languageKnownByName(`/w/${unknown}`), unknown);
    }
  });
});

describe('gunicorn-config check FILE whose name says nothing', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gc-kind-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = (name: string, text: string): { code: number | null; stdout: string; stderr: string } => {
    writeFileSync(join(dir, name), text);
    const run = spawnSync(process.execPath, [CLI, 'check', name, '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  const rules = (stdout: string): string[] =>
    (JSON.parse(stdout) as { rule: string }[]).map((row) => row.rule);

  it('checks an nginx file as nginx, not as Python', () => {
    const run = check('site_nginx.conf', 'server {\n    listen 80;\n    root /a;\n    root /b;\n}\n');
    assert.deepEqual(rules(run.stdout), ['nginx-duplicate-directive']);
  });

  it('checks a Dockerfile variant as a Dockerfile, and offers no Python rename of its ENV lines', () => {
    const run = check(
      'Dockerfile-mozcloud',
      'FROM python:3.12-slim\nENV PYTHONPATH=/app\nCMD ["gunicorn", "--workers", "${WORKERS:-4}", "app:app"]\n',
    );
    assert.deepEqual(rules(run.stdout), ['gunicorn-command-line']);
  });

  it('checks a unit as a unit', () => {
    const run = check(
      'api.service.f',
      '[Unit]\nDescription=api\n[Service]\nType=Simple\nExecStart=/usr/bin/true\n',
    );
    assert.ok(
      rules(run.stdout).every((rule) => !rule.startsWith('syntax')),
      run.stdout,
    );
    assert.ok(rules(run.stdout).length > 0, 'Type=Simple is not a service type');
  });

  it('says it cannot tell, exits 2 and checks nothing, for a file of another kind', () => {
    const run = check('supervisor.conf', '[program:web]\ncommand=gunicorn app:app\n');
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /supervisor\.conf: neither its name nor its first lines say what kind of file it is/,
    );
    assert.deepEqual(JSON.parse(run.stdout), []);
  });
});

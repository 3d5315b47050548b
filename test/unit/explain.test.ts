// The explain page: the effective configuration of each deployment as data and as markdown, and the CLI that prints it.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import { explainDeployments, type ExplainReport } from '../../server/src/deployment/explain';
import { explainMarkdown } from '../../server/src/deployment/explainMarkdown';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'out', 'server', 'src', 'cli.js');

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

function explain(sources: WorkspaceSource[]): ExplainReport {
  const model = buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });
  return explainDeployments(model, { root: '/srv/app', versionLabel: '23.0.0' });
}

const UNIT = (execStart: string): string =>
  `[Service]\nWorkingDirectory=/srv/app\nEnvironment=WEB_CONCURRENCY=5\nExecStart=${execStart}\n`;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'explain', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('explain: the effective configuration of each deployment', () => {
  it('shows a flag that overrides the config file, with both places', () => {
    const report = explain([
      source('/srv/app/gunicorn.conf.py', 'bind = "127.0.0.1:9000"\ntimeout = 30\n'),
      source(
        '/srv/app/app.service',
        UNIT('/srv/app/.venv/bin/gunicorn -c gunicorn.conf.py --timeout 90 app:wsgi'),
      ),
    ]);
    assert.equal(report.deployments.length, 1);
    const [d] = report.deployments;
    const timeout = d!.settings.find((s) => s.setting === 'timeout');
    assert.ok(timeout, 'timeout is listed');
    assert.equal(timeout.value, '90');
    assert.equal(timeout.origin, 'command-line');
    assert.deepEqual(
      timeout.place && [timeout.place.file, timeout.place.line],
      ['app.service', 4],
      'the flag is on the ExecStart line',
    );
    assert.deepEqual(
      timeout.overrides.map((o) => [o.value, o.origin, o.place?.file, o.place?.line]),
      [['30', 'config', 'gunicorn.conf.py', 2]],
    );
    assert.equal(timeout.place?.link, 'file:///srv/app/app.service#L4');
    assert.equal(d!.app?.spec, 'app:wsgi');
    assert.equal(d!.config?.place?.file, 'gunicorn.conf.py');
    assert.equal(d!.launch?.kind, 'systemd');
  });

  it('lists a default fed by an environment variable and leaves plain defaults out', () => {
    const report = explain([source('/srv/app/app.service', UNIT('/srv/app/.venv/bin/gunicorn app:wsgi'))]);
    const settings = report.deployments[0]!.settings;
    const workers = settings.find((s) => s.setting === 'workers');
    assert.equal(workers?.value, '5');
    assert.equal(workers?.origin, 'default');
    assert.equal(workers?.place?.line, 3, 'Environment=WEB_CONCURRENCY= line');
    assert.equal(
      settings.find((s) => s.setting === 'keepalive'),
      undefined,
      'a setting nobody sets is not a row',
    );
  });

  it('renders one table row per setting, with links, and keeps a | in a value inside its cell', () => {
    const report = explain([
      source('/srv/app/gunicorn.conf.py', 'proc_name = "a|b"\nworkers = 2\n'),
      source('/srv/app/app.service', UNIT('/srv/app/.venv/bin/gunicorn -c gunicorn.conf.py -w 4 app:wsgi')),
    ]);
    const page = explainMarkdown(report);
    const rows = page.split('\n').filter((line) => line.startsWith('| `'));
    assert.equal(rows.length, report.deployments[0]!.settings.length);
    const workers = rows.find((row) => row.startsWith('| `workers`'));
    assert.ok(workers?.includes('[app.service:4](file:///srv/app/app.service#L4)'), workers);
    assert.ok(workers?.includes('`2` from config file [gunicorn.conf.py:2]'), workers);
    const procName = rows.find((row) => row.startsWith('| `proc_name`'))!;
    assert.equal(procName.split(/(?<!\\)\|/).length, 6, `four cells: ${procName}`);
    assert.match(page, /```mermaid\nflowchart LR\n/);
  });

  it('says so when the folder has no deployment', () => {
    const page = explainMarkdown(explain([]));
    assert.match(page, /No deployment found/);
  });

  it('does not crash on half-written files', () => {
    const report = explain([
      source('/srv/app/gunicorn.conf.py', 'bind = [\nworkers = (\n'),
      source('/srv/app/app.service', '[Service]\nExecStart=gunicorn -c "\n'),
      source('/srv/app/site.nginx', 'server { location / { proxy_pass http://unix:'),
    ]);
    assert.ok(explainMarkdown(report).startsWith('# Gunicorn'));
  });
});

describe('gunicorn-config explain DIR', () => {
  it('connects nginx, the socket unit, the service, the config and its settings in the example', () => {
    const { status, stdout } = cli(['examples/deployment', '--format', 'json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as ExplainReport;
    assert.equal(report.schema, 1);
    const d = report.deployments.find((x) => x.service?.name === 'shop.service');
    assert.ok(d, 'the shop.service deployment');
    assert.deepEqual(
      d.sockets.map((s) => [s.name, s.listens]),
      [['shop.socket', ['unix:/run/shop/gunicorn.sock']]],
    );
    assert.ok(d.nginx.length > 0 && d.nginx.every((n) => n.place.file === 'deploy/shop.nginx'));
    const workerClass = d.settings.find((s) => s.setting === 'worker_class');
    assert.deepEqual(
      [workerClass?.value, workerClass?.origin, workerClass?.place?.file],
      ['gthread', 'config', 'gunicorn.conf.py'],
    );
  });

  it('shows the compose container facts and the stop budget', () => {
    const { status, stdout } = cli(['test/fixtures/deployments/compose-good']);
    assert.equal(status, 0);
    assert.match(stdout, /\*\*Run by:\*\* compose; stops it within 35s/);
    assert.match(stdout, /\*\*stop grace period:\*\* `35s` \(\[compose\.yaml:4\]/);
    assert.match(stdout, /\| `bind` \| `0\.0\.0\.0:8000` \| command line \[app\/Dockerfile:6\]/);
  });

  it('rejects an unknown format and a missing folder with exit code 2', () => {
    assert.equal(cli(['--format', 'yaml']).status, 2);
    assert.equal(cli(['no/such/folder']).status, 2);
  });
});

// The packages of a deployment, assembled by the model from an in-memory workspace (project folders, Docker pip lines,
// lock files), and the rule worker-package-missing on good and broken variants, with its fix, its hover and the CLI.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Finding, Fix } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { describeEffective } from '../../server/src/deployment/present';
import { parseCommandSource } from '../../server/src/languages/commands/index';
import { gunicornHover } from '../../server/src/languages/gunicorn/hover';
import { parseGunicornConfig } from '../../server/src/languages/gunicorn/parse';
import { workerNeeds } from '../../server/src/languages/packages/workerPackages';
import { WorkspaceIndex } from '../../server/src/lsp/workspaceIndex';

type Files = Record<string, string>;

const ROOT = '/w';

function sourcesOf(files: Files): WorkspaceSource[] {
  return Object.entries(files).flatMap(([rel, text]) => {
    const path = `${ROOT}/${rel}`;
    const kind = sourceKindOf(path) ?? (rel.endsWith('.py') ? 'python' : undefined);
    return kind ? [{ uri: `file://${path}`, path, kind, text }] : [];
  });
}

function build(files: Files, version: Version = [23, 0, 0]): DeploymentModel {
  return buildDeploymentModel(
    sourcesOf(files),
    { version, versionLabel: version.join('.') },
    { paths: Object.keys(files).map((rel) => `${ROOT}/${rel}`) },
  );
}

function findingsOf(model: DeploymentModel, rule = 'worker-package-missing'): (Finding & { uri: string })[] {
  return [...model.findings].flatMap(([uri, list]) =>
    list.filter((f) => f.rule === rule).map((f) => ({ ...f, uri })),
  );
}

/** `file:line severity` of each finding of the rule. */
function where(files: Files, version?: Version): string[] {
  return findingsOf(build(files, version)).map(
    (f) => `${f.uri.slice(f.uri.lastIndexOf('/') + 1)}:${f.range.start.line + 1} ${f.severity}`,
  );
}

function packagesOf(files: Files, version?: Version) {
  const model = build(files, version);
  const deployment = model.deployments[0]!;
  return model.packages(deployment);
}

function applyFix(files: Files, fix: Fix, uri: string): Files {
  const next = { ...files };
  const edits = [...(fix.edits.length ? [{ uri, edits: fix.edits }] : []), ...(fix.otherFiles ?? [])];
  for (const { uri: target, edits: list } of edits) {
    const rel = target.slice(`file://${ROOT}/`.length);
    next[rel] = applyEdits(next[rel]!, list);
  }
  return next;
}

const FLASK = 'from flask import Flask\napp = Flask(__name__)\n';
const FASTAPI = 'from fastapi import FastAPI\napp = FastAPI()\n';

describe('packages of a deployment', () => {
  it('takes the nearest folder above the app module that has dependency files, with -r includes and lock versions', () => {
    const packages = packagesOf({
      'requirements.txt': 'django==5.0\n',
      'services/api/Procfile': 'web: gunicorn -k gevent app:app\n',
      'services/api/app.py': FLASK,
      'services/api/requirements.txt': '-r requirements/base.txt\ngunicorn==23.0.0\n',
      'services/api/requirements/base.txt': 'flask>=3\n',
      'services/api/poetry.lock': '[[package]]\nname = "flask"\nversion = "3.0.3"\n',
    })!;
    assert.deepEqual(packages.files, [
      '/w/services/api/poetry.lock',
      '/w/services/api/requirements.txt',
      '/w/services/api/requirements/base.txt',
    ]);
    assert.deepEqual([...packages.byName.keys()].sort(), ['flask', 'gunicorn']);
    assert.deepEqual(
      packages.byName.get('flask')!.map((d) => `${d.where.value} ${d.version ?? '-'}`),
      ['flask 3.0.3', 'flask>=3 -'],
    );
    assert.equal(packages.complete, true);
    assert.equal(packages.locked, true);
    assert.equal(packages.byName.has('django'), false, 'the root project is another one');
  });

  it('is undefined when the workspace has no dependency file, and incomplete when an include is missing', () => {
    assert.equal(packagesOf({ Procfile: 'web: gunicorn app:app\n', 'app.py': FLASK }), undefined);
    const partial = packagesOf({
      Procfile: 'web: gunicorn app:app\n',
      'app.py': FLASK,
      'requirements.txt': '-r base.pip\nflask\n',
    })!;
    assert.equal(partial.complete, false);
    assert.match(partial.unknown[0]!.value, /base\.pip/);
  });

  it('skips folders whose dependency files declare nothing, and distrusts the system Gunicorn', () => {
    const files: Files = {
      'requirements.txt': 'flask\n',
      'api/pyproject.toml': '[tool.ruff]\nline-length = 100\n',
      'api/Procfile': 'web: gunicorn app:app\n',
      'api/app.py': FLASK,
    };
    assert.deepEqual(packagesOf(files)!.files, ['/w/requirements.txt']);
    const system = packagesOf({
      'requirements.txt': 'flask\n',
      'deploy/app.service': '[Service]\nExecStart=/usr/bin/gunicorn -k gevent app:app\n',
    })!;
    assert.equal(system.complete, false);
    assert.match(system.unknown[0]!.value, /system's packages/);
  });

  it('does not take a folder whose only requirement files are for tests or development', () => {
    const files: Files = {
      'requirements-test.txt': 'pytest\n',
      'resources/start.sh': '#!/bin/sh\nexec gunicorn -k gevent app:app\n',
    };
    assert.equal(packagesOf(files), undefined);
    const withMain = packagesOf({ ...files, 'requirements.txt': 'flask\n' })!;
    assert.deepEqual(withMain.files, ['/w/requirements-test.txt', '/w/requirements.txt']);
  });

  it('asks the host for included files named unlike dependency files, and reads them as requirements', () => {
    const files: Files = {
      Procfile: 'web: gunicorn -k gevent app:app\n',
      'app.py': FLASK,
      'requirements.txt': '-r deps/common.pip\nflask\n',
    };
    const paths = [...Object.keys(files), 'deps/common.pip'].map((rel) => `${ROOT}/${rel}`);
    const options = { version: [23, 0, 0] as Version, versionLabel: '23.0.0' };
    const first = buildDeploymentModel(sourcesOf(files), options, { paths });
    assert.deepEqual(first.unreadDependencyFiles(), ['/w/deps/common.pip']);
    assert.equal(first.packages(first.deployments[0]!)!.complete, false, 'incomplete until read');
    const included: WorkspaceSource = {
      uri: 'file:///w/deps/common.pip',
      path: '/w/deps/common.pip',
      kind: 'dependencies',
      text: 'gevent==24.2.1\n',
    };
    const second = buildDeploymentModel([...sourcesOf(files), included], options, { paths });
    const packages = second.packages(second.deployments[0]!)!;
    assert.equal(packages.complete, true);
    assert.deepEqual(
      packages.byName.get('gevent')!.map((d) => d.version),
      ['24.2.1'],
    );
    assert.deepEqual(second.unreadDependencyFiles(), []);
  });

  it('reads a Dockerfile: pip lines, the files they name through COPY, and what it cannot know', () => {
    const docker = (from: string, extra = ''): Files => ({
      Dockerfile: `FROM ${from}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt gevent==24.2.1${extra}\nCOPY . .\nCMD ["gunicorn", "-k", "gevent", "app:app"]\n`,
      'requirements.txt': 'flask==3.0.3\ngunicorn==23.0.0\n',
      'app.py': FLASK,
    });
    const packages = packagesOf(docker('python:3.12-slim'))!;
    assert.deepEqual([...packages.byName.keys()].sort(), ['flask', 'gevent', 'gunicorn']);
    assert.deepEqual(packages.files, ['/w/Dockerfile', '/w/requirements.txt']);
    assert.equal(packages.complete, true);
    assert.equal(
      packagesOf(docker('tiangolo/uvicorn-gunicorn:python3.11'))!.complete,
      false,
      'a base image with packages',
    );
    assert.equal(
      packagesOf(docker('python:3.12', ' -r extra.txt'))!.complete,
      false,
      'a file no COPY brings',
    );
  });

  it('follows a compose service to the Dockerfile of its build context', () => {
    const packages = packagesOf({
      'compose.yaml': 'services:\n  web:\n    build: ./api\n    command: gunicorn -k gevent app:app\n',
      'api/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install .\n',
      'api/pyproject.toml': '[project]\nname = "api"\nversion = "1"\ndependencies = ["gunicorn[gevent]"]\n',
      'api/app.py': FLASK,
    })!;
    assert.deepEqual(packages.files, ['/w/api/Dockerfile', '/w/api/pyproject.toml']);
    assert.deepEqual(packages.byName.get('gunicorn')![0]!.extras, ['gevent']);
  });
});

describe('worker classes and their packages', () => {
  it('maps Gunicorn workers per release and third-party classes', () => {
    const need = (value: string, version: Version) =>
      workerNeeds(value, version)?.map((n) => `${n.package}${n.min?.enforced ? `>=${n.min.version}` : ''}`);
    assert.deepEqual(need('gevent', [23, 0, 0]), ['gevent>=1.4']);
    assert.deepEqual(need('gevent', [24, 0, 0]), ['gevent>=24.10.1']);
    assert.deepEqual(need('eventlet', [21, 2, 0]), ['eventlet>=0.24.1']);
    assert.deepEqual(need('eventlet', [26, 0, 0]), undefined, 'removed: another rule says so');
    assert.deepEqual(need('gthread', [23, 0, 0]), []);
    assert.deepEqual(need('sync', [23, 0, 0]), []);
    assert.deepEqual(need('uvicorn_worker.UvicornWorker', [23, 0, 0]), ['uvicorn-worker']);
    assert.deepEqual(need('aiohttp.GunicornUVLoopWebWorker', [23, 0, 0]), ['aiohttp', 'uvloop']);
    assert.deepEqual(need('egg:meinheld#gunicorn_worker', [23, 0, 0]), ['meinheld']);
    assert.equal(workerNeeds('shop.workers.CustomWorker', [23, 0, 0]), undefined);
  });
});

describe('worker-package-missing', () => {
  const project = (requirements: string, conf = 'worker_class = "gevent"\n'): Files => ({
    'gunicorn.conf.py': conf,
    Procfile: 'web: gunicorn -c gunicorn.conf.py app:app\n',
    'app.py': FLASK,
    'requirements.txt': requirements,
  });

  it('warns at the worker class when no dependency file declares its package, and the fix appends it', () => {
    const files = project('flask==3.0.3\ngunicorn==23.0.0');
    const model = build(files);
    const [finding] = findingsOf(model);
    assert.ok(finding);
    assert.equal(finding.uri, 'file:///w/gunicorn.conf.py');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /needs the gevent package.*gunicorn\[gevent\]/);
    assert.deepEqual(
      finding.related?.map((r) => r.uri),
      ['file:///w/requirements.txt'],
    );
    const fix = finding.fixes![0]!;
    assert.equal(fix.isPreferred, undefined, 'editing dependencies is never the preferred fix');
    const fixed = applyFix(files, fix, finding.uri);
    assert.equal(fixed['requirements.txt'], 'flask==3.0.3\ngunicorn==23.0.0\ngevent>=1.4\n');
    assert.deepEqual(where(fixed), []);
    const beside = {
      ...files,
      'pyproject.toml': '[project]\nname = "shop"\nversion = "1"\ndependencies = ["flask"]\n',
    };
    const titles = (findingsOf(build(beside))[0]!.fixes ?? []).map((f) => f.title);
    assert.ok(!titles.some((t) => t.startsWith('Add gevent')), 'which file is installed is not clear');
    assert.ok(titles.length > 0, 'the suppression fix is still there');
  });

  it('is silent when the package is declared directly, by an extra, by a package that needs it, or by a lock', () => {
    assert.deepEqual(where(project('gevent==24.2.1\n')), []);
    assert.deepEqual(where(project('Gunicorn[GEVENT]==23.0.0\n')), []);
    assert.deepEqual(where(project('gevent-websocket\n')), []);
    assert.deepEqual(
      where({ ...project('flask\n'), 'uv.lock': '[[package]]\nname = "gevent"\nversion = "24.2.1"\n' }),
      [],
    );
  });

  it('is silent without dependency files, when the list is incomplete, and for workers that need nothing', () => {
    const { 'requirements.txt': _, ...noFiles } = project('');
    assert.deepEqual(where(noFiles), []);
    assert.deepEqual(where(project('-r common.pip\nflask\n')), []);
    assert.deepEqual(where(project('flask\n${EXTRA}\n')), []);
    assert.deepEqual(where(project('flask\n', 'worker_class = "gthread"\n')), []);
    assert.deepEqual(where(project('flask\n', 'worker_class = "shop.workers.Custom"\n')), []);
    assert.deepEqual(where(project('flask\n', 'import os\nworker_class = os.environ["WORKER"]\n')), []);
  });

  it('warns when the pinned version is older than the worker accepts under the target release', () => {
    assert.deepEqual(where(project('gevent==1.3.7\n')), ['gunicorn.conf.py:1 warning']);
    assert.deepEqual(where(project('gevent==23.9.1\n'), [23, 0, 0]), []);
    assert.deepEqual(where(project('gevent==23.9.1\n'), [24, 0, 0]), ['gunicorn.conf.py:1 warning']);
    assert.deepEqual(where(project('gevent>=1.0\n')), [], 'a range may install a newer one');
  });

  it('notes uvicorn.workers from the uvicorn release that deprecated it, and not before', () => {
    const asgi = (requirements: string, worker = 'uvicorn.workers.UvicornWorker'): Files => ({
      Procfile: `web: gunicorn -k ${worker} main:app\n`,
      'main.py': FASTAPI,
      'requirements.txt': requirements,
    });
    const [info] = findingsOf(build(asgi('fastapi\nuvicorn==0.32.0\n')));
    assert.equal(info?.severity, 'info');
    assert.match(info!.message, /deprecated since uvicorn 0\.30\.0.*uvicorn_worker\.UvicornWorker/);
    assert.deepEqual(where(asgi('fastapi\nuvicorn>=0.30\n')), ['Procfile:1 info']);
    assert.deepEqual(where(asgi('fastapi\nuvicorn==0.29.0\n')), []);
    assert.deepEqual(where(asgi('fastapi\n')), ['Procfile:1 warning']);
    assert.deepEqual(where(asgi('fastapi\nuvicorn-worker\n', 'uvicorn_worker.UvicornWorker')), []);
    assert.deepEqual(where(asgi('fastapi[standard]\n')), [], 'fastapi[standard] brings uvicorn');
  });

  it('judges a Docker launch by what its image installs', () => {
    const files: Files = {
      Dockerfile:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "-k", "eventlet", "app:app"]\n',
      'requirements.txt': 'flask\ngunicorn==22.0.0\n',
      'app.py': FLASK,
    };
    assert.deepEqual(where(files, [22, 0, 0]), ['Dockerfile:6 warning']);
    const installed = {
      ...files,
      Dockerfile: files.Dockerfile!.replace('requirements.txt\nCOPY', 'requirements.txt eventlet\nCOPY'),
    };
    assert.deepEqual(where(installed, [22, 0, 0]), []);
  });

  it('adds where the package is declared to the hover of the worker class', () => {
    const files = project('flask\ngevent==24.2.1\n');
    const model = build(files);
    const sites = model.effectiveSites('file:///w/gunicorn.conf.py');
    const notes = sites.settings.map((s) => s.note).filter(Boolean);
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /Package\*\* `gevent`: declared as `gevent==24\.2\.1` \(requirements\.txt:2\)/);
    const missing = build(project('flask\n')).effectiveSites('file:///w/gunicorn.conf.py');
    assert.match(missing.settings.find((s) => s.note)!.note!, /not declared by requirements\.txt/);
  });
});

describe('hover on the worker class', () => {
  const ctx = { version: [23, 0, 0] as Version, versionLabel: '23.0.0' };

  it('names the package in the config file, for Gunicorn workers and other projects alike', () => {
    const hoverAt = (text: string, marker: string) =>
      gunicornHover(parseGunicornConfig(text), text.indexOf(marker) + 1, ctx)?.markdown ?? '';
    assert.match(
      hoverAt('worker_class = "gevent"\n', 'gevent'),
      /Needs the package `gevent` 1\.4 or newer \(or `gunicorn\[gevent\]`\)/,
    );
    assert.match(hoverAt('worker_class = "aiohttp.GunicornWebWorker"\n', 'aiohttp'), /`aiohttp`/);
    assert.doesNotMatch(hoverAt('worker_class = "gthread"\n', 'gthread'), /Needs the package/);
  });

  it('names the package on a -k flag of a command line', () => {
    const text = 'web: gunicorn -k uvicorn_worker.UvicornWorker main:app\n';
    const hover = parseCommandSource('procfile', text, [23, 0, 0]).hover(text.indexOf('uvicorn_worker') + 2, {
      uri: 'file:///w/Procfile',
      path: '/w/Procfile',
      ...ctx,
    });
    assert.match(hover!.markdown, /Needs the package `uvicorn-worker`/);
  });

  it("adds the model's note even where the value is written and nothing overrides it", () => {
    const model = build({
      'gunicorn.conf.py': 'worker_class = "gevent"\n',
      Procfile: 'web: gunicorn -c gunicorn.conf.py app:app\n',
      'app.py': FLASK,
      'requirements.txt': 'flask\n',
    });
    const effective = model.effectiveSites('file:///w/gunicorn.conf.py').settings.find((s) => s.note)!;
    const shown = describeEffective(effective, 'file:///w/gunicorn.conf.py', 0);
    assert.match(shown!, /^\*\*Package\*\* `gevent`: not declared by requirements\.txt\.$/);
  });
});

describe('dependency files in the workspace index of the server', () => {
  it('reads them with the scan, by name, and keeps them current from file events', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gc-index-'));
    try {
      mkdirSync(join(root, 'requirements'));
      writeFileSync(join(root, 'requirements', 'base.txt'), 'flask\n');
      writeFileSync(join(root, 'notes.txt'), 'not a dependency file\n');
      const index = new WorkspaceIndex([root], (path) => sourceKindOf(path), Infinity);
      await index.scan();
      const kinds = () =>
        index.sources().map((s) => `${s.path.slice(root.length)} ${s.kind} ${JSON.stringify(s.text)}`);
      assert.deepEqual(kinds(), ['/requirements/base.txt dependencies "flask\\n"']);
      writeFileSync(join(root, 'requirements', 'base.txt'), 'flask\ngevent\n');
      writeFileSync(join(root, 'pyproject.toml'), '[project]\nname = "x"\n');
      index.fileChanged(`file://${join(root, 'requirements', 'base.txt')}`);
      index.fileChanged(`file://${join(root, 'pyproject.toml')}`);
      assert.deepEqual(kinds().sort(), [
        '/pyproject.toml dependencies "[project]\\nname = \\"x\\"\\n"',
        '/requirements/base.txt dependencies "flask\\ngevent\\n"',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('gunicorn-config check DIR with dependency files', () => {
  const CLI = join(__dirname, '..', '..', 'server', 'src', 'cli.js');

  function write(root: string, files: Files): void {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
  }

  it('prints the missing worker package, and nothing once it is declared', () => {
    const root = mkdtempSync(join(tmpdir(), 'gc-packages-'));
    try {
      write(root, {
        Procfile: 'web: gunicorn --worker-class gevent app:app\n',
        'app.py': FLASK,
        'requirements/base.txt': 'flask==3.0.3\n',
        'requirements.txt': '-r requirements/base.txt\ngunicorn==23.0.0\n',
      });
      const run = () =>
        spawnSync(process.execPath, [CLI, 'check', root], { encoding: 'utf8' }).stdout.split('\n');
      const lines = run().filter((l) => l.includes('worker-package-missing'));
      assert.equal(lines.length, 1);
      assert.match(
        lines[0]!,
        /\/Procfile:1:\d+ warning worker-package-missing Worker class gevent needs the gevent package/,
      );
      writeFileSync(join(root, 'requirements/base.txt'), 'flask==3.0.3\ngevent==24.2.1\n');
      assert.deepEqual(
        run().filter((l) => l.includes('worker-package-missing')),
        [],
      );
      // An include under a name no dependency file has is read too.
      writeFileSync(join(root, 'requirements/base.txt'), 'flask==3.0.3\n-r ../server.pip\n');
      writeFileSync(join(root, 'server.pip'), 'gunicorn==23.0.0\n');
      assert.equal(run().filter((l) => l.includes('worker-package-missing')).length, 1);
      writeFileSync(join(root, 'server.pip'), 'gunicorn[gevent]==23.0.0\n');
      assert.deepEqual(
        run().filter((l) => l.includes('worker-package-missing')),
        [],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

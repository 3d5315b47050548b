// The app each launch loads: the spec read per Gunicorn release, module facts, resolution in the workspace, and the
// app rules on fixture projects (good and broken variants), with their fixes and the hover.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseVersion } from '../../server/src/core/version';
import { describeAppTarget } from '../../server/src/deployment/appHover';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { parseAppSpec } from '../../server/src/languages/gunicorn/appSpec';
import { dockerCopies } from '../../server/src/languages/commands/dockerCopies';
import { pythonModuleFacts } from '../../server/src/languages/python/moduleFacts';
import {
  APP_CASES,
  appFindings,
  procfileFor,
  projectModel,
  removeProject,
  writeProject,
  type Files,
} from './appProjects';

const V = (text: string) => parseVersion(text)!;
const FLASK_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';
const FASTAPI_APP = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

/** The app findings of a project written from `files`, as `rule@file:line` plus the findings themselves. */
function findingsOf(files: Files, version = '20.1.0') {
  const root = writeProject(files);
  try {
    const model = projectModel(root, V(version));
    const findings = appFindings(model);
    const where = [...model.findings].flatMap(([uri, list]) =>
      list
        .filter((f) => f.rule.startsWith('app-'))
        .map((f) => `${f.rule}@${uri.slice(uri.lastIndexOf('/') + 1)}:${f.range.start.line + 1}`),
    );
    return { findings, where, model, root };
  } finally {
    removeProject(root);
  }
}

describe('app spec (APP_MODULE) as import_app reads it', () => {
  it('splits module and name, and uses application when no name is given', () => {
    assert.deepEqual(
      [
        parseAppSpec('shop.wsgi', V('23.0.0'))?.attribute,
        parseAppSpec('shop.wsgi:app', V('23.0.0'))?.attribute,
      ],
      ['application', 'app'],
    );
    assert.equal(
      parseAppSpec('main.py:app', V('23.0.0')),
      undefined,
      'a file path is another rule’s business',
    );
    assert.equal(parseAppSpec('$APP', V('23.0.0')), undefined);
  });

  it('reads factory calls from 20.0.1 on, rejects them in 20.0.0, and follows 19.x only for literal calls', () => {
    const call = (v: string) => parseAppSpec('app:create_app("prod", debug=True)', V(v));
    assert.equal(call('20.1.0')?.call?.literal, true);
    assert.equal(call('20.1.0')?.unusable, undefined);
    assert.match(call('20.0.0')?.unusable ?? '', /20\.0\.0/);
    assert.equal(call('19.9.0')?.understood, true);
    assert.match(parseAppSpec('app:create_app(settings)', V('23.0.0'))?.unusable ?? '', /literal/);
    assert.match(parseAppSpec('app:api.app', V('23.0.0'))?.unusable ?? '', /name or a call/);
    assert.equal(parseAppSpec('app:api.app', V('19.9.0'))?.understood, false);
  });
});

describe('Python module facts', () => {
  it('lists top-level names by kind, including those bound in module-level blocks, and not those in functions', () => {
    const facts = pythonModuleFacts(
      'import os\nfrom a.b import c as d\nX: int = 1\ndef f(): y = 2\nclass K: pass\nif os.environ:\n    z = 3\n',
    );
    assert.deepEqual(
      [...facts.names].map(([name, list]) => `${name}:${list[0]!.kind}${list[0]!.conditional ? '?' : ''}`),
      ['os:import', 'd:import', 'X:assignment', 'f:function', 'K:class', 'z:assignment?'],
    );
    assert.equal(facts.open, false);
  });

  it('knows a framework app only through its import, and factories by the app they build', () => {
    const facts = pythonModuleFacts(
      'import flask as fl\nclass Flask: pass\na = fl.Flask(__name__)\nb = Flask()\n' +
        'def create_app(config=None):\n    from fastapi import FastAPI\n    return FastAPI()\n',
    );
    assert.equal(facts.names.get('a')![0]!.app?.framework, 'Flask');
    assert.equal(facts.names.get('b')![0]!.app, undefined, 'a local class named Flask is no evidence');
    const factory = facts.names.get('create_app')![0]!;
    assert.deepEqual([factory.creates?.framework, factory.creates?.protocol], ['FastAPI', 'asgi']);
    assert.deepEqual(factory.positional, { max: 1, required: 0 });
  });

  it('is open (names may appear unseen) with star imports, module __getattr__ or globals()', () => {
    for (const text of ['from x import *\n', 'def __getattr__(name): ...\n', 'globals()["app"] = 1\n']) {
      assert.equal(pythonModuleFacts(text).open, true, text);
    }
    const viaGlobal = pythonModuleFacts('def init():\n    global app, db\n    app = make()\ninit()\n');
    assert.deepEqual([viaGlobal.names.has('app'), viaGlobal.names.has('db')], [true, true]);
  });
});

describe('Dockerfile COPY targets', () => {
  it('resolves targets against WORKDIR in the final stage, and notes copies from other stages', () => {
    const copies = dockerCopies(
      'FROM python AS build\nCOPY x /x\nFROM python\nWORKDIR /srv\nCOPY . .\nCOPY app/ /code/\nCOPY --from=build /x /y\n',
    );
    assert.deepEqual(
      copies.copies.map((c) => `${c.sources.join(',')}->${c.target}`),
      ['.->/srv/', 'app/->/code/'],
    );
    assert.equal(copies.fromElsewhere, true);
  });
});

describe('app rules on fixture projects', () => {
  for (const c of APP_CASES) {
    it(`${c.name}: ${c.expect ?? 'nothing'}`, () => {
      const { findings } = findingsOf({ ...c.files, Procfile: procfileFor(c) });
      assert.deepEqual(
        findings.map((f) => f.rule),
        c.expect ? [c.expect] : [],
        findings.map((f) => f.message).join('\n'),
      );
    });
  }

  it('fixes a dot for the colon and a missing call, keeping the quotes of the command line', () => {
    const dot = findingsOf({
      'shop/__init__.py': '',
      'shop/wsgi.py':
        'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      Procfile: 'web: gunicorn "shop.wsgi.application"\n',
    }).findings[0]!;
    assert.equal(dot.fixes?.[0]?.edits[0]?.newText, '"shop.wsgi:application"');
    assert.match(dot.related?.[0]?.message ?? '', /application/);
    const factory = findingsOf({
      'app.py': 'from flask import Flask\ndef create_app():\n    return Flask(__name__)\n',
      Procfile: 'web: gunicorn app:create_app\n',
    }).findings[0]!;
    assert.equal(factory.rule, 'app-factory-not-called');
    assert.equal(
      factory.fixes?.[0]?.edits[0]?.newText,
      "'app:create_app()'",
      'the shell needs quotes around ()',
    );
    const renamed = findingsOf({ 'main.py': FLASK_APP, Procfile: 'web: gunicorn main:application\n' })
      .findings[0]!;
    assert.match(renamed.message, /Did you mean 'app'\?/);
    assert.equal(renamed.fixes?.[0]?.edits[0]?.newText, 'main:app');
  });

  it('offers no factory call where the release cannot make it (20.0.0)', () => {
    const { findings } = findingsOf(
      {
        'app.py': 'from flask import Flask\ndef create_app():\n    return Flask(__name__)\n',
        Procfile: 'web: gunicorn app:create_app\n',
      },
      '20.0.0',
    );
    assert.equal(findings[0]?.rule, 'app-factory-not-called');
    assert.deepEqual(
      findings[0]?.fixes?.filter((f) => /Call/.test(f.title)),
      [],
    );
  });

  it('finds the module through --pythonpath and PYTHONPATH', () => {
    const files = { 'src/proj/__init__.py': '', 'src/proj/main.py': FASTAPI_APP };
    assert.deepEqual(
      findingsOf({ ...files, Procfile: 'web: gunicorn --pythonpath src proj.main:app\n' }).where,
      ['app-worker-mismatch@Procfile:1'],
    );
    assert.deepEqual(
      findingsOf({
        ...files,
        Procfile: 'web: PYTHONPATH=src gunicorn -k uvicorn_worker.UvicornWorker proj.main:app\n',
      }).where,
      [],
    );
  });

  it('says nothing about a module that may be an installed package', () => {
    // Not in the workspace at all.
    assert.deepEqual(findingsOf({ Procfile: 'web: gunicorn someapp.wsgi:application\n' }).where, []);
    // Elsewhere in the workspace, but in a project pip can install (src layout + pyproject.toml).
    assert.deepEqual(
      findingsOf({
        'pyproject.toml': '[project]\nname = "proj"\n',
        'src/proj/__init__.py': '',
        'src/proj/main.py': FLASK_APP,
        Procfile: 'web: gunicorn proj.main:app\n',
      }).where,
      [],
    );
    // A script runs wherever its caller is; a compose command wherever the image's WORKDIR is.
    assert.deepEqual(
      findingsOf({ 'app.py': FLASK_APP, 'scripts/start.sh': '#!/bin/sh\nexec gunicorn app:app\n' }).where,
      [],
    );
    assert.deepEqual(
      findingsOf({
        'app.py': FLASK_APP,
        'deploy/compose.yaml': 'services:\n  web:\n    build: ..\n    command: gunicorn src.app:app\n',
      }).where,
      [],
    );
    // A module whose names we cannot list.
    assert.deepEqual(
      findingsOf({ 'main.py': 'from flask_app import *\n', Procfile: 'web: gunicorn main:app\n' }).where,
      [],
    );
  });

  it('maps a Dockerfile WORKDIR through COPY onto the build context', () => {
    assert.deepEqual(
      findingsOf({
        'main.py': FLASK_APP,
        Dockerfile: 'FROM python:3.12\nWORKDIR /srv\nCOPY . .\nCMD ["gunicorn", "main:application"]\n',
      }).where,
      ['app-attribute-missing@Dockerfile:4'],
    );
    assert.deepEqual(
      findingsOf({
        'app/main.py': FLASK_APP,
        Dockerfile:
          'FROM python:3.12\nWORKDIR /code\nCOPY app/ /code/\nCMD gunicorn -k uvicorn.workers.UvicornWorker main:app\n',
      }).where,
      ['app-worker-mismatch@Dockerfile:4'],
    );
    // The code arrives some other way (a volume): a module we cannot see is no error.
    assert.deepEqual(
      findingsOf({
        'src/main.py': FLASK_APP,
        Dockerfile: 'FROM python:3.12\nWORKDIR /srv\nCOPY requirements.txt .\nCMD ["gunicorn", "main:app"]\n',
      }).where,
      [],
    );
  });

  it('follows a compose build: context into its Dockerfile (WORKDIR through ENV, COPY of the context)', () => {
    const files = {
      'app/shop/__init__.py': '',
      'app/shop/wsgi.py':
        'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      'app/Dockerfile.prod':
        'FROM python:3.12\nENV APP_HOME=/home/app/web\nWORKDIR $APP_HOME\nCOPY . $APP_HOME\n',
    };
    const compose = (command: string) =>
      `services:\n  web:\n    build:\n      context: ./app\n      dockerfile: Dockerfile.prod\n    command: ${command}\n`;
    assert.deepEqual(
      findingsOf({ ...files, 'compose.yaml': compose('gunicorn shop.wsgi:application') }).where,
      [],
    );
    const broken = findingsOf({ ...files, 'compose.yaml': compose('gunicorn shop.wsgi.application') });
    assert.deepEqual(broken.where, ['app-dot-instead-of-colon@compose.yaml:6']);
    assert.equal(broken.findings[0]?.severity, 'error');
    const missing = findingsOf({ ...files, 'compose.yaml': compose('gunicorn shop.asgi:application') });
    assert.deepEqual(missing.where, ['app-module-not-found@compose.yaml:6']);
    assert.match(missing.findings[0]!.message, /\/home\/app\/web\/shop\/asgi\.py/);
  });

  it('guesses a systemd WorkingDirectory= onto the checkout to find the module, but never reports it missing', () => {
    const guessedModule = findingsOf({
      'wsgi.py': FLASK_APP,
      'deploy/app.service': '[Service]\nWorkingDirectory=/srv/app\nExecStart=/usr/bin/gunicorn wsgi:app()\n',
    });
    assert.deepEqual(guessedModule.where, ['app-call-not-factory@app.service:3']);
    assert.equal(guessedModule.findings[0]?.severity, 'warning', 'a guessed file makes an error a warning');
    assert.deepEqual(
      findingsOf({
        'src/wsgi.py': FLASK_APP,
        'deploy/app.service': '[Service]\nWorkingDirectory=/srv/app\nExecStart=/usr/bin/gunicorn wsgi:app\n',
      }).where,
      [],
    );
  });

  it('checks wsgi_app in the config file when the launch names no app', () => {
    assert.deepEqual(
      findingsOf({
        'main.py': FLASK_APP,
        'gunicorn.conf.py': 'wsgi_app = "main:application"\n',
        Procfile: 'web: gunicorn -c gunicorn.conf.py\n',
      }).where,
      ['app-attribute-missing@gunicorn.conf.py:1'],
    );
  });

  it('ignores wsgi_app before 20.1.0, which does not know the setting', () => {
    const files = {
      'main.py': FLASK_APP,
      'gunicorn.conf.py': 'wsgi_app = "main:application"\n',
      Procfile: 'web: gunicorn -c gunicorn.conf.py\n',
    };
    assert.deepEqual(findingsOf(files, '20.0.4').where, []);
  });

  it('sees a module created after the first build when the host appends it to the same listing', () => {
    const procfile = 'web: gunicorn main:app\n';
    const sources: WorkspaceSource[] = [
      { uri: 'file:///w/Procfile', path: '/w/Procfile', kind: 'procfile', text: procfile },
    ];
    const paths = ['/w/Procfile'];
    const options = { version: V('23.0.0'), versionLabel: 'test' };
    assert.equal(buildDeploymentModel(sources, options, { paths }).appTargets()[0]?.status, 'unknown');
    paths.push('/w/main.py');
    assert.equal(buildDeploymentModel(sources, options, { paths }).appTargets()[0]?.status, 'found');
  });

  it('leaves paste apps and specs with variables alone', () => {
    assert.deepEqual(findingsOf({ 'main.py': FLASK_APP, Procfile: 'web: gunicorn $APP_MODULE\n' }).where, []);
  });

  it('describes the resolved app on hover: module file, name, WSGI or ASGI and framework', () => {
    const root = writeProject({
      'main.py': FASTAPI_APP,
      Procfile: 'web: gunicorn -k uvicorn_worker.UvicornWorker main:app\n',
    });
    try {
      const [target] = projectModel(root).appTargets();
      const text = describeAppTarget(target!);
      assert.match(text, /main\.py/);
      assert.match(text, /ASGI app, FastAPI/);
      assert.match(text, /Name `app`: assigned \(line 3\)/);
    } finally {
      removeProject(root);
    }
  });
});

describe('gunicorn-config check on an app project', () => {
  it('reports the app findings in text, JSON and SARIF, and exits 1 on the error', () => {
    const root = writeProject({
      'shop/__init__.py': '',
      'shop/wsgi.py':
        'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      Procfile: 'web: gunicorn shop.wsgi.application\n',
    });
    try {
      const cli = join(__dirname, '..', '..', 'server', 'src', 'cli.js');
      const json = spawnSync(process.execPath, [cli, 'check', root, '--format', 'json'], {
        encoding: 'utf8',
      });
      assert.equal(json.status, 1, json.stderr);
      const rows = JSON.parse(json.stdout) as { file: string; rule: string; line: number }[];
      assert.deepEqual(
        rows.filter((r) => r.rule.startsWith('app-')).map((r) => `${r.rule}:${r.line}`),
        ['app-dot-instead-of-colon:1'],
      );
      const sarif = spawnSync(process.execPath, [cli, 'check', root, '--format', 'sarif'], {
        encoding: 'utf8',
      });
      assert.match(sarif.stdout, /"ruleId": "app-dot-instead-of-colon"/);
    } finally {
      removeProject(root);
    }
  });
});

// Fixture projects for the app-target checks (Flask, Django, FastAPI, factory, src layout; good and broken), written
// into a fresh temporary folder, and the deployment model of such a folder built the way the CLI builds it.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../server/src/core/findings';
import { parseVersion, type Version } from '../../server/src/core/version';
import { unreadAppModules } from '../../server/src/deployment/appTarget';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import { filesUnder, sourcesOf } from '../helpers/folderSources';

export type Files = Record<string, string>;

/** Writes `files` (relative path → text) under a new temporary folder; returns the folder. */
export function writeProject(files: Files): string {
  const root = mkdtempSync(join(tmpdir(), 'gc-app-'));
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** The model of a project folder: deployment files by kind, then the app modules the first build asks for. */
export function projectModel(root: string, version: Version = parseVersion('20.1.0')!): DeploymentModel {
  const paths = filesUnder(root);
  const sources = sourcesOf(paths);
  const options = { version, versionLabel: 'test' };
  const listing = { paths };
  let model = buildDeploymentModel(sources, options, listing);
  const wanted = unreadAppModules(model.appTargets());
  if (wanted.length) {
    for (const path of wanted) {
      sources.push({ uri: pathToFileURL(path).href, path, kind: 'python', text: readFileSync(path, 'utf8') });
    }
    model = buildDeploymentModel(sources, options, listing);
  }
  return model;
}

/** The findings about the app a project loads (app-* and django-*), in file order. */
export function appFindings(model: DeploymentModel): Finding[] {
  return [...model.findings.values()]
    .flat()
    .filter((f) => f.rule.startsWith('app-') || f.rule.startsWith('django-'));
}

/** Stand-ins for the frameworks (the oracle imports them; Debian has no FastAPI): same call shapes as the real ones. */
export const FRAMEWORK_STUBS: Files = {
  'flask/__init__.py':
    'class Flask:\n    def __init__(self, name):\n        self.name = name\n    def __call__(self, environ, start_response):\n        start_response("200 OK", [])\n        return [b"ok"]\n',
  'fastapi/__init__.py':
    'class FastAPI:\n    def __init__(self, **kw):\n        pass\n    async def __call__(self, scope, receive, send):\n        pass\n',
  'django/__init__.py': '',
  'django/core/__init__.py': '',
  // Like Django's own setup: the settings module named by DJANGO_SETTINGS_MODULE is imported when the app is made.
  'django/core/wsgi.py':
    'import importlib, os\n\n\ndef get_wsgi_application():\n    if os.environ.get("DJANGO_SETTINGS_MODULE"):\n        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])\n    def handler(environ, start_response):\n        start_response("200 OK", [])\n        return [b"ok"]\n    return handler\n',
  'django/core/asgi.py':
    'def get_asgi_application():\n    async def handler(scope, receive, send):\n        pass\n    return handler\n',
};

const FLASK_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';
const FLASK_FACTORY =
  'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n';
const FASTAPI_APP = 'from fastapi import FastAPI\n\napp = FastAPI(title="shop")\n';
const DJANGO_WSGI =
  'from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n';
const DJANGO_WSGI_WITH_SETTINGS = (settings: string) =>
  `import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settings}")\n\napplication = get_wsgi_application()\n`;
const DJANGO_ASGI =
  'from django.core.asgi import get_asgi_application\n\napplication = get_asgi_application()\n';

export interface AppCase {
  name: string;
  files: Files;
  /** The app spec, as Gunicorn receives it. */
  spec: string;
  /** Folder (relative) Gunicorn runs in: `--chdir`. */
  chdir?: string;
  /** What we report: the rule, or nothing. */
  expect?: string;
  /** Environment of the launch (written before `gunicorn` on the Procfile line, given to the judge's process). */
  env?: Record<string, string>;
}

/** A Procfile line for a case: Gunicorn started in the project folder. */
export function procfileFor(c: AppCase): string {
  const env = Object.entries(c.env ?? {})
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  return `web: ${env}gunicorn ${c.chdir ? `--chdir ${c.chdir} ` : ''}'${c.spec}'\n`;
}

export const APP_CASES: AppCase[] = [
  { name: 'Flask app', files: { 'main.py': FLASK_APP }, spec: 'main:app' },
  {
    name: 'Flask app under a wrong name',
    files: { 'main.py': FLASK_APP },
    spec: 'main:application',
    expect: 'app-attribute-missing',
  },
  {
    name: 'Flask app without a name (application)',
    files: { 'main.py': FLASK_APP },
    spec: 'main',
    expect: 'app-attribute-missing',
  },
  {
    name: 'Flask app called',
    files: { 'main.py': FLASK_APP },
    spec: 'main:app()',
    expect: 'app-call-not-factory',
  },
  { name: 'Flask factory called', files: { 'app.py': FLASK_FACTORY }, spec: 'app:create_app()' },
  {
    name: 'Flask factory not called',
    files: { 'app.py': FLASK_FACTORY },
    spec: 'app:create_app',
    expect: 'app-factory-not-called',
  },
  {
    name: 'Django project',
    files: { 'shop/__init__.py': '', 'shop/wsgi.py': DJANGO_WSGI, 'manage.py': '' },
    spec: 'shop.wsgi:application',
  },
  {
    name: 'Django project, default name',
    files: { 'shop/__init__.py': '', 'shop/wsgi.py': DJANGO_WSGI },
    spec: 'shop.wsgi',
  },
  {
    name: 'Django project with a dot for the colon',
    files: { 'shop/__init__.py': '', 'shop/wsgi.py': DJANGO_WSGI },
    spec: 'shop.wsgi.application',
    expect: 'app-dot-instead-of-colon',
  },
  {
    name: 'Django ASGI application under the sync worker',
    files: { 'shop/__init__.py': '', 'shop/asgi.py': DJANGO_ASGI },
    spec: 'shop.asgi:application',
    expect: 'app-worker-mismatch',
  },
  {
    name: 'FastAPI app under the sync worker',
    files: { 'main.py': FASTAPI_APP },
    spec: 'main:app',
    expect: 'app-worker-mismatch',
  },
  {
    name: 'src layout without --chdir',
    files: { 'src/proj/__init__.py': '', 'src/proj/main.py': FLASK_APP },
    spec: 'proj.main:app',
    expect: 'app-module-not-found',
  },
  {
    name: 'src layout with --chdir src',
    files: { 'src/proj/__init__.py': '', 'src/proj/main.py': FLASK_APP },
    spec: 'proj.main:app',
    chdir: 'src',
  },
  {
    name: 'a package without the module',
    files: { 'shop/__init__.py': '', 'shop/settings.py': 'DEBUG = False\n' },
    spec: 'shop.wsgi:application',
    expect: 'app-module-not-found',
  },
  {
    name: 'a factory called with a name for an argument',
    files: { 'app.py': 'from flask import Flask\n\n\ndef create_app(config):\n    return Flask(__name__)\n' },
    spec: 'app:create_app(config)',
    expect: 'app-spec-invalid',
  },
  {
    name: 'a factory called with literal arguments',
    files: {
      'app.py':
        'from flask import Flask\n\n\ndef create_app(config, debug=False):\n    return Flask(__name__)\n',
    },
    spec: 'app:create_app("production", debug=True)',
  },
  {
    name: 'a dotted name after the colon',
    files: { 'main.py': FLASK_APP },
    spec: 'main:app.wsgi_app',
    expect: 'app-spec-invalid',
  },
  {
    name: 'Django settings module named by the wsgi default, present',
    files: {
      'shop/__init__.py': '',
      'shop/settings.py': 'DEBUG = False\n',
      'shop/wsgi.py': DJANGO_WSGI_WITH_SETTINGS('shop.settings'),
    },
    spec: 'shop.wsgi:application',
  },
  {
    name: 'Django settings module set by the environment, misspelt',
    files: {
      'shop/__init__.py': '',
      'shop/settings.py': 'DEBUG = False\n',
      'shop/wsgi.py': DJANGO_WSGI_WITH_SETTINGS('shop.settings'),
    },
    env: { DJANGO_SETTINGS_MODULE: 'shop.setings' },
    spec: 'shop.wsgi:application',
    expect: 'django-settings-module-missing',
  },
  {
    name: 'Django settings module set by the environment over a wrong default',
    files: {
      'shop/__init__.py': '',
      'shop/settings.py': 'DEBUG = False\n',
      'shop/wsgi.py': DJANGO_WSGI_WITH_SETTINGS('shop.setings'),
    },
    env: { DJANGO_SETTINGS_MODULE: 'shop.settings' },
    spec: 'shop.wsgi:application',
  },
  {
    name: 'a plain WSGI function',
    files: {
      'wsgi.py':
        'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n',
    },
    spec: 'wsgi',
  },
];

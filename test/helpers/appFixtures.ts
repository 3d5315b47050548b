// The fixture projects of test/fixtures/apps (Flask, Django, FastAPI, factory, src layout; a good and a broken variant
// each), described once for every test level: where the app spec is written, the module and binding it leads to, and
// the boot error the broken variant has.

import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository's root, from out/test/helpers (compiled) or test/helpers (sources). */
export const REPO_ROOT = join(
  __dirname,
  '..',
  '..',
  ...(__dirname.includes(`${join('out', 'test')}`) ? ['..'] : []),
);
export const APP_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'apps');

export interface AppFixture {
  /** Folder under test/fixtures/apps. */
  project: string;
  /** The file (relative to a variant) that writes the app spec, and the spec as written in the good variant. */
  launch: string;
  spec: string;
  /** The module file the spec resolves to (relative), and the text its binding line starts with. */
  module: string;
  binding: string;
  /** A module name completion offers at the launch, and one it must not (not importable from there), if any. */
  importable: string;
  notImportable?: string;
  /** The broken variant: the one finding it has, where (relative file), and its severity. */
  broken: { rule: string; file: string; severity: 'error' | 'warning' };
}

export const APP_FIXTURES_LIST: AppFixture[] = [
  {
    project: 'flask',
    launch: 'Procfile',
    spec: 'notes:app',
    module: 'notes.py',
    binding: 'app = Flask(',
    importable: 'notes',
    broken: { rule: 'app-attribute-missing', file: 'Procfile', severity: 'error' },
  },
  {
    project: 'django',
    launch: 'Dockerfile',
    spec: 'bookshop.wsgi:application',
    module: 'bookshop/wsgi.py',
    binding: 'application = get_wsgi_application()',
    importable: 'bookshop.settings',
    broken: { rule: 'django-settings-module-missing', file: 'Dockerfile', severity: 'error' },
  },
  {
    project: 'fastapi',
    launch: 'gunicorn.conf.py',
    spec: 'app.main:app',
    module: 'app/main.py',
    binding: 'app = FastAPI(',
    importable: 'app.main',
    broken: { rule: 'app-worker-mismatch', file: 'gunicorn.conf.py', severity: 'warning' },
  },
  {
    project: 'factory',
    launch: 'compose.yaml',
    spec: 'blog:create_app()',
    module: 'blog/__init__.py',
    binding: 'def create_app(',
    importable: 'blog.views',
    broken: { rule: 'app-factory-not-called', file: 'compose.yaml', severity: 'warning' },
  },
  {
    project: 'src-layout',
    launch: 'Procfile',
    spec: 'inventory.web:app',
    module: 'src/inventory/web.py',
    binding: 'app = Flask(',
    importable: 'inventory.web',
    notImportable: 'src.inventory.web',
    broken: { rule: 'app-module-not-found', file: 'Procfile', severity: 'error' },
  },
];

/** A variant's folder in the repository (tests read it, never write it). */
export function fixtureDir(fixture: AppFixture, variant: 'good' | 'broken'): string {
  return join(APP_FIXTURES, fixture.project, variant);
}

/** Zero-based line and character where `needle` first occurs in a fixture file. */
export function positionIn(path: string, needle: string): { line: number; character: number } {
  const lines = readFileSync(path, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${needle} not in ${path}`);
  return { line, character: lines[line]!.indexOf(needle) };
}

/** A throwaway copy of every fixture project (for a server that may be asked to write, or a workspace of its own). */
export function copyAppFixtures(): string {
  const copy = mkdtempSync(join(tmpdir(), 'gc-apps-'));
  cpSync(APP_FIXTURES, copy, { recursive: true });
  return copy;
}

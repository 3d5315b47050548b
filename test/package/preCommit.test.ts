// The pre-commit hook (.pre-commit-hooks.yaml) run by Debian's real pre-commit (`pre-commit try-repo`) in throwaway
// git repositories: it fails on a copy of the broken example and passes on a deployment written by `init`; and its
// `files` pattern (Python's re, as pre-commit applies it) matches every kind of file the CLI reads.

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { isUnitFilePath } from '../../server/src/cli';
import { cleanEnv, ensureBundles, ROOT } from './helpers';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames: boolean;
}

const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'gunicorn-config')!;

/** Which of `paths` the hook's pattern selects, decided by Python's `re.search` as pre-commit does. */
function selected(paths: string[]): string[] {
  const script =
    'import json, re, sys\np = re.compile(sys.argv[1])\nprint(json.dumps([x for x in json.loads(sys.stdin.read()) if p.search(x)]))';
  const out = execFileSync('python3', ['-c', script, hook.files], {
    input: JSON.stringify(paths),
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('pre-commit hook', function () {
  it('is a node hook that checks the repository as one deployment', function () {
    assert.equal(hook.language, 'node');
    assert.equal(hook.entry, 'gunicorn-config check');
    assert.equal(hook.pass_filenames, false);
  });

  it('runs for every kind of file the CLI reads, templates included, and not for other files', function () {
    const deployment = [
      'gunicorn.conf.py',
      'config/gunicorn_prod.py',
      'deploy/shop_gunicorn_conf.py',
      'etc/gunicorn/web.py',
      'deploy/shop.service',
      'deploy/shop.socket',
      'deploy/shop@.service',
      'deploy/backup.timer',
      'systemd/shop.service.d/override.conf',
      'nginx.conf',
      'deploy/shop.nginx',
      'deploy/nginx/sites/shop.conf',
      'etc/nginx/sites-available/shop',
      'etc/nginx/sites-enabled/default',
      'conf.d/app.conf',
      'Dockerfile',
      'docker/Dockerfile.prod',
      'web.Dockerfile',
      'Containerfile',
      'Procfile',
      'Procfile.dev',
      'docker-compose.yml',
      'compose.yaml',
      'docker-compose.override.yml',
      'bin/start.sh',
      'scripts/deploy.bash',
      'requirements.txt',
      'requirements/prod.txt',
      'requirements-dev.in',
      'pyproject.toml',
      'Pipfile',
      'Pipfile.lock',
      'poetry.lock',
      'uv.lock',
      'setup.cfg',
      'setup.py',
      'templates/shop.service.j2',
      'templates/nginx-site.conf.j2',
      'templates/gunicorn.conf.py.jinja',
      'k8s/deployment.yaml',
      'deploy/kubernetes/web.yml',
      'charts/shop/templates/deployment.yaml',
      'web-deployment.yaml',
      'render.yaml',
      'fly.toml',
      'app.json',
    ];
    // The pattern's premise: each of these is a file the CLI reads (else the list above is wrong, not the pattern).
    const matched = selected(deployment);
    const read = (path: string): boolean => !!sourceKindOf(path) || isUnitFilePath(path);
    assert.deepEqual(
      deployment.filter((path) => !read(path)),
      [],
    );
    assert.deepEqual(
      deployment.filter((path) => !matched.includes(path)),
      [],
    );
    const other = [
      'README.md',
      'app/views.py',
      'shop/wsgi.py',
      'package.json',
      'docs/nginx.md',
      'src/main.ts',
      '.github/workflows/ci.yml',
      'openapi.yaml',
    ];
    assert.deepEqual(selected(other), []);
  });

  describe('run by pre-commit try-repo', function () {
    // Each try-repo installs the hook's environment afresh: npm installs this repository with its dev dependencies
    // (from the npm cache or registry) and `npm pack` builds the bundles; about a minute each on two cores.
    this.timeout(600_000);
    let work: string;
    before(function () {
      const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, 'pre-commit is not installed: apt-get install pre-commit');
      ensureBundles();
      work = mkdtempSync(join(tmpdir(), 'gc-pre-commit-'));
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    const env = (): NodeJS.ProcessEnv =>
      cleanEnv({
        PRE_COMMIT_HOME: join(work, 'pre-commit-home'),
        GIT_AUTHOR_NAME: 'test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
        GIT_CONFIG_NOSYSTEM: '1',
      });

    /** A git repository holding the given files, committed. */
    function repository(name: string, fill: (dir: string) => void): string {
      const dir = join(work, name);
      fill(dir);
      for (const args of [
        ['init', '-q'],
        ['add', '-A'],
        ['commit', '-qm', 'deployment'],
      ]) {
        execFileSync('git', args, { cwd: dir, env: env() });
      }
      return dir;
    }

    function tryRepo(dir: string): { status: number | null; output: string } {
      const run = spawnSync('pre-commit', ['try-repo', ROOT, 'gunicorn-config', '--all-files'], {
        cwd: dir,
        env: env(),
        encoding: 'utf8',
      });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    }

    it('fails on the broken example, naming its errors', function () {
      const dir = repository('broken', (d) =>
        cpSync(join(ROOT, 'examples', 'deployment'), d, { recursive: true }),
      );
      const { status, output } = tryRepo(dir);
      assert.equal(status, 1, output);
      assert.match(output, /gunicorn-config\.+Failed/);
      assert.match(output, /deploy\/shop\.nginx:22:9 error nginx-unknown-directive/);
      assert.match(output, /deploy\/shop\.service:12:5 error gunicorn-command-line/);
    });

    it('passes on a deployment that fits together', function () {
      const dir = repository('clean', (d) => {
        execFileSync(process.execPath, [
          join(ROOT, 'dist', 'cli.js'),
          'init',
          d,
          '--name',
          'shop',
          '--app',
          'shop.wsgi:app',
        ]);
      });
      const { status, output } = tryRepo(dir);
      assert.equal(status, 0, output);
      assert.match(output, /gunicorn-config\.+Passed/);
    });
  });
});

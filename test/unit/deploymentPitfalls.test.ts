// The pitfall rules from real incidents (gevent + psycopg2, preload + GPU frameworks, prometheus_client with several
// workers, workers from the CPU count in a container), on fixture projects: the app's imports end to end, the
// dependency files through facts whose packages() is replaced, their fixes, and the CLI on a temporary project.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { geventPsycogreenMissing } from '../../server/src/deployment/rules/geventPsycogreenMissing';
import { preloadGpuFramework } from '../../server/src/deployment/rules/preloadGpuFramework';
import { prometheusMultiprocess } from '../../server/src/deployment/rules/prometheusMultiprocess';
import { pythonModuleFacts } from '../../server/src/languages/python/moduleFacts';
import { removeProject, writeProject } from './appProjects';
import { applied, DOCKERFILE, FLASK, PITFALLS, pitfalls, withPackages, type Files } from './pitfallProjects';

describe('Python module facts: imports', () => {
  it('lists each imported module with when it runs: at import, in a block, or inside a function', () => {
    const facts = pythonModuleFacts(
      'import os, psycopg2.extras as ex\nfrom prometheus_client import Counter\nfrom .models import User\n' +
        'try:\n    import torch\nexcept ImportError:\n    torch = None\n' +
        'class Config:\n    import yaml\n' +
        'def load():\n    import tensorflow as tf\n    return tf\n' +
        'handler = lambda: __import__("x")\n',
    );
    assert.deepEqual(
      facts.imports.map(
        (i) => `${i.module}:${i.runs}${i.conditional ? '?' : ''}${i.relative ? ' (relative)' : ''}`,
      ),
      [
        'os:module',
        'psycopg2.extras:module',
        'prometheus_client:module',
        'models:module (relative)',
        'torch:module?',
        'yaml:module',
        'tensorflow:function',
      ],
    );
    const text = 'import os, psycopg2.extras as ex\n';
    const second = pythonModuleFacts(text).imports[1]!;
    assert.equal(text.slice(second.from, second.to), 'psycopg2.extras');
  });

  it('gives no imports for unreadable input and never throws', () => {
    assert.deepEqual(pythonModuleFacts('('.repeat(500)).imports, []);
    assert.deepEqual(pythonModuleFacts('from import\nimport\nfrom . import\n').imports, []);
  });
});

describe('gevent-psycogreen-missing', () => {
  const APP = 'import psycopg2\n' + FLASK;

  it('warns on the gevent worker class of a launch whose app imports psycopg2, pointing at the import', () => {
    const seen = pitfalls({ Procfile: 'web: gunicorn -k gevent -w 4 app:app\n', 'app.py': APP });
    assert.deepEqual(seen.where, ['gevent-psycogreen-missing@Procfile:1']);
    const [finding] = seen.findings;
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /psycogreen/);
    assert.ok(finding!.related?.some((r) => r.uri.endsWith('/app.py') && r.range.start.line === 0));
    assert.deepEqual(
      finding!.fixes?.filter((f) => !f.title.startsWith('Ignore')),
      [],
      'no config file to add a hook to',
    );
  });

  it('offers a post_fork hook with psycogreen in the config (not preferred), after which it is quiet', () => {
    const files: Files = {
      Procfile: 'web: gunicorn -c gunicorn.conf.py app:app\n',
      'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworker_class = "gevent"\nworkers = 4\n',
      'app.py': APP,
    };
    const seen = pitfalls(files);
    assert.deepEqual(seen.where, ['gevent-psycogreen-missing@gunicorn.conf.py:2']);
    const fix = seen.findings[0]!.fixes!.find((f) => f.title.includes('psycogreen'))!;
    assert.notEqual(fix.isPreferred, true);
    const fixed = applied(files, seen.findings[0]!, fix);
    assert.match(
      fixed['gunicorn.conf.py']!,
      /\n\ndef post_fork\(server, worker\):\n(    .*\n|\n)*    patch_psycopg\(\)\n$/,
    );
    assert.deepEqual(pitfalls(fixed).where, []);
  });

  it('is quiet when something green-patches psycopg2, or nothing needs it', () => {
    const quiet: Files[] = [
      // The patch in a hook of the config, as real gevent deployments write it.
      {
        Procfile: 'web: gunicorn -c gunicorn.conf.py app:app\n',
        'gunicorn.conf.py':
          'worker_class = "gevent"\n\ndef post_fork(server, worker):\n    from psycogreen.gevent import patch_psycopg\n    patch_psycopg()\n',
        'app.py': APP,
      },
      // Or in the app itself.
      { Procfile: 'web: gunicorn -k gevent app:app\n', 'app.py': 'import psycogreen.gevent\n' + APP },
      // eventlet's monkey_patch() greens psycopg2 itself; sync workers have nothing to block.
      { Procfile: 'web: gunicorn -k eventlet app:app\n', 'app.py': APP },
      { Procfile: 'web: gunicorn -w 4 app:app\n', 'app.py': APP },
      // psycopg 3 (3.1.14+) waits through gevent without help.
      { Procfile: 'web: gunicorn -k gevent app:app\n', 'app.py': 'import psycopg\n' + FLASK },
    ];
    for (const files of quiet) assert.deepEqual(pitfalls(files).where, [], JSON.stringify(files));
  });

  it('reads psycopg2 from the dependency files too, and psycogreen there as the patch', () => {
    const files: Files = { Procfile: 'web: gunicorn -k gevent app:app\n', 'app.py': FLASK };
    const reports = withPackages(geventPsycogreenMissing, files, {
      'requirements.txt': ['flask', 'psycopg2-binary==2.9.9'],
    });
    assert.equal(reports.length, 1);
    assert.match(reports[0]!.message, /psycopg2-binary==2\.9\.9 in requirements\.txt/);
    assert.ok(
      reports[0]!.related?.some((r) => r.uri.endsWith('/requirements.txt') && r.range.start.line === 1),
    );
    assert.deepEqual(
      withPackages(geventPsycogreenMissing, files, { 'requirements.txt': ['psycopg2-binary', 'psycogreen'] }),
      [],
    );
    assert.deepEqual(
      withPackages(geventPsycogreenMissing, files, { 'requirements.txt': ['psycopg[binary]'] }),
      [],
    );
  });
});

describe('preload-gpu-framework', () => {
  const TORCH_APP =
    'import torch\nfrom flask import Flask\n\nmodel = torch.load("model.pt").to("cuda")\napp = Flask(__name__)\n';

  it('warns on preload_app when the app imports torch at module level, and offers to turn preload off', () => {
    const files: Files = {
      Dockerfile: `${DOCKERFILE}CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n`,
      'gunicorn.conf.py': 'workers = 2\npreload_app = True\n',
      'app.py': TORCH_APP,
    };
    const seen = pitfalls(files);
    assert.deepEqual(seen.where, ['preload-gpu-framework@gunicorn.conf.py:2']);
    assert.match(seen.findings[0]!.message, /post_fork|lazily/);
    const fix = seen.findings[0]!.fixes!.find((f) => f.title.startsWith('Turn preload_app off'))!;
    assert.notEqual(fix.isPreferred, true, 'more memory per worker: offered, not preferred');
    const fixed = applied(files, seen.findings[0]!, fix);
    assert.equal(fixed['gunicorn.conf.py'], 'workers = 2\npreload_app = False\n');
    assert.deepEqual(pitfalls(fixed).where, []);
  });

  it('finds --preload on the command line; a framework imported inside a function (lazy loading) is fine', () => {
    assert.deepEqual(
      pitfalls({
        Procfile: 'web: gunicorn --preload -w 2 app:app\n',
        'app.py': 'import tensorflow as tf\n' + FLASK,
      }).where,
      ['preload-gpu-framework@Procfile:1'],
    );
    const lazy =
      'from flask import Flask\n\napp = Flask(__name__)\n\ndef model():\n    import torch\n    return torch.load("m.pt")\n';
    assert.deepEqual(pitfalls({ Procfile: 'web: gunicorn --preload app:app\n', 'app.py': lazy }).where, []);
    assert.deepEqual(pitfalls({ Procfile: 'web: gunicorn -w 2 app:app\n', 'app.py': TORCH_APP }).where, []);
  });

  it('reads the frameworks from dependency files, but not from lock files (transitive packages)', () => {
    const files: Files = { Procfile: 'web: gunicorn --preload app:app\n', 'app.py': FLASK };
    assert.equal(
      withPackages(preloadGpuFramework, files, { 'requirements.txt': ['cupy-cuda12x==13.0'] }).length,
      1,
    );
    assert.equal(withPackages(preloadGpuFramework, files, { 'pyproject.toml': ['jax'] }).length, 1);
    assert.deepEqual(withPackages(preloadGpuFramework, files, { 'poetry.lock': ['torch'] }), []);
    assert.deepEqual(
      withPackages(preloadGpuFramework, files, { 'requirements.txt': ['numpy', 'scikit-learn'] }),
      [],
    );
  });
});

describe('pitfall rules on dependency files read from disk', () => {
  it('takes the packages a requirements file declares as used, and psycogreen declared there as the patch', () => {
    const preload: Files = {
      Procfile: 'web: gunicorn --preload app:app\n',
      'app.py': FLASK,
      'requirements.txt': 'flask==3.0.3\ngunicorn==23.0.0\ntorch==2.3.1 ; platform_machine == "x86_64"\n',
    };
    assert.deepEqual(pitfalls(preload).where, ['preload-gpu-framework@Procfile:1']);
    const gevent: Files = {
      Procfile: 'web: gunicorn -k gevent app:app\n',
      'app.py': FLASK,
      'requirements.txt': '-r requirements-base.txt\ngevent==24.2.1\n',
      'requirements-base.txt': 'flask\npsycopg2-binary>=2.9\n',
    };
    assert.deepEqual(pitfalls(gevent).where, ['gevent-psycogreen-missing@Procfile:1']);
    assert.deepEqual(
      pitfalls({ ...gevent, 'requirements-base.txt': 'flask\npsycopg2-binary>=2.9\npsycogreen\n' }).where,
      [],
    );
  });
});

describe('prometheus-multiprocess', () => {
  const PROM_APP = 'from prometheus_client import Counter\n' + FLASK + 'HITS = Counter("hits", "Requests")\n';

  it('warns on workers > 1 when the app imports prometheus_client and the variable is not set', () => {
    const seen = pitfalls({
      'docker-compose.yml':
        'services:\n  web:\n    build: .\n    command: gunicorn -w 4 -b 0.0.0.0:8000 app:app\n',
      Dockerfile: DOCKERFILE,
      'app.py': PROM_APP,
    });
    assert.deepEqual(seen.where, ['prometheus-multiprocess@docker-compose.yml:4']);
    assert.equal(seen.findings[0]!.severity, 'warning');
    assert.match(seen.findings[0]!.message, /PROMETHEUS_MULTIPROC_DIR/);
  });

  it('is quiet with one worker, an unknown count, the variable set with a child_exit hook, or env files it cannot read', () => {
    const quiet: Files[] = [
      { Procfile: 'web: gunicorn app:app\n', 'app.py': PROM_APP },
      { Procfile: 'web: gunicorn -w $WORKERS app:app\n', 'app.py': PROM_APP },
      {
        'docker-compose.yml':
          'services:\n  web:\n    build: .\n    command: gunicorn -c gunicorn.conf.py app:app\n    environment:\n      PROMETHEUS_MULTIPROC_DIR: /tmp/metrics\n',
        Dockerfile: DOCKERFILE,
        'gunicorn.conf.py':
          'from prometheus_client import multiprocess\n\nworkers = 4\n\ndef child_exit(server, worker):\n    multiprocess.mark_process_dead(worker.pid)\n',
        'app.py': PROM_APP,
      },
      {
        'docker-compose.yml':
          'services:\n  web:\n    build: .\n    command: gunicorn -w 4 app:app\n    env_file: .env\n',
        Dockerfile: DOCKERFILE,
        'app.py': PROM_APP,
      },
      // The app collects across processes: the variable comes from somewhere we do not see.
      {
        Procfile: 'web: gunicorn -w 4 app:app\n',
        'app.py':
          PROM_APP +
          'from prometheus_client import multiprocess, CollectorRegistry\nREG = CollectorRegistry()\nmultiprocess.MultiProcessCollector(REG)\n',
      },
      // The exporter's Gunicorn class refuses to start without the variable: it is set where we cannot see.
      {
        Procfile: 'web: gunicorn -w 4 app:app\n',
        'app.py': 'from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics\n' + FLASK,
      },
      // django-prometheus may export per worker on a port range instead (in settings we do not read).
      { Procfile: 'web: gunicorn -w 4 app:app\n', 'app.py': 'import django_prometheus\n' + FLASK },
    ];
    for (const files of quiet) assert.deepEqual(pitfalls(files).where, [], JSON.stringify(files));
  });

  it('with the variable set, asks for the child_exit hook and adds it (preferred: the variable reaches the master)', () => {
    const files: Files = {
      'deploy/shop.service':
        '[Service]\nEnvironment=PROMETHEUS_MULTIPROC_DIR=/run/shop/metrics\nWorkingDirectory=/srv/shop\nExecStart=/srv/venv/bin/gunicorn -c /srv/shop/gunicorn.conf.py app:app\n',
      'gunicorn.conf.py': 'workers = 3\n',
      'app.py': 'from prometheus_flask_exporter.multiprocess import GunicornPrometheusMetrics\n' + FLASK,
    };
    const seen = pitfalls(files);
    assert.deepEqual(seen.where, ['prometheus-multiprocess@deploy/shop.service:2']);
    assert.equal(seen.findings[0]!.severity, 'info');
    const fix = seen.findings[0]!.fixes!.find((f) => f.title.includes('child_exit'))!;
    assert.equal(fix.isPreferred, true);
    const fixed = applied(files, seen.findings[0]!, fix);
    assert.match(fixed['gunicorn.conf.py']!, /^workers = 3\n\ndef child_exit\(server, worker\):\n/);
    assert.match(fixed['gunicorn.conf.py']!, /multiprocess\.mark_process_dead\(worker\.pid\)\n$/);
    assert.deepEqual(pitfalls(fixed).where, []);
  });

  it('counts `cpu_count() * 2 + 1` as at least 3 workers, but not a bare or divided count', () => {
    const project = (workers: string): Files => ({
      Procfile: 'web: gunicorn -c gunicorn.conf.py app:app\n',
      'gunicorn.conf.py': `import multiprocessing\nworkers = ${workers}\n`,
      'app.py': PROM_APP,
    });
    const seen = pitfalls(project('multiprocessing.cpu_count() * 2 + 1'));
    assert.deepEqual(seen.where, ['prometheus-multiprocess@gunicorn.conf.py:2']);
    assert.match(seen.findings[0]!.message, /^At least 3 workers/);
    assert.equal(seen.findings[0]!.severity, 'info', 'a Procfile gets its environment from the platform');
    assert.deepEqual(pitfalls(project('multiprocessing.cpu_count()')).where, []);
    assert.deepEqual(pitfalls(project('multiprocessing.cpu_count() // 2 + 1')).where, []);
  });

  it('counts raw_env, and reads the exporters from dependency files', () => {
    const config = 'workers = 2\nraw_env = ["PROMETHEUS_MULTIPROC_DIR=/tmp/m"]\n';
    assert.deepEqual(
      pitfalls({
        Procfile: 'web: gunicorn -c gunicorn.conf.py app:app\n',
        'gunicorn.conf.py': config,
        'app.py': PROM_APP,
      }).where,
      ['prometheus-multiprocess@gunicorn.conf.py:2'],
    );
    const files: Files = { Procfile: 'web: gunicorn -w 3 app:app\n', 'app.py': FLASK };
    assert.equal(
      withPackages(prometheusMultiprocess, files, { 'requirements.txt': ['starlette-exporter'] }).length,
      1,
    );
    assert.deepEqual(withPackages(prometheusMultiprocess, files, { 'requirements.txt': ['flask'] }), []);
  });
});

describe('workers-cpu-count', () => {
  it("names a Kubernetes container's CPU limit when the manifest runs the config", () => {
    const files: Files = {
      'gunicorn.conf.py': 'import multiprocessing\n\nworkers = multiprocessing.cpu_count() * 2 + 1\n',
      'app.py': FLASK,
      'k8s/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n' +
        '      containers:\n        - name: web\n          image: shop:1\n' +
        '          command: ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n' +
        '          resources:\n            limits:\n              cpu: 500m\n',
    };
    const seen = pitfalls(files);
    assert.deepEqual(seen.where, ['workers-cpu-count@gunicorn.conf.py:3']);
    assert.match(seen.findings[0]!.message, /Kubernetes container web is limited to 500m CPU/);
  });

  it('finds $(nproc) in a Dockerfile CMD and says what nproc sees', () => {
    const seen = pitfalls({
      Dockerfile: `${DOCKERFILE}CMD gunicorn -w $(nproc) -b 0.0.0.0:8000 app:app\n`,
      'app.py': FLASK,
    });
    assert.deepEqual(seen.where, ['workers-cpu-count@Dockerfile:4']);
    assert.match(seen.findings[0]!.message, /cpuset.*not a CPU quota/);
  });

  it('counts an entry-point script as in the container when a Dockerfile names it', () => {
    const script =
      '#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn shop.wsgi:application --workers $(( $(nproc) * 2 + 1 ))\n';
    const seen = pitfalls({
      Dockerfile: `${DOCKERFILE}COPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n`,
      'entrypoint.sh': script,
    });
    assert.deepEqual(seen.where, ['workers-cpu-count@entrypoint.sh:4']);
    assert.ok(
      seen.findings[0]!.related?.some((r) => r.uri.endsWith('/Dockerfile') && r.range.start.line === 3),
    );
    assert.deepEqual(
      pitfalls({ 'entrypoint.sh': script }).where,
      [],
      'a script on a host counts the right CPUs',
    );
  });

  it('follows the config through a helper variable and offers WEB_CONCURRENCY (not preferred)', () => {
    const files: Files = {
      Dockerfile: `${DOCKERFILE}CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n`,
      'gunicorn.conf.py':
        'import multiprocessing\nimport os\n\ncores = multiprocessing.cpu_count()\nworkers = cores * 2 + 1\n',
      'app.py': FLASK,
    };
    const seen = pitfalls(files);
    assert.deepEqual(seen.where, ['workers-cpu-count@gunicorn.conf.py:5']);
    assert.match(seen.findings[0]!.message, /host/);
    const fix = seen.findings[0]!.fixes!.find((f) => f.title.includes('WEB_CONCURRENCY'))!;
    assert.notEqual(fix.isPreferred, true);
    const fixed = applied(files, seen.findings[0]!, fix);
    assert.match(fixed['gunicorn.conf.py']!, /workers = int\(os\.environ\.get\("WEB_CONCURRENCY", 2\)\)\n$/);
    assert.deepEqual(pitfalls(fixed).where, []);
  });

  it('adds `import os` above the statement when the config has none (as in a real project run on Kubernetes)', () => {
    const before = '"""Settings."""\nimport multiprocessing\n\nbind = "0.0.0.0:8000"\n';
    const files: Files = {
      Dockerfile: `${DOCKERFILE}CMD ["gunicorn", "--config", "gunicorn_config.py", "app:app"]\n`,
      'gunicorn_config.py': `${before}workers = multiprocessing.cpu_count() * 2 + 1  # processes\n`,
      'app.py': FLASK,
    };
    const seen = pitfalls(files);
    assert.deepEqual(seen.where, ['workers-cpu-count@gunicorn_config.py:5']);
    const fix = seen.findings[0]!.fixes!.find((f) => f.title.includes('WEB_CONCURRENCY'))!;
    assert.equal(
      applied(files, seen.findings[0]!, fix)['gunicorn_config.py'],
      `${before}import os\nworkers = int(os.environ.get("WEB_CONCURRENCY", 2))  # processes\n`,
    );
  });

  it('names a compose cpus limit and a systemd CPUQuota=, and leaves an unconfined host alone', () => {
    const config = 'import os\nworkers = os.cpu_count() * 2 + 1\n';
    const compose = pitfalls({
      'docker-compose.yml':
        'services:\n  web:\n    build: .\n    command: gunicorn -c gunicorn.conf.py app:app\n    deploy:\n      resources:\n        limits:\n          cpus: "1.5"\n',
      Dockerfile: DOCKERFILE,
      'gunicorn.conf.py': config,
      'app.py': FLASK,
    });
    assert.deepEqual(compose.where, ['workers-cpu-count@gunicorn.conf.py:2']);
    assert.match(compose.findings[0]!.message, /limited to 1\.5 CPUs/);
    assert.ok(
      compose.findings[0]!.related?.some(
        (r) => r.uri.endsWith('docker-compose.yml') && r.range.start.line === 7,
      ),
    );
    const unit = (extra: string) => ({
      'shop.service': `[Service]\nWorkingDirectory=/srv/shop\n${extra}ExecStart=/srv/venv/bin/gunicorn -c /srv/shop/gunicorn.conf.py app:app\n`,
      'gunicorn.conf.py': config,
      'app.py': FLASK,
    });
    assert.deepEqual(pitfalls(unit('CPUQuota=200%\n')).where, ['workers-cpu-count@gunicorn.conf.py:2']);
    assert.deepEqual(pitfalls(unit('')).where, [], 'on a whole host the count is right');
    assert.deepEqual(
      pitfalls({
        Procfile: 'web: gunicorn -c gunicorn.conf.py app:app\n',
        'gunicorn.conf.py': config,
        'app.py': FLASK,
      }).where,
      [],
    );
  });

  it('sched_getaffinity under AllowedCPUs= is right; a variable that overrides the count makes it an info', () => {
    const unit = (config: string) => ({
      'shop.service':
        '[Service]\nWorkingDirectory=/srv/shop\nAllowedCPUs=0-1\nExecStart=/srv/venv/bin/gunicorn -c /srv/shop/gunicorn.conf.py app:app\n',
      'gunicorn.conf.py': config,
      'app.py': FLASK,
    });
    assert.deepEqual(pitfalls(unit('import os\nworkers = len(os.sched_getaffinity(0)) * 2\n')).where, []);
    assert.deepEqual(pitfalls(unit('import os\nworkers = os.cpu_count() * 2\n')).where, [
      'workers-cpu-count@gunicorn.conf.py:2',
    ]);
    const overridable =
      'import os\nworkers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() * 2 + 1))\n';
    const docker = (env: string): Files => ({
      Dockerfile: `${DOCKERFILE}${env}CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n`,
      'gunicorn.conf.py': overridable,
      'app.py': FLASK,
    });
    const unset = pitfalls(docker(''));
    assert.deepEqual(
      unset.findings.map((f) => f.severity),
      ['info'],
    );
    assert.deepEqual(pitfalls(docker('ENV GUNICORN_WORKERS=3\n')).where, []);
  });

  it('a per-core config that a variable can override (the shape of popular base images) is an info, quiet when set', () => {
    const config =
      'import multiprocessing\nimport os\n\nper_core = float(os.getenv("WORKERS_PER_CORE", "1"))\n' +
      'concurrency = os.getenv("WEB_CONCURRENCY")\ncores = multiprocessing.cpu_count()\n' +
      'if concurrency:\n    web_concurrency = int(concurrency)\nelse:\n    web_concurrency = max(int(per_core * cores), 2)\n' +
      'workers = web_concurrency\n';
    const image = (env: string): Files => ({
      Dockerfile: `${DOCKERFILE}${env}CMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "-c", "gunicorn_conf.py", "main:app"]\n`,
      'gunicorn_conf.py': config,
      'main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
    });
    const seen = pitfalls(image(''));
    assert.deepEqual(seen.where, ['workers-cpu-count@gunicorn_conf.py:11']);
    assert.equal(seen.findings[0]!.severity, 'info');
    assert.match(
      seen.findings[0]!.message,
      /unless one of (WEB_CONCURRENCY|WORKERS_PER_CORE), (WEB_CONCURRENCY|WORKERS_PER_CORE) is set at run time/,
    );
    assert.deepEqual(pitfalls(image('ENV WEB_CONCURRENCY=4\n')).where, []);
  });
});

describe('gunicorn-config check on a project with these pitfalls', () => {
  const REPO = join(__dirname, '..', '..', '..');
  const COMPILED = join(REPO, 'out', 'server', 'src', 'cli.js');
  /** The bundle `npm run build` makes; used when it is newer than every source file. */
  const BUNDLE = join(REPO, 'dist', 'cli.js');
  const FILES: Files = {
    Dockerfile: `${DOCKERFILE}CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n`,
    'gunicorn.conf.py':
      'import multiprocessing\n\nworkers = multiprocessing.cpu_count() * 2 + 1\nworker_class = "gevent"\npreload_app = True\n',
    'app.py': 'import psycopg2\nimport torch\nfrom prometheus_client import Counter\n' + FLASK,
  };

  function rowsOf(cli: string, root: string): string[] {
    const result = spawnSync(process.execPath, [cli, 'check', root, '--format', 'json'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as {
      file: string;
      line: number;
      rule: string;
      severity: string;
    }[];
    return rows
      .filter((row) => PITFALLS.has(row.rule))
      .map(
        (row) => `${row.file.slice(row.file.lastIndexOf('/') + 1)}:${row.line} ${row.severity} ${row.rule}`,
      )
      .sort();
  }

  it('reports each pitfall in the file to fix (compiled CLI, and the bundle when it is fresh)', () => {
    const root = writeProject(FILES);
    try {
      const expected = [
        'gunicorn.conf.py:3 info prometheus-multiprocess',
        'gunicorn.conf.py:3 warning workers-cpu-count',
        'gunicorn.conf.py:4 warning gevent-psycogreen-missing',
        'gunicorn.conf.py:5 warning preload-gpu-framework',
      ];
      assert.deepEqual(rowsOf(COMPILED, root), expected);
      const newest = Math.max(
        ...['src', 'data'].flatMap((dir) =>
          readdirSync(join(REPO, 'server', dir), { recursive: true, encoding: 'utf8' }).map(
            (f) => statSync(join(REPO, 'server', dir, f)).mtimeMs,
          ),
        ),
      );
      const fresh = existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= newest;
      if (fresh) assert.deepEqual(rowsOf(BUNDLE, root), expected);
    } finally {
      removeProject(root);
    }
  });
});

import { strict as assert } from 'node:assert';
import { applyFix, check, rules } from '../helpers/check';

describe('gunicorn rules', () => {
  describe('unknown-setting', () => {
    it('catches typos, flag spellings, wrong case and made-up hooks, with rename fixes', () => {
      assert.equal(applyFix('worker = 4\n', 'unknown-setting', "'workers'"), 'workers = 4\n');
      assert.equal(applyFix('keep_alive = 5\n', 'unknown-setting', "'keepalive'"), 'keepalive = 5\n');
      assert.equal(
        applyFix('pid = "/run/g.pid"\n', 'unknown-setting', "'pidfile'"),
        'pidfile = "/run/g.pid"\n',
      );
      assert.equal(applyFix('Workers = 4\n', 'unknown-setting', "'workers'"), 'workers = 4\n');
      assert.equal(applyFix('log_level = "info"\n', 'unknown-setting', "'loglevel'"), 'loglevel = "info"\n');
      assert.equal(
        applyFix('def worker_init(worker):\n    pass\n', 'unknown-setting', "'post_worker_init'"),
        'def post_worker_init(worker):\n    pass\n',
      );
    });

    it('leaves helper variables alone', () => {
      const config = [
        'import multiprocessing',
        'from os import environ as env',
        'BASE_DIR = "/srv/app"',
        'WORKERS = 3',
        '_private = 1',
        'port = 8000',
        'bind = f"127.0.0.1:{port}"',
        'workers = WORKERS',
        'def helper():',
        '    return BASE_DIR',
        '',
      ].join('\n');
      assert.deepEqual(rules(config), []);
    });
  });

  describe('invalid-value', () => {
    it('judges ints like Gunicorn: numeric strings pass, floats and negatives fail', () => {
      assert.deepEqual(rules('workers = "4"\n'), []);
      assert.deepEqual(rules('workers = "four"\n'), ['invalid-value']);
      assert.deepEqual(rules('workers = -1\n'), ['invalid-value']);
      assert.deepEqual(rules('timeout = 30.5\n'), ['invalid-value']);
      assert.equal(applyFix('timeout = 30.0\n', 'invalid-value', 'Change to 30'), 'timeout = 30\n');
      assert.equal(applyFix('umask = "022"\n', 'invalid-value', '0o22'), 'umask = 0o22\n');
    });

    it('judges booleans and offers the intended one', () => {
      assert.deepEqual(rules('preload_app = "true"\n'), []);
      assert.equal(applyFix('preload_app = "yes"\n', 'invalid-value', 'True'), 'preload_app = True\n');
    });

    it('wants a comma-separated string for forwarded_allow_ips', () => {
      const fixed = applyFix(
        'forwarded_allow_ips = ["10.0.0.1", "10.0.0.2"]\n',
        'invalid-value',
        'Change to',
      );
      assert.equal(fixed, 'forwarded_allow_ips = "10.0.0.1,10.0.0.2"\n');
    });

    it('checks enumerations and suggests the closest choice', () => {
      assert.equal(
        applyFix('reload_engine = "inotfy"\n', 'invalid-value', 'inotify'),
        'reload_engine = "inotify"\n',
      );
      assert.deepEqual(rules('http_protocols = "h2,h1"\n'), []);
      assert.deepEqual(rules('http_protocols = "h2,h2"\n'), ['invalid-value']);
    });

    it('never reports values it cannot know', () => {
      assert.deepEqual(
        rules(
          'import os\nworkers = os.environ.get("WEB_CONCURRENCY", "4")\ntimeout = int(os.environ["T"])\n',
        ),
        [],
      );
    });
  });

  describe('hook-arity', () => {
    it('counts positional parameters (defaults included) and fixes the list', () => {
      assert.equal(
        applyFix('def post_fork(server):\n    pass\n', 'hook-arity', '(server, worker)'),
        'def post_fork(server, worker):\n    pass\n',
      );
      assert.deepEqual(rules('def pre_request(worker, req, extra=None):\n    pass\n'), ['hook-arity']);
      assert.deepEqual(rules('def post_request(worker, req, environ):\n    pass\n'), []);
      assert.deepEqual(rules('def on_starting(*args):\n    pass\n'), ['hook-arity']);
      assert.equal(
        applyFix('pre_fork = lambda server: None\n', 'hook-arity', 'server, worker'),
        'pre_fork = lambda server, worker: None\n',
      );
    });
  });

  describe('versions', () => {
    it('knows settings newer than the target and removed ones', () => {
      assert.deepEqual(rules('http_protocols = "h1"\n', '24.1.0'), ['setting-not-in-version']);
      assert.deepEqual(rules('http_protocols = "h1"\n', '25.0.0'), []);
      assert.deepEqual(rules('debug = True\n', '20.1.0'), ['setting-not-in-version']);
    });

    it('flags deprecated settings and worker classes with a replacement', () => {
      assert.deepEqual(rules('ssl_version = 2\n', '23.0.0'), ['deprecated-setting']);
      assert.equal(
        applyFix('worker_class = "uvicorn.workers.UvicornWorker"\n', 'deprecated-setting', 'uvicorn_worker'),
        'worker_class = "uvicorn_worker.UvicornWorker"\n',
      );
    });
  });

  describe('duplicate-setting', () => {
    it('reports a setting assigned twice, but not in exclusive branches', () => {
      const findings = check('workers = 2\ntimeout = 30\nworkers = 4\n').filter(
        (f) => f.rule === 'duplicate-setting',
      );
      assert.equal(findings.length, 1);
      assert.equal(findings[0]!.range.start.line, 0);
      assert.equal(findings[0]!.related?.[0]?.range.start.line, 2);
      assert.equal(
        applyFix('workers = 2\ntimeout = 30\nworkers = 4\n', 'duplicate-setting', 'Remove'),
        'timeout = 30\nworkers = 4\n',
      );
      // A def's span reaches into the next line; removing it must leave the winning assignment alone.
      assert.equal(
        applyFix(
          'def worker_exit(server, worker):\n    pass\nworker_exit = 1\n',
          'duplicate-setting',
          'Remove',
        ),
        'worker_exit = 1\n',
      );
      // Without a final line break, the removal stays inside the document.
      assert.equal(
        applyFix('def worker_exit(x): pass\nworker_exit = 1', 'duplicate-setting', 'Remove'),
        'worker_exit = 1',
      );
      assert.deepEqual(
        rules('import os\nif os.getenv("DEV"):\n    workers = 1\nelse:\n    workers = 4\n'),
        [],
      );
    });
  });

  describe('max-requests-without-jitter', () => {
    it('adds a jitter of about a tenth', () => {
      assert.equal(
        applyFix('max_requests = 1000\n', 'max-requests-without-jitter', 'Add'),
        'max_requests = 1000\nmax_requests_jitter = 100\n',
      );
      assert.deepEqual(rules('max_requests = 1000\nmax_requests_jitter = 50\n'), []);
    });
  });

  describe('suppression comments', () => {
    it('silence a rule on a line, on the next line, or in the whole file', () => {
      assert.deepEqual(rules('worker = 4  # gunicorn-config: disable=unknown-setting\n'), []);
      assert.deepEqual(rules('# gunicorn-config: disable=unknown-setting\nworker = 4\n'), []);
      assert.deepEqual(
        rules('# gunicorn-config: disable-file=invalid-value\nworkers = "x"\ntimeout = "y"\n'),
        [],
      );
      assert.deepEqual(rules('worker = 4  # gunicorn-config: disable=invalid-value\n'), ['unknown-setting']);
    });

    it('are offered as a fix on every finding', () => {
      assert.equal(
        applyFix('worker = 4\n', 'unknown-setting', 'Ignore'),
        'worker = 4  # gunicorn-config: disable=unknown-setting\n',
      );
    });
  });

  it('reports syntax errors as errors', () => {
    assert.deepEqual(rules('workers = (\n'), ['syntax-error']);
  });
});

import { strict as assert } from 'node:assert';
import { applyFix, check, rules } from '../helpers/check';

describe('production pitfalls', () => {
  it('preload-with-reload points at both settings', () => {
    const [finding] = check('preload_app = True\nreload = True\n').filter(
      (f) => f.rule === 'preload-with-reload',
    );
    assert.equal(finding?.related?.[0]?.range.start.line, 0);
    assert.deepEqual(rules('preload_app = True\nreload = False\n'), []);
  });

  it('preload-db-without-post-fork adds a post_fork that disposes the engine', () => {
    const text =
      'from sqlalchemy import create_engine\npreload_app = True\nengine = create_engine("postgresql://db")\n';
    const fixed = applyFix(text, 'preload-db-without-post-fork', 'post_fork');
    assert.match(fixed, /\n\ndef post_fork\(server, worker\):\n {4}# .*\n {4}engine\.dispose\(\)\n$/);
    assert.deepEqual(rules(fixed), []);
    assert.deepEqual(rules('preload_app = False\nengine = create_engine("x")\n'), []);
  });

  it('long-timeout, forwarded-allow-all-public and ignored-by-worker', () => {
    assert.deepEqual(rules('timeout = 600\ngraceful_timeout = 600\n'), ['long-timeout']);
    assert.deepEqual(rules('timeout = 120\ngraceful_timeout = 120\n'), []);
    const longMessage = (text: string) => check(text).find((f) => f.rule === 'long-timeout')!.message;
    assert.match(longMessage('timeout = 600\n'), /with the sync worker \(the default\) each slow request/);
    assert.match(longMessage('worker_class = "sync"\ntimeout = 600\n'), /occupies a whole sync worker\./);
    assert.doesNotMatch(longMessage('worker_class = "gthread"\ntimeout = 600\n'), /sync/);
    assert.doesNotMatch(longMessage('worker_class = "gevent"\ntimeout = 600\n'), /sync/);
    assert.deepEqual(rules('bind = "0.0.0.0:8000"\nforwarded_allow_ips = "*"\n'), [
      'forwarded-allow-all-public',
    ]);
    assert.deepEqual(rules('bind = "unix:/run/app.sock"\nforwarded_allow_ips = "*"\n'), []);
    assert.deepEqual(rules('worker_connections = 500\n'), ['ignored-by-worker']);
    assert.deepEqual(rules('worker_class = "gevent"\nworker_connections = 500\n'), []);
    assert.deepEqual(rules('worker_class = "gevent"\nthreads = 4\n'), ['ignored-by-worker']);
  });
});

describe('timeouts and hooks', () => {
  it('graceful-timeout: a raised timeout gets a matching graceful_timeout', () => {
    assert.deepEqual(rules('timeout = 120\n'), ['graceful-timeout']);
    assert.equal(
      applyFix('timeout = 120\n', 'graceful-timeout', 'Add'),
      'timeout = 120\ngraceful_timeout = 120\n',
    );
    assert.equal(
      applyFix('graceful_timeout = 10\ntimeout = 60\n', 'graceful-timeout', 'Set'),
      'graceful_timeout = 60\ntimeout = 60\n',
    );
    assert.deepEqual(rules('timeout = 120\ngraceful_timeout = 120\n'), []);
    assert.deepEqual(rules('timeout = 0\n'), [], 'timeout 0 switches the timeout off');
    assert.deepEqual(rules('timeout = int(os.environ["T"])\n'), [], 'unknown values are not judged');
  });

  it('graceful-timeout: a grace longer than a sync timeout waits for nothing, other workers are left alone', () => {
    assert.deepEqual(rules('graceful_timeout = 90\n'), ['graceful-timeout']);
    assert.deepEqual(rules('graceful_timeout = 90\nworker_class = "gthread"\n'), []);
    assert.deepEqual(rules('graceful_timeout = 90\nworker_class = "sync"\nthreads = 4\n'), ['sync-threads']);
    assert.deepEqual(rules('graceful_timeout = 20\n'), []);
  });

  it('invalid-hook: only values that cannot be called', () => {
    assert.deepEqual(rules('post_fork = None\n'), ['invalid-hook']);
    assert.deepEqual(rules('on_starting = "hooks"\n'), ['invalid-hook']);
    assert.deepEqual(rules('on_starting = "myapp.hooks.on_starting"\n'), []);
    assert.deepEqual(rules('from myapp.hooks import on_starting\n'), []);
    assert.deepEqual(rules('import functools\npost_fork = functools.partial(f, 1)\n'), []);
    assert.match(
      check('when_ready = 3\n')[0]!.message,
      /must be a function taking \(server\); 3 is not callable/,
    );
  });

  it('async-hook: the fix makes it a plain def', () => {
    const text = 'async def post_fork(server, worker):\n    await x()\n';
    assert.deepEqual(rules(text), ['async-hook']);
    assert.equal(
      applyFix(text, 'async-hook', 'plain def'),
      'def post_fork(server, worker):\n    await x()\n',
    );
    assert.deepEqual(rules('async def helper():\n    pass\n'), []);
  });

  it('statsd_host per version: HOST:PORT only up to 20.1', () => {
    assert.deepEqual(rules('statsd_host = "metrics"\n', '20.1.0'), ['invalid-value']);
    assert.deepEqual(rules('statsd_host = "metrics"\n', '21.0.0'), []);
    assert.deepEqual(rules('statsd_host = "unix:///run/statsd.sock"\n', '23.0.0'), []);
    assert.deepEqual(rules('statsd_host = "metrics:abc"\n', '23.0.0'), ['invalid-value']);
    assert.deepEqual(rules('statsd_host = ""\n', '20.1.0'), ['invalid-value']);
    assert.deepEqual(rules('statsd_host = " "\n', '23.0.0'), [], 'an empty address is 0.0.0.0:8125');
  });
});

describe('ssl_version', () => {
  it('is replaced by an ssl_context hook that keeps the requested TLS floor', () => {
    const fixed = applyFix(
      'import ssl\nssl_version = ssl.PROTOCOL_TLSv1_2\n',
      'deprecated-setting',
      'ssl_context',
      '23.0.0',
    );
    assert.match(fixed, /^import ssl\ndef ssl_context\(config, default_ssl_context_factory\):\n/);
    assert.match(fixed, /context\.minimum_version = ssl\.TLSVersion\.TLSv1_2\n {4}return context\n$/);
    assert.deepEqual(rules(fixed, '23.0.0'), []);
    const crlf = applyFix('ssl_version = "TLSv1_1"\r\n', 'deprecated-setting', 'ssl_context', '23.0.0');
    assert.match(crlf, /TLSVersion\.TLSv1_1\r\n {4}return context\r\n$/);
  });

  it('is simply removed when an ssl_context hook exists, and not deprecated before 21.0', () => {
    const text = 'ssl_version = 2\ndef ssl_context(config, factory):\n    return factory()\n';
    assert.equal(
      applyFix(text, 'deprecated-setting', 'Remove', '23.0.0'),
      'def ssl_context(config, factory):\n    return factory()\n',
    );
    assert.deepEqual(rules('ssl_version = "TLSv1_2"\n', '20.1.0'), []);
  });
});

import { strict as assert } from 'node:assert';
import { applyFix, rules } from '../helpers/check';

describe('start-up and silent-fallback rules', () => {
  it('invalid-bind: bad ports, URLs, and versions without fd://', () => {
    assert.deepEqual(rules('bind = "127.0.0.1:notaport"\n'), ['invalid-bind']);
    assert.deepEqual(rules('bind = ["0.0.0.0:8000", "unix:/run/app.sock", "[::1]:8001", "localhost"]\n'), []);
    assert.deepEqual(rules('bind = "0.0.0.0:70000"\n'), ['invalid-bind']);
    assert.deepEqual(rules('bind = "fd://3"\n', '19.9.0'), ['invalid-bind']);
    assert.deepEqual(rules('bind = "fd://3"\n', '20.0.0'), []);
    assert.equal(
      applyFix('bind = "http://127.0.0.1:8000/"\n', 'invalid-bind', 'Change'),
      'bind = "127.0.0.1:8000"\n',
    );
  });

  it('unknown-worker-class: typos, removed and too-new shortcuts; dotted paths pass', () => {
    assert.equal(
      applyFix('worker_class = "gthreads"\n', 'unknown-worker-class', 'gthread'),
      'worker_class = "gthread"\n',
    );
    assert.deepEqual(rules('worker_class = "eventlet"\n', '26.0.0'), ['unknown-worker-class']);
    assert.deepEqual(rules('worker_class = "asgi"\n', '23.0.0'), ['unknown-worker-class']);
    assert.deepEqual(rules('worker_class = "asgi"\n', '24.0.0'), []);
    assert.deepEqual(rules('worker_class = "myapp.workers.Custom"\n'), []);
  });

  it('unknown-loglevel: silently info, with a fix', () => {
    assert.equal(applyFix('loglevel = "warn"\n', 'unknown-loglevel', 'warning'), 'loglevel = "warning"\n');
    assert.deepEqual(rules('loglevel = "DEBUG"\n'), []);
  });

  it('unknown-log-atom: flags only the unknown atom, header forms pass', () => {
    const findings = rules(`access_log_format = '%(h)s %({x-request-id}i)s %(x)s'\n`);
    assert.deepEqual(findings, ['unknown-log-atom']);
  });

  it('sync-threads and daemon-under-supervisor', () => {
    assert.equal(applyFix('threads = 4\n', 'sync-threads', 'Add'), 'worker_class = "gthread"\nthreads = 4\n');
    assert.deepEqual(rules('worker_class = "gthread"\nthreads = 4\n'), []);
    assert.equal(applyFix('daemon = True\n', 'daemon-under-supervisor', 'False'), 'daemon = False\n');
  });
});

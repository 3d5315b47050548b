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
    assert.deepEqual(rules('timeout = 600\n'), ['long-timeout']);
    assert.deepEqual(rules('timeout = 120\n'), []);
    assert.deepEqual(rules('bind = "0.0.0.0:8000"\nforwarded_allow_ips = "*"\n'), [
      'forwarded-allow-all-public',
    ]);
    assert.deepEqual(rules('bind = "unix:/run/app.sock"\nforwarded_allow_ips = "*"\n'), []);
    assert.deepEqual(rules('worker_connections = 500\n'), ['ignored-by-worker']);
    assert.deepEqual(rules('worker_class = "gevent"\nworker_connections = 500\n'), []);
    assert.deepEqual(rules('worker_class = "gevent"\nthreads = 4\n'), ['ignored-by-worker']);
  });
});

// The CLI's heap growing factor: set only on the V8 major it was measured on, where V8 knows the flag.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HEAP_GROWING_PERCENT, tuneCliHeap } from '../../server/src/cliHeap';

const REPO = join(__dirname, '..', '..', '..');

describe('CLI heap tuning', () => {
  // The flags are recorded, not set: this test process keeps its own heap policy.
  it("sets the growing factor on Node 20's V8 11", () => {
    const set: string[] = [];
    const flag = tuneCliHeap('11.3.244.8-node.33', (f) => set.push(f));
    assert.equal(flag, `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    assert.deepEqual(set, [flag]);
  });

  it('leaves other V8 versions to their own policy (an unknown flag would print into the output)', () => {
    const set: string[] = [];
    assert.equal(
      tuneCliHeap('13.6.233.10-node.20', (f) => set.push(f)),
      undefined,
    );
    assert.equal(
      tuneCliHeap('', (f) => set.push(f)),
      undefined,
    );
    assert.deepEqual(set, []);
  });

  it('prints nothing of its own: the check output of a run with the flag set is only the check', () => {
    const cli = join(REPO, 'out', 'server', 'src', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'check', 'examples/deployment', '--format', 'json'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    assert.equal(run.stderr, '');
    assert.ok(Array.isArray(JSON.parse(run.stdout)));
  });
});

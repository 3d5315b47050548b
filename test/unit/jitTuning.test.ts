// The V8 flags the server sets for itself: only on the V8 major version node-flags.json names.

import { strict as assert } from 'node:assert';
import { tuneJit } from '../../server/src/lsp/jitTuning';
import nodeFlags from '../../server/data/node-flags.json';

describe('JIT tuning at start-up', () => {
  it("applies the flags listed for this V8 major version (Node 20's V8 11)", () => {
    assert.deepEqual(tuneJit('11.3.244.8-node.33'), nodeFlags.v8FlagsByMajor['11']);
    assert.ok(tuneJit('11.3.244.8-node.33').length > 0);
  });

  it('applies nothing on a V8 it has no flags for (newer V8 rejects them)', () => {
    assert.deepEqual(tuneJit('13.6.233.10-node.20'), []);
    assert.deepEqual(tuneJit(''), []);
  });

  it('keeps version-specific V8 flags off the command line, where an unknown one stops Node', () => {
    const tuned = Object.values(nodeFlags.v8FlagsByMajor).flat();
    assert.ok(tuned.every((flag) => !nodeFlags.execArgv.includes(flag)));
  });
});

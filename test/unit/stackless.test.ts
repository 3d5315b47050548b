// Parses that make Errors they throw away run without stack traces, and the setting comes back afterwards.

import { strict as assert } from 'node:assert';
import { withoutStackTraces } from '../../server/src/core/stackless';

const frames = (error: Error): number =>
  (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).length;

describe('withoutStackTraces', () => {
  it('makes errors without stack frames inside, and with them again after', () => {
    assert.ok(frames(new Error('before')) > 0);
    const inside = withoutStackTraces(() => new Error('inside'));
    assert.equal(frames(inside), 0);
    assert.ok(frames(new Error('after')) > 0);
  });

  it('gives back the limit it found when the work throws', () => {
    const limit = Error.stackTraceLimit;
    assert.throws(
      () =>
        withoutStackTraces(() => {
          throw new Error('thrown');
        }),
      /thrown/,
    );
    assert.equal(Error.stackTraceLimit, limit);
  });
});

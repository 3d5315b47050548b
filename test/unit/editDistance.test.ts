// "Did you mean": the distance, the ranking and the bounded memo that keeps repeated typos cheap.

import { strict as assert } from 'node:assert';
import { closestMatches, editDistance } from '../../server/src/core/editDistance';
import { BoundedMemo } from '../../server/src/core/memo';

describe('edit distance and suggestions', () => {
  it('counts a swap of neighbours as one edit and stops early past a limit', () => {
    assert.equal(editDistance('workers', 'workers'), 0);
    assert.equal(editDistance('wokrers', 'workers'), 1);
    assert.equal(editDistance('timeout', 'time'), 3);
    assert.equal(editDistance('bind', 'worker_connections', 2), 3);
  });

  it('ranks the closest names first, ties in code-unit order, whatever the locale', () => {
    assert.deepEqual(closestMatches('timout', ['timeout', 'graceful_timeout', 'keepalive']), ['timeout']);
    // 'B' sorts before 'a' by code unit; a locale collation would put 'a…' first.
    assert.deepEqual(closestMatches('xb', ['ab', 'Bb', 'zz']), ['Bb', 'ab']);
  });

  it('memoises suggestions by key and forgets them all when full', () => {
    const cache = new BoundedMemo<string[]>(2);
    let runs = 0;
    const compute = (word: string) => () => (runs++, closestMatches(word, ['workers', 'threads']));
    const first = cache.get('wrkers', compute('wrkers'));
    assert.deepEqual(first, ['workers']);
    assert.equal(cache.get('wrkers', compute('wrkers')), first);
    assert.equal(runs, 1);
    cache.get('thread', compute('thread'));
    cache.get('treads', compute('treads'));
    cache.get('wrkers', compute('wrkers'));
    assert.equal(runs, 4, 'the third key cleared the memo, so wrkers ran again');
  });
});

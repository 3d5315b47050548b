// "Did you mean": the distance, the ranking and the bounded memo that keeps repeated typos cheap.

import { strict as assert } from 'node:assert';
import { closestMatches, editDistance } from '../../server/src/core/editDistance';
import { compareStrings } from '../../server/src/core/text';
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

  it('suggests what a full comparison with every candidate suggests (the quick bound only skips hopeless ones)', () => {
    // A small generator of its own, so that a failure is the same on every run.
    let seed = 7;
    const next = (n: number): number => {
      // xorshift32
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    // Repeated letters, the separators names use, upper case, and characters past ASCII that the bound lumps together.
    const alphabet = ['a', 'a', 'e', 'o', 'r', 't', 's', '_', '-', 'P', 'é', 'ß', '漢', 'ö'];
    const word = (length: number): string =>
      Array.from({ length }, () => alphabet[next(alphabet.length)]!).join('');
    const variant = (base: string): string => {
      const chars = [...base];
      for (let edits = next(3); edits > 0; edits--) {
        const at = next(chars.length + 1);
        const kind = next(4);
        if (kind === 0) chars.splice(at, 0, alphabet[next(alphabet.length)]!);
        else if (kind === 1) chars.splice(at, 1);
        else if (kind === 2) chars[at] = alphabet[next(alphabet.length)]!;
        else if (at + 1 < chars.length) [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!];
      }
      return chars.join('');
    };
    const reference = (typed: string, candidates: string[], limit: number): string[] => {
      const lower = typed.toLowerCase();
      const max = Math.max(1, Math.min(3, Math.floor(lower.length / 3)));
      return candidates
        .map((name) => ({ name, distance: editDistance(lower, name.toLowerCase(), max) }))
        .filter(({ name, distance }) => Math.abs(name.length - lower.length) <= max && distance <= max)
        .sort((a, b) => a.distance - b.distance || compareStrings(a.name, b.name))
        .slice(0, limit)
        .map(({ name }) => name);
    };
    let suggested = 0;
    for (let round = 0; round < 400; round++) {
      const base = word(6 + next(12));
      const candidates = Array.from({ length: 30 }, () => (next(2) ? variant(base) : word(2 + next(14))));
      const typed = variant(base);
      const limit = 1 + next(5);
      const expected = reference(typed, candidates, limit);
      suggested += expected.length;
      assert.deepEqual(
        closestMatches(typed, candidates, limit),
        expected,
        `${typed} among ${candidates.join(' ')}`,
      );
    }
    assert.ok(suggested > 400, `the rounds must have suggestions to compare (${suggested})`);
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

// "Did you mean" ranking: Damerau-Levenshtein distance and the closest candidates within a bound.

import { compareStrings } from './text';

// Three reusable rows (two back for transpositions): the distance runs for every unknown name on every keystroke.
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal string alignment distance (a swap of two neighbours costs 1). With `limit`, returns `limit + 1` as soon as
 * the distance is known to exceed it.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const cols = b.length + 1;
  if (rows[0].length < cols) {
    rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  }
  let [beforePrevious, previous, current] = rows;
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}

/** Candidates within a distance that grows with the word's length, best first, at most `limit`. */
export function closestMatches(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = word.toLowerCase();
  const maxDistance = Math.max(1, Math.min(3, Math.floor(lower.length / 3)));
  const scored: { name: string; distance: number }[] = [];
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - lower.length) > maxDistance) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), maxDistance);
    if (distance <= maxDistance) scored.push({ name: candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || compareStrings(a.name, b.name));
  return scored.slice(0, limit).map((s) => s.name);
}

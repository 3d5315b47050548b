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

/** Character counts of the word being matched, by char code (codes past the table share its last slot). */
const wordCounts = new Int32Array(129);
/** How many of each the candidate being checked has matched so far (back to zeros after each candidate). */
const matchedCounts = new Int32Array(129);

/**
 * A lower bound of the distance from the word counted in `wordCounts` to `candidate`: an edit changes the characters
 * each side has and the other lacks by one at most (a swap not at all), so the larger of the two counts cannot exceed
 * it. Checking it first skips the full distance for most candidates: a first "did you mean" over nginx's 650 names
 * took 4–5 ms on code the JIT had not optimised yet, on the check that a build's result starts.
 */
function differingCharacters(candidate: string, wordLength: number): number {
  let unmatched = 0;
  for (let i = 0; i < candidate.length; i++) {
    const code = Math.min(candidate.charCodeAt(i), 128);
    if (matchedCounts[code]! < wordCounts[code]!) matchedCounts[code]!++;
    else unmatched++;
  }
  for (let i = 0; i < candidate.length; i++) matchedCounts[Math.min(candidate.charCodeAt(i), 128)] = 0;
  // The candidate's characters the word lacks, and the word's the candidate lacks.
  return Math.max(unmatched, wordLength - (candidate.length - unmatched));
}

/** Candidates within a distance that grows with the word's length, best first, at most `limit`. */
export function closestMatches(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = word.toLowerCase();
  const maxDistance = Math.max(1, Math.min(3, Math.floor(lower.length / 3)));
  wordCounts.fill(0);
  for (let i = 0; i < lower.length; i++) wordCounts[Math.min(lower.charCodeAt(i), 128)]!++;
  const scored: { name: string; distance: number }[] = [];
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - lower.length) > maxDistance) continue;
    const candidateLower = candidate.toLowerCase();
    if (differingCharacters(candidateLower, lower.length) > maxDistance) continue;
    const distance = editDistance(lower, candidateLower, maxDistance);
    if (distance <= maxDistance) scored.push({ name: candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || compareStrings(a.name, b.name));
  return scored.slice(0, limit).map((s) => s.name);
}

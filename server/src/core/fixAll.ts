// Fix-all: applies every safe fix of one document's findings at once, in bounded passes, never two that overlap.

import type { Finding, Fix } from './findings';
import { LineIndex } from './text';

/** Re-analyses after applying fixes stop here: a pair of rules that undo each other cannot loop forever. */
export const MAX_FIX_PASSES = 10;

/**
 * The fix fix-all may apply for a finding: its one fix marked safe, when that fix edits only this document. A fix with
 * edits in other files is left to the user: fix-all on save edits the saved document alone.
 */
export function safeFixOf(finding: Finding): Fix | undefined {
  const safe = (finding.fixes ?? []).filter((fix) => fix.safe === true && !fix.otherFiles?.length);
  return safe.length === 1 ? safe[0] : undefined;
}

/** Findings fix-all would change (for counts such as "3 fixable with --fix"). */
export function countSafeFixes(findings: readonly Finding[]): number {
  let count = 0;
  for (const finding of findings) if (safeFixOf(finding)) count++;
  return count;
}

interface OffsetEdit {
  from: number;
  to: number;
  newText: string;
}

/** A fix's edits as offsets in `lines`' text, in order; undefined when they are malformed or overlap each other. */
function offsetsOf(fix: Fix, lines: LineIndex): OffsetEdit[] | undefined {
  const edits = fix.edits
    .map((edit) => ({
      from: lines.offsetAt(edit.range.start),
      to: lines.offsetAt(edit.range.end),
      newText: edit.newText,
    }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i]!;
    if (edit.from > edit.to || typeof edit.newText !== 'string') return undefined;
    if (i > 0 && edit.from < edits[i - 1]!.to) return undefined;
  }
  return edits.length ? edits : undefined;
}

/**
 * Applies the fixes in document order, skipping any whose edits touch (overlap, or meet at the same place as) an edit
 * already taken: the skipped ones are recomputed on the next pass, against the text the taken ones produced.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; applied: Fix[] } {
  const lines = new LineIndex(text);
  const candidates = fixes
    .map((fix) => ({ fix, edits: offsetsOf(fix, lines) }))
    .filter((c): c is { fix: Fix; edits: OffsetEdit[] } => c.edits !== undefined)
    .sort((a, b) => a.edits[0]!.from - b.edits[0]!.from);
  const taken: OffsetEdit[] = [];
  const applied: Fix[] = [];
  for (const candidate of candidates) {
    // Touching counts as overlapping: two insertions at one offset have no order we could justify.
    const clashes = candidate.edits.some((edit) =>
      taken.some((other) => edit.from <= other.to && other.from <= edit.to),
    );
    if (clashes) continue;
    taken.push(...candidate.edits);
    applied.push(candidate.fix);
  }
  taken.sort((a, b) => b.from - a.from);
  let result = text;
  for (const edit of taken) result = result.slice(0, edit.from) + edit.newText + result.slice(edit.to);
  return { text: result, applied };
}

export interface FixAllResult {
  text: string;
  /** How many fixes were applied over all passes. */
  applied: number;
  /** The titles of the applied fixes, in the order they were applied. */
  titles: string[];
}

/**
 * Analyses, applies the safe fixes that do not overlap, and analyses the new text again, until nothing is left to fix
 * or `maxPasses` passes ran. `analyze` must check the text it is given (findings of another text would misplace edits).
 */
export function fixAll(
  text: string,
  analyze: (text: string) => readonly Finding[],
  maxPasses = MAX_FIX_PASSES,
): FixAllResult {
  let current = text;
  const titles: string[] = [];
  const seen = new Set([text]);
  for (let pass = 0; pass < maxPasses; pass++) {
    const fixes = analyze(current)
      .map(safeFixOf)
      .filter((fix): fix is Fix => fix !== undefined);
    if (!fixes.length) break;
    const result = applyFixes(current, fixes);
    // A text seen before means two fixes undo each other: stop rather than go round.
    if (!result.applied.length || seen.has(result.text)) break;
    seen.add(result.text);
    current = result.text;
    titles.push(...result.applied.map((fix) => fix.title));
  }
  return { text: current, applied: titles.length, titles };
}

/** The one edit that turns `before` into `after`: the span between their common start and common end. */
export function changedSpan(before: string, after: string): OffsetEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  ) {
    end++;
  }
  // Never split a CRLF or a surrogate pair: an editor cannot place a position between their halves.
  const splits = (text: string, at: number): boolean =>
    at > 0 &&
    at < text.length &&
    ((text[at - 1] === '\r' && text[at] === '\n') ||
      (/[\uD800-\uDBFF]/.test(text[at - 1]!) && /[\uDC00-\uDFFF]/.test(text[at]!)));
  while (splits(before, start) || splits(after, start)) start--;
  while (end > 0 && (splits(before, before.length - end) || splits(after, after.length - end))) end--;
  return { from: start, to: before.length - end, newText: after.slice(start, after.length - end) };
}

// `gunicorn-config check --fix` / `--diff`: applies the safe fixes to the checked files in bounded passes, writes them
// back (line breaks and byte order marks kept: only the fixed spans change), or shows them as a unified diff.

import { writeFileSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';
import type { Finding, Fix } from './core/findings';
import { applyFixes, MAX_FIX_PASSES, safeFixOf } from './core/fixAll';

/** One checked file: its path, how the output names it, the text that was checked and what was found. */
export interface CheckedFile {
  path: string;
  file: string;
  text: string;
  findings: Finding[];
}

export interface FixedFiles {
  /** The new text of every file that changed, by path. */
  changed: Map<string, string>;
  /** The text each changed file had before. */
  originals: Map<string, string>;
  /** How many fixes were applied over all passes. */
  applied: number;
}

/** Whether `path` is one of `roots` or inside one of them. */
export function isInside(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    if (path === root) return true;
    const inside = relative(root, path);
    return !!inside && !inside.startsWith('..') && !isAbsolute(inside);
  });
}

/**
 * Applies the safe fixes of `first` (a check of the files as they are), then checks again with the fixed texts
 * (`recheck`) and applies what is left, until nothing changes or MAX_FIX_PASSES passes ran. Files outside `roots` (an
 * nginx include that reaches /etc/nginx) are never changed.
 */
export function fixFiles(
  first: readonly CheckedFile[],
  roots: readonly string[],
  recheck: (overlay: ReadonlyMap<string, string>) => readonly CheckedFile[],
): FixedFiles {
  const changed = new Map<string, string>();
  const originals = new Map<string, string>();
  const seen = new Map<string, Set<string>>();
  let applied = 0;
  let results = first;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    let changedThisPass = false;
    for (const result of results) {
      if (!isInside(result.path, roots)) continue;
      const fixes = result.findings.map(safeFixOf).filter((fix): fix is Fix => fix !== undefined);
      if (!fixes.length) continue;
      const next = applyFixes(result.text, fixes);
      if (!next.applied.length || next.text === result.text) continue;
      // A text this file had before: two fixes undo each other, so this file stops here.
      let texts = seen.get(result.path);
      if (!texts) seen.set(result.path, (texts = new Set([result.text])));
      if (texts.has(next.text)) continue;
      texts.add(next.text);
      if (!originals.has(result.path)) originals.set(result.path, result.text);
      changed.set(result.path, next.text);
      applied += next.applied.length;
      changedThisPass = true;
    }
    if (!changedThisPass) break;
    results = recheck(changed);
  }
  // A file fixed back to its original text has not changed.
  for (const [path, text] of changed) if (originals.get(path) === text) changed.delete(path);
  return { changed, originals, applied };
}

/** Writes the fixed files; a file that cannot be written is reported, the others are still written. */
export function writeFixes(changed: ReadonlyMap<string, string>): { failures: string[] } {
  const failures: string[] = [];
  for (const [path, text] of changed) {
    try {
      writeFileSync(path, text, 'utf8');
    } catch (error) {
      failures.push(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { failures };
}

/** Lines with their line breaks, so a diff shows a changed line break too. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Above this many lines between the common start and end, the middle is shown as one replaced block. */
const MAX_DIFF_LINES = 2_000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The line operations that turn `a` into `b`: a longest common subsequence on the lines that differ. */
function lineOps(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (
    end < a.length - start &&
    end < b.length - start &&
    a[a.length - 1 - end] === b[b.length - 1 - end]
  ) {
    end++;
  }
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  if (midA.length > MAX_DIFF_LINES || midB.length > MAX_DIFF_LINES) {
    ops.push(
      ...midA.map((line): Op => ({ kind: '-', line })),
      ...midB.map((line): Op => ({ kind: '+', line })),
    );
  } else {
    const cols = midB.length + 1;
    const lcs = new Uint32Array((midA.length + 1) * cols);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lcs[i * cols + j] =
          midA[i] === midB[j]
            ? lcs[(i + 1) * cols + j + 1]! + 1
            : Math.max(lcs[(i + 1) * cols + j]!, lcs[i * cols + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i]! });
        i++;
        j++;
      } else if (
        i < midA.length &&
        (j === midB.length || lcs[(i + 1) * cols + j]! >= lcs[i * cols + j + 1]!)
      ) {
        // Removals first, as diff(1) writes them.
        ops.push({ kind: '-', line: midA[i++]! });
      } else {
        ops.push({ kind: '+', line: midB[j++]! });
      }
    }
  }
  ops.push(...a.slice(a.length - end).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

/** A unified diff of one file (`--- a/NAME`, `+++ b/NAME`, hunks with three lines of context); empty when equal. */
export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = lineOps(splitLines(before), splitLines(after));
  const out = [`--- a/${name}\n`, `+++ b/${name}\n`];
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index]!.kind === ' ') index++;
    if (index >= ops.length) break;
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change within reach.
    const from = Math.max(0, index - CONTEXT);
    let to = index;
    let quiet = 0;
    while (to < ops.length && quiet <= CONTEXT * 2) {
      quiet = ops[to]!.kind === ' ' ? quiet + 1 : 0;
      to++;
    }
    to -= Math.max(0, quiet - CONTEXT);
    let oldStart = 1;
    let newStart = 1;
    for (let k = 0; k < from; k++) {
      if (ops[k]!.kind !== '+') oldStart++;
      if (ops[k]!.kind !== '-') newStart++;
    }
    const hunk = ops.slice(from, to);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(
      `@@ -${oldCount ? oldStart : oldStart - 1},${oldCount} +${newCount ? newStart : newStart - 1},${newCount} @@\n`,
    );
    for (const op of hunk) {
      const ended = /[\r\n]$/.test(op.line);
      out.push(ended ? `${op.kind}${op.line}` : `${op.kind}${op.line}\n\\ No newline at end of file\n`);
    }
    index = to;
  }
  return out.join('');
}

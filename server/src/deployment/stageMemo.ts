// Keeps one step of the model build while the files it reads are unchanged: the server builds the model again after
// every edit, and most steps read only files the edit did not touch (an edited config changes no unit, no nginx file).

import type { WorkspaceSource } from './types';

/**
 * The same files in the same order: by URI, path and kind, and by text when `withText` (hosts make new source objects
 * for every build, so objects are not compared; equal texts are usually the same string, compared by reference).
 */
export function sameFiles(
  before: readonly WorkspaceSource[],
  now: readonly WorkspaceSource[],
  withText: boolean,
): boolean {
  if (before.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) {
    const a = before[i]!;
    const b = now[i]!;
    if (a === b) continue;
    if (a.uri !== b.uri || a.path !== b.path || a.kind !== b.kind) return false;
    if (withText && a.text !== b.text) return false;
  }
  return true;
}

/**
 * The last result of one build step, given again while its files (and `key`, what else the step depends on, compared
 * by identity) are the same. What a step returns is shared by the builds that reuse it: it must never be changed.
 */
export class LastStep<T> {
  private last: { files: readonly WorkspaceSource[]; key: unknown; value: T } | undefined;

  /** `withText`: whether the step reads the files' texts (else only their names and kinds). */
  constructor(private readonly withText: boolean) {}

  get(files: readonly WorkspaceSource[], key: unknown, make: () => T): T {
    const last = this.last;
    if (last && last.key === key && sameFiles(last.files, files, this.withText)) return last.value;
    // Let go of the old result before making the new one: both alive at once would raise the peak memory.
    this.last = undefined;
    const value = make();
    this.last = { files, key, value };
    return value;
  }

  /** Whether a result is kept. */
  get held(): boolean {
    return this.last !== undefined;
  }

  /** Forgets the kept result (tests compare a build that reuses with one that does not). */
  clear(): void {
    this.last = undefined;
  }
}

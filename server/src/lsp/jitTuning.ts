// Applies the V8 flags that node-flags.json gives for this V8 version, at start-up (see that file's "why").

import { setFlagsFromString } from 'node:v8';
import nodeFlags from '../../data/node-flags.json';

/**
 * Set at run time rather than on the command line: a flag one V8 version lacks makes Node refuse to start, and the
 * server runs on whatever Node the editor brings (VS Code's Electron, Node 20–24). Returns the flags it applied.
 */
export function tuneJit(v8Version: string = process.versions.v8): string[] {
  const byMajor: Record<string, string[] | undefined> = nodeFlags.v8FlagsByMajor;
  const flags = byMajor[v8Version.split('.')[0] ?? ''] ?? [];
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}

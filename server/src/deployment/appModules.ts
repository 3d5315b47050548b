// The Python modules a launch can import from the workspace (for completing `module:attr`): every listed .py file
// read back through the launch's search folders, so a name is offered only where Python would find that file.

import type { ModuleSearch } from './appTarget';
import { joinPath } from './moduleLookup';

/** One importable module: its dotted name and the workspace file that answers it. */
export interface ImportableModule {
  name: string;
  path: string;
  isPackage: boolean;
}

/** At most this many modules per launch (a monorepo lists thousands of files; completion needs the near ones). */
export const MAX_IMPORTABLE = 1_000;
/** Dotted names deeper than this are not offered. */
const MAX_DEPTH = 5;
/** Files in these folders are installed or vendored code, never the project's app. */
const NOT_OURS = /\/(site-packages|dist-packages|node_modules|__pycache__|venv|virtualenv)\//;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * Every module the launch can import from the workspace, shallow names first. A file counts only when the launch's
 * own mapping of `server folder + dotted path` leads back to it (the first folder that has it wins, as in Python).
 */
export function importableModules(search: ModuleSearch): ImportableModule[] {
  const files = search.workspace.files;
  if (!files) return [];
  const byName = new Map<string, ImportableModule>();
  const candidates: { parts: string[]; file: string; isPackage: boolean }[] = [];
  for (const file of files) {
    if (!file.endsWith('.py') || NOT_OURS.test(file)) continue;
    const segments = file.split('/').filter(Boolean);
    const isPackage = segments[segments.length - 1] === '__init__.py';
    const stem = isPackage
      ? segments.slice(0, -1)
      : [...segments.slice(0, -1), segments.at(-1)!.slice(0, -3)];
    // Every tail of the path is a name some search folder may give it (`src/shop/wsgi.py` → wsgi, shop.wsgi, …).
    for (let depth = 1; depth <= Math.min(MAX_DEPTH, stem.length); depth++) {
      const parts = stem.slice(stem.length - depth);
      if (!parts.every((part) => IDENTIFIER.test(part))) break;
      candidates.push({ parts, file, isPackage });
    }
  }
  candidates.sort((a, b) => a.parts.length - b.parts.length);
  for (const { parts, file, isPackage } of candidates) {
    const name = parts.join('.');
    if (byName.has(name)) continue;
    const rel = isPackage ? `${parts.join('/')}/__init__.py` : `${parts.join('/')}.py`;
    for (const dir of search.dirs) {
      const mapped = dir.toWorkspace(joinPath(dir.server, rel));
      if (!mapped || !files.has(mapped)) continue;
      // The first folder that has the name decides; offer it only when that is this file.
      if (mapped === file) byName.set(name, { name, path: file, isPackage });
      break;
    }
    if (byName.size >= MAX_IMPORTABLE) break;
  }
  return [...byName.values()];
}

// Orders workspace files by how near they are to the files the user has open, so that a bounded model of a giant
// workspace always holds the open files' own deployments: the open files, then the files they name, then files by the
// depth of the folder they share with an open file (a folder's files together), then the rest in their original order.

import type { WorkspaceSource } from './types';

const norm = (path: string): string => path.replace(/\\/g, '/');

function folderOf(path: string): string {
  const p = norm(path);
  return p.slice(0, Math.max(0, p.lastIndexOf('/')));
}

/** How many leading folder segments two folders share. */
function sharedDepth(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** A source's normalised path and file name, worked out once per source object (the index keeps them across builds). */
const pathFactsCache = new WeakMap<WorkspaceSource, { path: string; name: string }>();

function pathFacts(source: WorkspaceSource): { path: string; name: string } {
  let facts = pathFactsCache.get(source);
  if (!facts) {
    const path = norm(source.path);
    facts = { path, name: path.slice(path.lastIndexOf('/') + 1) };
    pathFactsCache.set(source, facts);
  }
  return facts;
}

/** File names too common or too short to count as a reference when an open file's text contains them. */
const MIN_NAME_LENGTH = 4;

/**
 * The sources, nearest to `focus` (the open files' paths) first; stable, so equally near files keep their order.
 * A file counts as named by an open file when its file name appears in that file's text (`-c app.conf.py`,
 * `include sites/app.conf`, `EnvironmentFile=/etc/app.env`, `Requires=app.socket`): cheap, and wrong only towards
 * modelling a file early.
 */
export function nearestFirst(
  sources: readonly WorkspaceSource[],
  focus: readonly string[],
): WorkspaceSource[] {
  if (!focus.length) return [...sources];
  const focusSet = new Set(focus.map(norm));
  const texts = sources.filter((s) => focusSet.has(norm(s.path))).map((s) => s.text);
  const again = sameOrder(sources, focus, focusSet, texts);
  if (again) return again;
  const order = orderOf(sources, focusSet, focus.map(folderOf), texts);
  last = { focus: focus.join('\u0000'), sources: [...sources], names: order.names, order: order.indices };
  return order.indices.map((index) => sources[index]!);
}

/**
 * The last order made: the server asks again after every edit, with the same files (only the open ones' texts new).
 * It holds while the files are the same objects in the same places (the open files may be new objects of the same
 * path) and every name counts as named as before.
 */
let last:
  { focus: string; sources: WorkspaceSource[]; names: Map<string, boolean>; order: number[] } | undefined;

function sameOrder(
  sources: readonly WorkspaceSource[],
  focus: readonly string[],
  focusSet: ReadonlySet<string>,
  texts: readonly string[],
): WorkspaceSource[] | undefined {
  if (!last || last.focus !== focus.join('\u0000') || last.sources.length !== sources.length) {
    return undefined;
  }
  for (let i = 0; i < sources.length; i++) {
    const before = last.sources[i]!;
    const now = sources[i]!;
    if (now !== before && (now.path !== before.path || !focusSet.has(pathFacts(now).path))) return undefined;
  }
  for (const [name, named] of last.names) {
    if (isNamedIn(name, texts) !== named) return undefined;
  }
  last.sources = [...sources];
  return last.order.map((index) => sources[index]!);
}

function isNamedIn(name: string, texts: readonly string[]): boolean {
  return name.length >= MIN_NAME_LENGTH && texts.some((text) => text.includes(name));
}

/** The order itself: indices into `sources`, and which file names the open files' texts name. */
function orderOf(
  sources: readonly WorkspaceSource[],
  focusSet: ReadonlySet<string>,
  focusFolders: readonly string[],
  texts: readonly string[],
): { indices: number[]; names: Map<string, boolean> } {
  const folders = [...new Set(focusFolders)];
  // Many files share a folder and a name (every copy of a service has its app.socket): each is worked out once.
  const depths = new Map<string, number>();
  const depthOf = (path: string): number => {
    const folder = folderOf(path);
    let depth = depths.get(folder);
    if (depth === undefined) {
      depth = 0;
      for (const open of folders) depth = Math.max(depth, sharedDepth(folder, open));
      depths.set(folder, depth);
    }
    return depth;
  };
  const namedNames = new Map<string, boolean>();
  const isNamed = (name: string): boolean => {
    let named = namedNames.get(name);
    if (named === undefined) {
      named = isNamedIn(name, texts);
      namedNames.set(name, named);
    }
    return named;
  };
  const facts = sources.map((source) => {
    const { path, name } = pathFacts(source);
    return { path, name, named: isNamed(name), depth: depthOf(path) };
  });
  // A name can stand for many files (every copy of a service has its app.socket): only the nearest of them counts as
  // the one named, or the copies would fill the model before the open file's own folder.
  const nearestNamed = new Map<string, number>();
  for (const f of facts) {
    if (f.named) nearestNamed.set(f.name, Math.max(nearestNamed.get(f.name) ?? 0, f.depth));
  }
  const rank = (index: number): number => {
    const f = facts[index]!;
    if (focusSet.has(f.path)) return Number.MAX_SAFE_INTEGER;
    const named = f.named && nearestNamed.get(f.name) === f.depth;
    // A named file comes before any file that only shares a folder.
    return (named ? 1_000_000 : 0) + f.depth;
  };
  // Equally near files stay together by the folder they branch off into (all of one copy of a service before the
  // next), in the order those folders first appear: a bound then holds whole deployments, not every copy's top file.
  const branchOrder = new Map<string, number>();
  const branchOf = facts.map(({ path, depth }) => {
    const branch = path
      .split('/')
      .slice(0, depth + 1)
      .join('/');
    if (!branchOrder.has(branch)) branchOrder.set(branch, branchOrder.size);
    return branchOrder.get(branch)!;
  });
  const indices = sources
    .map((_, index) => ({ index, rank: rank(index), branch: branchOf[index]! }))
    .sort((a, b) => b.rank - a.rank || a.branch - b.branch || a.index - b.index)
    .map((entry) => entry.index);
  return { indices, names: namedNames };
}

/**
 * The `count` sources nearest the open files, and every file in a folder that holds an open file (a project's
 * requirements or Dockerfile beside or above it, whatever the listing order): a first look at a big workspace.
 */
export function nearestSlice(
  sources: readonly WorkspaceSource[],
  focus: readonly string[],
  count: number,
): WorkspaceSource[] {
  const slice = nearestFirst(sources, focus).slice(0, count);
  const taken = new Set(slice);
  const openFolders = focus.map(folderOf);
  // A folder above (or holding) an open file: every one of its segments is shared with that file's folder.
  const isAbove = (folder: string): boolean =>
    folder !== '' && openFolders.some((open) => sharedDepth(folder, open) === folder.split('/').length);
  for (const source of sources) {
    if (!taken.has(source) && isAbove(folderOf(source.path))) slice.push(source);
  }
  return slice;
}

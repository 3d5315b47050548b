// Items that each live in a folder, indexed by every folder above them: those nearest a file (sharing the most
// leading folders with it) are then a walk up the file's own folders, not a comparison with every item.

/** The folders of a path, root first, without the file name: "/srv/app/x.conf" → ["", "srv", "app"]. */
export function foldersOf(path: string): string[] {
  return path.replace(/\\/g, '/').split('/').slice(0, -1);
}

/** A folder of the index: the items at or below it, in the order given, and its subfolders by name. */
interface FolderNode<T> {
  items: T[];
  /** Kept as a single name and node when there is one subfolder (most folders, in a chain: a map each was costly). */
  folders: Map<string, FolderNode<T>> | OnlySubfolder<T> | undefined;
}

interface OnlySubfolder<T> {
  name: string;
  node: FolderNode<T>;
}

function subfolder<T>(node: FolderNode<T>, name: string): FolderNode<T> | undefined {
  const folders = node.folders;
  if (folders === undefined) return undefined;
  if (folders instanceof Map) return folders.get(name);
  return folders.name === name ? folders.node : undefined;
}

export class FolderIndex<T> {
  /**
   * A tree of folders, each holding every item at or below it. Keyed by folder name, not by joined prefixes: the model
   * makes several of these per build, and a key string per item per folder level was a fifth of what a rebuild
   * allocated.
   */
  private readonly root: FolderNode<T> | undefined;

  constructor(items: Iterable<T>, folderOf: (item: T) => readonly string[]) {
    let root: FolderNode<T> | undefined;
    for (const item of items) {
      root ??= { items: [], folders: undefined };
      let node = root;
      node.items.push(item);
      for (const folder of folderOf(item)) {
        let next = subfolder(node, folder);
        if (!next) {
          next = { items: [], folders: undefined };
          const folders = node.folders;
          if (folders === undefined) node.folders = { name: folder, node: next };
          else if (folders instanceof Map) folders.set(folder, next);
          else {
            node.folders = new Map([
              [folders.name, folders.node],
              [folder, next],
            ]);
          }
        }
        next.items.push(item);
        node = next;
      }
    }
    if (root) compact(root);
    this.root = root;
  }

  /** The items sharing the most leading folders with `folders`, all of them on a tie, in the order given. */
  nearest(folders: readonly string[]): readonly T[] {
    return this.nearestShared(folders).items;
  }

  /** `nearest`, with how many leading folders they share (-1 when the index is empty). */
  nearestShared(folders: readonly string[]): { items: readonly T[]; shared: number } {
    if (!this.root) return { items: [], shared: -1 };
    let node: FolderNode<T> = this.root;
    let shared = 0;
    for (const folder of folders) {
      const next = subfolder(node, folder);
      if (!next) break;
      node = next;
      shared++;
    }
    return { items: node.items, shared };
  }
}

/**
 * Cuts each folder's list to size and lets a folder whose items are all in its only subfolder share that list: above
 * the folder where a workspace branches, and below each item's last branch, every folder held a copy of one list.
 * Indexes of the units and upstreams are kept across builds.
 */
function compact<T>(root: FolderNode<T>): void {
  root.items = root.items.slice();
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const folders = node.folders;
    if (folders === undefined) continue;
    if (folders instanceof Map) {
      for (const child of folders.values()) {
        child.items = child.items.slice();
        stack.push(child);
      }
    } else {
      // The only subfolder holding as many items holds the same ones, in the same order.
      const child = folders.node;
      child.items = child.items.length === node.items.length ? node.items : child.items.slice();
      stack.push(child);
    }
  }
}

// Items that each live in a folder, indexed by every folder above them: those nearest a file (sharing the most
// leading folders with it) are then a walk up the file's own folders, not a comparison with every item.

/** The folders of a path, root first, without the file name: "/srv/app/x.conf" → ["", "srv", "app"]. */
export function foldersOf(path: string): string[] {
  return path.replace(/\\/g, '/').split('/').slice(0, -1);
}

export class FolderIndex<T> {
  private readonly byPrefix = new Map<string, T[]>();

  constructor(items: Iterable<T>, folderOf: (item: T) => readonly string[]) {
    for (const item of items) {
      for (const key of prefixKeys(folderOf(item))) {
        const list = this.byPrefix.get(key);
        if (list) list.push(item);
        else this.byPrefix.set(key, [item]);
      }
    }
  }

  /** The items sharing the most leading folders with `folders`, all of them on a tie, in the order given. */
  nearest(folders: readonly string[]): readonly T[] {
    return this.nearestShared(folders).items;
  }

  /** `nearest`, with how many leading folders they share (-1 when the index is empty). */
  nearestShared(folders: readonly string[]): { items: readonly T[]; shared: number } {
    const keys = prefixKeys(folders);
    for (let n = keys.length - 1; n >= 0; n--) {
      const found = this.byPrefix.get(keys[n]!);
      if (found) return { items: found, shared: n };
    }
    return { items: [], shared: -1 };
  }
}

/** A key per number of leading folders (0 to all), each naming those folders; made in one pass. */
function prefixKeys(folders: readonly string[]): string[] {
  const keys = ['\u0000'];
  let joined = '';
  for (const folder of folders) {
    joined += `/${folder}`;
    keys.push(`\u0000${joined}`);
  }
  return keys;
}

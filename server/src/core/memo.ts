// Memos for values that are costly to build and asked for again and again (suggestions, hover text, what a build
// derives from the workspace's listing), and one shared copy of the names kept parses repeat.

/**
 * Values by key, computed on first use. The same typo or the same setting's documentation is looked up on every
 * keystroke or completion request; the memo is cleared when full, so a long session cannot grow it without limit.
 */
export class BoundedMemo<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly capacity = 5000) {}

  get(key: string, compute: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute();
      if (this.values.size >= this.capacity) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}

/**
 * `compute` of a listing, kept while the host passes the same array with the same length (the workspace index appends
 * created files to its array and replaces it when files go): what every build derives from the listing is made once.
 */
export function perListing<T>(compute: (paths: readonly string[]) => T): (paths: readonly string[]) => T {
  let kept: { paths: readonly string[]; length: number; value: T } | undefined;
  return (paths) => {
    if (kept?.paths !== paths || kept.length !== paths.length) {
      kept = { paths, length: paths.length, value: compute(paths) };
    }
    return kept.value;
  };
}

/**
 * One string for each name that kept parses repeat (a unit's `ExecStart`, a config's `workers`): parses are kept
 * across model builds, and a copy of each name in each parse added up. Bounded, so a stream of made-up names cannot
 * grow it without end.
 */
export function sharedName(name: string): string {
  const known = sharedNames.get(name);
  if (known !== undefined) return known;
  if (sharedNames.size >= MAX_SHARED_NAMES) return name;
  // A name cut from a file's text may be stored as a window on that text: the table keeps a copy of its own, so it
  // never holds a whole file (joining makes a new string; slicing it copies the characters out).
  const own = ` ${name}`.slice(1);
  sharedNames.set(own, own);
  return own;
}

const sharedNames = new Map<string, string>();
const MAX_SHARED_NAMES = 4_000;

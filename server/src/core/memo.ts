// Memos for values that are costly to build and asked for again and again (suggestions, hover text, what a build
// derives from the workspace's listing).

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

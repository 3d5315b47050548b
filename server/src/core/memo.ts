// A bounded memo for values that are costly to build and asked for again and again (suggestions, hover text).

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

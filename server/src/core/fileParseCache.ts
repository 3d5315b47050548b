// Parses of workspace files kept across the server's model builds: a rebuild after an edit finds every unchanged
// file's parse here.

/**
 * Values by key, each valid for the text it was made from; least recently used out first, bounded by entries and by
 * the characters of the texts held. Parses are keyed by file (and the way of parsing), not by text alone: callers key
 * memos on a parse's objects (an nginx pass's inherited headers, resolved against its own file's includes), so two
 * files with the same text must not share one; only a parse no one keys on may be kept by its text (the key is then
 * the text). Cached values are shared between builds: callers must not change them.
 */
export class FileParseCache<T> {
  /** In recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, { text: string; value: T }>();
  private chars = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxChars: number,
  ) {}

  get(key: string, text: string, compute: () => T): T {
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      this.chars -= cached.text.length;
      if (cached.text === text) {
        this.entries.set(key, cached);
        this.chars += text.length;
        return cached.value;
      }
    }
    const value = compute();
    // A text bigger than a quarter of the budget would push out everything else for one file.
    if (text.length > this.maxChars / 4) return value;
    this.entries.set(key, { text, value });
    this.chars += text.length;
    while (this.entries.size > this.maxEntries || this.chars > this.maxChars) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { text: string }];
      this.entries.delete(oldest);
      this.chars -= entry.text.length;
    }
    return value;
  }
}

// Parses kept by their text across model builds: a rebuild after an edit finds every unchanged file's parse here.

/**
 * Values by (variant, text), least recently used out first, bounded by entries and by the characters of the texts
 * held. Texts are keys as they are: the workspace index hands out the same string for an unchanged file, whose hash
 * V8 keeps, so a lookup costs no more than for a short key. Cached values are shared: callers must not change them.
 */
export class TextCache<T> {
  /** Per variant, in recency order (a hit moves its entry to the end). */
  private readonly values = new Map<string, Map<string, T>>();
  private entries = 0;
  private chars = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxChars: number,
  ) {}

  get(text: string, compute: () => T, variant = ''): T {
    let byText = this.values.get(variant);
    const cached = byText?.get(text);
    if (byText && cached !== undefined) {
      byText.delete(text);
      byText.set(text, cached);
      return cached;
    }
    const value = compute();
    // A text bigger than a quarter of the budget would push out everything else for one file.
    if (text.length > this.maxChars / 4) return value;
    if (!byText) this.values.set(variant, (byText = new Map()));
    byText.set(text, value);
    this.entries++;
    this.chars += text.length;
    while (this.entries > this.maxEntries || this.chars > this.maxChars) this.evictOne();
    return value;
  }

  /** Drops the least recently used entry of the variant holding the most (variants are few). */
  private evictOne(): void {
    let fullest: Map<string, T> | undefined;
    for (const byText of this.values.values()) {
      if (!fullest || byText.size > fullest.size) fullest = byText;
    }
    const oldest = fullest?.keys().next().value;
    if (!fullest || oldest === undefined) {
      this.entries = 0;
      this.chars = 0;
      return;
    }
    fullest.delete(oldest);
    this.entries--;
    this.chars -= oldest.length;
  }
}

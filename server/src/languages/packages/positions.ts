// Finds where a value parsed from TOML or JSON is written in the text, since those parsers keep no positions.

/** Escapes a string for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Walks a text in order, finding each next occurrence of a quoted string or a key (a missing one leaves it in place). */
export class TextCursor {
  private at = 0;

  constructor(private readonly text: string) {}

  /** Moves to the start of a `[section]` header (or `[[array]]`), when the text has one. */
  seekHeader(header: string): void {
    const parts = header
      .split('.')
      .map((p) => `(?:${escapeRegExp(p)}|"${escapeRegExp(p)}"|'${escapeRegExp(p)}')`);
    const pattern = new RegExp(`^[ \\t]*\\[\\[?[ \\t]*${parts.join('[ \\t]*\\.[ \\t]*')}[ \\t]*\\]`, 'm');
    const m = pattern.exec(this.text);
    if (m) this.at = m.index + m[0].length;
  }

  /** Offsets of the string's content inside its quotes, searched from the cursor (then from the start). */
  string(value: string): { from: number; to: number } {
    const pattern = new RegExp(`(["'])${escapeRegExp(value)}\\1`, 'g');
    const found = this.search(pattern);
    if (!found) return { from: this.at, to: this.at };
    this.at = found.index + found[0].length;
    return { from: found.index + 1, to: found.index + 1 + value.length };
  }

  /** Offsets of a `key =` (or `"key":`) at a line start, searched from the cursor (then from the start). */
  key(key: string, json = false): { from: number; to: number } {
    const name = `(?:${escapeRegExp(key)}|"${escapeRegExp(key)}"|'${escapeRegExp(key)}')`;
    const pattern = json
      ? new RegExp(`"${escapeRegExp(key)}"\\s*:`, 'g')
      : new RegExp(`^[ \\t]*${name}[ \\t]*=`, 'gm');
    const found = this.search(pattern);
    if (!found) return { from: this.at, to: this.at };
    const from = found.index + found[0].search(/\S/) + (json ? 1 : /^\s*["']/.test(found[0]) ? 1 : 0);
    this.at = found.index + found[0].length;
    return { from, to: from + key.length };
  }

  /** Offsets of the string in a `key = "value"` line, searched from the cursor (then from the start). */
  assignment(key: string, value: string): { from: number; to: number } {
    const pattern = new RegExp(
      `^[ \\t]*${escapeRegExp(key)}[ \\t]*=[ \\t]*(["'])${escapeRegExp(value)}\\1`,
      'gm',
    );
    const found = this.search(pattern);
    if (!found) return { from: this.at, to: this.at };
    this.at = found.index + found[0].length;
    return { from: this.at - 1 - value.length, to: this.at - 1 };
  }

  private search(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.at;
    return pattern.exec(this.text) ?? ((pattern.lastIndex = 0), pattern.exec(this.text));
  }
}

/** A plain object (a TOML table or JSON object), else undefined. */
export function table(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

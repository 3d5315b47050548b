// Positions, ranges, edits and the offset <-> line/character index shared by every language.

/** A zero-based line and a UTF-16 code-unit column, the same shape LSP uses. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range between two positions. */
export interface Range {
  start: Position;
  end: Position;
}

/** Replace the text in `range` by `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Maps offsets to positions and back for one text; built once per document version. */
export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (ch === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    // A copy holds just the offsets (the pushed array keeps spare room), and indexes are kept with their parses.
    this.lineStarts = starts.slice();
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset -> position; offsets outside the text, or between the `\r` and `\n` of a CRLF, are clamped. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    // An offset just after the `\r` of a `\r\n` (a span that ends on the `\r`, as Python syntax errors do) would be
    // a character past the line's end, which LSP forbids and our own range checks reject: clamp it to the line's end.
    const start = this.lineStarts[low] ?? 0;
    return { line: low, character: Math.min(clamped, this.lineEnd(low)) - start };
  }

  /** Position -> offset; positions past a line's end snap to that end (before its line break). */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line] ?? 0;
    const end = this.lineEnd(position.line);
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  /** Offset of the end of a line's content, before its line break. */
  lineEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next;
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(end, this.lineStarts[line] ?? 0);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }

  /** The text of one line without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  range(from: number, to: number): Range {
    return { start: this.positionAt(from), end: this.positionAt(to) };
  }

  /** The line break this text uses most: `\r\n` when its first break is one, else `\n`. */
  get eol(): string {
    const first = this.text.indexOf('\n');
    return first > 0 && this.text.charCodeAt(first - 1) === 13 ? '\r\n' : '\n';
  }
}

/** Applies non-overlapping edits to a text (used by the CLI and by tests to show a fix's result). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = edits
    .map((edit) => ({ from: index.offsetAt(edit.range.start), to: index.offsetAt(edit.range.end), edit }))
    .sort((a, b) => b.from - a.from || b.to - a.to);
  let result = text;
  for (const { from, to, edit } of sorted) result = result.slice(0, from) + edit.newText + result.slice(to);
  return result;
}

/**
 * Orders strings by UTF-16 code units, the same on every machine and locale. Not localeCompare: that loads ICU's
 * collation data, about 3 MB of resident memory, and its order depends on the locale.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function rangesEqual(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

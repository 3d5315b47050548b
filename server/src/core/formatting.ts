// What every formatter shares: the editor's options, edits by offset, line breaks, indentation and the final newline.

import type { LineIndex, TextEdit } from './text';

/** The editor's formatting options (LSP `FormattingOptions`, the parts we honour). */
export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  /** Absent means yes: a formatted file ends with a line break. */
  insertFinalNewline?: boolean;
  /** Absent means yes: line breaks after the last line collapse to one. */
  trimFinalNewlines?: boolean;
}

/** Replace the text between two offsets. */
export interface OffsetEdit {
  from: number;
  to: number;
  text: string;
}

/** Above this size a document is not formatted (the same bound as analysis). */
export const MAX_FORMAT_CHARS = 1_000_000;

/**
 * The line break to write: CRLF as soon as the file has one (so a CRLF file stays CRLF, and a mixed one settles on
 * CRLF at the first pass: a rule by majority could flip on the second, when collapsed blank lines change the count).
 */
export function lineBreakOf(text: string): '\n' | '\r\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** One level of indentation: a tab, or tabSize spaces (a nonsense tabSize falls back to 4). */
export function indentUnit(options: FormatOptions): string {
  if (!options.insertSpaces) return '\t';
  const size =
    Number.isInteger(options.tabSize) && options.tabSize > 0 && options.tabSize <= 16 ? options.tabSize : 4;
  return ' '.repeat(size);
}

/** How many line breaks end the file, given how many it had. */
export function finalLineBreaks(had: number, options: FormatOptions): number {
  // Blank lines collapse to one here too.
  let count = Math.min(had, 2);
  if (options.trimFinalNewlines !== false) count = Math.min(count, 1);
  if (options.insertFinalNewline !== false) count = Math.max(count, 1);
  return count;
}

/** Line feeds in a stretch of whitespace (a lone CR is not a line break to nginx or systemd). */
export function countLineFeeds(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Offset edits → LSP-shaped edits, dropping those that change nothing. */
export function toTextEdits(text: string, lines: LineIndex, edits: readonly OffsetEdit[]): TextEdit[] {
  return edits
    .filter((edit) => text.slice(edit.from, edit.to) !== edit.text)
    .map((edit) => ({
      range: { start: lines.positionAt(edit.from), end: lines.positionAt(edit.to) },
      newText: edit.text,
    }));
}

/** Applies non-overlapping offset edits (for tests and the CLI). */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  // Stable: an insertion before a replacement at the same offset stays first.
  const sorted = [...edits].sort((a, b) => a.from - b.from);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    out += text.slice(cursor, edit.from) + edit.text;
    cursor = edit.to;
  }
  return out + text.slice(cursor);
}

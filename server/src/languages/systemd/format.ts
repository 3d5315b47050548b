// Formats a unit file line by line: `Key=value` without spaces around `=`, no indentation or trailing whitespace,
// one blank line before each section, continued values (trailing `\`) kept exactly as written.

import {
  countLineFeeds,
  finalLineBreaks,
  lineBreakOf,
  type FormatOptions,
  type OffsetEdit,
} from '../../core/formatting';
import type { Span } from '../gunicorn/model';
import type { Directive, UnitModel } from './parse';

/** A header, a comment, or an assignment with all its continuation lines. */
interface Entry {
  kind: 'header' | 'comment' | 'directive';
  firstLine: number;
  lastLine: number;
  /** What the first line should read; undefined to leave it as written. */
  wanted?: string;
}

/**
 * The edits that format the unit file, or none when systemd would ignore or misread some line (a file we would
 * change under the user's feet). With `range`, only the entries on the lines it touches.
 */
export function formatUnitFile(model: UnitModel, options: FormatOptions, range?: Span): OffsetEdit[] {
  const { text, lines } = model;
  if (model.problems.length) return [];
  // A lone CR is a line break to the editor but not to systemd: line-based edits could join or split its lines.
  if (/\r(?!\n)/.test(text)) return [];
  const entries = entriesOf(model);
  if (!entries.length) return [];
  const eol = lineBreakOf(text);
  const edits: OffsetEdit[] = [];
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstOfSectionGroup = sectionGroupStarts(entries);
  entries.forEach((entry, index) => {
    const start = lines.lineStart(entry.firstLine) + (entry.firstLine === 0 ? bom : 0);
    // The line breaks before the entry first, then its line: edits stay in document order.
    const previous = entries[index - 1];
    if (!previous) {
      edits.push({ from: bom, to: start, text: '' });
    } else {
      const gapFrom = lines.lineEnd(previous.lastLine);
      const blank = countLineFeeds(text.slice(gapFrom, start)) > 1;
      const blankLines = firstOfSectionGroup.has(index) || blank ? 1 : 0;
      edits.push({ from: gapFrom, to: start, text: eol.repeat(1 + blankLines) });
    }
    if (entry.wanted !== undefined) {
      edits.push({ from: start, to: lines.lineEnd(entry.firstLine), text: entry.wanted });
    }
  });
  const last = entries[entries.length - 1]!;
  const end = lines.lineEnd(last.lastLine);
  const tail = text.slice(end);
  if (/^\s*$/.test(tail)) {
    edits.push({
      from: end,
      to: text.length,
      text: eol.repeat(finalLineBreaks(countLineFeeds(tail), options)),
    });
  }
  if (!range) return edits;
  const from = lines.positionAt(range.from).line;
  const to = lines.positionAt(range.to).line;
  const touched = entries.filter((e) => e.firstLine <= to && from <= e.lastLine);
  if (!touched.length) return [];
  const spanFrom = lines.lineStart(touched[0]!.firstLine);
  const spanTo = lines.lineEnd(touched[touched.length - 1]!.lastLine);
  return edits.filter((edit) => edit.to >= spanFrom && edit.to <= spanTo);
}

/** The file's non-blank lines grouped into entries, with what each first line should read. */
function entriesOf(model: UnitModel): Entry[] {
  const { lines } = model;
  const byLine = new Map<number, Directive>();
  for (const directive of model.directives) byLine.set(directive.line, directive);
  const headers = new Set(model.sections.map((s) => lines.positionAt(s.headerSpan.from).line));
  const entries: Entry[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const raw = lines.lineText(line).replace(/^\uFEFF/, '');
    const content = trimBlanks(raw);
    if (!content) continue;
    const directive = byLine.get(line);
    if (directive) {
      const lastLine = lines.positionAt(directive.span.to).line;
      entries.push({
        kind: 'directive',
        firstLine: line,
        lastLine,
        wanted: assignmentLine(raw, directive, lastLine > line),
      });
      line = lastLine;
      continue;
    }
    entries.push({
      kind: headers.has(line) ? 'header' : 'comment',
      firstLine: line,
      lastLine: line,
      wanted: content,
    });
  }
  return entries;
}

/**
 * `Key=value` as the first line of an assignment should read: systemd strips the whitespace around the key and the
 * value, so dropping it changes nothing. A line that ends in a backslash followed by spaces is left alone: systemd
 * does not continue it, and trimming the spaces would make it continue.
 */
function assignmentLine(raw: string, directive: Directive, continued: boolean): string | undefined {
  if (/\\[ \t]+$/.test(raw)) return undefined;
  const equals = raw.indexOf('=');
  if (equals < 0 || directive.key === '') return undefined;
  const rest = raw.slice(equals + 1);
  // A continued value keeps its first line's end as written (the backslash is what continues it).
  return `${trimBlanks(raw.slice(0, equals))}=${continued ? rest.replace(/^[ \t]+/, '') : trimBlanks(rest)}`;
}

/** Strips spaces and tabs only: systemd's whitespace; a no-break space is part of a value to it. */
function trimBlanks(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * Entries that get one blank line before them: each section header but the first entry of the file, or the first
 * of the comment lines directly above it (a comment about a section stays attached to its header).
 */
function sectionGroupStarts(entries: readonly Entry[]): Set<number> {
  const starts = new Set<number>();
  entries.forEach((entry, index) => {
    if (entry.kind !== 'header') return;
    let first = index;
    while (first > 0) {
      const above = entries[first - 1]!;
      if (above.kind !== 'comment' || above.lastLine !== entries[first]!.firstLine - 1) break;
      first--;
    }
    if (first > 0) starts.add(first);
  });
  return starts;
}

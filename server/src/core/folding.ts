// Folding regions from spans: the lines a region covers, without trailing blank lines, and only when it spans two.

import type { FoldingRegion } from './features';
import type { LineIndex } from './text';

/** The region from the line of `from` to the last non-blank line up to `to`; undefined when that is one line. */
export function foldingRegion(lines: LineIndex, from: number, to: number): FoldingRegion | undefined {
  const startLine = lines.positionAt(from).line;
  let endLine = lines.positionAt(Math.max(from, to - 1)).line;
  while (endLine > startLine && lines.lineText(endLine).trim() === '') endLine--;
  return endLine > startLine ? { startLine, endLine } : undefined;
}

// Document and range formatting by language: nginx and unit files; Gunicorn configs are Python, left to Python's
// formatters. Templates and anything that does not parse cleanly get no edits.

import { MAX_FORMAT_CHARS, toTextEdits, type FormatOptions, type OffsetEdit } from '../core/formatting';
import { hasTemplateSyntax, isTemplatePath } from '../core/templates';
import { LineIndex, type Range, type TextEdit } from '../core/text';
import { formatNginx } from './nginx/format';
import { parseNginxConfig } from './nginx/parse';
import type { LanguageId } from './registry';
import { formatUnitFile } from './systemd/format';
import { parseUnitFile } from './systemd/parse';

export type { FormatOptions } from '../core/formatting';

/** True for the languages this module formats. */
export function formats(language: LanguageId): boolean {
  return language === 'nginx' || language === 'systemd';
}

/** Offset edits that format `text` (all of it, or the statements `range` touches); never throws. */
export function formatEdits(
  language: LanguageId,
  text: string,
  options: FormatOptions,
  path?: string,
  range?: { from: number; to: number },
): OffsetEdit[] {
  if (!formats(language) || text.length > MAX_FORMAT_CHARS) return [];
  // A template's tags may stand for whole lines or blocks: re-indenting around them could change the rendered file.
  if ((path !== undefined && isTemplatePath(path)) || hasTemplateSyntax(text)) return [];
  try {
    const edits =
      language === 'nginx'
        ? formatNginx(parseNginxConfig(text), options, range)
        : formatUnitFile(parseUnitFile(text), options, range);
    return edits.filter((edit) => text.slice(edit.from, edit.to) !== edit.text);
  } catch {
    // Bad input never breaks the editor's format command: it just changes nothing.
    return [];
  }
}

/** The same as LSP-shaped edits; `range` in line/character positions. */
export function formatDocument(
  language: LanguageId,
  text: string,
  options: FormatOptions,
  path?: string,
  range?: Range,
): TextEdit[] {
  const lines = new LineIndex(text);
  const offsets = range ? { from: lines.offsetAt(range.start), to: lines.offsetAt(range.end) } : undefined;
  return toTextEdits(text, lines, formatEdits(language, text, options, path, offsets));
}

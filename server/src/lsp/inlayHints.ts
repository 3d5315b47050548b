// textDocument/inlayHint: converts deployment/inlayHints.ts's hints for the requested range (no build is awaited).

import { MarkupKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { changedSpan } from '../core/fixAll';
import { LineIndex } from '../core/text';
import type { Version } from '../core/version';
import { defaultHints, overrideHints, type InlayHintData } from '../deployment/inlayHints';
import { describeEffective } from '../deployment/present';
import type { ConfigModel } from '../languages/gunicorn/model';
import { parseGunicornConfig } from '../languages/gunicorn/parse';
import type { OpenFileResult } from './deploymentBuild';

export interface InlayHintOptions {
  /**
   * The last build's result for this document. Its text may be older than the editor's (a build follows edits by a
   * few hundred milliseconds): hints outside the edited span are moved along, those inside it are left out.
   */
  built: OpenFileResult | undefined;
  /** `gunicornConfig.inlayHints.defaults`, and the Gunicorn version defaults are read for (Gunicorn configs only). */
  defaults?: { version: Version };
  markdown: boolean;
}

/** The last config parsed for default hints: requests repeat for the same text as the editor scrolls. */
let lastParse: { text: string; model: ConfigModel } | undefined;
/** Line starts of the last built text asked about. */
let lastBuiltLines: LineIndex | undefined;

function configModelOf(text: string): ConfigModel {
  if (lastParse?.text !== text) lastParse = { text, model: parseGunicornConfig(text) };
  return lastParse.model;
}

/** Where an offset of the built text is in the editor's text: undefined inside the span edited since the build. */
function tracker(built: string, current: string): (offset: number) => number | undefined {
  const span = changedSpan(built, current);
  if (!span) return (offset) => offset;
  const delta = span.newText.length - (span.to - span.from);
  return (offset) => (offset < span.from ? offset : offset > span.to ? offset + delta : undefined);
}

export function inlayHintsFor(document: TextDocument, range: Range, options: InlayHintOptions): InlayHint[] {
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const data: InlayHintData[] = [];
  const { built } = options;
  if (built?.effective) {
    if (lastBuiltLines?.text !== built.text) lastBuiltLines = new LineIndex(built.text);
    const lines = lastBuiltLines;
    const moved = tracker(built.text, document.getText());
    for (const hint of overrideHints(
      built.effective,
      built.uri,
      (offset) => lines.positionAt(offset).line,
      (effective, line) => describeEffective(effective, built.uri, line),
    )) {
      const offset = moved(hint.offset);
      if (offset !== undefined) data.push({ ...hint, offset });
    }
  }
  if (options.defaults) {
    data.push(...defaultHints(configModelOf(document.getText()), options.defaults.version));
  }
  return data
    .filter((hint) => hint.offset >= from && hint.offset <= to)
    .sort((a, b) => a.offset - b.offset)
    .map((hint) => ({
      position: document.positionAt(hint.offset),
      label: hint.label,
      paddingLeft: true,
      ...(hint.tooltip
        ? {
            tooltip: options.markdown
              ? { kind: MarkupKind.Markdown, value: hint.tooltip }
              : hint.tooltip.replace(/[*`]/g, ''),
          }
        : {}),
    }));
}

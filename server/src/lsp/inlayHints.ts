// textDocument/inlayHint: converts deployment/inlayHints.ts's hints for the requested range (no build is awaited).

import { MarkupKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Version } from '../core/version';
import { defaultHints, overrideHints, type InlayHintData } from '../deployment/inlayHints';
import { describeEffective } from '../deployment/present';
import type { ConfigModel } from '../languages/gunicorn/model';
import { parseGunicornConfig } from '../languages/gunicorn/parse';
import type { OpenFileResult } from './deploymentBuild';

export interface InlayHintOptions {
  /** The last build's sites for this document, when it was built from the text the editor shows. */
  built: OpenFileResult | undefined;
  /** `gunicornConfig.inlayHints.defaults`, and the Gunicorn version defaults are read for (Gunicorn configs only). */
  defaults?: { version: Version };
  markdown: boolean;
}

/** The last config parsed for default hints: requests repeat for the same text as the editor scrolls. */
let lastParse: { text: string; model: ConfigModel } | undefined;

function configModelOf(text: string): ConfigModel {
  if (lastParse?.text !== text) lastParse = { text, model: parseGunicornConfig(text) };
  return lastParse.model;
}

export function inlayHintsFor(document: TextDocument, range: Range, options: InlayHintOptions): InlayHint[] {
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const data: InlayHintData[] = [];
  const { built } = options;
  if (built?.effective) {
    data.push(
      ...overrideHints(
        built.effective,
        built.uri,
        (offset) => document.positionAt(offset).line,
        (effective, line) => describeEffective(effective, built.uri, line),
      ),
    );
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

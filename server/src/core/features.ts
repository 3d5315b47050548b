// Editor-feature results shared by every language: hovers and completion entries, as plain data.

import type { Range } from './text';

export interface HoverResult {
  markdown: string;
  range?: Range;
}

export interface CompletionEntry {
  label: string;
  kind: 'setting' | 'hook' | 'value' | 'snippet' | 'section' | 'directive' | 'variable';
  detail?: string;
  documentation?: string;
  insertText: string;
  isSnippet: boolean;
  /** The text to insert for clients without snippet support. */
  plainInsertText?: string;
  deprecated?: boolean;
  sortText?: string;
  /** Text the client matches what the user typed against, when it differs from the label. */
  filterText?: string;
  /** The text the insertion replaces (sent as a text edit), when the client's own idea of the word may differ. */
  range?: Range;
}

/** A foldable region: zero-based first and last line (the last line stays visible when folded only for blocks). */
export interface FoldingRegion {
  startLine: number;
  endLine: number;
}

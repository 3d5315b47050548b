// Editor-feature results shared by every language: hovers and completion entries, as plain data.

import type { Range } from './text';

export interface HoverResult {
  markdown: string;
  range?: Range;
}

export interface CompletionEntry {
  label: string;
  kind:
    'setting' | 'hook' | 'value' | 'snippet' | 'section' | 'directive' | 'variable' | 'module' | 'function';
  detail?: string;
  documentation?: string;
  /**
   * Detail and documentation made only when asked for (see `describeEntry`): an editor shows a few items of a long
   * list, and formatting every directive's description up front was most of the cost of a context's first list.
   */
  describe?: () => { detail?: string; documentation?: string };
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

/**
 * What a document offers at a position: the entries, and the range that every entry without its own replaces (one
 * shared range instead of a copy of each of a few hundred entries per request).
 */
export interface CompletionList {
  entries: CompletionEntry[];
  range?: Range;
}

/** An entry's detail and documentation, made now if the entry describes itself lazily. */
export function describeEntry(entry: CompletionEntry): { detail?: string; documentation?: string } {
  const described = entry.describe?.() ?? {};
  const detail = described.detail ?? entry.detail;
  const documentation = described.documentation ?? entry.documentation;
  return { ...(detail ? { detail } : {}), ...(documentation ? { documentation } : {}) };
}

/** A foldable region: zero-based first and last line (the last line stays visible when folded only for blocks). */
export interface FoldingRegion {
  startLine: number;
  endLine: number;
}

// The outline of a document (what editors show as document symbols), as plain data every language produces.

import { readableStandIns } from './templates';
import type { LineIndex, Range } from './text';

/** What a symbol is; the LSP layer maps each kind to one of the protocol's symbol kinds. */
export type OutlineKind =
  /** A group: a unit file section, a Gunicorn settings section, a Dockerfile stage. */
  | 'section'
  | 'setting'
  | 'hook'
  /** A function or name that is no Gunicorn setting. */
  | 'other'
  | 'directive'
  /** An nginx block without a kind of its own (`http`, `events`, `if`…). */
  | 'block'
  | 'server'
  | 'location'
  | 'upstream'
  | 'map'
  | 'include'
  /** A place that starts Gunicorn: ExecStart=, CMD, a Procfile line, a compose command, a script line. */
  | 'launch'
  | 'instruction'
  | 'process'
  | 'service';

export interface OutlineSymbol {
  name: string;
  /** A short text shown beside the name (a value, an address). */
  detail?: string;
  kind: OutlineKind;
  /** The whole construct (a block through its `}`). */
  range: Range;
  /** The part to reveal when the symbol is picked (its name); inside `range`. */
  selectionRange: Range;
  children?: OutlineSymbol[];
}

/** An outline never holds more symbols than this (a 1 MB generated file must still answer in milliseconds). */
export const MAX_OUTLINE_SYMBOLS = 5_000;
/**
 * Symbols nest at most this deep: deeper blocks (junk such as 10,000 `{`) are left out, so no walk over an outline (ours,
 * the LSP conversion, JSON) recurses deeper than this.
 */
export const MAX_OUTLINE_DEPTH = 32;
/** Details are one line of at most this many characters. */
const MAX_DETAIL = 80;

/** A symbol of the span [from, to) whose name sits at [nameFrom, nameTo). */
export function outlineSymbol(
  lines: LineIndex,
  kind: OutlineKind,
  name: string,
  span: { from: number; to: number },
  nameSpan: { from: number; to: number } = span,
  detail?: string,
  children?: OutlineSymbol[],
): OutlineSymbol {
  const from = Math.min(span.from, nameSpan.from);
  let to = Math.max(span.to, nameSpan.to, from);
  // Spans that end with the line break or the blank lines after a statement would reach into the next symbol's line.
  while (to > from && to > nameSpan.to && isSpace(lines.text.charCodeAt(to - 1))) to--;
  const shown = shortText(detail);
  return {
    name: shortText(name) || '?',
    ...(shown ? { detail: shown } : {}),
    kind,
    range: lines.range(from, to),
    selectionRange: lines.range(nameSpan.from, Math.max(nameSpan.from, nameSpan.to)),
    ...(children?.length ? { children } : {}),
  };
}

/** A group symbol spanning its children (from the first's start to the last's end); undefined when empty. */
export function outlineGroup(
  name: string,
  kind: OutlineKind,
  children: OutlineSymbol[],
  detail?: string,
): OutlineSymbol | undefined {
  const first = children[0];
  if (!first) return undefined;
  let end = first.range.end;
  for (const child of children) {
    const e = child.range.end;
    if (e.line > end.line || (e.line === end.line && e.character > end.character)) end = e;
  }
  return {
    name,
    ...(detail ? { detail } : {}),
    kind,
    range: { start: first.range.start, end },
    selectionRange: first.selectionRange,
    children,
  };
}

const NEEDS_FOLDING = /\s\s|[\t\n\r\f\v]|^\s|\s$/;
const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/** Whitespace folded to single spaces, template stand-ins shown as placeholders, cut to one short line. */
export function shortText(text: string | undefined): string {
  if (!text) return '';
  // Most names and values are one clean line already: skip the rewriting then.
  const flat = readableStandIns(NEEDS_FOLDING.test(text) ? text.replace(/\s+/g, ' ').trim() : text);
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL - 3)}...` : flat;
}

/**
 * The outline cut to `max` symbols in document order (depth first) and to MAX_OUTLINE_DEPTH levels: what comes first
 * in the file stays, and a parent is kept whenever one of its children is.
 */
export function boundOutline(symbols: OutlineSymbol[], max = MAX_OUTLINE_SYMBOLS): OutlineSymbol[] {
  let left = max;
  const cut = (list: OutlineSymbol[], depth: number): OutlineSymbol[] => {
    const kept: OutlineSymbol[] = [];
    for (const symbol of list) {
      if (left <= 0) break;
      left--;
      if (!symbol.children) kept.push(symbol);
      else {
        const children = depth + 1 < MAX_OUTLINE_DEPTH ? cut(symbol.children, depth + 1) : [];
        kept.push(children.length ? { ...symbol, children } : omitChildren(symbol));
      }
    }
    return kept;
  };
  return cut(symbols, 0);
}

function omitChildren(symbol: OutlineSymbol): OutlineSymbol {
  const { children: _children, ...rest } = symbol;
  return rest;
}

/**
 * Remembers the outline of one parse per target version: editors ask for it several times per edit (the Outline view,
 * breadcrumbs, sticky scroll), and only command sources and units read the version.
 */
export function memoOutline<C extends { version: readonly number[] }>(
  build: (ctx: C) => OutlineSymbol[],
): (ctx: C) => OutlineSymbol[] {
  let last: { key: string; outline: OutlineSymbol[] } | undefined;
  return (ctx) => {
    const key = ctx.version.join('.');
    if (last?.key !== key) last = { key, outline: build(ctx) };
    return last.outline;
  };
}

// Where the keys and values of a TOML file are written. smol-toml gives the values but no positions, so this scan
// finds, for each key path (`kill_timeout`, `http_service.internal_port`, `services.0.internal_port`), the spans of
// its key and value, and of a list value's items. It only locates; what a value means comes from smol-toml.

import type { Span } from './containerFacts';

export interface TomlLocation {
  key: Span;
  value: Span;
  /** For an array value: each item's span (strings with their quotes). */
  items?: Span[];
}

/**
 * Key path → location; paths join keys with `.`, array-of-tables elements by their index (`services.0.ports.1`). A
 * table header (`[env]`, `[[services]]`) is located under its table's path, with the header as key and value.
 */
export type TomlLocations = ReadonlyMap<string, TomlLocation>;

const BARE_KEY = /[A-Za-z0-9_-]+/y;

/** Reads a key (bare, quoted or dotted) at `i`; the parts and the offset after it. */
function readKey(text: string, i: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      const lineBreak = text.indexOf('\n', i + 1);
      if (close < 0 || (lineBreak >= 0 && lineBreak < close)) return undefined;
      parts.push(text.slice(i + 1, close));
      i = close + 1;
    } else {
      BARE_KEY.lastIndex = i;
      const m = BARE_KEY.exec(text);
      if (!m) return undefined;
      parts.push(m[0]);
      i += m[0].length;
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '.') return { parts, end: i };
    i++;
  }
}

/** The end of a string starting at `i` (quotes included); the text's end when it is not closed. */
function stringEnd(text: string, i: number): number {
  const quote = text[i]!;
  const triple = text.startsWith(quote.repeat(3), i);
  if (triple) {
    const close = text.indexOf(quote.repeat(3), i + 3);
    if (close < 0) return text.length;
    // A closing delimiter may have one or two more quotes before it ("""a"""" ends after four).
    let end = close + 3;
    while (text[end] === quote && end < close + 5) end++;
    return end;
  }
  let k = i + 1;
  while (k < text.length && text[k] !== '\n') {
    if (quote === '"' && text[k] === '\\') k += 2;
    else if (text[k] === quote) return k + 1;
    else k++;
  }
  return k;
}

/** The end of the value starting at `i`, and the items of an array value. */
function valueEnd(text: string, i: number): { end: number; items?: Span[] } {
  const ch = text[i];
  if (ch === '"' || ch === "'") return { end: stringEnd(text, i) };
  if (ch === '[' || ch === '{') {
    const items: Span[] = [];
    const close = ch === '[' ? ']' : '}';
    let k = i + 1;
    while (k < text.length) {
      const c = text[k]!;
      if (c === close) return ch === '[' ? { end: k + 1, items } : { end: k + 1 };
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ',') {
        k++;
      } else if (c === '#') {
        const lineBreak = text.indexOf('\n', k);
        k = lineBreak < 0 ? text.length : lineBreak;
      } else if (ch === '{') {
        // Inline table: skip `key = value` pairs.
        const key = readKey(text, k);
        if (!key || text[key.end] !== '=') return { end: k };
        let v = key.end + 1;
        while (text[v] === ' ' || text[v] === '\t') v++;
        k = Math.max(valueEnd(text, v).end, v + 1);
      } else {
        const item = valueEnd(text, k);
        if (item.end <= k) return { end: k };
        items.push({ from: k, to: item.end });
        k = item.end;
      }
    }
    return { end: text.length };
  }
  // Numbers, booleans, dates: up to a blank, comma, bracket or comment.
  let k = i;
  while (k < text.length && !/[\s,\]}#]/.test(text[k]!)) k++;
  return { end: k };
}

function skipLine(text: string, i: number): number {
  const lineBreak = text.indexOf('\n', i);
  return lineBreak < 0 ? text.length : lineBreak + 1;
}

/** Every key's location in a TOML text; a part it cannot read ends the scan (what came before stays). */
export function tomlLocations(text: string): TomlLocations {
  const found = new Map<string, TomlLocation>();
  /** Array-of-tables paths (resolved, with indices) → index of their last element. */
  const arrays = new Map<string, number>();
  let table: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const resolve = (parts: readonly string[]): string[] => {
    const path: string[] = [];
    for (const part of parts) {
      path.push(part);
      const last = arrays.get(path.join('.'));
      if (last !== undefined) path.push(String(last));
    }
    return path;
  };
  while (i < text.length) {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] === '#') {
      i = skipLine(text, i);
      continue;
    }
    if (text[i] === '[') {
      const double = text[i + 1] === '[';
      const key = readKey(text, i + (double ? 2 : 1));
      if (!key || text[key.end] !== ']') break;
      const header = { from: i, to: key.end + (double ? 2 : 1) };
      if (double) {
        const path = resolve(key.parts.slice(0, -1));
        path.push(key.parts[key.parts.length - 1]!);
        const name = path.join('.');
        const index = (arrays.get(name) ?? -1) + 1;
        arrays.set(name, index);
        table = [...path, String(index)];
      } else {
        table = resolve(key.parts);
      }
      found.set(table.join('.'), { key: header, value: header });
      i = skipLine(text, key.end);
      continue;
    }
    const key = readKey(text, i);
    if (!key || text[key.end] !== '=') break;
    let v = key.end + 1;
    while (text[v] === ' ' || text[v] === '\t') v++;
    const value = valueEnd(text, v);
    const path = [...table, ...key.parts].join('.');
    found.set(path, {
      key: { from: i, to: key.end },
      value: { from: v, to: Math.max(v, value.end) },
      ...(value.items ? { items: value.items } : {}),
    });
    i = skipLine(text, Math.max(v, value.end));
  }
  return found;
}

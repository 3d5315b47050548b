// Reading manifest YAML through the `yaml` package's nodes: keys of maps, items of lists, scalars as written values
// with their document spans. Aliases are followed; anything of an unexpected shape reads as absent, never throws.

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import { hasPlaceholder } from '../../core/templates';
import type { ShellText } from './containerCommands';
import type { Span, Written } from './containerFacts';

export type YamlNode = Node | null | undefined;

/** The node an alias points to (one step: an alias of an alias is rare and reads as absent). */
export function resolved(node: unknown, doc: Document.Parsed | undefined): YamlNode {
  if (isAlias(node)) {
    if (!doc) return undefined;
    try {
      const target = node.resolve(doc);
      return isAlias(target) ? undefined : (target as YamlNode);
    } catch {
      return undefined;
    }
  }
  return node as YamlNode;
}

/** The span of a node's value (without a trailing comment or line break); undefined for nodes without one. */
export function spanOf(node: YamlNode): Span | undefined {
  const range = node?.range;
  if (!range) return undefined;
  let to = range[1];
  // A block collection's value runs on to the next line: it ends where its last item does.
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length) {
    const last: unknown = node.items[node.items.length - 1];
    const lastNode = isPair(last) ? (last.value ?? last.key) : last;
    const inner = spanOf(lastNode as YamlNode);
    if (inner && inner.to >= range[0] && inner.to <= to) to = inner.to;
  }
  return { from: range[0], to };
}

/** The text of a scalar key (`name:`), undefined for anything else. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null || key.value === undefined ? undefined : String(key.value);
  return undefined;
}

/** A map's entries with their keys as text (a key that is no scalar is skipped). */
export function entries(
  node: YamlNode,
  doc?: Document.Parsed,
): { key: string; keyNode: Scalar; value: YamlNode }[] {
  const map = resolved(node, doc);
  if (!isMap(map)) return [];
  const out: { key: string; keyNode: Scalar; value: YamlNode }[] = [];
  for (const pair of map.items) {
    const key = keyText(pair.key);
    if (key === undefined || !isScalar(pair.key)) continue;
    out.push({ key, keyNode: pair.key, value: resolved(pair.value, doc) });
  }
  return out;
}

/** The value of `key` in a map (the last one when a key is repeated, as most YAML loaders keep); undefined else. */
export function get(node: YamlNode, key: string, doc?: Document.Parsed): YamlNode {
  let found: YamlNode;
  for (const entry of entries(node, doc)) if (entry.key === key) found = entry.value ?? null;
  return found;
}

/** The value at a path of keys. */
export function at(node: YamlNode, path: readonly string[], doc?: Document.Parsed): YamlNode {
  let current = node;
  for (const key of path) {
    current = get(current, key, doc);
    if (current === undefined || current === null) return undefined;
  }
  return current;
}

/** A list's items (aliases followed); [] for anything that is not a list. */
export function items(node: YamlNode, doc?: Document.Parsed): YamlNode[] {
  const seq = resolved(node, doc);
  return isSeq(seq) ? seq.items.map((item) => resolved(item, doc)) : [];
}

export function isMapNode(node: YamlNode): boolean {
  return isMap(node);
}

export function isScalarNode(node: YamlNode): node is Scalar {
  return isScalar(node);
}

/** A scalar's value as text (numbers and booleans as YAML wrote them); undefined for maps, lists, null. */
export function scalarText(node: YamlNode): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number' || typeof node.value === 'boolean' || typeof node.value === 'bigint') {
    return typeof node.source === 'string' ? node.source : String(node.value);
  }
  return undefined;
}

/** Whether a value is filled in later (`{{ … }}` masked as `__X…__`, `${VAR}`, `<port>`): unknown here. */
export function isPlaceholder(value: string): boolean {
  return hasPlaceholder(value, { dollar: true });
}

/**
 * A scalar as a written value; `convert` turns the YAML value into the fact (undefined: written but unknown). A
 * placeholder is always unknown. Undefined when the node is absent or no scalar (a map where a value was expected).
 */
export function written<T>(
  node: YamlNode,
  convert: (value: unknown, text: string) => T | undefined,
): Written<T> | undefined {
  if (!isScalar(node)) {
    // A template expression that inserted a whole block leaves a map or list with a placeholder; say unknown.
    return undefined;
  }
  const span = spanOf(node);
  const text = scalarText(node);
  if (!span || text === undefined) return undefined;
  const value = isPlaceholder(text) ? undefined : convert(node.value, text);
  return value === undefined ? { text, span } : { value, text, span };
}

/** Converters for `written`. */
export const as = {
  string: (value: unknown, text: string): string | undefined =>
    typeof value === 'string' ? value : value === null ? undefined : text,
  /** A non-negative integer (also written as a string, `"8000"`). */
  integer: (value: unknown, text: string): number | undefined => {
    const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  },
  /** A port number, or a Kubernetes port name (`http`). */
  portOrName: (value: unknown, text: string): number | string | undefined => {
    const n = as.integer(value, text);
    if (n !== undefined) return n >= 1 && n <= 65535 ? n : undefined;
    return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text) ? text : undefined;
  },
};

/** How a string scalar is written, for reading shell text in it at document offsets (containerCommands.ts). */
export function yamlShellText(text: string, node: YamlNode): ShellText | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const [start, end] = node.range;
  const whole = { from: start, to: end };
  const value = node.value;
  switch (node.type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return end - start >= 2 ? { value, inner: { from: start + 1, to: end - 1 }, whole } : { value, whole };
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      // The content starts on the line after the `|`/`>` header.
      const lineBreak = text.indexOf('\n', start);
      if (lineBreak < 0 || lineBreak >= end) return { value, whole };
      return {
        value,
        inner: { from: lineBreak + 1, to: end },
        whole,
        literalLines: node.type === 'BLOCK_LITERAL',
      };
    }
    default:
      return { value, inner: whole, whole };
  }
}

// Reads a compose file with the `yaml` library into its services: each service's keys as plain nodes whose scalars
// keep their document offsets (quotes, block scalars, anchors and `<<` merge keys resolved as compose reads them).

import type * as YamlLib from 'yaml';
import { withoutStackTraces } from '../../core/stackless';
import type { Document, Node as YamlLibNode, Pair, Scalar } from 'yaml';
import type { LineIndex } from '../../core/text';
import type { Span } from '../gunicorn/launchSites';

export interface YamlScalar {
  value: string;
  /** The raw scalar, quotes included. */
  raw: Span;
  /** The text inside the quotes (the whole scalar when plain or a block). */
  inner: Span;
  quoted: boolean;
  /** True when the document text of `inner` reads as the value (whitespace aside for blocks and folded lines). */
  exact: boolean;
}

export interface YamlEntry {
  key: string;
  keySpan: Span;
  /** The value when it is a scalar. */
  value?: YamlScalar;
  /** The value whatever it is. */
  node?: YamlNode;
}

export type YamlNode =
  | { kind: 'scalar'; scalar: YamlScalar }
  | { kind: 'list'; items: YamlScalar[]; nodes: YamlNode[]; span: Span }
  | { kind: 'map'; entries: YamlEntry[]; span: Span };

export interface ComposeService {
  name: string;
  /** The service's key in the document. */
  nameSpan: Span;
  /** Its keys (merged ones first, its own overriding them). */
  keys: Map<string, YamlEntry>;
}

const BOM = '\uFEFF';

let yamlModule: typeof YamlLib | undefined;

/** The yaml library, loaded with the first compose file (most sessions never read one). */
function yaml(): typeof YamlLib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof YamlLib;
  return yamlModule;
}
/** Alias chains longer than this are not followed (a document may alias itself). */
const MAX_ALIAS_DEPTH = 20;

/**
 * Compose files bigger than this are not read (real ones are a few kilobytes; the YAML parser needs about a second
 * per 500,000 characters of dense mappings, more on a loaded machine).
 */
export const MAX_COMPOSE_CHARS = 200_000;

/** The last file read: features re-read a file per Gunicorn release, and its services do not depend on that. */
let last: { text: string; services: ComposeService[] } | undefined;

/** Every service of every document of a compose file, and its full-line comments into `comments`. Never throws. */
export function composeServices(text: string, lines: LineIndex, comments: Span[]): ComposeService[] {
  collectComments(text, lines, comments);
  if (last?.text === text) return last.services;
  const services = readServices(text);
  last = { text, services };
  return services;
}

function readServices(text: string): ComposeService[] {
  const services: ComposeService[] = [];
  if (text.length > MAX_COMPOSE_CHARS || tooDeep(text)) return services;
  let documents: Document.Parsed[];
  try {
    documents = withoutStackTraces(
      () =>
        yaml().parseAllDocuments(text, {
          uniqueKeys: false,
          prettyErrors: false,
        }) as Document.Parsed[],
    );
  } catch {
    return services;
  }
  if (!Array.isArray(documents)) return services;
  for (const doc of documents) {
    const reader = new Reader(text, doc);
    const root = reader.resolve(doc.contents);
    if (!yaml().isMap(root)) continue;
    const section = root.items.find((pair) => keyText(pair) === 'services');
    const list = reader.resolve(section?.value as YamlLibNode | undefined);
    if (!yaml().isMap(list)) continue;
    for (const pair of list.items) {
      const name = keyText(pair);
      const body = reader.resolve(pair.value as YamlLibNode | undefined);
      if (name === undefined || !yaml().isMap(body) || !yaml().isScalar(pair.key)) continue;
      services.push({ name, nameSpan: rangeOf(pair.key), keys: reader.entries(body) });
    }
  }
  return services;
}

/** Deeper nesting than any compose file has: the YAML parser's time grows fast with it, so such text is not read. */
const MAX_DEPTH = 64;

/** True when brackets or `- - -` items nest deeper than MAX_DEPTH (a rough scan: quotes are not skipped). */
function tooDeep(text: string): boolean {
  let depth = 0;
  let dashes = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (ch === 0x5d || ch === 0x7d) {
      if (depth > 0) depth--;
    } else if (ch === 0x0a || ch === 0x0d) {
      lineStart = true;
      dashes = 0;
      continue;
    }
    if (lineStart) {
      if (ch === 0x2d && (text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x09)) {
        if (++dashes > MAX_DEPTH) return true;
        i++;
      } else if (ch !== 0x20 && ch !== 0x09) {
        lineStart = false;
      }
    }
  }
  return false;
}

function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (!yaml().isScalar(key) || key.value === null || typeof key.value === 'object') return undefined;
  return String(key.value);
}

function rangeOf(node: { range?: [number, number, number] | null }): Span {
  const range = node.range;
  return range ? { from: range[0], to: range[1] } : { from: 0, to: 0 };
}

class Reader {
  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
  ) {}

  /** The node an alias stands for (followed a bounded number of times). */
  resolve(node: YamlLibNode | null | undefined): YamlLibNode | undefined {
    let current = node ?? undefined;
    for (let depth = 0; current && yaml().isAlias(current) && depth < MAX_ALIAS_DEPTH; depth++) {
      current = (current.resolve(this.doc) as YamlLibNode | undefined) ?? undefined;
    }
    return current && !yaml().isAlias(current) ? current : undefined;
  }

  /** A map's entries by key, `<<` merges applied: merged maps first, the map's own keys win. */
  entries(map: YamlLibNode, depth = 0): Map<string, YamlEntry> {
    const result = new Map<string, YamlEntry>();
    if (!yaml().isMap(map) || depth > MAX_ALIAS_DEPTH) return result;
    const own: YamlEntry[] = [];
    for (const pair of map.items) {
      const key = keyText(pair);
      if (key === '<<') {
        const merged = this.resolve(pair.value as YamlLibNode | undefined);
        const sources = yaml().isSeq(merged)
          ? merged.items.map((item) => this.resolve(item as YamlLibNode))
          : [merged];
        for (const source of sources) {
          if (!source) continue;
          for (const [name, entry] of this.entries(source, depth + 1)) result.set(name, entry);
        }
        continue;
      }
      if (key === undefined || !yaml().isScalar(pair.key)) continue;
      own.push(this.entry(key, rangeOf(pair.key), pair.value as YamlLibNode | undefined, depth));
    }
    for (const entry of own) result.set(entry.key, entry);
    return result;
  }

  private entry(key: string, keySpan: Span, value: YamlLibNode | undefined, depth: number): YamlEntry {
    const node = this.node(value, depth);
    return {
      key,
      keySpan,
      ...(node ? { node } : {}),
      ...(node?.kind === 'scalar' ? { value: node.scalar } : {}),
    };
  }

  node(value: YamlLibNode | null | undefined, depth = 0): YamlNode | undefined {
    const node = this.resolve(value);
    if (!node || depth > MAX_ALIAS_DEPTH) return undefined;
    if (yaml().isScalar(node)) {
      const scalar = this.scalar(node);
      return scalar ? { kind: 'scalar', scalar } : undefined;
    }
    if (yaml().isSeq(node)) {
      const nodes: YamlNode[] = [];
      const items: YamlScalar[] = [];
      for (const item of node.items) {
        const child = this.node(item as YamlLibNode, depth + 1);
        if (!child) continue;
        nodes.push(child);
        if (child.kind === 'scalar') items.push(child.scalar);
      }
      return { kind: 'list', items, nodes, span: rangeOf(node) };
    }
    if (yaml().isMap(node)) {
      return { kind: 'map', entries: [...this.entries(node, depth + 1).values()], span: rangeOf(node) };
    }
    return undefined;
  }

  /** A scalar with its spans; undefined for an empty (null) value. */
  private scalar(node: Scalar): YamlScalar | undefined {
    const range = node.range;
    if (!range) return undefined;
    const text = this.text;
    const [from, to] = range;
    switch (node.type) {
      case 'QUOTE_DOUBLE':
      case 'QUOTE_SINGLE': {
        const value = String(node.value ?? '');
        const inner = { from: Math.min(from + 1, to), to: Math.max(from + 1, to - 1) };
        return {
          value,
          raw: { from, to },
          inner,
          quoted: true,
          exact: text.slice(inner.from, inner.to) === value,
        };
      }
      case 'BLOCK_LITERAL':
      case 'BLOCK_FOLDED': {
        // The text lines after the header (`|`, `>-`…), from the first non-blank to the last.
        const header = text.indexOf('\n', from);
        if (header < 0 || header >= to) return undefined;
        const span = trimSpan(text, header + 1, to);
        if (span.to <= span.from) return undefined;
        const value = String(node.value ?? '').replace(/\n+$/, '');
        return { value, raw: span, inner: span, quoted: false, exact: true };
      }
      default: {
        const span = trimSpan(text, from, to);
        if (span.to <= span.from) return undefined;
        // The source as written (`4`, `1.10`, `on`), with line breaks folded as YAML does for plain scalars.
        const value = text
          .slice(span.from, span.to)
          .split(/\r?\n|\r/)
          .map((part) => part.trim())
          .join(' ');
        return { value, raw: span, inner: span, quoted: false, exact: true };
      }
    }
  }
}

function trimSpan(text: string, from: number, to: number): Span {
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  return { from, to };
}

/** Comment lines (`# …` alone on a line), for suppression comments. */
function collectComments(text: string, lines: LineIndex, comments: Span[]): void {
  for (let line = 0; line < lines.lineCount; line++) {
    let start = lines.lineStart(line);
    if (line === 0 && text.startsWith(BOM)) start++;
    const content = text.slice(start, lines.lineEnd(line));
    const trimmed = content.trim();
    if (!trimmed.startsWith('#')) continue;
    const indent = content.length - content.trimStart().length;
    comments.push({ from: start + indent, to: start + content.trimEnd().length });
  }
}

// Document and workspace symbols in LSP's shapes: our outline kinds mapped to SymbolKind (with fallbacks for clients
// that know only LSP 3.0's kinds), nested DocumentSymbol[] or flat SymbolInformation[] as the client declares.

import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { OutlineKind, OutlineSymbol } from '../core/outline';
import type { WorkspaceSymbolEntry, WorkspaceSymbolKind } from '../deployment/workspaceSymbols';

const OUTLINE_KIND: Readonly<Record<OutlineKind, SymbolKind>> = {
  section: SymbolKind.Namespace,
  setting: SymbolKind.Property,
  hook: SymbolKind.Function,
  other: SymbolKind.Variable,
  directive: SymbolKind.Property,
  block: SymbolKind.Namespace,
  server: SymbolKind.Class,
  location: SymbolKind.Object,
  upstream: SymbolKind.Interface,
  map: SymbolKind.Struct,
  include: SymbolKind.File,
  launch: SymbolKind.Event,
  instruction: SymbolKind.Field,
  process: SymbolKind.Module,
  service: SymbolKind.Class,
};

const WORKSPACE_KIND: Readonly<Record<WorkspaceSymbolKind, SymbolKind>> = {
  deployment: SymbolKind.Event,
  service: SymbolKind.Module,
  socket: SymbolKind.Interface,
  unit: SymbolKind.File,
  upstream: SymbolKind.Struct,
  'server-name': SymbolKind.Key,
  config: SymbolKind.File,
};

/** Kinds added after LSP 3.0 and the older kind a client without them shows instead. */
const FALLBACK: Partial<Record<SymbolKind, SymbolKind>> = {
  [SymbolKind.Object]: SymbolKind.Namespace,
  [SymbolKind.Key]: SymbolKind.String,
  [SymbolKind.Struct]: SymbolKind.Class,
  [SymbolKind.Event]: SymbolKind.Function,
};

/**
 * The kinds a client shows, from its `symbolKind.valueSet`: without one, LSP says only File…Array (1–18) may be sent.
 */
export function supportedSymbolKinds(valueSet: unknown): ReadonlySet<number> {
  const declared = Array.isArray(valueSet) ? valueSet.filter((k): k is number => typeof k === 'number') : [];
  return new Set(declared.length ? declared : Array.from({ length: 18 }, (_, i) => i + 1));
}

function kindFor(kind: SymbolKind, supported: ReadonlySet<number>): SymbolKind {
  if (supported.has(kind)) return kind;
  const fallback = FALLBACK[kind];
  return fallback !== undefined && supported.has(fallback) ? fallback : SymbolKind.Property;
}

/**
 * Answers already converted, by outline (one per parse and version, see memoOutline): the Outline view, breadcrumbs
 * and sticky scroll each ask for the same document's symbols after an edit.
 */
const converted = new WeakMap<readonly OutlineSymbol[], { hierarchical: boolean; answer: unknown }>();

/** The answer to textDocument/documentSymbol for an outline, nested or flat as the client declared. */
export function documentSymbolAnswer(
  outline: readonly OutlineSymbol[],
  uri: string,
  hierarchical: boolean,
  supported: ReadonlySet<number>,
): DocumentSymbol[] | SymbolInformation[] {
  const cached = converted.get(outline);
  if (cached?.hierarchical === hierarchical) return cached.answer as DocumentSymbol[] | SymbolInformation[];
  const answer = hierarchical
    ? toDocumentSymbols(outline, supported)
    : toSymbolInformation(outline, uri, supported);
  converted.set(outline, { hierarchical, answer });
  return answer;
}

/** The outline as nested DocumentSymbols (clients with `hierarchicalDocumentSymbolSupport`). */
export function toDocumentSymbols(
  outline: readonly OutlineSymbol[],
  supported: ReadonlySet<number>,
): DocumentSymbol[] {
  return outline.map((symbol) => ({
    name: symbol.name,
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    kind: kindFor(OUTLINE_KIND[symbol.kind], supported),
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    ...(symbol.children ? { children: toDocumentSymbols(symbol.children, supported) } : {}),
  }));
}

/**
 * The outline flattened in document order for older clients: each symbol with its whole range (a client derives
 * nesting from the ranges) and its parent's name as containerName.
 */
export function toSymbolInformation(
  outline: readonly OutlineSymbol[],
  uri: string,
  supported: ReadonlySet<number>,
): SymbolInformation[] {
  const flat: SymbolInformation[] = [];
  const visit = (symbols: readonly OutlineSymbol[], container: string | undefined) => {
    for (const symbol of symbols) {
      flat.push({
        name: symbol.name,
        kind: kindFor(OUTLINE_KIND[symbol.kind], supported),
        location: { uri, range: symbol.range },
        ...(container ? { containerName: container } : {}),
      });
      if (symbol.children) visit(symbol.children, symbol.name);
    }
  };
  visit(outline, undefined);
  return flat;
}

/** Workspace entries as SymbolInformation (every client of workspace/symbol takes it). */
export function toWorkspaceSymbols(
  entries: readonly WorkspaceSymbolEntry[],
  supported: ReadonlySet<number>,
): SymbolInformation[] {
  return entries.map((entry) => ({
    name: entry.name,
    kind: kindFor(WORKSPACE_KIND[entry.kind], supported),
    location: { uri: entry.uri, range: entry.range },
    ...(entry.container ? { containerName: entry.container } : {}),
  }));
}

// textDocument/references, prepareRename, rename and documentLink: the core's navigation answers (core/navigation.ts,
// from the last model build) converted to LSP, honouring what the client declared it can take.

import {
  ErrorCodes,
  ResponseError,
  type DocumentLink,
  type Location,
  type Range as LspRange,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { DefinitionProvider } from '../core/definitions';
import {
  definitionTargets,
  linksIn,
  prepareRenameAt,
  referencesOf,
  renameAt,
  siteAt,
  type NavigationIndex,
} from '../core/navigation';
import { rangeContains, type Position, type Range } from '../core/text';
import type { EffectiveSites } from '../deployment/model';

/** What the handlers need from the server: the index valid for a document, and the state of other documents. */
export interface NavigationState {
  /** The last build's index, when it was built from the text the editor shows for `uri`. */
  index(uri: string): NavigationIndex | undefined;
  /** The editor's version of an open document (edits to it are versioned), undefined for a closed file. */
  openVersion(uri: string): number | undefined;
  /** False when an open document's text is not the one the index was built from (its ranges would be wrong). */
  current(uri: string): boolean;
}

/** A definition provider over the navigation index of one document. */
export function navigationDefinitions(
  index: NavigationIndex | undefined,
  toOffset: (position: Position) => number,
  positionAt: (offset: number) => Position,
): DefinitionProvider {
  return (uri, offset) => {
    if (!index) return undefined;
    const position = positionAt(offset);
    const site = siteAt(index, uri, position.line, position.character);
    if (!site) return undefined;
    return {
      origin: { from: toOffset(site.range.start), to: toOffset(site.range.end) },
      targets: definitionTargets(index, site),
    };
  };
}

export function references(
  state: NavigationState,
  uri: string,
  position: Position,
  includeDeclaration: boolean,
): Location[] | null {
  const index = state.index(uri);
  const site = index && siteAt(index, uri, position.line, position.character);
  if (!index || !site) return null;
  const found = referencesOf(index, site, includeDeclaration);
  return found.length ? found.map((l) => ({ uri: l.uri, range: l.range })) : null;
}

const refused = (message: string): ResponseError<void> =>
  new ResponseError(ErrorCodes.InvalidRequest, message);

const STALE =
  'The deployment model has not caught up with the open files yet (it is rebuilt shortly after each edit); try again in a moment.';

export function prepareRename(
  state: NavigationState,
  uri: string,
  position: Position,
): { range: LspRange; placeholder: string } | ResponseError<void> {
  const index = state.index(uri);
  if (!index) return refused(STALE);
  const site = siteAt(index, uri, position.line, position.character);
  const prepared = prepareRenameAt(index, site);
  if ('refused' in prepared) return refused(prepared.refused);
  return { range: prepared, placeholder: placeholderOf(state, site!.key) };
}

/** The name as the user wrote it: the socket path or upstream name without our key's prefix. */
function placeholderOf(_state: NavigationState, key: string): string {
  return key.replace(/^(?:upstream|address):(?:unix:)?/, '');
}

export function rename(
  state: NavigationState,
  uri: string,
  position: Position,
  newName: string,
  documentChanges: boolean,
): WorkspaceEdit | ResponseError<void> {
  const index = state.index(uri);
  if (!index) return refused(STALE);
  const site = siteAt(index, uri, position.line, position.character);
  const result = renameAt(index, site, newName.trim());
  if ('refused' in result) return refused(result.refused);
  for (const file of result.edits.keys()) if (!state.current(file)) return refused(STALE);
  const edits = [...result.edits].map(([file, list]) => ({
    file,
    list: list.map((e): TextEdit => ({ range: e.range as Range, newText: e.newText })),
  }));
  if (!documentChanges) return { changes: Object.fromEntries(edits.map(({ file, list }) => [file, list])) };
  return {
    documentChanges: edits.map(({ file, list }): TextDocumentEdit => ({
      textDocument: { uri: file, version: state.openVersion(file) ?? null },
      edits: list,
    })),
  };
}

export function documentLinks(index: NavigationIndex | undefined, uri: string): DocumentLink[] {
  if (!index) return [];
  return linksIn(index, uri).map((link) => ({ range: link.range, target: link.target }));
}

/**
 * From a setting to where its effective value is written, when that is somewhere else (another file overrides it):
 * `workers = 2` in the config leads to `--workers 4` in the unit.
 */
export function effectiveDefinitions(
  sites: EffectiveSites | undefined,
  positionAt: (offset: number) => Position,
): DefinitionProvider {
  return (uri, offset) => {
    if (!sites) return undefined;
    const { spans, settings } = sites;
    for (let i = 0; i < spans.length; i += 3) {
      const from = spans[i]!;
      const to = spans[i + 1]!;
      if (offset < from || offset > to) continue;
      const where = settings[spans[i + 2]!]?.where;
      if (!where) return undefined;
      // Already at the place that decides: nothing to go to.
      const here = { start: positionAt(from), end: positionAt(to) };
      if (
        where.uri === uri &&
        (rangeContains(here, where.range.start) || rangeContains(where.range, here.start))
      ) {
        return undefined;
      }
      return {
        origin: { from, to },
        targets: [{ uri: where.uri, range: where.range, selectionRange: where.range }],
      };
    }
    return undefined;
  };
}

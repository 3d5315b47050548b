// Cross-file navigation as plain data: every place a workspace names an upstream, a unit, a listening address or a
// file, and the answers Go to Definition, Find References, Rename and Document Links give from it.

import type { DefinitionLocation } from './definitions';
import type { Range, TextEdit } from './text';

/**
 * One place a name is written. Sites with the same `key` name the same thing; `definition` sites are where it is
 * defined (an `upstream` block, a unit file, a listening `bind`/`ListenStream=`), `use` sites refer to it.
 */
export interface NavigationSite {
  uri: string;
  /** The name itself in the file (what a rename rewrites). */
  range: Range;
  key: string;
  role: 'definition' | 'use';
  /** For paths: the workspace files it names (document links, definitions). */
  files?: string[];
}

/** Everything navigation needs, made with each model build for the whole workspace. */
export interface NavigationIndex {
  sites: NavigationSite[];
  /** Keys a rename may rewrite, with what kind of name they are. */
  renamable: Record<string, 'upstream' | 'socket'>;
  /** Keys whose rename is refused, with the reason shown to the user. */
  refusals: Record<string, string>;
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const contains = (range: Range, line: number, character: number): boolean =>
  (line > range.start.line || (line === range.start.line && character >= range.start.character)) &&
  (line < range.end.line || (line === range.end.line && character <= range.end.character));

/** The site at a position of a file: the narrowest one that contains it. */
export function siteAt(
  index: NavigationIndex,
  uri: string,
  line: number,
  character: number,
): NavigationSite | undefined {
  let best: NavigationSite | undefined;
  for (const site of index.sites) {
    if (site.uri !== uri || !contains(site.range, line, character)) continue;
    if (site.range.start.line === 0 && site.range.end.character === 0 && site.range.end.line === 0) continue;
    if (!best || width(site.range) < width(best.range)) best = site;
  }
  return best;
}

function width(range: Range): number {
  return (range.end.line - range.start.line) * 100_000 + range.end.character - range.start.character;
}

const location = (site: NavigationSite): DefinitionLocation => ({
  uri: site.uri,
  range: site.range,
  selectionRange: site.range,
});

/**
 * Where the name at `site` leads: a path to its files; a use to the definitions; a listening address (a definition
 * with no other place to go) back to the places that connect to it.
 */
export function definitionTargets(index: NavigationIndex, site: NavigationSite): DefinitionLocation[] {
  if (site.files) return site.files.map((uri) => ({ uri, range: FILE_START, selectionRange: FILE_START }));
  const same = index.sites.filter((s) => s.key === site.key && s !== site);
  const wanted = site.role === 'use' ? 'definition' : 'use';
  if (site.role === 'definition' && !site.key.startsWith('address:')) return [];
  return dedupe(same.filter((s) => s.role === wanted).map(location));
}

/** Every place that names the same thing as `site`; definitions only when asked for. */
export function referencesOf(
  index: NavigationIndex,
  site: NavigationSite,
  includeDeclaration: boolean,
): DefinitionLocation[] {
  if (site.files) return [];
  return dedupe(
    index.sites.filter((s) => s.key === site.key && (includeDeclaration || s.role === 'use')).map(location),
  );
}

function dedupe(locations: DefinitionLocation[]): DefinitionLocation[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const id = `${l.uri}#${l.range.start.line}:${l.range.start.character}`;
    return !seen.has(id) && !!seen.add(id);
  });
}

/** Why a new name is not one the kind of name can take, or undefined when it can. */
function invalidName(kind: 'upstream' | 'socket', name: string): string | undefined {
  if (kind === 'upstream') {
    // nginx reads an upstream name in proxy_pass as a URL's host: letters, digits, `-`, `_`, `.`.
    return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)
      ? undefined
      : `"${name}" is not a name an upstream can have (letters, digits, "-", "_" and "." only).`;
  }
  if (!name.startsWith('/')) return `A socket path must be absolute: "${name}".`;
  return /^\/[A-Za-z0-9_.\-/@+]+$/.test(name) && !name.includes('//') && !name.includes(':')
    ? undefined
    : `"${name}" has characters a socket path cannot be written with in every file (spaces, quotes, ":", "$", …).`;
}

/** A rename's answer: edits per file, or why we refuse. */
export type RenameResult = { edits: Map<string, TextEdit[]> } | { refused: string };

/** Can the name at `site` be renamed: the range to show, else why not. */
export function prepareRenameAt(
  index: NavigationIndex,
  site: NavigationSite | undefined,
): Range | { refused: string } {
  if (!site) {
    return {
      refused:
        'Only upstream names and unix socket paths can be renamed here (put the cursor on one: `upstream shop`, `proxy_pass http://shop`, `unix:/run/shop.sock`).',
    };
  }
  const refusal = index.refusals[site.key];
  if (refusal) return { refused: refusal };
  if (!index.renamable[site.key]) {
    return { refused: 'Only upstream names and unix socket paths can be renamed; this name is neither.' };
  }
  return site.range;
}

/** Every edit renaming the name at `site` to `newName`, across the workspace. */
export function renameAt(
  index: NavigationIndex,
  site: NavigationSite | undefined,
  newName: string,
): RenameResult {
  const prepared = prepareRenameAt(index, site);
  if ('refused' in prepared) return prepared;
  const kind = index.renamable[site!.key]!;
  const invalid = invalidName(kind, newName);
  if (invalid) return { refused: invalid };
  if (
    kind === 'upstream' &&
    index.sites.some((s) => s.key === `upstream:${newName.toLowerCase()}` && s.role === 'definition')
  ) {
    return { refused: `An upstream named "${newName}" already exists; renaming would merge two upstreams.` };
  }
  const edits = new Map<string, TextEdit[]>();
  for (const s of index.sites) {
    if (s.key !== site!.key) continue;
    const list = edits.get(s.uri) ?? [];
    if (
      !list.some(
        (e) =>
          e.range.start.line === s.range.start.line && e.range.start.character === s.range.start.character,
      )
    ) {
      list.push({ range: s.range, newText: newName });
    }
    edits.set(s.uri, list);
  }
  return { edits };
}

/** A document link: a path written in `uri` and the workspace file it opens. */
export interface NavigationLink {
  range: Range;
  target: string;
}

/** The links of one file: each path site once per file it names. */
export function linksIn(index: NavigationIndex, uri: string): NavigationLink[] {
  const links: NavigationLink[] = [];
  for (const site of index.sites) {
    if (site.uri !== uri || !site.files) continue;
    for (const target of site.files) links.push({ range: site.range, target });
  }
  return links;
}

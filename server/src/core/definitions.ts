// Go to Definition as plain data: where a name in one file is defined in another, answered from precomputed sites
// (each provider owns one kind of target: the app a launch loads today, settings and includes later).

import type { Range } from './text';

/** A place a definition lives: the whole definition (`range`) and the name in it (`selectionRange`). */
export interface DefinitionLocation {
  uri: string;
  range: Range;
  selectionRange: Range;
}

/** The answer at one offset: the span asked about (the LSP link's origin) and where it is defined. */
export interface Definition {
  origin: { from: number; to: number };
  targets: DefinitionLocation[];
}

/** A span of a file whose definition is known ahead of the request (plain data: it crosses threads). */
export interface DefinitionSite {
  from: number;
  to: number;
  targets: DefinitionLocation[];
}

/** One kind of definition target: what it knows about (uri, offset), if anything. */
export type DefinitionProvider = (uri: string, offset: number) => Definition | undefined;

/** The definition at an offset of a file: the first provider that knows one answers. */
export function definitionsAt(
  providers: readonly DefinitionProvider[],
  uri: string,
  offset: number,
): Definition | undefined {
  for (const provider of providers) {
    const found = provider(uri, offset);
    if (found?.targets.length) return found;
  }
  return undefined;
}

/** A provider over precomputed sites: the narrowest site that contains the offset, its targets deduplicated. */
export function siteDefinition(sites: readonly DefinitionSite[], offset: number): Definition | undefined {
  let best: DefinitionSite | undefined;
  const targets: DefinitionLocation[] = [];
  for (const site of sites) {
    if (offset < site.from || offset > site.to) continue;
    if (best && site.to - site.from > best.to - best.from) continue;
    if (!best || site.from !== best.from || site.to !== best.to) targets.length = 0;
    best = site;
    // Several launches may load the same spec (one config, two units): each distinct place once.
    for (const target of site.targets) {
      const seen = targets.some(
        (t) =>
          t.uri === target.uri &&
          t.selectionRange.start.line === target.selectionRange.start.line &&
          t.selectionRange.start.character === target.selectionRange.start.character,
      );
      if (!seen) targets.push(target);
    }
  }
  return best && targets.length ? { origin: { from: best.from, to: best.to }, targets } : undefined;
}

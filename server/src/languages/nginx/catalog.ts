// The one API over the nginx directive and variable catalogue: lookups by name and context, blocks, did-you-mean, as
// nginx has them at one version, and each name's history over every release we read.

import { closestMatches } from '../../core/editDistance';
import { BoundedMemo } from '../../core/memo';
import type { Steps } from '../../core/runRules';
import { compareVersions, formatVersion, parseVersion, type Version } from '../../core/version';
import type { NginxCatalogData, NginxContext, NginxDirectiveInfo, NginxVariableInfo } from './catalogTypes';
import type { NginxValueSpec } from './values';
import { availableAt, nameHistory, type NginxNameHistory } from './versions';

/** Contexts whose body holds value pairs (`key value;`), not directives; only a few keywords are directives there. */
export const VALUE_CONTEXTS: ReadonlySet<NginxContext> = new Set(['map', 'geo', 'types', 'split_clients']);

/** Every entry of every release, by name: the history behind "added in" and "removed in". */
class AllReleases {
  readonly byName = new Map<string, NginxDirectiveInfo[]>();
  private readonly histories = new Map<string, NginxNameHistory | undefined>();

  constructor(readonly data: NginxCatalogData) {
    for (const directive of data.directives) {
      const list = this.byName.get(directive.name) ?? [];
      list.push(directive);
      this.byName.set(directive.name, list);
    }
  }

  history(name: string): NginxNameHistory | undefined {
    if (!this.histories.has(name)) this.histories.set(name, nameHistory(this.byName.get(name) ?? []));
    return this.histories.get(name);
  }
}

export class NginxCatalog {
  /** The directives nginx has at `version`. */
  readonly directives: readonly NginxDirectiveInfo[];
  readonly variables: readonly NginxVariableInfo[];
  private readonly byName = new Map<string, NginxDirectiveInfo[]>();
  private readonly byContext = new Map<NginxContext, NginxDirectiveInfo[]>();
  private readonly variableByName = new Map<string, NginxVariableInfo>();
  private readonly variablePrefixes: NginxVariableInfo[];
  private readonly releases: AllReleases;

  /** The catalogue as nginx `version` has it (the newest release when omitted). */
  constructor(
    readonly data: NginxCatalogData,
    readonly version: Version = parseVersion(data.nginxVersion) ?? [1, 0, 0],
    releases?: AllReleases,
  ) {
    this.releases = releases ?? new AllReleases(data);
    this.directives = data.directives.filter((d) => availableAt(d, version));
    this.variables = data.variables;
    for (const directive of this.directives) {
      const list = this.byName.get(directive.name) ?? [];
      list.push(directive);
      this.byName.set(directive.name, list);
      for (const context of directive.contexts) {
        const inContext = this.byContext.get(context) ?? [];
        inContext.push(directive);
        this.byContext.set(context, inContext);
      }
    }
    for (const variable of data.variables) {
      if (!variable.prefix) this.variableByName.set(variable.name, variable);
    }
    // Longest prefix first: `$upstream_http_x` belongs to upstream_http_, not to a shorter family.
    this.variablePrefixes = data.variables
      .filter((v) => v.prefix)
      .sort((a, b) => b.name.length - a.name.length);
  }

  /** Every entry for a name whatever the context (e.g. `server` is a block in http and a line in upstream). */
  entries(name: string): readonly NginxDirectiveInfo[] {
    return this.byName.get(name) ?? [];
  }

  /** True when nginx has the name at this catalogue's version. */
  isKnown(name: string): boolean {
    return this.byName.has(name);
  }

  /** True when some nginx release we read has the name (maybe not this one). */
  isKnownInAnyRelease(name: string): boolean {
    return this.releases.byName.has(name);
  }

  /** The name's entries in every release we read, all modules. */
  entriesInAnyRelease(name: string): readonly NginxDirectiveInfo[] {
    return this.releases.byName.get(name) ?? [];
  }

  /** The first release with the name and the first without it again (see versions.ts); undefined if never known. */
  history(name: string): NginxNameHistory | undefined {
    return this.releases.history(name);
  }

  /** The same catalogue at another nginx version (shares the history index). */
  at(version: Version): NginxCatalog {
    return viewAt(this.data, version, this.releases);
  }

  /** The entry for `name` as nginx reads it in `context`, if nginx accepts it there. */
  directive(name: string, context: NginxContext): NginxDirectiveInfo | undefined {
    return this.entries(name).find((d) => d.contexts.includes(context));
  }

  /** Directives nginx accepts in `context`. */
  directivesIn(context: NginxContext): readonly NginxDirectiveInfo[] {
    return this.byContext.get(context) ?? [];
  }

  /**
   * The context a block directive opens when it appears in `parent`: `server` opens `server` in http but
   * `stream-server` in stream. Undefined for unknown blocks and for blocks nginx does not accept in `parent`.
   */
  blockContext(name: string, parent: NginxContext): NginxContext | undefined {
    const entry = this.entries(name).find((d) => d.block && d.contexts.includes(parent));
    return entry?.opens;
  }

  /** The context a block opens wherever it appears, for blocks written in the wrong place. */
  anyBlockContext(name: string): NginxContext | undefined {
    return this.entries(name).find((d) => d.block)?.opens;
  }

  private readonly suggestions = new BoundedMemo<string[]>();

  /** Up to `limit` directive names close to `word`, preferring those valid in `context` (memoised: typos repeat). */
  suggest(word: string, context: NginxContext | undefined, limit = 3): string[] {
    return this.suggestions.get(`${context ?? ''} ${limit} ${word}`, () => {
      const inContext = context ? this.directivesIn(context).map((d) => d.name) : [];
      const near = closestMatches(word, [...new Set(inContext)], limit);
      if (near.length) return near;
      return closestMatches(word, [...this.byName.keys()], limit);
    });
  }

  /**
   * The first later release whose entry for the same directive and module takes `word` as a keyword (`2` for
   * proxy_http_version from 1.29.4), when the entry at this release does not.
   */
  keywordSince(entry: NginxDirectiveInfo, word: string): string | undefined {
    const lower = word.toLowerCase();
    const later = (this.releases.byName.get(entry.name) ?? []).filter((d) => {
      const since = parseVersion(d.since);
      return (
        d.module === entry.module &&
        since !== undefined &&
        compareVersions(since, this.version) > 0 &&
        d.value?.values?.some((v) => v.toLowerCase() === lower)
      );
    });
    return later.map((d) => d.since!).sort((a, b) => compareVersions(parseVersion(a)!, parseVersion(b)!))[0];
  }

  /** How nginx reads the entry's arguments (its generic value kind), when the catalogue records one. */
  valueSpec(entry: NginxDirectiveInfo): NginxValueSpec | undefined {
    return entry.value;
  }

  /** A variable by name (without `$`), including prefixed families like `$http_user_agent` or `$arg_page`. */
  variable(name: string): NginxVariableInfo | undefined {
    const exact = this.variableByName.get(name);
    if (exact) return exact;
    return this.variablePrefixes.find((v) => name.startsWith(v.name) && name.length > v.name.length);
  }
}

let shared: NginxCatalog | undefined;
/** Views per version; a workspace uses one or two, so the first few are kept. */
const views = new Map<string, NginxCatalog>();

function viewAt(data: NginxCatalogData, version: Version, releases: AllReleases): NginxCatalog {
  const key = formatVersion(version);
  let view = views.get(key);
  if (!view) {
    view = new NginxCatalog(data, version, releases);
    if (views.size >= 8) views.delete(views.keys().next().value!);
    views.set(key, view);
  }
  return view;
}

/**
 * The catalogue's data. Required on first use, not imported: a server that never sees this language never builds
 * these objects (the bundler keeps a required JSON module unevaluated until then), which keeps one open config's
 * memory small.
 */
function catalogueData(): NginxCatalogData {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../data/nginx/directives.json') as NginxCatalogData;
}

/** The bundled catalogue at `version` (the newest release when omitted), loaded once. */
export function nginxCatalog(version?: Version): NginxCatalog {
  shared ??= new NginxCatalog(catalogueData());
  if (!version || compareVersions(version, shared.version) === 0) return shared;
  return shared.at(version);
}

/**
 * Loads the catalogue in two steps, its data (the file read and parsed) and then its indexes, each a few
 * milliseconds on cold code, for a host that answers requests in between; nothing once it is loaded.
 */
export function* nginxCatalogLoadSteps(): Steps<void> {
  if (shared) return;
  catalogueData();
  yield;
  nginxCatalog();
}

/** The releases the catalogue read, oldest first. */
export function nginxCatalogVersions(): readonly string[] {
  return nginxCatalog().data.versions;
}

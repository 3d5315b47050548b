// The one API over the nginx directive and variable catalogue: lookups by name and context, blocks, did-you-mean.

import { closestMatches } from '../../core/editDistance';
import { BoundedMemo } from '../../core/memo';
import type { NginxCatalogData, NginxContext, NginxDirectiveInfo, NginxVariableInfo } from './catalogTypes';
import type { NginxValueSpec } from './values';

/** Contexts whose body holds value pairs (`key value;`), not directives; only a few keywords are directives there. */
export const VALUE_CONTEXTS: ReadonlySet<NginxContext> = new Set(['map', 'geo', 'types', 'split_clients']);

export class NginxCatalog {
  readonly directives: readonly NginxDirectiveInfo[];
  readonly variables: readonly NginxVariableInfo[];
  private readonly byName = new Map<string, NginxDirectiveInfo[]>();
  private readonly byContext = new Map<NginxContext, NginxDirectiveInfo[]>();
  private readonly variableByName = new Map<string, NginxVariableInfo>();
  private readonly variablePrefixes: NginxVariableInfo[];

  constructor(readonly data: NginxCatalogData) {
    this.directives = data.directives;
    this.variables = data.variables;
    for (const directive of data.directives) {
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

  isKnown(name: string): boolean {
    return this.byName.has(name);
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

/** The bundled catalogue, loaded once. */
export function nginxCatalog(): NginxCatalog {
  // Required on first use, not imported: a server that never sees this language never builds these objects (the
  // bundler keeps a required JSON module unevaluated until then), which keeps one open config's memory small.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  shared ??= new NginxCatalog(require('../../../data/nginx/directives.json') as NginxCatalogData);
  return shared;
}

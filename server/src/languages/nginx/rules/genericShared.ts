// Shared by the generic nginx rules: which directives are judged, the catalogue entries that govern them, wording.

import type { Range } from '../../../core/text';
import type { NginxCatalog } from '../catalog';
import { VALUE_CONTEXTS } from '../catalog';
import { nginxModuleCatalog } from '../modules';
import type { NginxArgs, NginxContext, NginxDirectiveInfo } from '../catalogTypes';
import type { NginxDirective, NginxModel } from '../parse';
import type { NginxTarget } from '../target';
import { availableAt } from '../versions';

/**
 * In a fragment whose top level was guessed, a `server` or `upstream` block may really sit in `stream` (or `mail`)
 * rather than `http`: accept what either reading accepts.
 */
const TWINS: Partial<Record<NginxContext, readonly NginxContext[]>> = {
  server: ['stream-server', 'mail-server'],
  'stream-server': ['server', 'mail-server'],
  'mail-server': ['server', 'stream-server'],
  upstream: ['stream-upstream'],
  'stream-upstream': ['upstream'],
};

/** Directives nginx accepts in an `if` block inside a `server` (NGX_HTTP_SIF_CONF): the rewrite module's, and include. */
const SERVER_IF = new Set([
  'rewrite',
  'return',
  'break',
  'set',
  'rewrite_log',
  'uninitialized_variable_warn',
  'include',
]);

/** Blocks found only at the top of a main configuration: a file holding one is an nginx.conf, whatever its name. */
const MAIN_ONLY_BLOCKS = new Set(['events', 'http', 'stream', 'mail']);

/**
 * True when the top level of the file is known: the host said where the file is included, or its top level reads as
 * the main context and it is an nginx.conf or holds an events, http or stream block. Other files are fragments whose
 * top level was only guessed.
 */
export function rootIsKnown(model: NginxModel, path: string): boolean {
  if (model.rootContextKnown) return true;
  if (model.rootContext !== 'main') return false;
  const base = path.split(/[\\/]/).pop() ?? '';
  return base === 'nginx.conf' || model.directives.some((d) => MAIN_ONLY_BLOCKS.has(d.name));
}

/** True when nginx reads the directive as a directive in a context we know (not in an unknown block or a value body). */
export function isJudged(directive: NginxDirective): boolean {
  return directive.context !== null && !VALUE_CONTEXTS.has(directive.context);
}

/**
 * Where a name the target nginx lacks may still come from. Each check that knows the name keeps it from
 * nginx-unknown-directive; the rule named beside it reports the name in its own terms. Add a source here (a
 * third-party module's catalogue, say) to teach the unknown-directive rule about it.
 */
export const KNOWN_ELSEWHERE: readonly ((catalog: NginxCatalog, name: string) => boolean)[] = [
  // another nginx release: nginx-directive-version
  (catalog, name) => catalog.isKnownInAnyRelease(name),
  // a third-party module (loaded on first use): nginx-module-directive
  (_catalog, name) => nginxModuleCatalog().isKnown(name),
];

/** True when nginx knows the name at the target version, or one of KNOWN_ELSEWHERE does. */
export function isKnownName(catalog: NginxCatalog, name: string): boolean {
  return catalog.isKnown(name) || KNOWN_ELSEWHERE.some((known) => known(catalog, name));
}

/**
 * The catalogue entries nginx would use for the directive where it stands; empty when the name is known but not
 * allowed here; undefined when the directive is not ours to judge (unknown block, value body, unknown or
 * a name the target nginx lacks). At the top level of a fragment every entry counts: the file may be included anywhere.
 */
export function governingEntries(
  catalog: NginxCatalog,
  model: NginxModel,
  path: string,
  directive: NginxDirective,
): readonly NginxDirectiveInfo[] | undefined {
  const context = directive.context;
  if (context === null || VALUE_CONTEXTS.has(context)) return undefined;
  const entries = catalog.entries(directive.name);
  if (!entries.length) return undefined;
  const known = rootIsKnown(model, path);
  if (!known && directive.parent === null) return entries;
  // An `if` at the top of a fragment whose place is only guessed may as well sit in a location (a snippet a site
  // includes inside `location @app {}`): there its body takes what any location `if` takes.
  const guessedTopIf = !known && directive.parent?.parent === null;
  if (context === 'if' && directive.parent?.context === 'server' && !guessedTopIf) {
    return SERVER_IF.has(directive.name) ? entries.filter((e) => e.contexts.includes('if')) : [];
  }
  const contexts: readonly NginxContext[] = known ? [context] : [context, ...(TWINS[context] ?? [])];
  return entries.filter((e) => e.contexts.some((c) => contexts.includes(c)));
}

/**
 * When another nginx release than the target would accept what the target rejects (a context, an argument count):
 * the sentence that says so, and the severity (a warning when the target was only assumed, since the nginx that runs
 * may be that release). Undefined when no release accepts it.
 */
export function otherReleaseVerdict(
  catalog: NginxCatalog,
  target: NginxTarget,
  name: string,
  accepts: (entry: NginxDirectiveInfo) => boolean,
): { note: string; severity: 'error' | 'warning' } | undefined {
  const other = catalog.entriesInAnyRelease(name).find((e) => !availableAt(e, catalog.version) && accepts(e));
  if (!other) return undefined;
  const when = other.since ? `from nginx ${other.since} on` : `before nginx ${other.until}`;
  return {
    note: ` nginx accepts it ${when}; the target is ${target.label}.`,
    severity: target.assumed ? 'warning' : 'error',
  };
}

const CONTEXT_NAMES: Record<NginxContext, string> = {
  main: 'the main (top) level',
  events: 'events {}',
  http: 'http {}',
  server: 'server {}',
  location: 'location {}',
  upstream: 'upstream {}',
  if: 'if {}',
  limit_except: 'limit_except {}',
  map: 'map {}',
  geo: 'geo {}',
  types: 'types {}',
  split_clients: 'split_clients {}',
  stream: 'stream {}',
  'stream-server': 'server {} in stream',
  'stream-upstream': 'upstream {} in stream',
  mail: 'mail {}',
  'mail-server': 'server {} in mail',
};

/** A context as people write it: `server {}`, `upstream {} in stream`, `the main (top) level`. */
export function describeContext(context: NginxContext, directive?: NginxDirective): string {
  if (context === 'if' && directive?.parent?.context === 'server') return 'an if {} directly in server {}';
  return CONTEXT_NAMES[context];
}

/** "exactly one argument", "1 to 2 arguments", "at least 1 argument", "no arguments". */
export function describeArgs(args: NginxArgs): string {
  const n = (count: number): string => `${count} argument${count === 1 ? '' : 's'}`;
  if (args.flag) return 'one argument, on or off';
  if (args.max === null) return `at least ${n(args.min)}`;
  if (args.min === args.max) return args.min === 0 ? 'no arguments' : `exactly ${n(args.min)}`;
  return `${args.min} to ${n(args.max)}`;
}

export function acceptsCount(args: NginxArgs, count: number): boolean {
  return count >= args.min && (args.max === null || count <= args.max);
}

/**
 * The range that deletes a directive: its whole lines when nothing else but blanks or a comment shares them,
 * otherwise the directive itself and the blanks before it.
 */
export function removalRange(model: NginxModel, directive: NginxDirective): Range {
  const { text, lines } = model;
  const start = lines.positionAt(directive.span.from);
  const end = lines.positionAt(directive.span.to);
  const lineStart = directive.span.from - start.character;
  const before = text.slice(lineStart, directive.span.from);
  const lineEnd = lines.lineEnd(end.line);
  const after = text.slice(directive.span.to, lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t]*(#.*)?$/.test(after)) {
    const next =
      end.line + 1 < lines.lineCount ? { line: end.line + 1, character: 0 } : lines.positionAt(lineEnd);
    return { start: { line: start.line, character: 0 }, end: next };
  }
  let from = directive.span.from;
  while (from > lineStart && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return { start: lines.positionAt(from), end };
}

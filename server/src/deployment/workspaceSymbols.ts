// The workspace's named things for workspace/symbol: every Gunicorn launch, unit file, upstream, nginx server name and
// Gunicorn config file, as plain data a build sends to the server's main thread (which filters them per query).

import { untemplatedPath } from '../core/templates';
import { LineIndex, type Range } from '../core/text';
import { parseNginxFile } from '../languages/nginx/parse';
import { templateText } from '../languages/templates/view';
import type { DeploymentModel } from './model';
import type { WorkspaceSource } from './types';

export type WorkspaceSymbolKind =
  'deployment' | 'service' | 'socket' | 'unit' | 'upstream' | 'server-name' | 'config';

export interface WorkspaceSymbolEntry {
  name: string;
  kind: WorkspaceSymbolKind;
  /** Where it lives, for the list (a file name, a unit). */
  container?: string;
  uri: string;
  range: Range;
}

/** A workspace gives at most this many symbols (a query reads them all, so they stay a few thousand). */
export const MAX_WORKSPACE_SYMBOLS = 20_000;

const FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const baseName = (path: string): string =>
  path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** The symbols of the sources and of the model built from them, launches first; never throws. */
export function workspaceSymbols(
  model: Pick<DeploymentModel, 'deployments'>,
  sources: readonly WorkspaceSource[],
): WorkspaceSymbolEntry[] {
  const entries: WorkspaceSymbolEntry[] = [];
  for (const deployment of model.deployments) {
    const launch = deployment.launch;
    if (!launch) continue;
    const app = launch.app?.value;
    entries.push({
      name: app ? `gunicorn ${app}` : 'gunicorn',
      kind: 'deployment',
      container: launch.unit ?? baseName(launch.path),
      uri: launch.uri,
      range: launch.range,
    });
  }
  const configs = new Set(model.deployments.flatMap((d) => (d.config ? [d.config.uri] : [])));
  for (const source of sources) {
    if (entries.length >= MAX_WORKSPACE_SYMBOLS) break;
    if (source.kind === 'systemd') entries.push(unitEntry(source));
    else if (source.kind === 'nginx') entries.push(...nginxEntries(source));
    else if (source.kind === 'gunicorn' || configs.has(source.uri)) {
      entries.push({
        name: baseName(source.path),
        kind: 'config',
        container: parentName(source.path),
        uri: source.uri,
        range: FIRST_LINE,
      });
    }
  }
  return entries.slice(0, MAX_WORKSPACE_SYMBOLS);
}

function parentName(path: string): string | undefined {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length > 1 ? parts[parts.length - 2] : undefined;
}

function unitEntry(source: WorkspaceSource): WorkspaceSymbolEntry {
  const name = baseName(untemplatedPath(source.path));
  const kind = name.endsWith('.service') ? 'service' : name.endsWith('.socket') ? 'socket' : 'unit';
  return { name, kind, container: parentName(source.path), uri: source.uri, range: FIRST_LINE };
}

/**
 * Upstreams and server names per nginx text, kept across builds (the server rebuilds after every edit and most files
 * did not change); bounded, oldest first out.
 */
const nginxCache = new Map<string, { text: string; entries: WorkspaceSymbolEntry[] }>();
const NGINX_CACHE_MAX = 2_000;

function nginxEntries(source: WorkspaceSource): WorkspaceSymbolEntry[] {
  const cached = nginxCache.get(source.uri);
  if (cached?.text === source.text) return cached.entries;
  const text = templateText('nginx', source.text, source.path);
  const model = parseNginxFile(source.path, text);
  const lines = new LineIndex(text);
  const container = baseName(source.path);
  const entries: WorkspaceSymbolEntry[] = [];
  for (const directive of model.all) {
    if (entries.length >= 1_000) break;
    const range = lines.range(directive.nameToken.span.from, directive.span.to);
    if (directive.name === 'upstream' && directive.block && directive.args[0]) {
      entries.push({ name: directive.args[0].value, kind: 'upstream', container, uri: source.uri, range });
    } else if (directive.name === 'server_name' && directive.parent?.name === 'server') {
      for (const arg of directive.args) {
        // `_` and "" are catch-all names, not names anyone looks for.
        if (arg.value === '' || arg.value === '_' || arg.value.includes('__X')) continue;
        entries.push({
          name: arg.value,
          kind: 'server-name',
          container,
          uri: source.uri,
          range: lines.range(arg.span.from, arg.span.to),
        });
      }
    }
  }
  nginxCache.delete(source.uri);
  if (nginxCache.size >= NGINX_CACHE_MAX) nginxCache.delete(nginxCache.keys().next().value as string);
  // The source's own string is kept (no copy): the index holds it anyway while the file is unchanged.
  nginxCache.set(source.uri, { text: source.text, entries });
  return entries;
}

/** How well `name` matches `query`: lower is better; undefined when it does not match. */
export function matchScore(name: string, query: string): number | undefined {
  if (!query) return 0;
  const lower = name.toLowerCase();
  const wanted = query.toLowerCase();
  const at = lower.indexOf(wanted);
  if (at === 0) return 0;
  if (at > 0) return 1 + at / 1000;
  // Letters in order (VS Code's own fuzzy matching on the client side may then rank them further).
  let from = 0;
  for (const ch of wanted) {
    const found = lower.indexOf(ch, from);
    if (found < 0) return undefined;
    from = found + 1;
  }
  return 2;
}

/** The entries that match a query, best first (then by name), at most `max` of them. */
export function queryWorkspaceSymbols(
  entries: readonly WorkspaceSymbolEntry[],
  query: string,
  max: number,
): WorkspaceSymbolEntry[] {
  const scored: { entry: WorkspaceSymbolEntry; score: number }[] = [];
  for (const entry of entries) {
    const score = matchScore(entry.name, query.trim());
    if (score !== undefined) scored.push({ entry, score });
  }
  scored.sort(
    (a, b) => a.score - b.score || (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0),
  );
  return scored.slice(0, max).map((s) => s.entry);
}

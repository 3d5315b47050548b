// Collects the workspace's navigation sites (core/navigation.ts) from a model build: upstream names, unit names,
// listening and connecting addresses, and the paths of includes, -c files, EnvironmentFile= and certificates.

import type { NavigationIndex, NavigationSite } from '../core/navigation';
import { LineIndex } from '../core/text';
import { includeTargets } from '../languages/nginx/workspace';
import { parseNginxFile, type NginxToken } from '../languages/nginx/parse';
import { parseUnitFileOf, valueSubSpan, type Directive } from '../languages/systemd/parse';
import { templateText } from '../languages/templates/view';
import {
  endpointKey,
  endpointsMatch,
  gunicornBindEndpoint,
  listenStreamEndpoint,
  nginxEndpoint,
  type Endpoint,
} from './addresses';
import { perListing } from '../core/memo';
import type { DeploymentModel } from './model';
import { passAddress } from './nginxFacts';
import { unitNameOf } from './systemdFacts';
import type { Located, WorkspaceSource } from './types';
import { forwardSlashes as norm } from '../core/paths';

const PASSES = new Set(['proxy_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'grpc_pass']);
/** nginx directives whose argument is a file we can open. */
const FILE_DIRECTIVES = new Set([
  'ssl_certificate',
  'ssl_certificate_key',
  'ssl_trusted_certificate',
  'ssl_client_certificate',
  'auth_basic_user_file',
]);
/** Unit directives whose value is a list of unit names. */
const UNIT_LISTS = new Set([
  'Requires',
  'Requisite',
  'Wants',
  'BindsTo',
  'PartOf',
  'Upholds',
  'After',
  'Before',
  'Conflicts',
  'OnFailure',
  'OnSuccess',
  'Sockets',
  'Service',
  'Also',
  'WantedBy',
  'RequiredBy',
  'UpheldBy',
]);

export interface NavigationInput {
  model: DeploymentModel;
  /** Every source the model was built from (texts as written: templates are blanked here). */
  sources: readonly WorkspaceSource[];
  /** Every file path of the workspace. */
  allPaths: readonly string[];
  uriOf(path: string): string;
}

/** An address written somewhere, before the sites that reach each other are grouped. */
interface AddressSite {
  site: NavigationSite;
  endpoint: Endpoint;
  listens: boolean;
  /** The socket path as written (for a rename), or why it cannot be rewritten. */
  rewritable: true | string;
}

/** The navigation index of a workspace, from the sources the model was built from. */
export function navigationIndex(input: NavigationInput): NavigationIndex {
  const collector = new Collector(input);
  for (const source of input.sources) {
    try {
      if (source.kind === 'nginx') collector.nginx(source);
      else if (source.kind === 'systemd') collector.unit(source);
    } catch {
      // A file we cannot read for navigation must not take the other files' sites with it.
    }
  }
  collector.launches();
  return collector.finish();
}

/** Unit files by unit name, the first listed of each name (made once per listing). */
const unitFilesOf = perListing((paths): ReadonlyMap<string, string> => {
  const units = new Map<string, string>();
  for (const path of paths) {
    const name =
      unitNameOf(path) ?? /([^/]+\.(?:target|timer|path|mount|slice|device|scope))$/.exec(norm(path))?.[1];
    // A drop-in (`shop.service.d/x.conf`) is not the unit's file.
    if (name && !/\.d\/[^/]+$/.test(norm(path)) && !units.has(name)) units.set(name, path);
  }
  return units;
});

class Collector {
  private readonly sites: NavigationSite[] = [];
  private readonly addresses: AddressSite[] = [];
  private readonly lines = new Map<string, LineIndex>();
  private readonly upstreamUses: { name: string; site: NavigationSite }[] = [];
  private readonly upstreams = new Set<string>();
  private readonly texts = new Map<string, string>();

  private readonly unitFiles: ReadonlyMap<string, string>;

  constructor(private readonly input: NavigationInput) {
    this.unitFiles = unitFilesOf(input.allPaths);
    for (const source of input.sources) this.texts.set(source.uri, source.text);
  }

  private range(uri: string, from: number, to: number): NavigationSite['range'] {
    let lines = this.lines.get(uri);
    if (!lines) {
      lines = new LineIndex(this.texts.get(uri) ?? '');
      this.lines.set(uri, lines);
    }
    return lines.range(from, to);
  }

  private fileSite(uri: string, from: number, to: number, paths: string[]): void {
    if (!paths.length) return;
    const files = [...new Set(paths.map((p) => this.input.uriOf(p)))];
    this.sites.push({
      uri,
      range: this.range(uri, from, to),
      key: `file:${files.join('|')}`,
      role: 'use',
      files,
    });
  }

  nginx(source: WorkspaceSource): void {
    const text = templateText('nginx', source.text, source.path);
    const model = parseNginxFile(source.path, text);
    // A token the template blanked (or partly blanked) is not written as it reads: no site there.
    const asWritten = (token: NginxToken): boolean =>
      source.text.slice(token.span.from, token.span.to) === text.slice(token.span.from, token.span.to);
    const inner = (token: NginxToken): { from: number; to: number } => ({
      from: token.span.from + (token.quote ? 1 : 0),
      to: token.span.to - (token.quote ? 1 : 0),
    });
    for (const directive of model.all) {
      const arg = directive.args[0];
      if (!arg || !asWritten(arg) || arg.value.includes('$')) continue;
      const { from, to } = inner(arg);
      if (directive.name === 'upstream' && directive.block) {
        const name = arg.value.toLowerCase();
        this.upstreams.add(name);
        this.sites.push({
          uri: source.uri,
          range: this.range(source.uri, from, to),
          key: `upstream:${name}`,
          role: 'definition',
        });
      } else if (PASSES.has(directive.name)) {
        const parsed = passAddress(directive.name, arg);
        if (!parsed) continue;
        const site = {
          uri: source.uri,
          range: this.range(source.uri, parsed.from, parsed.to),
          key: '',
          role: 'use' as const,
        };
        if (parsed.couldBeUpstream) this.upstreamUses.push({ name: parsed.address.toLowerCase(), site });
        const endpoint = nginxEndpoint(parsed.address, parsed.defaultPort);
        if (endpoint) this.address(source, parsed.from, parsed.to, endpoint, false, parsed.couldBeUpstream);
      } else if (directive.name === 'server' && directive.parent?.name === 'upstream') {
        const endpoint = nginxEndpoint(arg.value, 80);
        if (endpoint) this.address(source, from, to, endpoint, false);
      } else if (directive.name === 'include') {
        this.fileSite(source.uri, from, to, includeTargets(arg.value, source.path, this.input.allPaths));
      } else if (FILE_DIRECTIVES.has(directive.name) && !/^(?:data|engine):/.test(arg.value)) {
        this.fileSite(source.uri, from, to, this.literalPath(arg.value, source.path));
      }
    }
  }

  /** The workspace file a path names (no globbing: `*` and `[` are taken as written). */
  private literalPath(path: string, fromPath: string): string[] {
    if (/[*?[]/.test(path)) return [];
    return includeTargets(path, fromPath, this.input.allPaths);
  }

  /** An address site; `maybeHost` marks a pass whose name may be an upstream (its address then waits for it). */
  private address(
    source: WorkspaceSource,
    from: number,
    to: number,
    endpoint: Endpoint,
    listens: boolean,
    maybeHost = false,
    rewritable: true | string = true,
  ): void {
    if (maybeHost && endpoint.kind === 'tcp') return;
    let start = from;
    // The path of a unix socket, without its `unix:` prefix (a rename rewrites only the path).
    if (endpoint.kind === 'unix') {
      const written = source.text.slice(from, to);
      const at = written.indexOf('/');
      if (at < 0) return;
      start = from + at;
    }
    const site: NavigationSite = {
      uri: source.uri,
      range: this.range(source.uri, start, to),
      key: '',
      role: listens ? 'definition' : 'use',
    };
    this.addresses.push({ site, endpoint, listens, rewritable });
  }

  unit(source: WorkspaceSource): void {
    const text = templateText('systemd', source.text, source.path);
    const unit = parseUnitFileOf(source.path, text);
    const name = unitNameOf(source.path);
    for (const directive of unit.directives) {
      const { from, to } = directive.valueSpan;
      // Blanked template syntax: the value is not written as it reads.
      if (text.slice(from, to) !== source.text.slice(from, to)) continue;
      if (UNIT_LISTS.has(directive.key)) this.unitNames(source, directive);
      else if (directive.key === 'EnvironmentFile') {
        const value = directive.value.replace(/^-/, '');
        if (!value.startsWith('/') || /[%$]/.test(value)) continue;
        const offset = directive.value.length - value.length;
        const span = valueSubSpan(directive, offset, directive.value.length);
        this.fileSite(source.uri, span.from, span.to, this.literalPath(value, source.path));
      } else if (
        directive.key === 'ListenStream' &&
        name?.endsWith('.socket') &&
        directive.section?.name === 'Socket'
      ) {
        const endpoint = listenStreamEndpoint(directive.value);
        if (endpoint) this.address(source, directive.valueSpan.from, directive.valueSpan.to, endpoint, true);
      }
    }
  }

  private unitNames(source: WorkspaceSource, directive: Directive): void {
    const words = /\S+/g;
    for (let match = words.exec(directive.value); match; match = words.exec(directive.value)) {
      const name = match[0];
      if (!/^[A-Za-z0-9:_.\\@-]+\.[a-z]+$/.test(name)) continue;
      const span = valueSubSpan(directive, match.index, match.index + name.length);
      this.sites.push({
        uri: source.uri,
        range: this.range(source.uri, span.from, span.to),
        key: `unit:${name}`,
        role: 'use',
      });
    }
  }

  /** Each launch's -c FILE (to the config the model resolved) and every place Gunicorn's bind is written. */
  launches(): void {
    const seen = new Set<string>();
    for (const deployment of this.input.model.deployments) {
      const ref = deployment.configRef;
      if (ref && deployment.config && deployment.launch && this.texts.has(ref.uri)) {
        const lines = this.lineIndex(ref.uri);
        this.fileSite(ref.uri, lines.offsetAt(ref.range.start), lines.offsetAt(ref.range.end), [
          deployment.config.path,
        ]);
      }
      const bind = this.input.model.effective(deployment, 'bind');
      if (!bind) continue;
      for (const where of [bind.where, ...bind.overrides.map((o) => o.where)]) {
        if (!where) continue;
        const id = `${where.uri}#${where.range.start.line}:${where.range.start.character}`;
        if (seen.has(id)) continue;
        seen.add(id);
        this.bindSites(where, deployment.cwd);
      }
    }
  }

  private lineIndex(uri: string): LineIndex {
    this.range(uri, 0, 0);
    return this.lines.get(uri)!;
  }

  /** The addresses written in one place that sets bind (a config's value, a --bind flag). */
  private bindSites(where: Located<unknown>, cwd: string | undefined): void {
    const text = this.texts.get(where.uri);
    const source = this.input.sources.find((s) => s.uri === where.uri);
    if (text === undefined || !source) return;
    const lines = this.lineIndex(where.uri);
    const from = lines.offsetAt(where.range.start);
    const to = lines.offsetAt(where.range.end);
    const written = text.slice(from, to);
    // Whole entries only (`unix:/run/x.sock`, `host:port`, `[v6]:port`), split where Python or a shell separates them:
    // a part of `127.0.0.1:__PORT__` or of `"0.0.0.0:" + PORT` is no address.
    const entries = /[^\s'",()[\]=]+|\[[0-9a-fA-F:.]*\]:\d+/g;
    for (let match = entries.exec(written); match; match = entries.exec(written)) {
      const entry = match[0];
      if (!/^(?:unix:\S+|\[[0-9a-fA-F:.]*\]:\d+|[A-Za-z0-9.*-]+:\d+)$/.test(entry)) continue;
      const endpoint = gunicornBindEndpoint(entry, cwd);
      if (!endpoint) continue;
      const start = from + match.index;
      let siteFrom = start;
      if (endpoint.kind === 'unix') {
        if (!/^unix:(?:\/\/)?\//.test(entry)) {
          this.address(
            source,
            start,
            start + entry.length,
            endpoint,
            true,
            false,
            'it is written relative to the working directory',
          );
          continue;
        }
        // The absolute path of `unix:/run/x.sock` or `unix:///run/x.sock`, without the scheme.
        siteFrom = start + entry.search(/\/(?!\/)/);
      }
      this.address(source, siteFrom, start + entry.length, endpoint, true);
    }
  }

  finish(): NavigationIndex {
    const refusals: Record<string, string> = {};
    const renamable: NavigationIndex['renamable'] = {};
    for (const { name, site } of this.upstreamUses) {
      if (!this.upstreams.has(name)) continue;
      this.sites.push({ ...site, key: `upstream:${name}` });
    }
    for (const name of this.upstreams) renamable[`upstream:${name}`] = 'upstream';
    const units = new Set(this.sites.filter((s) => s.key.startsWith('unit:')).map((s) => s.key.slice(5)));
    for (const name of units) {
      const path = this.unitFiles.get(name);
      if (!path) continue;
      const start = { line: 0, character: 0 };
      this.sites.push({
        uri: this.input.uriOf(path),
        range: { start, end: start },
        key: `unit:${name}`,
        role: 'definition',
      });
    }
    this.groupAddresses(renamable, refusals);
    return { sites: this.sites, renamable, refusals };
  }

  /** Addresses that reach each other share one key: a listen and every connect it serves, equal addresses alike. */
  private groupAddresses(renamable: NavigationIndex['renamable'], refusals: Record<string, string>): void {
    const parent = this.addresses.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const byKey = new Map<string, number>();
    this.addresses.forEach((a, i) => {
      const key = endpointKey(a.endpoint);
      const first = byKey.get(key);
      if (first === undefined) byKey.set(key, i);
      else parent[find(i)] = find(first);
    });
    // Equal addresses are one group already: a connect is compared with one listen per distinct TCP address of its
    // port (a wildcard or another loopback name reaches it too), not with every listen of the workspace.
    const listensByPort = new Map<number, Map<string, number>>();
    this.addresses.forEach((a, i) => {
      if (!a.listens || a.endpoint.kind !== 'tcp') return;
      const byAddress = listensByPort.get(a.endpoint.port) ?? new Map<string, number>();
      if (!byAddress.has(endpointKey(a.endpoint))) byAddress.set(endpointKey(a.endpoint), i);
      listensByPort.set(a.endpoint.port, byAddress);
    });
    this.addresses.forEach((a, i) => {
      if (a.listens || a.endpoint.kind !== 'tcp') return;
      for (const j of listensByPort.get(a.endpoint.port)?.values() ?? []) {
        if (endpointsMatch(a.endpoint, this.addresses[j]!.endpoint)) parent[find(i)] = find(j);
      }
    });
    this.addresses.forEach((a, i) => {
      const root = this.addresses[find(i)]!;
      a.site.key = `address:${endpointKey(root.endpoint)}`;
      this.sites.push(a.site);
      if (a.endpoint.kind !== 'unix') return;
      renamable[a.site.key] = 'socket';
      if (a.rewritable !== true && !refusals[a.site.key]) {
        refusals[a.site.key] =
          `The socket path in ${a.site.uri.replace(/^.*\//, '')}:${a.site.range.start.line + 1} cannot be renamed safely: ${a.rewritable}.`;
      }
    });
    this.strayPaths(refusals);
  }

  /**
   * A socket path also written where no site covers it (a script's `mkdir`, an env file, a comment) would keep the
   * old path after a rename: we refuse rather than rename half of the deployment.
   */
  private strayPaths(refusals: Record<string, string>): void {
    const paths = new Map<string, NavigationSite[]>();
    for (const a of this.addresses) {
      if (a.endpoint.kind !== 'unix') continue;
      const list = paths.get(a.endpoint.path) ?? [];
      list.push(a.site);
      paths.set(a.endpoint.path, list);
    }
    for (const [path, sites] of paths) {
      const key = sites[0]!.key;
      if (refusals[key]) continue;
      for (const source of this.input.sources) {
        for (
          let at = source.text.indexOf(path);
          at >= 0 && !refusals[key];
          at = source.text.indexOf(path, at + 1)
        ) {
          const after = source.text[at + path.length];
          if (after !== undefined && /[A-Za-z0-9_.-]/.test(after)) continue;
          const lines = this.lineIndex(source.uri);
          const position = lines.positionAt(at);
          const covered = sites.some(
            (s) =>
              s.uri === source.uri &&
              s.range.start.line === position.line &&
              s.range.start.character <= position.character &&
              s.range.end.character >= position.character,
          );
          if (!covered) {
            refusals[key] =
              `${path} is also written in ${source.uri.replace(/^.*\//, '')}:${position.line + 1}, which is not a place we can rewrite safely (a variable, a template or plain text); rename it by hand.`;
          }
        }
      }
    }
  }
}

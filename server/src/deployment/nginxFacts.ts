// What the deployment model needs from nginx: every proxy_pass / uwsgi_pass with the addresses it reaches (through
// upstream blocks in any file), directives in effect for a location (across include boundaries), and the worker user.

import { FolderIndex, foldersOf } from '../core/folderIndex';
import type { Range } from '../core/text';
import type { NginxContext } from '../languages/nginx/catalogTypes';
import {
  parseNginxFile,
  type NginxDirective,
  type NginxModel,
  type NginxToken,
} from '../languages/nginx/parse';
import { includeTargets, indexNginxWorkspace } from '../languages/nginx/workspace';
import { nginxEndpoint, type Endpoint } from './addresses';
import { LastStep } from './stageMemo';
import type { WorkspaceSource } from './types';
import { forwardSlashes as norm } from '../core/paths';

export interface NginxFile {
  uri: string;
  path: string;
  model: NginxModel;
}

/** A place in an nginx file where an address is written (to point at it, or to rewrite it). */
export interface AddressSite {
  file: NginxFile;
  directive: NginxDirective;
  token: NginxToken;
  /** Offsets of the address inside the document (without scheme, without URI). */
  from: number;
  to: number;
}

export interface NginxTarget {
  file: NginxFile;
  /** The proxy_pass / uwsgi_pass / … directive. */
  pass: NginxDirective;
  /** What nginx speaks to the backend. */
  protocol: 'http' | 'uwsgi' | 'other';
  endpoint: Endpoint;
  /** Where this address is written: in the pass directive, or in an upstream block's `server`. */
  site: AddressSite;
  /** The upstream name when the pass goes through an upstream block. */
  upstream?: string;
}

/** The request headers a pass sends, by lower-case name, with the directive that sets each. */
export type PassHeaders = Map<string, { value: string; file: NginxFile; directive: NginxDirective }>;

const PASSES: Record<string, NginxTarget['protocol']> = {
  proxy_pass: 'http',
  uwsgi_pass: 'uwsgi',
  fastcgi_pass: 'other',
  scgi_pass: 'other',
  grpc_pass: 'other',
};

/**
 * The nginx facts of the last build, with the files they were made from: a build whose nginx files are the same
 * (same paths, same texts, same order) gets them again instead of indexing and walking every nginx file anew.
 */
const lastWorkspace = new LastStep<NginxWorkspace>(true);

/** Whether nginx facts are kept (see holdsKeptSteps). */
export function nginxWorkspaceHeld(): boolean {
  return lastWorkspace.held;
}

/** Lets go of the kept nginx facts (see forgetKeptSteps). */
export function forgetNginxWorkspace(): void {
  lastWorkspace.clear();
}

export function nginxWorkspaceOf(sources: readonly WorkspaceSource[]): NginxWorkspace {
  const files = sources.filter((source) => source.kind === 'nginx');
  return lastWorkspace.get(files, undefined, () => new NginxWorkspace(files));
}

export class NginxWorkspace {
  readonly files: NginxFile[] = [];
  private readonly byPath = new Map<string, NginxFile>();
  private readonly byUri = new Map<string, NginxFile>();
  private readonly index: ReturnType<typeof indexNginxWorkspace>;
  /** Every `upstream` block of the workspace by lower-case name (several nginx instances may each define one). */
  private readonly upstreams = new Map<string, { file: NginxFile; directive: NginxDirective }[]>();
  readonly targets: NginxTarget[] = [];

  constructor(sources: readonly WorkspaceSource[]) {
    const nginx = sources.filter((s) => s.kind === 'nginx');
    const texts = new Map(nginx.map((s) => [norm(s.path), s]));
    const paths = [...texts.keys()];
    this.index = indexNginxWorkspace({
      seeds: paths,
      allPaths: paths,
      read: (p) => texts.get(norm(p))?.text,
    });
    for (const [path, source] of texts) {
      const site = this.index.includedAt(path);
      const context: NginxContext | undefined = site?.context;
      const model = parseNginxFile(source.path, source.text, context ? { rootContext: context } : {});
      const file: NginxFile = { uri: source.uri, path, model };
      this.files.push(file);
      this.byPath.set(path, file);
      this.byUri.set(source.uri, file);
    }
    for (const file of this.files) {
      for (const directive of file.model.all) {
        if (directive.name !== 'upstream' || !directive.block || directive.context !== 'http') continue;
        const name = directive.args[0]?.value.toLowerCase();
        if (!name) continue;
        const list = this.upstreams.get(name);
        if (list) list.push({ file, directive });
        else this.upstreams.set(name, [{ file, directive }]);
      }
    }
    for (const file of this.files) this.collectTargets(file);
  }

  /** A parsed nginx file by its source's uri. */
  fileByUri(uri: string): NginxFile | undefined {
    return this.byUri.get(uri);
  }

  private collectTargets(file: NginxFile): void {
    for (const pass of file.model.all) {
      const protocol = PASSES[pass.name];
      const token = pass.args[0];
      if (!protocol || !token || token.value.includes('$')) continue;
      const parsed = passAddress(pass.name, token);
      if (!parsed) continue;
      const upstream = parsed.couldBeUpstream
        ? this.upstreamFor(parsed.address.toLowerCase(), file)
        : undefined;
      if (upstream) {
        for (const server of upstream.directive.block?.children ?? []) {
          const arg = server.args[0];
          if (server.name !== 'server' || !arg) continue;
          const endpoint = nginxEndpoint(arg.value, 80);
          if (!endpoint) continue;
          const from = arg.span.from + (arg.quote ? 1 : 0);
          this.targets.push({
            file,
            pass,
            protocol,
            endpoint,
            upstream: upstream.directive.args[0]!.value,
            site: { file: upstream.file, directive: server, token: arg, from, to: from + arg.value.length },
          });
        }
        continue;
      }
      const endpoint = nginxEndpoint(parsed.address, parsed.defaultPort);
      if (!endpoint) continue;
      this.targets.push({
        file,
        pass,
        protocol,
        endpoint,
        site: { file, directive: pass, token, from: parsed.from, to: parsed.to },
      });
    }
  }

  file(path: string): NginxFile | undefined {
    return this.byPath.get(norm(path));
  }

  private readonly upstreamIndexes = new Map<
    string,
    FolderIndex<{ file: NginxFile; directive: NginxDirective }>
  >();

  /**
   * The upstream block a pass in `file` names: the one nginx loads with that file (the file's own, else one in a file
   * joined to it by includes), else the nearest by folder (copies of one site in separate projects each have their
   * own), the first on a tie.
   */
  private upstreamFor(
    name: string,
    file: NginxFile,
  ): { file: NginxFile; directive: NginxDirective } | undefined {
    const list = this.upstreams.get(name);
    if (!list || list.length < 2) return list?.[0];
    const own = list.find((upstream) => upstream.file === file);
    if (own) return own;
    const group = this.includeGroup(file.path);
    const grouped = list.find((upstream) => group.has(upstream.file.path));
    if (grouped) return grouped;
    let index = this.upstreamIndexes.get(name);
    if (!index) {
      this.upstreamIndexes.set(name, (index = new FolderIndex(list, (u) => foldersOf(u.file.path))));
    }
    return index.nearest(foldersOf(file.path))[0];
  }

  private groups: Map<string, Set<string>> | undefined;

  /**
   * The files joined to `path` by includes, either way and at any distance, with it: a pass's inherited headers and
   * timeouts may be written in any of them. Made on first use.
   */
  includeGroup(path: string): ReadonlySet<string> {
    if (!this.groups) {
      const parent = new Map<string, string>();
      const root = (at: string): string => {
        let top = at;
        while (parent.has(top)) top = parent.get(top)!;
        if (top !== at) parent.set(at, top);
        return top;
      };
      const paths = (this.filePaths ??= this.files.map((f) => f.path));
      for (const file of this.files) {
        for (const include of file.model.all) {
          if (include.name !== 'include' || !include.args[0]) continue;
          for (const target of includeTargets(include.args[0].value, file.path, paths)) {
            const [a, b] = [root(file.path), root(target)];
            if (a !== b && this.byPath.has(target)) parent.set(a, b);
          }
        }
      }
      this.groups = new Map();
      for (const file of this.files) {
        const top = root(file.path);
        let group = this.groups.get(top);
        if (!group) this.groups.set(top, (group = new Set()));
        group.add(file.path);
        this.groups.set(file.path, group);
      }
    }
    return this.groups.get(norm(path)) ?? new Set([norm(path)]);
  }

  /** The `user` nginx workers run as (and their group), from a main-context `user` directive, when a file has one. */
  workerUser(): { user: string; group: string; file: NginxFile; directive: NginxDirective } | undefined {
    for (const file of this.files) {
      if (file.model.rootContext !== 'main') continue;
      const directive = file.model.directives.find((d) => d.name === 'user' && d.args.length > 0);
      if (!directive) continue;
      const user = directive.args[0]!.value;
      return { user, group: directive.args[1]?.value ?? user, file, directive };
    }
    return undefined;
  }

  /**
   * The directive `name` in effect for `directive`: the nearest block level that writes it, through the file's top
   * level and on into the block that includes the file. `null` means nginx's default; `unknown` when an include we
   * cannot read, or a block we do not know, might change it.
   */
  effective(
    file: NginxFile,
    directive: NginxDirective,
    name: string,
  ):
    | { status: 'unknown' }
    | { status: 'known'; found: { file: NginxFile; directive: NginxDirective } | null } {
    let currentFile = file;
    let current: NginxDirective | null = directive;
    for (let hops = 0; hops < 16; hops++) {
      for (const level of levels(currentFile.model, current)) {
        if (level.owner && !level.owner.block?.context) return { status: 'unknown' };
        const own = level.directives.filter((d) => d.name === name && d.args.length > 0);
        if (own.length) {
          return { status: 'known', found: { file: currentFile, directive: own[own.length - 1]! } };
        }
        const fromInclude = this.throughIncludes(currentFile, level.directives, name);
        if (fromInclude === 'unknown') return { status: 'unknown' };
        if (fromInclude) return { status: 'known', found: fromInclude };
      }
      const site = this.index.includedAt(currentFile.path);
      const includer = site && this.byPath.get(site.from);
      if (!site || !includer) {
        const top = currentFile.model.rootContext;
        return top === 'main' || top === 'http' ? { status: 'known', found: null } : { status: 'unknown' };
      }
      const include = includer.model.all.find(
        (d) => d.name === 'include' && includer.model.lines.positionAt(d.span.from).line === site.line,
      );
      if (!include) return { status: 'unknown' };
      currentFile = includer;
      // The include's siblings are the level the included file's directives join.
      current = include;
    }
    return { status: 'unknown' };
  }

  /** `name` written at the top level of files included at this level; 'unknown' for includes we cannot read. */
  private throughIncludes(
    file: NginxFile,
    directives: readonly NginxDirective[],
    name: string,
  ): { file: NginxFile; directive: NginxDirective } | 'unknown' | undefined {
    let found: { file: NginxFile; directive: NginxDirective } | undefined;
    for (const include of directives) {
      if (include.name !== 'include' || !include.args[0]) continue;
      const pattern = include.args[0].value;
      const targets = includeTargets(pattern, file.path, (this.filePaths ??= this.files.map((f) => f.path)));
      if (!targets.length) {
        if (HARMLESS_INCLUDE.test(pattern)) continue;
        return 'unknown';
      }
      for (const target of targets) {
        const included = this.byPath.get(target);
        const own = included?.model.directives.filter((d) => d.name === name && d.args.length > 0) ?? [];
        if (included && own.length) found = { file: included, directive: own[own.length - 1]! };
      }
    }
    return found;
  }

  /**
   * The request headers nginx sets for a pass (proxy_set_header is inherited as a whole list, only by levels that set
   * none); `unknown` when an include we cannot read might set some.
   */
  headers(file: NginxFile, directive: NginxDirective): PassHeaders | 'unknown' {
    // Several rules ask for every pass of every deployment; in big workspaces the same passes come up again and again.
    let found = this.headersOf.get(directive);
    if (found === undefined) this.headersOf.set(directive, (found = this.readHeaders(file, directive)));
    return found;
  }

  private readonly headersOf = new Map<NginxDirective, PassHeaders | 'unknown'>();
  private filePaths: string[] | undefined;

  private readHeaders(file: NginxFile, directive: NginxDirective): PassHeaders | 'unknown' {
    let currentFile = file;
    let current: NginxDirective | null = directive;
    for (let hops = 0; hops < 16; hops++) {
      for (const level of levels(currentFile.model, current)) {
        if (level.owner && !level.owner.block?.context) return 'unknown';
        const headers = new Map<string, { value: string; file: NginxFile; directive: NginxDirective }>();
        let sets = false;
        for (const d of level.directives) {
          if (d.name === 'proxy_set_header' && d.args.length > 0) {
            sets = true;
            headers.set(d.args[0]!.value.toLowerCase(), {
              value: d.args[1]?.value ?? '',
              file: currentFile,
              directive: d,
            });
          } else if (d.name === 'include' && d.args[0]) {
            const pattern = d.args[0].value;
            const targets = includeTargets(
              pattern,
              currentFile.path,
              (this.filePaths ??= this.files.map((f) => f.path)),
            );
            if (!targets.length && /(?:^|\/)proxy_params$/.test(pattern)) {
              // Not in the workspace: the file Debian and Ubuntu ship.
              sets = true;
              for (const [name, value] of PROXY_PARAMS) {
                headers.set(name, { value, file: currentFile, directive: d });
              }
              continue;
            }
            if (!targets.length) {
              if (HARMLESS_INCLUDE.test(pattern)) continue;
              return 'unknown';
            }
            for (const target of targets) {
              const included = this.byPath.get(target);
              for (const h of included?.model.directives ?? []) {
                if (h.name !== 'proxy_set_header' || !h.args.length || !included) continue;
                sets = true;
                headers.set(h.args[0]!.value.toLowerCase(), {
                  value: h.args[1]?.value ?? '',
                  file: included,
                  directive: h,
                });
              }
            }
          }
        }
        if (sets) return headers;
      }
      const site = this.index.includedAt(currentFile.path);
      const includer = site && this.byPath.get(site.from);
      if (!site || !includer) {
        const top = currentFile.model.rootContext;
        return top === 'main' || top === 'http' ? new Map() : 'unknown';
      }
      const include = includer.model.all.find(
        (d) => d.name === 'include' && includer.model.lines.positionAt(d.span.from).line === site.line,
      );
      if (!include) return 'unknown';
      currentFile = includer;
      current = include;
    }
    return 'unknown';
  }
}

/** Debian's /etc/nginx/proxy_params. */
const PROXY_PARAMS: readonly [string, string][] = [
  ['host', '$http_host'],
  ['x-real-ip', '$remote_addr'],
  ['x-forwarded-for', '$proxy_add_x_forwarded_for'],
  ['x-forwarded-proto', '$scheme'],
];

/** Includes that ship with nginx or certbot and never set proxy timeouts or proxy headers. */
const HARMLESS_INCLUDE =
  /(?:^|\/)(?:mime\.types|uwsgi_params|fastcgi_params|fastcgi\.conf|scgi_params|koi-utf|koi-win|win-utf|options-ssl-nginx\.conf|snakeoil\.conf)$|modules-enabled\/|sites-enabled\/|conf\.d\//;

interface Level {
  owner: NginxDirective | null;
  directives: readonly NginxDirective[];
}

/** The block levels above a directive (its own block first), ending at the file's top level. */
function levels(model: NginxModel, directive: NginxDirective | null): Level[] {
  const result: Level[] = [];
  for (let owner = directive?.parent ?? null; owner; owner = owner.parent) {
    result.push({ owner, directives: owner.block?.children ?? [] });
  }
  result.push({ owner: null, directives: model.directives });
  return result;
}

/** The backend address of a pass argument and where it sits in the document (also read by navigation). */
export function passAddress(
  name: string,
  token: NginxToken,
): { address: string; from: number; to: number; defaultPort: number; couldBeUpstream: boolean } | undefined {
  const value = token.value;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (name === 'proxy_pass' && !scheme) return undefined;
  const schemeName = scheme?.[1]!.toLowerCase();
  const start = scheme ? scheme[0].length : 0;
  const body = value.slice(start);
  let address: string;
  if (/^unix:/i.test(body)) {
    // In a URL the socket path ends at the next ':'; uwsgi_pass and friends take the rest as the path.
    const colon = body.indexOf(':', 5);
    address = colon >= 0 && scheme ? body.slice(0, colon) : body;
  } else {
    const slash = body.indexOf('/');
    address = slash >= 0 ? body.slice(0, slash) : body;
  }
  if (!address) return undefined;
  const from = token.span.from + (token.quote ? 1 : 0) + start;
  const defaultPort = schemeName === 'https' ? 443 : 80;
  const couldBeUpstream =
    !address.includes(':') && !/^\d+(?:\.\d+){3}$/.test(address) && address !== 'localhost';
  return { address, from, to: from + address.length, defaultPort, couldBeUpstream };
}

export function rangeOf(file: NginxFile, from: number, to: number): Range {
  return file.model.lines.range(from, to);
}

/** nginx time: `60`, `60s`, `1m`, `1m30s`, `500ms`; seconds, undefined when unreadable. */
export function parseNginxTime(text: string): number | undefined {
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86400,
    w: 604800,
    M: 2592000,
    y: 31536000,
  };
  const value = text.trim();
  if (!value) return undefined;
  let total = 0;
  const pattern = /(\d+)(ms|s|m|h|d|w|M|y)?\s*/gy;
  let consumed = 0;
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) {
    total += Number(m[1]) * units[m[2] ?? 's']!;
    consumed = pattern.lastIndex;
    if (consumed >= value.length) break;
  }
  return consumed === value.length ? total : undefined;
}

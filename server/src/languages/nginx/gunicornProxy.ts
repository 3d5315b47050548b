// How nginx proxies to Gunicorn, read from the parsed model: block levels, proxy_set_header inheritance, per-directive
// inheritance, pass targets, upstream blocks, Gunicorn addresses and worker kinds, and line-preserving edits.

import type { TextEdit } from '../../core/text';
import type { NginxContext } from './catalogTypes';
import type { NginxDirective, NginxModel, NginxToken, Span } from './parse';
import type { NginxWorkspaceFacts } from './rules/types';

/** Contexts where proxy_pass and its companions take effect. */
export const PROXY_CONTEXTS: ReadonlySet<NginxContext> = new Set(['location', 'if', 'limit_except']);

/** One block level: the directives written directly in it. `owner` is null for the file's top level. */
export interface Level {
  owner: NginxDirective | null;
  directives: readonly NginxDirective[];
}

/** The levels a directive sees, from its own block up to the file's top level. */
export function levelsOf(model: NginxModel, directive: NginxDirective): Level[] {
  const levels: Level[] = [];
  let owner = directive.parent;
  for (;;) {
    if (owner) {
      levels.push({ owner, directives: owner.block?.children ?? [] });
      owner = owner.parent;
    } else {
      levels.push({ owner: null, directives: model.directives });
      return levels;
    }
  }
}

/** True when what lies above the file's top level is plain nginx defaults (nginx.conf, or a site file in http). */
function topIsKnown(model: NginxModel): boolean {
  return model.rootContext === 'main' || model.rootContext === 'http';
}

/** `include proxy_params;` (Debian's file: Host, X-Real-IP, X-Forwarded-For, X-Forwarded-Proto). */
export function isProxyParamsInclude(directive: NginxDirective): boolean {
  const target = directive.args[0]?.value ?? '';
  return directive.name === 'include' && /(?:^|\/)proxy_params$/.test(target);
}

/** The headers Debian's proxy_params sets. */
export const PROXY_PARAMS_HEADERS: readonly (readonly [string, string])[] = [
  ['Host', '$host'],
  ['X-Real-IP', '$remote_addr'],
  ['X-Forwarded-For', '$proxy_add_x_forwarded_for'],
  ['X-Forwarded-Proto', '$scheme'],
];

function unknownIncludes(level: Level): NginxDirective[] {
  return level.directives.filter((d) => d.name === 'include' && !isProxyParamsInclude(d));
}

export interface ProxyHeader {
  /** As written. */
  name: string;
  value: string;
  /** The proxy_set_header line, or the `include proxy_params;` that sets it. */
  directive: NginxDirective;
}

/** The proxy_set_header list in effect at a directive's level. */
export type HeaderSet =
  | { status: 'unknown' }
  | {
      status: 'known';
      /** By lower-case name; the last one written wins for lookups. */
      headers: Map<string, ProxyHeader>;
      /** The level that defines the list, or null when no level does (nginx's defaults). */
      source: Level | null;
      /** True when `source` is the directive's own level. */
      own: boolean;
      /** The proxy_set_header / include lines of `source`, in order. */
      lines: NginxDirective[];
    };

function setsHeaders(level: Level): NginxDirective[] {
  return level.directives.filter(
    (d) => (d.name === 'proxy_set_header' && d.args.length > 0) || isProxyParamsInclude(d),
  );
}

/**
 * The headers nginx sends upstream for a directive: proxy_set_header is inherited as a whole list, and only by a level
 * that sets none itself. Any other `include` on the way might set some, so the answer is then unknown.
 */
export function effectiveHeaders(model: NginxModel, directive: NginxDirective): HeaderSet {
  return headersFrom(model, levelsOf(model, directive));
}

function headersFrom(model: NginxModel, levels: readonly Level[]): HeaderSet {
  for (const [index, level] of levels.entries()) {
    if (level.owner && !level.owner.block?.context) return { status: 'unknown' };
    const lines = setsHeaders(level);
    if (unknownIncludes(level).length) return { status: 'unknown' };
    if (!lines.length) continue;
    const headers = new Map<string, ProxyHeader>();
    for (const line of lines) {
      if (line.name === 'include') {
        for (const [name, value] of PROXY_PARAMS_HEADERS) {
          headers.set(name.toLowerCase(), { name, value, directive: line });
        }
      } else {
        const name = line.args[0]!.value;
        headers.set(name.toLowerCase(), { name, value: line.args[1]?.value ?? '', directive: line });
      }
    }
    return { status: 'known', headers, source: level, own: index === 0, lines };
  }
  if (!topIsKnown(model)) return { status: 'unknown' };
  return { status: 'known', headers: new Map(), source: null, own: false, lines: [] };
}

/**
 * The list the levels above a directive's own level would give it: what a level with its own proxy_set_header no
 * longer inherits. Undefined when nothing above sets any, or when that is unknown.
 */
export function shadowedHeaders(
  model: NginxModel,
  directive: NginxDirective,
): Extract<HeaderSet, { status: 'known' }> | undefined {
  const set = headersFrom(model, levelsOf(model, directive).slice(1));
  return set.status === 'known' && set.source ? set : undefined;
}

/** A simple directive's value in effect (the nearest level that sets it wins), `null` for nginx's default. */
export type Effective = { status: 'unknown' } | { status: 'known'; directive: NginxDirective | null };

export function effectiveDirective(model: NginxModel, directive: NginxDirective, name: string): Effective {
  for (const level of levelsOf(model, directive)) {
    if (level.owner && !level.owner.block?.context) return { status: 'unknown' };
    const found = level.directives.filter((d) => d.name === name && d.args.length > 0);
    if (found.length) return { status: 'known', directive: found[found.length - 1]! };
    if (unknownIncludes(level).length) return { status: 'unknown' };
  }
  return topIsKnown(model) ? { status: 'known', directive: null } : { status: 'unknown' };
}

/** The location block a directive is in (through `if` and `limit_except`), if any. */
export function enclosingLocation(directive: NginxDirective): NginxDirective | undefined {
  for (let parent = directive.parent; parent; parent = parent.parent) {
    if (parent.name === 'location') return parent;
  }
  return undefined;
}

/** The path or pattern of a location (its last argument), '' when missing. */
export function locationPath(location: NginxDirective | undefined): string {
  const args = location?.args ?? [];
  return args.length ? args[args.length - 1]!.value : '';
}

/** Every directive `name` whose context is one of `contexts`. */
export function directivesIn(
  model: NginxModel,
  name: string,
  contexts: ReadonlySet<NginxContext>,
): NginxDirective[] {
  return model.all.filter((d) => d.name === name && d.context !== null && contexts.has(d.context));
}

// ---------------------------------------------------------------------------------------------------------------
// Pass targets and addresses

/** What a `*_pass` argument points at. */
export interface PassTarget {
  /** `http`, `https`, `uwsgi`, `grpc`…, or null without one. */
  scheme: string | null;
  /** `unix:/path`, `host:port`, `[::1]:8000` or `name`, as written. */
  address: string;
  /** The host without port (for unix sockets, `unix`). */
  host: string;
  port: string | null;
  /** For `unix:` targets, the socket path. */
  socket: string | null;
  /** Whatever follows the address (`/api/`, or `:/uri` for sockets). */
  rest: string;
  /** Offset of the address in the document. */
  addressFrom: number;
  /** True when the argument holds a variable: nginx resolves it per request. */
  variable: boolean;
}

/** Offset in the document of character `index` of a token's value (quotes skipped; escapes are rare here). */
export function valueOffset(token: NginxToken, index: number): number {
  return token.span.from + (token.quote ? 1 : 0) + index;
}

/** The span of a token's value, without its quotes. */
export function valueSpan(token: NginxToken): Span {
  const from = token.span.from + (token.quote ? 1 : 0);
  const to = Math.max(from, token.span.to - (token.quote && token.span.to - token.span.from > 1 ? 1 : 0));
  return { from, to };
}

export function parsePassTarget(token: NginxToken): PassTarget {
  const value = token.value;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  const start = scheme ? scheme[0].length : 0;
  const body = value.slice(start);
  let address: string;
  let host: string;
  let port: string | null = null;
  let socket: string | null = null;
  let rest: string;
  if (/^unix:/i.test(body)) {
    const colon = body.indexOf(':', 5);
    // nginx ends the socket path at the next ':' only where a URI may follow (proxy_pass); elsewhere it is all path.
    const end = colon >= 0 && scheme ? colon : body.length;
    address = body.slice(0, end);
    socket = address.slice(5);
    host = 'unix';
    rest = body.slice(end);
  } else {
    const slash = body.indexOf('/');
    address = slash >= 0 ? body.slice(0, slash) : body;
    rest = slash >= 0 ? body.slice(slash) : '';
    const bracket = /^(\[[^\]]*\])(?::(.*))?$/.exec(address);
    if (bracket) {
      host = bracket[1]!;
      port = bracket[2] ?? null;
    } else {
      const colon = address.lastIndexOf(':');
      host = colon >= 0 ? address.slice(0, colon) : address;
      port = colon >= 0 ? address.slice(colon + 1) : null;
    }
  }
  return {
    scheme: scheme ? scheme[1]!.toLowerCase() : null,
    address,
    host,
    port,
    socket,
    rest,
    addressFrom: valueOffset(token, start),
    variable: value.includes('$'),
  };
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** True when a `*_pass` host may name an `upstream` block: no port, no dot, no IP, not localhost, no variable. */
export function couldBeUpstreamName(target: PassTarget): boolean {
  if (target.variable || target.socket !== null || target.port !== null) return false;
  const host = target.host;
  if (!host || host.includes('.') || host.startsWith('[') || host.includes(':')) return false;
  if (IPV4.test(host) || host.toLowerCase() === 'localhost') return false;
  return /^[A-Za-z0-9_-]+$/.test(host);
}

export interface UpstreamBlock {
  name: string;
  directive: NginxDirective;
  servers: NginxDirective[];
  keepalive: NginxDirective | undefined;
}

/** The http `upstream` blocks of this file, by lower-case name. */
export function upstreamBlocks(model: NginxModel): Map<string, UpstreamBlock> {
  const blocks = new Map<string, UpstreamBlock>();
  for (const directive of model.all) {
    if (directive.name !== 'upstream' || directive.context !== 'http' || !directive.block) continue;
    const name = directive.args[0]?.value;
    if (!name) continue;
    const children = directive.block.children;
    blocks.set(name.toLowerCase(), {
      name,
      directive,
      servers: children.filter((d) => d.name === 'server' && d.args.length > 0),
      keepalive: children.find((d) => d.name === 'keepalive'),
    });
  }
  return blocks;
}

/** Upstream names known here or elsewhere in the workspace, by lower-case name (nginx compares them so). */
export function knownUpstreamNames(model: NginxModel, workspace: NginxWorkspaceFacts): Map<string, string> {
  const names = new Map<string, string>();
  for (const name of workspace.upstreams ?? []) names.set(name.toLowerCase(), name);
  for (const block of upstreamBlocks(model).values()) names.set(block.name.toLowerCase(), block.name);
  return names;
}

/** An address as a comparable key: `unix:/path` with one leading slash, `host:port` with localhost as 127.0.0.1. */
export function addressKey(address: string): string {
  const trimmed = address.trim();
  const unix = /^unix:\/*(.*)$/i.exec(trimmed);
  if (unix) return `unix:/${unix[1]!}`;
  return trimmed.toLowerCase().replace(/^localhost(?=:|$)/, '127.0.0.1');
}

const LOOPBACK = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)(?::\d+)?$/i;

/** True for unix sockets and loopback addresses: a backend on the same machine. */
export function isLocalAddress(address: string): boolean {
  return /^unix:/i.test(address) || LOOPBACK.test(address);
}

/** True when `address` (as nginx writes it) is one Gunicorn listens on according to the workspace. */
export function isGunicornAddress(address: string, workspace: NginxWorkspaceFacts): boolean {
  const known = workspace.gunicornAddresses;
  if (!known?.size) return false;
  const key = addressKey(address);
  const port = /^(?:[^:]+|\[[^\]]*\]):(\d+)$/.exec(key)?.[1];
  for (const candidate of known) {
    const other = addressKey(candidate);
    if (other === key) return true;
    // Gunicorn on every interface also answers on the loopback address nginx uses.
    if (port && LOOPBACK.test(key) && (other === `0.0.0.0:${port}` || other === `[::]:${port}`)) return true;
  }
  return false;
}

/**
 * True when a pass target evidently reaches Gunicorn: its address (or one of its upstream's servers) is a known
 * Gunicorn address, or the socket path / upstream name says "gunicorn".
 */
export function aimsAtGunicorn(
  target: PassTarget,
  upstreams: ReadonlyMap<string, UpstreamBlock>,
  workspace: NginxWorkspaceFacts,
): boolean {
  if (target.variable) return false;
  if (/gunicorn/i.test(target.address)) return true;
  if (isGunicornAddress(target.address, workspace)) return true;
  const block = couldBeUpstreamName(target) ? upstreams.get(target.host.toLowerCase()) : undefined;
  return (
    !!block &&
    block.servers.some((server) => {
      const address = server.args[0]!.value;
      return /gunicorn/i.test(address) || isGunicornAddress(address, workspace);
    })
  );
}

/**
 * True unless a proxy target is evidently some other service: a host name with dots (an external API, a bucket) that
 * is not a known Gunicorn address. Unix sockets, IP addresses, localhost and upstream or container names may be
 * Gunicorn; a variable is unknown, so no.
 */
export function mayBeGunicorn(
  target: PassTarget,
  workspace: NginxWorkspaceFacts,
  upstreams?: ReadonlyMap<string, UpstreamBlock>,
): boolean {
  if (target.variable || !target.address) return false;
  // Every Gunicorn of the workspace and where it listens is known: a socket or IP address none of them listens on
  // (directly, or as every server of the upstream named) is another service (a Node app, a relay, RabbitMQ).
  if (workspace.gunicornAddressesComplete && upstreams && !aimsAtGunicorn(target, upstreams, workspace)) {
    const block = couldBeUpstreamName(target) ? upstreams.get(target.host.toLowerCase()) : undefined;
    const concrete = (address: string) => /^unix:/i.test(address) || IP_ADDRESS.test(address);
    if (block ? block.servers.every((server) => concrete(server.args[0]!.value)) : concrete(target.address)) {
      return false;
    }
  }
  if (target.socket !== null) return true;
  const host = target.host.toLowerCase();
  if (!host.includes('.') || IPV4.test(host) || host.startsWith('[')) return true;
  return isGunicornAddress(target.address, workspace);
}

/** An IPv4, IPv6 or localhost address with its port, as an upstream server or pass target writes it. */
const IP_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]|localhost)(?::\d+)?$/i;

export type WorkerKind = 'sync' | 'threads' | 'async' | 'unknown';

/** How a Gunicorn worker class handles connections: one at a time, a thread pool, or an event loop. */
export function workerKind(workerClass: string | undefined): WorkerKind {
  const value = (workerClass ?? '').trim().toLowerCase();
  if (!value) return 'unknown';
  const short = value.replace(/^egg:gunicorn#/, '');
  if (short === 'sync' || short === 'gunicorn.workers.sync.syncworker') return 'sync';
  if (short === 'gthread' || short === 'gunicorn.workers.gthread.threadworker') return 'threads';
  if (/gevent|eventlet|tornado|uvicorn|asgi|aiohttp|geventwebsocket/.test(short)) return 'async';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------------------------
// Edits

/** The whitespace before a line's first character. */
function lineIndent(model: NginxModel, line: number): string {
  return /^[ \t]*/.exec(model.lines.lineText(line))?.[0] ?? '';
}

/**
 * Inserts directives before `before`: as lines with its indentation when it starts its line, else on the same line
 * (for one-line blocks such as `location / { proxy_pass …; }`).
 */
export function insertBefore(model: NginxModel, before: NginxDirective, texts: readonly string[]): TextEdit {
  const position = model.lines.positionAt(before.span.from);
  const lineStart = model.lines.lineStart(position.line);
  const leading = model.text.slice(lineStart, before.span.from);
  if (/^[ \t]*$/.test(leading)) {
    const indent = lineIndent(model, position.line);
    const at = { line: position.line, character: 0 };
    return {
      range: { start: at, end: at },
      newText: texts.map((text) => `${indent}${text}${model.lines.eol}`).join(''),
    };
  }
  return { range: { start: position, end: position }, newText: `${texts.join(' ')} ` };
}

/** Replaces a token's value, keeping its quotes (and adding some when the new value needs them). */
export function replaceValue(model: NginxModel, token: NginxToken, text: string): TextEdit {
  if (!token.quote && (text === '' || /[\s;{}"'#]/.test(text))) {
    return {
      range: model.lines.range(token.span.from, token.span.to),
      newText: `"${text.replace(/["\\]/g, '\\$&')}"`,
    };
  }
  const span = valueSpan(token);
  return { range: model.lines.range(span.from, span.to), newText: text };
}

/** The text of a directive as written (for copying inherited lines). */
export function directiveText(model: NginxModel, directive: NginxDirective): string {
  return model.text.slice(directive.span.from, directive.span.to).replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * The proxy_set_header lines to write at a directive's level so that adding `added` keeps the headers it inherits
 * today: once a level sets any proxy_set_header, the inherited ones are gone, so they are copied first (except
 * those named in `replacing`).
 */
export function headerLines(
  model: NginxModel,
  set: HeaderSet,
  added: readonly string[],
  replacing: ReadonlySet<string> = new Set(),
): { lines: string[]; copied: number } {
  if (set.status !== 'known' || set.own || !set.source) return { lines: [...added], copied: 0 };
  const copies: string[] = [];
  for (const line of set.lines) {
    if (line.name === 'proxy_set_header' && replacing.has(line.args[0]!.value.toLowerCase())) continue;
    copies.push(directiveText(model, line));
  }
  return { lines: [...copies, ...added], copied: copies.length };
}

/** Where a level is, for messages: `server`, `http`, `location /api/`, `the file's top level`. */
export function describeLevel(level: Level | null): string {
  const owner = level?.owner;
  if (!owner) return "the file's top level";
  if (owner.name === 'location') return `location ${owner.args.map((a) => a.value).join(' ')}`.trim();
  return owner.name;
}

// Listening and connecting addresses as Gunicorn, systemd and nginx write them, reduced to one comparable shape.

import { hasPlaceholder } from '../core/templates';

/** Where a server listens or a client connects: a unix socket path, a TCP host and port, or something we do not compare. */
export type Endpoint =
  | { kind: 'unix'; path: string }
  /** `host` is lower-case without brackets; `*` means every interface (0.0.0.0, ::, a bare port). */
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'other'; text: string };

/**
 * True when a text holds a run-time expansion ($VAR, ${…}, $(…), backticks, systemd %-specifiers) or a placeholder
 * a tool fills in later (`__PORT__`, `<path_to_app>`, a template's `{{ port }}`): its address matches nothing and
 * mismatches nothing.
 */
export function isDynamic(text: string): boolean {
  return /[$`]|%[a-zA-Z%]/.test(text) || hasPlaceholder(text);
}

/** Collapses repeated slashes and a trailing slash; `/var/run/…` is `/run/…` on every current distribution. */
export function normalizePath(path: string): string {
  let result = path.replace(/\/{2,}/g, '/');
  if (result.length > 1) result = result.replace(/\/$/, '');
  return result.replace(/^\/var\/run(?=\/|$)/, '/run');
}

function port(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined || text === '') return fallback;
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined;
}

function tcp(host: string, portNumber: number | undefined): Endpoint | undefined {
  if (portNumber === undefined) return undefined;
  const lower = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const wildcard = lower === '' || lower === '0.0.0.0' || lower === '::' || lower === '*';
  return { kind: 'tcp', host: wildcard ? '*' : lower, port: portNumber };
}

/** Splits `host:port`, `[v6]:port` or `host` (port undefined). */
function splitHostPort(text: string): { host: string; port: string | undefined } {
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracket) return { host: bracket[1]!, port: bracket[2] };
  const colon = text.indexOf(':');
  // More than one colon without brackets is a bare IPv6 address, not host:port.
  if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
    return { host: text.slice(0, colon), port: text.slice(colon + 1) };
  }
  return { host: text, port: undefined };
}

/**
 * One entry of Gunicorn's `bind`, read like `gunicorn.util.parse_address`: `unix:PATH` and `unix://PATH` (so
 * `unix://run/x.sock` is the relative path `run/x.sock`), `fd://N`, `tcp://`, `[v6]:port`, `host:port`, `host` (port
 * 8000). Relative socket paths are resolved against `cwd` when it is known. Undefined when unreadable or dynamic.
 */
export function gunicornBindEndpoint(text: string, cwd?: string): Endpoint | undefined {
  const value = text.trim();
  if (isDynamic(value)) return undefined;
  const unix = /^unix:(?:\/\/)?(.*)$/.exec(value);
  if (unix) {
    const path = unix[1]!;
    if (!path) return undefined;
    if (path.startsWith('/')) return { kind: 'unix', path: normalizePath(path) };
    return cwd?.startsWith('/') ? { kind: 'unix', path: normalizePath(`${cwd}/${path}`) } : undefined;
  }
  if (/^fd:\/\//.test(value)) return { kind: 'other', text: value };
  const { host, port: portText } = splitHostPort(value.replace(/^tcp:\/\//, ''));
  return tcp(host, port(portText, 8000));
}

/** A systemd `ListenStream=`: `/path` (unix), `@name` (abstract), `PORT`, `host:port`, `[v6]:port`. */
export function listenStreamEndpoint(text: string): Endpoint | undefined {
  const value = text.trim();
  if (!value || isDynamic(value)) return undefined;
  if (value.startsWith('/')) return { kind: 'unix', path: normalizePath(value) };
  if (value.startsWith('@') || /^vsock:/i.test(value)) return { kind: 'other', text: value };
  if (/^\d+$/.test(value)) return tcp('*', port(value, 0));
  const { host, port: portText } = splitHostPort(value);
  // A ListenStream= address needs its port; `%` specifiers were excluded above.
  return portText === undefined ? undefined : tcp(host, port(portText, 0));
}

/** An nginx server address: `unix:/path`, `host:port`, `[v6]:port`, `host` (`defaultPort`). */
export function nginxEndpoint(address: string, defaultPort: number): Endpoint | undefined {
  const value = address.trim();
  if (!value || value.includes('$') || hasPlaceholder(value)) return undefined;
  const unix = /^unix:(.*)$/i.exec(value);
  if (unix) return unix[1]!.startsWith('/') ? { kind: 'unix', path: normalizePath(unix[1]!) } : undefined;
  const { host, port: portText } = splitHostPort(value);
  return tcp(host, port(portText, defaultPort));
}

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_V4.test(host) || host === '::1' || host === 'localhost';
}

/** True for unix sockets and loopback TCP: nginx and Gunicorn on the same machine. */
export function isLocalEndpoint(endpoint: Endpoint): boolean {
  return endpoint.kind === 'unix' || (endpoint.kind === 'tcp' && isLoopbackHost(endpoint.host));
}

function sameLoopback(a: string, b: string): boolean {
  // localhost resolves to both 127.0.0.1 and ::1, and nginx tries each address it gets.
  if (a === b) return true;
  if (a === 'localhost') return b === '127.0.0.1' || b === '::1';
  if (b === 'localhost') return a === '127.0.0.1' || a === '::1';
  return false;
}

/** True when a client connecting to `target` reaches a server listening on `listen`. */
export function endpointsMatch(target: Endpoint, listen: Endpoint): boolean {
  if (target.kind === 'unix' && listen.kind === 'unix') return target.path === listen.path;
  if (target.kind === 'tcp' && listen.kind === 'tcp') {
    if (target.port !== listen.port) return false;
    // Every interface includes loopback and whatever name the client resolved to this machine.
    return listen.host === '*' || sameLoopback(target.host, listen.host);
  }
  return false;
}

export function endpointKey(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'unix':
      return `unix:${endpoint.path}`;
    case 'tcp':
      return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
    default:
      return endpoint.text;
  }
}

/** How to write an endpoint in Gunicorn's bind or nginx's upstream `server`: `unix:/run/app.sock`, `127.0.0.1:8000`. */
export function formatEndpoint(endpoint: Endpoint, forNginx = false): string {
  if (endpoint.kind === 'tcp' && endpoint.host === '*') {
    return forNginx ? `127.0.0.1:${endpoint.port}` : `0.0.0.0:${endpoint.port}`;
  }
  return endpointKey(endpoint);
}

/** How to write an endpoint in a systemd `ListenStream=`. */
export function formatListenStream(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return endpoint.path;
  if (endpoint.kind === 'tcp' && endpoint.host === '*') return String(endpoint.port);
  return endpointKey(endpoint);
}

// purpose: the shape of the nginx directive and variable catalogue (server/data/nginx/directives.json).

/**
 * A configuration context: where a directive may appear. `if` is the `if` block inside a `location` (and, for the
 * rewrite module, inside a `server`); `stream-server` / `stream-upstream` are `server` and `upstream` inside `stream`;
 * `mail-server` is `server` inside `mail`.
 */
export type NginxContext =
  | 'main'
  | 'events'
  | 'http'
  | 'server'
  | 'location'
  | 'upstream'
  | 'if'
  | 'limit_except'
  | 'map'
  | 'geo'
  | 'types'
  | 'split_clients'
  | 'stream'
  | 'stream-server'
  | 'stream-upstream'
  | 'mail'
  | 'mail-server';

/**
 * Argument count like nginx's NGX_CONF_* flags: exact counts, ranges, "flag" (on|off), "1+" / "2+"; for block
 * directives it counts the arguments before `{`. `max: null` means no upper bound.
 */
export interface NginxArgs {
  min: number;
  max: number | null;
  /** NGX_CONF_FLAG: exactly one argument, `on` or `off` */
  flag?: boolean;
}

export interface NginxDirectiveInfo {
  name: string;
  /** where nginx accepts it */
  contexts: NginxContext[];
  /** number of arguments nginx accepts */
  args: NginxArgs;
  /** true for http, server, location, upstream, if, map, …; the context it opens is in `opens` */
  block?: boolean;
  /** the context inside the block */
  opens?: NginxContext;
  /** the default as nginx documents it, e.g. "60s", "off" */
  default?: string;
  /** for enumerations beyond on/off where useful */
  values?: string[];
  /** e.g. "ngx_http_proxy_module" (the module whose documentation page describes it) */
  module: string;
  /** true when nginx rejects a second occurrence in the same context ("is duplicate") */
  unique?: boolean;
  /** nginx version that introduced it, only when > 1.0 */
  since?: string;
  /** one full example directive accepted by nginx 1.22, e.g. "proxy_read_timeout 60s;" */
  example: string;
  /** 1-2 sentences, markdown, in our own words */
  doc: string;
  /** e.g. https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass */
  docsUrl: string;
}

export interface NginxVariableInfo {
  /** without `$`; prefixes like "http_" end with "_" and set `prefix: true` */
  name: string;
  prefix?: boolean;
  module: string;
  doc: string;
}

export interface NginxCatalogData {
  source: string;
  nginxVersion: string;
  directives: NginxDirectiveInfo[];
  variables: NginxVariableInfo[];
}

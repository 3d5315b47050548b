// Words about nginx directives and variables shared by hover and completion: signatures, markdown, context names.

import { formatVersion } from '../../core/version';
import { nginxCatalog, type NginxCatalog } from './catalog';
import type { NginxContext, NginxDirectiveInfo, NginxVariableInfo } from './catalogTypes';
import type { NginxTarget } from './target';

const code = (text: string): string => `\`${text}\``;

/** How a context is called in prose. */
export function contextLabel(context: NginxContext): string {
  switch (context) {
    case 'main':
      return 'main (top level)';
    case 'stream-server':
      return 'server (in stream)';
    case 'stream-upstream':
      return 'upstream (in stream)';
    case 'mail-server':
      return 'server (in mail)';
    default:
      return context;
  }
}

/** Signatures the example alone cannot tell, keyed by `module:name` or `name`. */
const SIGNATURES: Record<string, string> = {
  location: 'location [ = | ~ | ~* | ^~ ] uri { ... }',
  'ngx_http_core_module:listen':
    'listen address[:port] | port | unix:path [default_server] [ssl] [http2] ...;',
  'ngx_stream_core_module:listen': 'listen address:port | port | unix:path [udp] [ssl] ...;',
  'ngx_http_upstream_module:server': 'server address [weight=n] [max_fails=n] [fail_timeout=time] ...;',
  'ngx_stream_upstream_module:server': 'server address [weight=n] [max_fails=n] [fail_timeout=time] ...;',
  'ngx_http_proxy_module:proxy_pass': 'proxy_pass URL;',
  'ngx_stream_proxy_module:proxy_pass': 'proxy_pass address;',
  uwsgi_pass: 'uwsgi_pass [uwsgi:// | suwsgi://]address;',
  fastcgi_pass: 'fastcgi_pass address;',
  grpc_pass: 'grpc_pass address;',
  scgi_pass: 'scgi_pass address;',
  if: 'if (condition) { ... }',
  'ngx_http_rewrite_module:return': 'return code [text] | code URL | URL;',
  rewrite: 'rewrite regex replacement [last | break | redirect | permanent];',
  set: 'set $variable value;',
  'ngx_http_map_module:map': 'map string $variable { ... }',
  'ngx_stream_map_module:map': 'map string $variable { ... }',
  try_files: 'try_files file ... uri | =code;',
  error_page: 'error_page code ... [=[response]] uri;',
  proxy_set_header: 'proxy_set_header field value;',
  add_header: 'add_header name value [always];',
  include: 'include file | mask;',
  upstream: 'upstream name { ... }',
  server_name: 'server_name name ...;',
  user: 'user user [group];',
  allow: 'allow address | CIDR | unix: | all;',
  deny: 'deny address | CIDR | unix: | all;',
  geo: 'geo [$address] $variable { ... }',
  split_clients: 'split_clients string $variable { ... }',
  limit_conn: 'limit_conn zone number;',
  limit_req: 'limit_req zone=name [burst=number] [nodelay | delay=number];',
};

/** The words of an example directive up to its `;` or `{`, quotes kept. */
function exampleWords(example: string): string[] {
  const head = example.split(/\s\{|;\s*$/)[0] ?? '';
  return head.match(/"[^"]*"|'[^']*'|[^\s;{]+/g) ?? [];
}

const TIME_NAME = /time|timeout|valid|expires|delay|inactive|age|interval|lifetime|duration/;

/** A short word for what an example argument stands for. */
function shapeOf(word: string, info: NginxDirectiveInfo): string {
  if (/^\$\{?\w+\}?$/.test(word)) return '$variable';
  if (/^https?:\/\//.test(word)) return 'URL';
  if (/^unix:/.test(word)) return 'unix:path';
  if (/^\d+(\.\d+){3}(:\d+)?(\/\d+)?$/.test(word) || /^\[[0-9a-fA-F:]+\]/.test(word)) {
    return word.includes('/') ? 'address/mask' : 'address';
  }
  if (/^-?\d+$/.test(word)) return 'number';
  if (/^\d+(ms|s|h|d|w|y)$/.test(word)) return 'time';
  if (/^\d+[kKgG]$/.test(word)) return 'size';
  if (/^\d+[mM]$/.test(word)) return TIME_NAME.test(info.name) ? 'time' : 'size';
  if (/^\//.test(word)) return 'path';
  if (/^\w+=/.test(word)) return `${word.slice(0, word.indexOf('='))}=...`;
  if (/^["']/.test(word)) return 'string';
  if (/_header$/.test(info.name) && info.args.max === 1) return 'field';
  return word;
}

const signatureMemo = new WeakMap<NginxDirectiveInfo, string>();

/** The directive's shape, e.g. `proxy_read_timeout time;` or `gzip on | off;`. */
export function signature(info: NginxDirectiveInfo): string {
  const memo = signatureMemo.get(info);
  if (memo !== undefined) return memo;
  const result = computeSignature(info);
  signatureMemo.set(info, result);
  return result;
}

function computeSignature(info: NginxDirectiveInfo): string {
  const known = SIGNATURES[`${info.module}:${info.name}`] ?? SIGNATURES[info.name];
  if (known) return known;
  const end = info.block ? ' { ... }' : ';';
  const { min, max } = info.args;
  if (info.args.flag) return `${info.name} on | off${end}`;
  if (info.values?.length && max === 1) {
    const values = info.values.length > 8 ? [...info.values.slice(0, 7), '...'] : info.values;
    return `${info.name} ${values.join(' | ')}${end}`;
  }
  const words = exampleWords(info.example ?? '');
  const args = words[0] === info.name ? words.slice(1) : [];
  const shapes: string[] = [];
  const count = Math.max(min, Math.min(args.length, max ?? args.length));
  let repeated = false;
  for (let i = 0; i < count; i++) {
    const word = args[i];
    let shape = word === undefined ? 'value' : shapeOf(word, info);
    if (info.values?.length && word !== undefined && info.values.includes(word)) {
      shape = info.values.length > 6 ? 'value' : info.values.join(' | ');
    }
    // `value [value] [value]` reads better as `value ...`.
    if (i >= min && i > 0 && shape === shapeOf(args[i - 1] ?? '', info) && shape === 'value') {
      repeated = true;
      continue;
    }
    if (i > 0 && info.values?.length && shapes[shapes.length - 1]?.replace(/[[\]]/g, '') === shape) {
      repeated = true;
      continue;
    }
    shapes.push(i >= min ? `[${shape}]` : shape);
  }
  if (max === null || repeated) shapes.push('...');
  else if (max > count && count > 0) shapes.push('[...]');
  return [info.name, ...shapes].join(' ') + end;
}

/**
 * The markdown that documents a directive. `context` is where it is written, when known: a warning says so when
 * nginx does not accept it there.
 */
export function directiveMarkdown(
  info: NginxDirectiveInfo,
  context: NginxContext | null,
  target?: NginxTarget,
): string {
  const catalog = nginxCatalog(target?.version);
  const lines = [`**${info.name}** — ${info.module}`, '', '```nginx', signature(info), '```', ''];
  if (context !== null && !catalog.directive(info.name, context)) {
    const homes = [...new Set(catalog.entries(info.name).flatMap((e) => e.contexts))];
    lines.push(
      `⚠ Not allowed in ${code(contextLabel(context))}: nginx accepts it in ${homes
        .map((c) => code(contextLabel(c)))
        .join(', ')}.`,
      '',
    );
  }
  lines.push(info.doc, '');
  lines.push(`- Default: ${info.default !== undefined ? code(info.default) : 'none'}`);
  lines.push(`- Context: ${info.contexts.map((c) => code(contextLabel(c))).join(', ')}`);
  if (info.block && info.opens) lines.push(`- Opens a ${code(contextLabel(info.opens))} block`);
  lines.push(...versionLines(info, catalog, target));
  if (info.example) lines.push(`- Example: ${code(info.example)}`);
  lines.push('', `[nginx documentation](${info.docsUrl})`);
  return lines.join('\n');
}

/** What the hover says about versions: when the name appeared or went away, and the version judged against, and why. */
function versionLines(info: NginxDirectiveInfo, catalog: NginxCatalog, target?: NginxTarget): string[] {
  const history = catalog.history(info.name);
  const lines: string[] = [];
  if (history?.since) lines.push(`- Since nginx ${history.since}`);
  if (history?.until) lines.push(`- Removed in nginx ${history.until}`);
  if (info.backported) lines.push(`- Also in ${info.backported}, as a backport`);
  if (!catalog.isKnown(info.name)) {
    lines.push(`- ⚠ Not in nginx ${formatVersion(catalog.version)}`);
  } else if (info.since || info.until) {
    const range = [info.since ? `from ${info.since}` : '', info.until ? `until ${info.until}` : ''];
    lines.push(`- These contexts and arguments hold ${range.filter(Boolean).join(' ')}`);
  }
  if (info.optional) {
    lines.push(`- Its module is optional: built in or loaded with \`load_module\` only in some builds`);
  }
  // The label says where the version came from (the setting, an image in the workspace, or assumed: the newest).
  if (target) lines.push(`- Checked against nginx ${target.label}`);
  return lines;
}

/**
 * The entry that applies to a directive written in `context` at the target version, else its first entry there, else
 * (a name of another release) its newest entry.
 */
export function entryFor(
  name: string,
  context: NginxContext | null,
  target?: NginxTarget,
): NginxDirectiveInfo | undefined {
  const catalog = nginxCatalog(target?.version);
  const here = (context ? catalog.directive(name, context) : undefined) ?? catalog.entries(name)[0];
  if (here) return here;
  const elsewhere = catalog.entriesInAnyRelease(name);
  return elsewhere[elsewhere.length - 1];
}

/** `user_agent` → `User-Agent`: the header a `$http_…` family member reads (nginx matches names in any case). */
export function headerName(suffix: string): string {
  return suffix
    .split('_')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join('-');
}

/** What a member of a prefixed variable family stands for, e.g. `$http_user_agent` → the `User-Agent` header. */
export function familyMember(family: NginxVariableInfo, name: string): string {
  const rest = name.slice(family.name.length);
  switch (family.name) {
    case 'http_':
      return `the request header ${code(headerName(rest))}`;
    case 'sent_http_':
      return `the response header ${code(headerName(rest))}`;
    case 'sent_trailer_':
      return `the response trailer ${code(headerName(rest))}`;
    case 'upstream_http_':
      return `the header ${code(headerName(rest))} of the upstream's response`;
    case 'upstream_trailer_':
      return `the trailer ${code(headerName(rest))} of the upstream's response`;
    case 'upstream_cookie_':
      return `the cookie ${code(rest)} the upstream sets`;
    case 'arg_':
      return `the query string argument ${code(rest)}`;
    case 'cookie_':
      return `the request cookie ${code(rest)}`;
    default:
      return `${code(rest)} of the ${code(`$${family.name}`)} family`;
  }
}

/** The markdown for a built-in variable (or a family member). */
export function variableMarkdown(name: string, info: NginxVariableInfo): string {
  if (info.prefix) {
    return [
      `**$${name}** — ${familyMember(info, name)}`,
      '',
      info.doc,
      '',
      `One of the ${code(`$${info.name}*`)} variables · ${info.module}`,
    ].join('\n');
  }
  return [`**$${name}** — ${info.module}`, '', info.doc].join('\n');
}

/** The few keywords nginx reads inside value blocks, by block, with what they do. */
export const VALUE_KEYWORDS: Partial<Record<NginxContext, Record<string, { insert: string; doc: string }>>> =
  {
    map: {
      default: {
        insert: 'default ${1:value};',
        doc: 'The value the variable takes when no key matches (an empty string when there is no `default`).',
      },
      hostnames: {
        insert: 'hostnames;',
        doc: 'Keys may be host names with a leading or trailing wildcard, such as `*.example.com` or `mail.*`.',
      },
      volatile: {
        insert: 'volatile;',
        doc: 'The variable is not cached: it is looked up again each time it is used within a request.',
      },
    },
    geo: {
      default: {
        insert: 'default ${1:value};',
        doc: 'The value for client addresses that match no network in the block.',
      },
      delete: {
        insert: 'delete ${1:network};',
        doc: 'Removes the given network from the ones listed before it.',
      },
      ranges: {
        insert: 'ranges;',
        doc: 'Keys are address ranges written `from-to` instead of networks; must come first in the block.',
      },
      proxy: {
        insert: 'proxy ${1:address};',
        doc: 'A trusted proxy: for requests from it, the client address is taken from `X-Forwarded-For`.',
      },
      proxy_recursive: {
        insert: 'proxy_recursive;',
        doc: 'With `proxy`, take the last address in `X-Forwarded-For` that is not a trusted proxy.',
      },
    },
  };

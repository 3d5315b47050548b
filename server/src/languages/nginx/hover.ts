// Hover for nginx configurations: directive names, on/off and enumerated values, variables, upstream targets.

import type { HoverResult } from '../../core/features';
import { nginxCatalog } from './catalog';
import type { NginxContext, NginxDirectiveInfo } from './catalogTypes';
import { contextLabel, directiveMarkdown, entryFor, VALUE_KEYWORDS, variableMarkdown } from './describe';
import type { NginxFeatureContext } from './features';
import { evidentlyLoaded, loadModuleLine, moduleDirectiveMarkdown, nginxModuleCatalog } from './modules';
import type { NginxDirective, NginxModel, NginxToken, Span } from './parse';
import {
  familyOf,
  fileSymbols,
  inComment,
  isBinary,
  isValueContext,
  variableReferences,
  type UpstreamDefinition,
} from './symbols';

const code = (text: string): string => `\`${text}\``;

/** Directives whose argument names where requests go: an upstream, an address or a socket. */
const PASS_DIRECTIVES = new Set([
  'proxy_pass',
  'uwsgi_pass',
  'fastcgi_pass',
  'scgi_pass',
  'grpc_pass',
  'memcached_pass',
]);

const LOCATION_MODIFIERS: Record<string, string> = {
  '=': 'exact match: the location is used only for this very URI, and the search stops at once',
  '~': 'case-sensitive regular expression match',
  '~*': 'case-insensitive regular expression match',
  '^~': 'prefix match that, when it is the longest matching prefix, skips the regular expression locations',
};

export function nginxHover(model: NginxModel, offset: number, ctx: NginxFeatureContext): HoverResult | null {
  if (!Number.isFinite(offset) || offset < 0 || offset > model.text.length) return null;
  if (isBinary(model) || inComment(model, offset)) return null;
  const found = tokenAt(model.directives, offset);
  if (!found) return null;
  const { directive, token } = found;
  const range = (span: Span) => model.lines.range(span.from, span.to);
  if (token === directive.nameToken) {
    const markdown = nameMarkdown(directive, ctx) ?? moduleNameMarkdown(directive, ctx);
    return markdown ? { markdown, range: range(token.span) } : null;
  }
  const reference = variableReferences(model, token).find(
    (r) => r.span.from <= offset && offset <= r.span.to,
  );
  if (reference) return { markdown: variableHover(model, reference.name), range: range(reference.span) };
  const markdown = argumentMarkdown(model, directive, token, ctx);
  return markdown ? { markdown, range: range(token.span) } : null;
}

/** The directive word (name or argument) under `offset`, searching nested blocks. */
function tokenAt(
  list: readonly NginxDirective[],
  offset: number,
): { directive: NginxDirective; token: NginxToken } | undefined {
  // Iterative with a stack of (list, position) so thousands of nested blocks cannot overflow the call stack (hover
  // at the end of `http {` × 5000 threw); the search order is the recursive one's.
  const stack: { list: readonly NginxDirective[]; index: number }[] = [{ list, index: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    const directive = frame.list[frame.index++];
    if (!directive || directive.span.from > offset) {
      stack.pop();
      continue;
    }
    if (offset > directive.span.to) continue;
    for (const token of [directive.nameToken, ...directive.args]) {
      if (token.span.from <= offset && offset <= token.span.to) return { directive, token };
    }
    const block = directive.block;
    if (block && offset >= block.open.to) stack.push({ list: block.children, index: 0 });
  }
  return undefined;
}

function nameMarkdown(directive: NginxDirective, ctx: NginxFeatureContext): string | undefined {
  const context = directive.context;
  if (isValueContext(context)) {
    const keyword = VALUE_KEYWORDS[context!]?.[directive.name];
    if (keyword) return `**${directive.name}** — keyword of a ${code(context!)} block\n\n${keyword.doc}`;
    const info = nginxCatalog(ctx.target?.version).directive(directive.name, context!);
    return info ? directiveMarkdown(info, context, ctx.target) : undefined;
  }
  const info = entryFor(directive.name, context, ctx.target);
  return info ? directiveMarkdown(info, context, ctx.target) : undefined;
}

/** A third-party module's directive: which module, which package, and whether the workspace loads it. */
function moduleNameMarkdown(directive: NginxDirective, ctx: NginxFeatureContext): string | undefined {
  const entries = nginxModuleCatalog().entriesFor(directive.name, directive.context);
  const first = entries[0];
  if (!first) return undefined;
  const facts = ctx.workspace.modules;
  const status = evidentlyLoaded(first.module, ctx.workspace)
    ? 'The workspace loads this module.'
    : facts
      ? `Not loaded by ${facts.mainConfig.split('/').pop()} in this workspace${facts.unresolvedIncludes ? ' (unless a file it includes from outside the workspace does)' : ''}: it needs \`${loadModuleLine(first.module)}\`.`
      : undefined;
  return status ? `${moduleDirectiveMarkdown(entries)}\n\n${status}` : moduleDirectiveMarkdown(entries);
}

function variableHover(model: NginxModel, name: string): string {
  if (/^\d+$/.test(name)) {
    return `**$${name}** — capture group ${name} of the last regular expression that matched (in \`location\`, \`if\`, \`rewrite\`, \`server_name\`, …).`;
  }
  const defined = fileSymbols(model).variables.get(name);
  if (defined) {
    const line = model.lines.positionAt(defined.directive.span.from).line + 1;
    const builtin = nginxCatalog().variable(name);
    const note = builtin ? `\n\nThis replaces the built-in \`$${name}\`.` : '';
    return `**$${name}** — defined in this file by \`${defined.directive.name}\` on line ${line}.${note}`;
  }
  const info = nginxCatalog().variable(name);
  if (info) return variableMarkdown(name, info);
  return `**$${name}** — not a built-in nginx variable, and nothing in this file defines it (an included file or a third-party module may).`;
}

function argumentMarkdown(
  model: NginxModel,
  directive: NginxDirective,
  token: NginxToken,
  ctx: NginxFeatureContext,
): string | undefined {
  const context = directive.context;
  if (isValueContext(context)) return undefined;
  const info = entryFor(directive.name, context, ctx.target);
  if (!info) return undefined;
  const index = directive.args.indexOf(token);
  if (PASS_DIRECTIVES.has(directive.name) && index === 0) return targetMarkdown(model, directive, token, ctx);
  if (directive.name === 'location' && index === 0 && directive.args.length === 2) {
    const meaning = LOCATION_MODIFIERS[token.value];
    return meaning ? `**${token.value}** — ${meaning}.` : undefined;
  }
  if (info.args.flag) return flagMarkdown(info, token.value);
  if (info.values?.length) return valueMarkdown(info, token.value);
  return undefined;
}

function flagMarkdown(info: NginxDirectiveInfo, value: string): string {
  const isDefault = info.default === value ? ' (the default)' : '';
  if (value === 'on') return `**on** — turns ${code(info.name)} on${isDefault}.\n\n${info.doc}`;
  if (value === 'off') return `**off** — turns ${code(info.name)} off${isDefault}.\n\n${info.doc}`;
  return `**${value}** — not a value ${code(info.name)} accepts: nginx expects \`on\` or \`off\`.`;
}

function valueMarkdown(info: NginxDirectiveInfo, value: string): string | undefined {
  const values = info.values ?? [];
  const list = values.map(code).join(', ');
  if (values.includes(value)) {
    const isDefault = (info.default ?? '').split(/\s+/).includes(value) ? ' It is the default.' : '';
    return `**${value}** — a value of ${code(info.name)}.${isDefault}\n\n${code(info.name)} takes ${list}.`;
  }
  if (info.args.max === 1) return `**${value}** — not one of the values of ${code(info.name)}: ${list}.`;
  return undefined;
}

/** Where a `*_pass` argument sends requests: the upstream name or address in it. */
export function passTarget(value: string): { host: string; unix: boolean } | undefined {
  if (value.includes('$')) return undefined;
  const rest = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (/^unix:/i.test(rest)) {
    const end = rest.indexOf(':', 5);
    return { host: end < 0 ? rest : rest.slice(0, end), unix: true };
  }
  const host = rest.split('/')[0] ?? '';
  return host ? { host, unix: false } : undefined;
}

export function familyOfDirective(directive: NginxDirective): 'http' | 'stream' | null {
  for (let d: NginxDirective | null = directive; d; d = d.parent) {
    const family = familyOf(d.context);
    if (family) return family;
  }
  return (directive.context ?? '').startsWith('stream') ? 'stream' : 'http';
}

function targetMarkdown(
  model: NginxModel,
  directive: NginxDirective,
  token: NginxToken,
  ctx: NginxFeatureContext,
): string | undefined {
  const target = passTarget(token.value);
  if (!target) return undefined;
  const family = familyOfDirective(directive);
  const gunicorn = ctx.workspace.gunicornAddresses;
  if (!target.unix) {
    const upstream = fileSymbols(model).upstreams.find(
      (u) => u.name === target.host && (u.family === null || family === null || u.family === family),
    );
    if (upstream) return upstreamMarkdown(model, upstream, ctx);
    if (ctx.workspace.upstreams?.has(target.host)) {
      return `**${target.host}** — upstream defined in another nginx file of the workspace.`;
    }
  }
  if (gunicorn?.has(target.host)) {
    return `**${target.host}** — Gunicorn listens here, according to the workspace's Gunicorn configuration.`;
  }
  if (target.unix) return `**${target.host}** — a Unix domain socket.`;
  return undefined;
}

export function upstreamMarkdown(
  model: NginxModel,
  upstream: UpstreamDefinition,
  ctx: NginxFeatureContext,
): string {
  const line = model.lines.positionAt(upstream.directive.span.from).line + 1;
  const where: NginxContext | null = upstream.directive.context;
  const lines = [
    `**${upstream.name}** — upstream defined on line ${line} of this file${
      where && where !== 'http' ? ` (in ${code(contextLabel(where))})` : ''
    }`,
    '',
  ];
  const children = upstream.directive.block?.children ?? [];
  const servers = children.filter((d) => d.name === 'server');
  if (!servers.length) lines.push('It lists no `server` yet.');
  for (const server of servers) {
    const text = model.text.slice(server.span.from, server.span.to);
    const address = server.args[0]?.value ?? '';
    const gunicorn = ctx.workspace.gunicornAddresses?.has(address) ? ' — Gunicorn listens here' : '';
    lines.push(`- \`${text.replace(/\s+/g, ' ')}\`${gunicorn}`);
  }
  const others = children.filter((d) => d.name !== 'server').map((d) => code(d.name));
  if (others.length) lines.push('', `Also set: ${[...new Set(others)].join(', ')}.`);
  return lines.join('\n');
}

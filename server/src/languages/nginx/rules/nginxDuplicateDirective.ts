// Rule: nginx-duplicate-directive — a directive nginx accepts once per block, a location or upstream defined twice, or a
// server listening twice on one address.

import type { NginxDirective } from '../parse';
import { governingEntries, removalRange } from './genericShared';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

/** Blocks nginx accepts once in their parent, though the catalogue does not mark blocks unique. */
const ONCE_PER_PARENT = new Set(['events', 'http', 'stream', 'limit_except']);

/**
 * What makes two directives clash in one block: the name for directives nginx accepts once; the name and path for
 * prefix and exact locations (`/a` and `^~ /a` are the same prefix location); the name for upstream blocks
 * (nginx compares upstream names case-insensitively). Regex and named locations may repeat.
 */
function clashKey(directive: NginxDirective, unique: boolean, perZone: boolean): string | undefined {
  if (unique) return directive.name;
  const args = directive.args.map((a) => a.value);
  if (perZone) {
    // limit_req names its zone as `zone=NAME`, limit_conn as its first argument; a zone in a variable is not compared.
    const zone = directive.name === 'limit_req' ? args.find((a) => a.startsWith('zone='))?.slice(5) : args[0];
    return zone && !zone.includes('$') ? `${directive.name} ${zone}` : undefined;
  }
  if (directive.name === 'location' && directive.end === '{' && directive.context !== null) {
    const [first, second] = args;
    if (first === undefined) return undefined;
    if (args.length === 2 && first === '=') return `location = ${second}`;
    if (args.length === 2 && first === '^~') return `location ${second}`;
    if (args.length === 1 && first.startsWith('=')) return `location = ${first.slice(1)}`;
    if (args.length === 1 && !first.startsWith('~') && !first.startsWith('@')) return `location ${first}`;
    return undefined;
  }
  if (directive.name === 'upstream' && directive.end === '{' && args.length === 1) {
    return `upstream ${args[0]!.toLowerCase()}`;
  }
  if (directive.name === 'listen' && directive.context === 'server' && args[0] !== undefined) {
    const address = listenAddress(args[0]);
    // `quic` makes it a UDP socket (nginx 1.25+), which nginx keeps apart from the TCP one on the same address: the
    // usual HTTP/3 setup is `listen 443 ssl;` plus `listen 443 quic;`.
    const udp = args.slice(1).includes('quic') ? ' (quic)' : '';
    return address ? `listen ${address}${udp}` : undefined;
  }
  return undefined;
}

/**
 * The address an http `listen` binds, as nginx compares them: `80`, `*:80` and `0.0.0.0:80` are one address, a host
 * without a port means port 80, IPv6 and Unix sockets stand for themselves. Undefined for what we cannot compare
 * (host names, variables).
 */
function listenAddress(text: string): string | undefined {
  if (text.startsWith('unix:')) return text;
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  if (v6) return `[${v6[1]!.toLowerCase()}]:${v6[2] ?? '80'}`;
  const port = /^(\d+)$/.exec(text);
  if (port) return `0.0.0.0:${port[1]}`;
  const hostPort = /^(\*|\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?$/.exec(text);
  if (!hostPort) return undefined;
  return `${hostPort[1] === '*' ? '0.0.0.0' : hostPort[1]}:${hostPort[2] ?? '80'}`;
}

function sameArguments(a: NginxDirective, b: NginxDirective): boolean {
  return a.args.length === b.args.length && a.args.every((arg, i) => arg.value === b.args[i]!.value);
}

export const nginxDuplicateDirective: NginxRule = {
  meta: {
    id: 'nginx-duplicate-directive',
    defaultSeverity: 'error',
    description:
      'A directive nginx accepts once per block written twice there, the same location or upstream defined twice, or a server listening twice on one address; nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-duplicate-directive'),
  },
  check({ model, catalog, path, uri, range, report }) {
    const firsts = new Map<NginxDirective | null, Map<string, NginxDirective>>();
    for (const directive of model.all) {
      const entries = governingEntries(catalog, model, path, directive);
      if (!entries?.length) continue;
      const unique = entries.every((e) => e.unique || (e.block && ONCE_PER_PARENT.has(e.name)));
      const perZone = !unique && entries.every((e) => e.uniquePerZone);
      const key = clashKey(directive, unique, perZone);
      if (key === undefined) continue;
      let seen = firsts.get(directive.parent);
      if (!seen) firsts.set(directive.parent, (seen = new Map()));
      const first = seen.get(key);
      if (!first) {
        seen.set(key, directive);
        continue;
      }
      const firstLine = model.lines.positionAt(first.span.from).line + 1;
      const what = unique ? `"${directive.name}"` : `${key.replace(/ (\S+)$/, ' "$1"')}`;
      const message = unique
        ? `${what} is already set in this block on line ${firstLine}; nginx accepts it only once per block and will refuse to start.`
        : perZone
          ? `"${directive.name}" with zone "${key.slice(directive.name.length + 1)}" is already set in this block on line ${firstLine}; nginx accepts each zone once per block and will refuse to start.`
          : directive.name === 'listen'
            ? `This server already listens on ${key.slice('listen '.length)} (line ${firstLine}); nginx refuses a duplicate listen. Keep one, with all its parameters.`
            : `The same ${what} is already defined on line ${firstLine}; nginx will refuse to start. Merge the two blocks.`;
      report({
        range: range(directive.nameToken.span),
        message,
        related: [{ uri, range: range(first.nameToken.span), message: `the first ${what}` }],
        // Removing a whole location or upstream would lose its contents: only plain duplicates get the fix.
        fixes:
          (unique || perZone || directive.name === 'listen') && !directive.block
            ? [
                {
                  title: `Remove this ${directive.name}`,
                  edits: [{ range: removalRange(model, directive), newText: '' }],
                  // A word-for-word repeat: removing it keeps what the first says; differing ones need a choice.
                  ...(sameArguments(first, directive) ? { safe: true } : {}),
                },
              ]
            : [],
      });
    }
  },
};

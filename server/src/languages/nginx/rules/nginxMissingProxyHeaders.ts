// Rule: nginx-missing-proxy-headers — a proxy_pass that does not send Host, X-Forwarded-For and X-Forwarded-Proto.

import type { RelatedInfo } from '../../../core/findings';
import {
  describeLevel,
  directivesIn,
  effectiveHeaders,
  headerLines,
  insertBefore,
  mayBeGunicorn,
  upstreamBlocks,
  parsePassTarget,
  PROXY_CONTEXTS,
  shadowedHeaders,
} from '../gunicornProxy';
import type { NginxDirective } from '../parse';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

interface Needed {
  /** The header to add. */
  name: string;
  line: string;
  /** Lower-case names that satisfy the need. */
  accepts: readonly string[];
  why: string;
}

const NEEDED: readonly Needed[] = [
  {
    name: 'Host',
    line: 'proxy_set_header Host $host;',
    accepts: ['host'],
    why: 'Host for redirects, absolute URLs and host checks (ALLOWED_HOSTS)',
  },
  {
    name: 'X-Forwarded-For',
    line: 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    accepts: ['x-forwarded-for'],
    why: "X-Forwarded-For for the client's address",
  },
  {
    name: 'X-Forwarded-Proto',
    line: 'proxy_set_header X-Forwarded-Proto $scheme;',
    accepts: ['x-forwarded-proto', 'x-forwarded-protocol', 'x-forwarded-ssl'],
    why: 'X-Forwarded-Proto to know a request came over https (secure_scheme_headers)',
  },
];

export const nginxMissingProxyHeaders: NginxRule = {
  meta: {
    id: 'nginx-missing-proxy-headers',
    defaultSeverity: 'warning',
    description:
      'A proxy_pass whose requests reach Gunicorn without Host, X-Forwarded-For or X-Forwarded-Proto, counting what nginx inherits (only from levels when the current one sets no proxy_set_header).',
    docsUrl: nginxRuleDocsUrl('nginx-missing-proxy-headers'),
  },
  check({ model, uri, workspace, range, report }) {
    const upstreams = upstreamBlocks(model);
    for (const pass of directivesIn(model, 'proxy_pass', PROXY_CONTEXTS)) {
      if (!pass.args[0] || !mayBeGunicorn(parsePassTarget(pass.args[0]), workspace, upstreams)) continue;
      const set = effectiveHeaders(model, pass);
      if (set.status !== 'known') continue;
      // Behind another proxy (a server that listens only on Unix sockets), the client's X-Forwarded-* headers that
      // proxy set pass through unchanged; Host does not (nginx sends the upstream's name).
      const behindProxy = listensOnlyOnSockets(pass);
      const missing = NEEDED.filter(
        (need) =>
          !need.accepts.some((name) => set.headers.has(name)) && (!behindProxy || need.name === 'Host'),
      );
      if (!missing.length) continue;
      let inheritance = '';
      const related: RelatedInfo[] = [];
      if (set.own) {
        const shadowed = shadowedHeaders(model, pass);
        const lost = shadowed
          ? missing.filter((need) => need.accepts.some((name) => shadowed.headers.has(name)))
          : [];
        if (shadowed && lost.length) {
          const where = describeLevel(shadowed.source);
          inheritance = ` ${lost.map((need) => need.name).join(', ')} ${lost.length > 1 ? 'are' : 'is'} set in ${where}, but nginx does not inherit them into a block with proxy_set_header lines of its own.`;
          const first = shadowed.lines[0]!;
          related.push({ uri, range: range(first.span), message: `not inherited from ${where}` });
        }
      }
      const { lines, copied } = headerLines(
        model,
        set,
        missing.map((need) => need.line),
      );
      const names = missing.map((need) => need.name);
      report({
        range: range(pass.nameToken.span),
        message: `Requests from this proxy_pass reach Gunicorn without ${names.join(', ')}.${inheritance} The app needs ${missing.map((need) => need.why).join('; ')}.`,
        ...(related.length ? { related } : {}),
        fixes: [
          {
            title: `Add proxy_set_header ${names.join(', ')}${copied ? ' (and copy the inherited ones)' : ''}`,
            edits: [insertBefore(model, pass, lines)],
            isPreferred: true,
          },
        ],
      });
    }
  },
};

/** True when the server block around `pass` listens, and only listens, on Unix sockets. */
function listensOnlyOnSockets(pass: NginxDirective): boolean {
  let server = pass.parent;
  while (server && !(server.name === 'server' && server.block)) server = server.parent;
  const listens = server?.block?.children.filter((d) => d.name === 'listen') ?? [];
  return listens.length > 0 && listens.every((listen) => /^unix:/i.test(listen.args[0]?.value ?? ''));
}

// Rule: nginx-wrong-pass-for-gunicorn — uwsgi_pass, fastcgi_pass or scgi_pass aimed at Gunicorn, which speaks HTTP.

import { compareVersions } from '../../../core/version';
import { aimsAtGunicorn, parsePassTarget, PROXY_CONTEXTS, upstreamBlocks, valueSpan } from '../gunicornProxy';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

const PROTOCOLS: ReadonlyMap<string, string> = new Map([
  ['uwsgi_pass', 'uwsgi'],
  ['fastcgi_pass', 'FastCGI'],
  ['scgi_pass', 'SCGI'],
]);

export const nginxWrongPassForGunicorn: NginxRule = {
  meta: {
    id: 'nginx-wrong-pass-for-gunicorn',
    defaultSeverity: 'error',
    description:
      'uwsgi_pass, fastcgi_pass or scgi_pass sends requests to Gunicorn, which answers HTTP (and uwsgi only with protocol = "uwsgi", since 24.0).',
    docsUrl: nginxRuleDocsUrl('nginx-wrong-pass-for-gunicorn'),
  },
  check({ model, workspace, gunicornVersion, versionLabel, range, report }) {
    const upstreams = upstreamBlocks(model);
    const uwsgiCapable = compareVersions(gunicornVersion, [24, 0, 0]) >= 0;
    for (const directive of model.all) {
      const protocol = PROTOCOLS.get(directive.name);
      const token = directive.args[0];
      if (!protocol || !token || !directive.context || !PROXY_CONTEXTS.has(directive.context)) continue;
      const target = parsePassTarget(token);
      if (target.variable || !target.address) continue;
      if (target.scheme !== null && target.scheme !== 'uwsgi' && target.scheme !== 'suwsgi') continue;
      if (!aimsAtGunicorn(target, upstreams, workspace)) continue;
      const url = `${target.scheme === 'suwsgi' ? 'https' : 'http'}://${target.address}${target.rest}`;
      const uwsgi = directive.name === 'uwsgi_pass';
      const message = uwsgi
        ? uwsgiCapable
          ? `This sends the uwsgi protocol to Gunicorn, which only understands it with protocol = "uwsgi" in its configuration (otherwise it expects HTTP and every request fails). Unless you set that, use proxy_pass ${url}.`
          : `This sends the uwsgi protocol to Gunicorn, but Gunicorn ${versionLabel} speaks only HTTP (protocol = "uwsgi" arrived in 24.0), so every request fails. Use proxy_pass ${url}.`
        : `This speaks ${protocol} to Gunicorn, but Gunicorn only answers HTTP${uwsgiCapable ? ' (or uwsgi)' : ''}, so every request fails. Use proxy_pass ${url}.`;
      const argSpan = valueSpan(token);
      report({
        range: range(directive.nameToken.span),
        ...(uwsgi && uwsgiCapable ? { severity: 'warning' as const } : {}),
        message,
        fixes: [
          {
            title: `Change to proxy_pass ${url}`,
            edits: [
              { range: range(directive.nameToken.span), newText: 'proxy_pass' },
              { range: range(argSpan), newText: url },
            ],
            isPreferred: true,
          },
        ],
      });
    }
  },
};

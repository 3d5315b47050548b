// Rule: nginx-unknown-upstream — a *_pass names an upstream that no `upstream` block defines (nginx resolves it as a host).

import { closestMatches } from '../../../core/editDistance';
import type { Fix } from '../../../core/findings';
import { couldBeUpstreamName, knownUpstreamNames, parsePassTarget, PROXY_CONTEXTS } from '../gunicornProxy';
import { hasPlaceholder } from '../values';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

/** Directives that take an upstream name, with the schemes nginx allows in front of it. */
const PASS_DIRECTIVES: ReadonlyMap<string, readonly (string | null)[]> = new Map([
  ['proxy_pass', ['http', 'https']],
  ['uwsgi_pass', [null, 'uwsgi', 'suwsgi']],
  ['fastcgi_pass', [null]],
  ['scgi_pass', [null]],
  ['grpc_pass', [null, 'grpc', 'grpcs']],
]);

export const nginxUnknownUpstream: NginxRule = {
  meta: {
    id: 'nginx-unknown-upstream',
    defaultSeverity: 'warning',
    description:
      'A proxy_pass (or uwsgi/fastcgi/scgi/grpc_pass) names an upstream that no upstream block in the workspace defines, so nginx must resolve it as a host name when it starts.',
    docsUrl: nginxRuleDocsUrl('nginx-unknown-upstream'),
  },
  check({ model, workspace, range, report }) {
    const known = knownUpstreamNames(model, workspace);
    // An upstream whose name a template fills in may be the one named: nginx's refusal is then not certain.
    const templatedName = [...known].some(([key, shown]) => hasPlaceholder(key) || hasPlaceholder(shown));
    for (const directive of model.all) {
      const schemes = PASS_DIRECTIVES.get(directive.name);
      const token = directive.args[0];
      if (!schemes || !token || !directive.context || !PROXY_CONTEXTS.has(directive.context)) continue;
      const target = parsePassTarget(token);
      if (!schemes.includes(target.scheme) || !couldBeUpstreamName(target)) continue;
      if (known.has(target.host.toLowerCase())) continue;
      // `http://unix/…` is a socket written wrongly: nginx-proxy-pass-unix explains that one.
      if (target.host.toLowerCase() === 'unix' && target.rest.startsWith('/')) continue;
      const span = { from: target.addressFrom, to: target.addressFrom + target.host.length };
      const suggestions = closestMatches(target.host, [...known.values()], 3);
      const fixes: Fix[] = suggestions.map((name, index) => ({
        title: `Change to ${name}`,
        edits: [{ range: range(span), newText: name }],
        ...(index === 0 ? { isPreferred: true } : {}),
      }));
      const hint = suggestions.length
        ? ` Did you mean ${suggestions.map((name) => `"${name}"`).join(' or ')}?`
        : known.size
          ? ` Upstreams defined: ${[...known.values()]
              .slice(0, 5)
              .map((name) => `"${name}"`)
              .join(', ')}.`
          : '';
      const name = target.host;
      const message =
        directive.name === 'proxy_pass'
          ? `No upstream "${name}" is defined here or elsewhere in the workspace, so nginx treats "${name}" as a host name and looks it up once at start-up; if the lookup fails, nginx refuses to start ("host not found in upstream"). Define upstream ${name} { server …; } with Gunicorn's address, or correct the name.${hint}`
          : `No upstream "${name}" is defined here or elsewhere in the workspace, and ${directive.name} has no default port, so nginx refuses to start ("no port in upstream"). Define upstream ${name} { server …; }, give an address with a port, or correct the name.${hint}`;
      const unsure = templatedName ? ' An upstream whose name a template fills in may be this one.' : '';
      report({
        range: range(span),
        ...(directive.name === 'proxy_pass' || templatedName ? {} : { severity: 'error' as const }),
        message: message + unsure,
        fixes,
      });
    }
  },
};

// Rule: nginx-proxy-pass-unix — a Unix-socket address nginx misreads: no http://, `unix/…`, a URI glued to the path.

import type { Severity } from '../../../core/findings';
import { knownUpstreamNames, replaceValue } from '../gunicornProxy';
import type { NginxDirective } from '../parse';
import type { NginxRule, NginxRuleContext } from './types';
import { nginxRuleDocsUrl } from './types';

interface Problem {
  severity?: Severity;
  message: string;
  replacement: string;
}

/** What is wrong with a proxy_pass URL, if anything. */
function proxyPassProblem(value: string, upstreamNamedUnix: boolean): Problem | undefined {
  if (value.includes('$')) return undefined;
  if (/^unix:/i.test(value)) {
    return {
      message: `proxy_pass needs a URL: nginx refuses to start on "${value}" ("invalid URL prefix"). Write the socket as http://${value}.`,
      replacement: `http://${value}`,
    };
  }
  const scheme = /^(https?):\/\//i.exec(value);
  if (!scheme) return undefined;
  const body = value.slice(scheme[0].length);
  const prefix = scheme[0];
  if (/^unix\//i.test(body) && !upstreamNamedUnix) {
    const path = body.slice(4);
    return {
      message: `"${value}" names a host called "unix" with the URI ${path}, not a socket; nginx cannot resolve "unix" and refuses to start ("host not found in upstream"). A Unix socket is written ${prefix}unix:${path}.`,
      replacement: `${prefix}unix:${path}`,
    };
  }
  const unix = /^unix:(.*)$/i.exec(body);
  if (!unix) return undefined;
  const after = unix[1]!;
  const colon = after.indexOf(':');
  const path = colon >= 0 ? after.slice(0, colon) : after;
  const uri = colon >= 0 ? after.slice(colon) : '';
  const glued = colon < 0 ? /^(.*?\.sock(?:et)?)(\/.*)$/i.exec(path) : null;
  if (glued) {
    return {
      message: `nginx reads the whole of ${path} as the socket path, because only a ":" ends it; the connection fails and every request gets a 502. Separate the URI with a colon: ${prefix}unix:${glued[1]!}:${glued[2]!}.`,
      replacement: `${prefix}unix:${glued[1]!}:${glued[2]!}`,
    };
  }
  const slashes = /^\/{2,}(.*)$/.exec(path);
  if (slashes) {
    return {
      severity: 'info',
      message: `nginx reads this socket as ${path}, which the kernel takes for /${slashes[1]!}: it works, but the usual form is ${prefix}unix:/${slashes[1]!}. (In Gunicorn's bind, unix://${slashes[1]!.replace(/^\/+/, '')} would mean the relative path ${slashes[1]!.replace(/^\/+/, '')}, so check both sides name the same file.)`,
      replacement: `${prefix}unix:/${slashes[1]!}${uri}`,
    };
  }
  return undefined;
}

/** What is wrong with an upstream `server` address, if anything. */
function upstreamServerProblem(value: string): Problem | undefined {
  if (value.includes('$')) return undefined;
  const scheme = /^([a-z]+):\/\/(.*)$/i.exec(value);
  if (scheme && scheme[1]!.toLowerCase() !== 'unix') {
    const rest = scheme[2]!;
    const unix = /^unix:(.*)$/i.exec(rest);
    const replacement = unix ? `unix:${unix[1]!}` : rest.replace(/\/.*$/, '');
    return {
      message: `An upstream server takes a bare address, not a URL: nginx refuses to start on "${value}" ("invalid host in upstream"). Write ${replacement}${unix ? '' : ' and put the scheme in proxy_pass'}.`,
      replacement,
    };
  }
  const unixSlash = /^unix\/(.*)$/i.exec(value);
  if (unixSlash) {
    return {
      message: `"${value}" is not a Unix socket address (nginx would take it for a host name); write unix:/${unixSlash[1]!}.`,
      replacement: `unix:/${unixSlash[1]!}`,
    };
  }
  const slashes = /^unix:\/{2,}(.*)$/i.exec(value);
  if (slashes) {
    return {
      severity: 'info',
      message: `nginx reads this socket as ${value.slice(5)}, which the kernel takes for /${slashes[1]!}: it works, but the usual form is unix:/${slashes[1]!}. (In Gunicorn's bind, unix://${slashes[1]!} would mean the relative path ${slashes[1]!}, so check both sides name the same file.)`,
      replacement: `unix:/${slashes[1]!}`,
    };
  }
  return undefined;
}

function reportProblem(context: NginxRuleContext, directive: NginxDirective, problem: Problem): void {
  const token = directive.args[0]!;
  context.report({
    range: context.range(token.span),
    ...(problem.severity ? { severity: problem.severity } : {}),
    message: problem.message,
    fixes: [
      {
        title: `Change to ${problem.replacement}`,
        edits: [replaceValue(context.model, token, problem.replacement)],
        isPreferred: true,
      },
    ],
  });
}

export const nginxProxyPassUnix: NginxRule = {
  meta: {
    id: 'nginx-proxy-pass-unix',
    defaultSeverity: 'error',
    description:
      'A Unix-socket address nginx reads differently than intended: proxy_pass without http://, http://unix/…, a URI glued to the socket path, or a URL in an upstream server line.',
    docsUrl: nginxRuleDocsUrl('nginx-proxy-pass-unix'),
  },
  check(context) {
    const { model, workspace } = context;
    const upstreamNamedUnix = knownUpstreamNames(model, workspace).has('unix');
    for (const directive of model.all) {
      const token = directive.args[0];
      if (!token || !directive.context) continue;
      let problem: Problem | undefined;
      if (directive.name === 'proxy_pass' && ['location', 'if', 'limit_except'].includes(directive.context)) {
        problem = proxyPassProblem(token.value, upstreamNamedUnix);
      } else if (directive.name === 'server' && directive.context === 'upstream') {
        problem = upstreamServerProblem(token.value);
      }
      if (problem) reportProblem(context, directive, problem);
    }
  },
};

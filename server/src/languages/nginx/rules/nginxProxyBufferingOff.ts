// Rule: nginx-proxy-buffering-off — proxy_buffering off in front of Gunicorn, where slow clients then hold workers.

import type { Severity } from '../../../core/findings';
import {
  directivesIn,
  effectiveDirective,
  effectiveHeaders,
  enclosingLocation,
  locationPath,
  mayBeGunicorn,
  upstreamBlocks,
  parsePassTarget,
  PROXY_CONTEXTS,
  replaceValue,
  workerKind,
} from '../gunicornProxy';
import type { NginxDirective, NginxModel } from '../parse';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

/** Location paths that suggest a stream on purpose: WebSockets, server-sent events, long polling. */
const STREAMING_PATH =
  /(?:^|[/_.^-])(?:ws|wss|websockets?|socket\.io|sockjs|sse|events?|stream(?:ing)?|live|cable)(?:$|[/_.$-])/i;

/** True when a proxy_pass evidently streams: a WebSocket upgrade or a streaming-looking location. */
function streams(model: NginxModel, pass: NginxDirective): boolean {
  const set = effectiveHeaders(model, pass);
  if (set.status === 'known' && set.headers.has('upgrade')) return true;
  return STREAMING_PATH.test(locationPath(enclosingLocation(pass)));
}

export const nginxProxyBufferingOff: NginxRule = {
  meta: {
    id: 'nginx-proxy-buffering-off',
    defaultSeverity: 'warning',
    description:
      'proxy_buffering off for requests proxied to Gunicorn: a slow client then keeps a sync worker busy until it has read the whole response.',
    docsUrl: nginxRuleDocsUrl('nginx-proxy-buffering-off'),
  },
  check({ model, workspace, range, report }) {
    const kind = workerKind(workspace.gunicornWorkerClass);
    if (kind === 'async') return;
    const governed = new Map<NginxDirective, NginxDirective[]>();
    const upstreams = upstreamBlocks(model);
    for (const pass of directivesIn(model, 'proxy_pass', PROXY_CONTEXTS)) {
      if (!pass.args[0] || !mayBeGunicorn(parsePassTarget(pass.args[0]), workspace, upstreams)) continue;
      const effective = effectiveDirective(model, pass, 'proxy_buffering');
      if (effective.status !== 'known' || !effective.directive) continue;
      if (effective.directive.args[0]?.value.toLowerCase() !== 'off') continue;
      const list = governed.get(effective.directive) ?? [];
      list.push(pass);
      governed.set(effective.directive, list);
    }
    for (const [directive, passes] of governed) {
      if (passes.every((pass) => streams(model, pass))) continue;
      const severity: Severity = kind === 'sync' ? 'warning' : 'info';
      const who =
        kind === 'sync'
          ? "Gunicorn's sync workers handle one request at a time"
          : kind === 'threads'
            ? 'each gthread worker has a fixed number of threads'
            : 'with the default sync worker, Gunicorn handles one request per worker at a time';
      report({
        range: range(directive.span),
        severity,
        message: `With proxy_buffering off, nginx passes Gunicorn's response on only as fast as the client reads it, so a slow or stalled client downloading anything larger than the socket buffers keeps a worker busy until it is done; ${who}, so a few slow clients can take the app down. Leave buffering on (the default) and turn it off only in locations that stream on purpose, or send X-Accel-Buffering: no from those responses.`,
        fixes: [
          {
            title: 'Change to proxy_buffering on',
            edits: [replaceValue(model, directive.args[0]!, 'on')],
            isPreferred: true,
          },
        ],
      });
    }
  },
};

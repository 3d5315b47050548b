// Rule: nginx-websocket-upgrade — a WebSocket location without HTTP/1.1 and the Upgrade/Connection headers.

import type { TextEdit } from '../../../core/text';
import {
  aimsAtGunicorn,
  directivesIn,
  effectiveDirective,
  effectiveHeaders,
  enclosingLocation,
  headerLines,
  insertBefore,
  locationPath,
  parsePassTarget,
  PROXY_CONTEXTS,
  replaceValue,
  upstreamBlocks,
  workerKind,
} from '../gunicornProxy';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

/** Location paths that look like a WebSocket endpoint. */
const WEBSOCKET_PATH = /(?:^|[/_.^-])(?:ws|wss|websockets?|socket\.io|sockjs|cable)(?:$|[/_.$-])/i;

export const nginxWebsocketUpgrade: NginxRule = {
  meta: {
    id: 'nginx-websocket-upgrade',
    defaultSeverity: 'warning',
    description:
      'A location that looks like a WebSocket endpoint but lacks proxy_http_version 1.1 or the Upgrade and Connection headers, so the handshake never reaches the app.',
    docsUrl: nginxRuleDocsUrl('nginx-websocket-upgrade'),
  },
  check({ model, workspace, range, report }) {
    const upstreams = upstreamBlocks(model);
    const kind = workerKind(workspace.gunicornWorkerClass);
    for (const pass of directivesIn(model, 'proxy_pass', PROXY_CONTEXTS)) {
      const set = effectiveHeaders(model, pass);
      if (set.status !== 'known') continue;
      const upgrade = set.headers.get('upgrade');
      const connection = set.headers.get('connection');
      const byPath = WEBSOCKET_PATH.test(locationPath(enclosingLocation(pass)));
      const connectionUpgrades = !!connection && /upgrade/i.test(connection.value);
      if (!byPath && !upgrade && !connectionUpgrades) continue;
      const version = effectiveDirective(model, pass, 'proxy_http_version');
      const versionOk = version.status === 'unknown' || version.directive?.args[0]?.value.trim() === '1.1';
      const missing: string[] = [];
      const added: string[] = [];
      const edits: TextEdit[] = [];
      const inserted: string[] = [];
      if (!versionOk && version.status === 'known') {
        missing.push('proxy_http_version 1.1 (WebSockets need HTTP/1.1; nginx defaults to 1.0)');
        const own = version.directive && version.directive.parent === pass.parent ? version.directive : null;
        if (own) edits.push(replaceValue(model, own.args[0]!, '1.1'));
        else inserted.push('proxy_http_version 1.1;');
      }
      const replacing = new Set<string>();
      if (!upgrade) {
        missing.push('proxy_set_header Upgrade $http_upgrade');
        added.push('proxy_set_header Upgrade $http_upgrade;');
      }
      if (!connectionUpgrades) {
        missing.push('proxy_set_header Connection "upgrade" (or a $connection_upgrade map)');
        if (connection && set.own && connection.directive.name === 'proxy_set_header') {
          edits.push(
            replaceValue(model, connection.directive.args[1] ?? connection.directive.args[0]!, 'upgrade'),
          );
        } else {
          if (connection) replacing.add('connection');
          added.push('proxy_set_header Connection "upgrade";');
        }
      }
      const target = parsePassTarget(pass.args[0] ?? pass.nameToken);
      const toGunicorn = aimsAtGunicorn(target, upstreams, workspace);
      const syncNote =
        kind === 'sync' || kind === 'threads'
          ? ` Note that Gunicorn's ${workspace.gunicornWorkerClass ?? ''} worker cannot hold WebSocket connections; serve them with an async worker (for example uvicorn's or gevent's).`
          : '';
      if (!missing.length) {
        if (syncNote && toGunicorn) {
          report({
            range: range(pass.nameToken.span),
            message: `This location proxies WebSockets to Gunicorn.${syncNote}`,
          });
        }
        continue;
      }
      if (added.length) {
        const copy = headerLines(model, set, added, replacing);
        inserted.push(...copy.lines);
      }
      if (inserted.length) edits.push(insertBefore(model, pass, inserted));
      report({
        range: range(pass.nameToken.span),
        message: `This looks like a WebSocket endpoint, but nginx will not pass the upgrade handshake on without ${missing.join(', ')}: nginx drops the hop-by-hop Upgrade and Connection headers unless they are set again.${syncNote}`,
        fixes: [{ title: 'Add the WebSocket upgrade settings', edits, isPreferred: true }],
      });
    }
  },
};

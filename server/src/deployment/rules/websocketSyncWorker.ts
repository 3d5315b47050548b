// Rule: websocket-sync-worker — nginx upgrades connections to WebSockets for a Gunicorn whose workers cannot hold them.

import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { deploymentAnchor, deploymentName, distinctPasses, originLabel, workerKindOf } from './shared';

export const websocketSyncWorker: DeploymentRule = {
  meta: {
    id: 'websocket-sync-worker',
    defaultSeverity: 'warning',
    description:
      'nginx passes WebSocket upgrades (proxy_set_header Upgrade) to a Gunicorn running sync or gthread workers, which speak WSGI and cannot keep a WebSocket open.',
    docsUrl: deploymentRuleDocsUrl('websocket-sync-worker'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const { kind, setting } = workerKindOf(facts, deployment);
      if (kind !== 'sync' && kind !== 'threads') continue;
      for (const target of distinctPasses(deployment, (t) => t.protocol === 'http')) {
        const headers = facts.nginx.headers(target.file, target.pass);
        if (headers === 'unknown') continue;
        const upgrade = headers.get('upgrade');
        if (!upgrade || !/\$http_upgrade|websocket/i.test(upgrade.value)) continue;
        const label = kind === 'sync' ? 'sync' : 'gthread';
        const where = setting?.where;
        const message = `nginx upgrades these connections to WebSockets, but ${deploymentName(deployment)} runs ${label} workers (${setting ? `${setting.setting} from ${originLabel(setting.origin)}` : 'the default'}): WSGI workers cannot keep a WebSocket open, so the handshake fails or each socket blocks a worker until it times out. Serve WebSockets with an async worker (for example uvicorn_worker.UvicornWorker for an ASGI app, or gevent with a WebSocket library).`;
        const headerRange = upgrade.file.model.lines.range(
          upgrade.directive.span.from,
          upgrade.directive.span.to,
        );
        if (where && setting.origin !== 'default') {
          report({
            uri: where.uri,
            range: where.range,
            message,
            related: [
              { uri: upgrade.file.uri, range: headerRange, message: 'nginx forwards the Upgrade header' },
            ],
          });
        } else {
          const anchor = deploymentAnchor(deployment);
          report({
            uri: upgrade.file.uri,
            range: headerRange,
            message,
            ...(anchor
              ? { related: [{ ...anchor, message: `${deploymentName(deployment)} uses ${label} workers` }] }
              : {}),
          });
        }
      }
    }
  },
};

// Rule: worker-connections-nofile — async workers allowed more connections than the service's open-file limit.

import { gunicornCatalog } from '../../languages/gunicorn/catalog';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import {
  execStartOf,
  fixAcross,
  insertUnitLineAfter,
  originLabel,
  replaceUnitValue,
  settingRelated,
  valueRangeOf,
} from './shared';

/** systemd's default soft limit (DefaultLimitNOFILE=1024:524288). */
const DEFAULT_SOFT = 1024;
/** Descriptors a worker holds besides client connections. */
const OTHER_FILES = 32;
const SUGGESTED = 65536;

export const workerConnectionsNofile: DeploymentRule = {
  meta: {
    id: 'worker-connections-nofile',
    defaultSeverity: 'info',
    description:
      'An async worker\'s worker_connections exceed the service\'s open-file limit (LimitNOFILE=, 1024 by default), so accepting connections fails with "Too many open files".',
    docsUrl: deploymentRuleDocsUrl('worker-connections-nofile'),
  },
  check({ facts, report }) {
    const catalog = gunicornCatalog();
    for (const deployment of facts.deployments) {
      const view = deployment.service?.view;
      if (!view || !deployment.launch) continue;
      const workerClass = facts.setting(deployment, 'worker_class');
      if (!workerClass?.known || !workerClass.parsed.str) continue;
      const info = catalog.workerClass(workerClass.parsed.str.trim());
      if (!info?.async || !info.honours.workerConnections) continue;
      const connections = facts.setting(deployment, 'worker_connections');
      if (!connections?.known || connections.parsed.num === undefined) continue;
      const limit = view.last('Service', 'LimitNOFILE');
      const softText = limit?.directive.value.split(':')[0]?.trim();
      if (softText === 'infinity') continue;
      const soft = limit ? (/^\d+$/.test(softText ?? '') ? Number(softText) : undefined) : DEFAULT_SOFT;
      if (soft === undefined) continue;
      const needed = connections.parsed.num + OTHER_FILES;
      if (soft >= needed) continue;
      if (!limit) {
        // The unit's own rule reports a missing LimitNOFILE= when the command line picks the worker.
        if (
          workerClass.origin === 'command-line' &&
          connections.origin !== 'config' &&
          connections.origin !== 'GUNICORN_CMD_ARGS'
        ) {
          continue;
        }
        const exec = execStartOf(deployment);
        const anchor = connections.origin !== 'default' && connections.where ? connections : workerClass;
        if (!anchor.where || !exec) continue;
        report({
          uri: anchor.where.uri,
          range: anchor.where.range,
          message: `Each ${info.name} worker may hold ${connections.parsed.num} connections (worker_connections from ${originLabel(connections.origin)}), one open file each, but ${deployment.service!.name} keeps systemd's default limit of ${DEFAULT_SOFT} open files per process; past it, accepting fails with "Too many open files". Add LimitNOFILE= to the service.`,
          related: [
            {
              uri: exec.unit.uri,
              range: valueRangeOf(exec),
              message: `${deployment.service!.name} has no LimitNOFILE=`,
            },
          ],
          fixes: [
            fixAcross(
              anchor.where.uri,
              `Add LimitNOFILE=${SUGGESTED} to ${deployment.service!.name}`,
              [insertUnitLineAfter(exec, `LimitNOFILE=${SUGGESTED}`)],
              true,
            ),
          ],
        });
        continue;
      }
      const related = settingRelated(
        deployment,
        connections,
        `worker_connections = ${connections.parsed.num} (${originLabel(connections.origin)})`,
      );
      report({
        uri: limit.unit.uri,
        range: valueRangeOf(limit),
        message: `LimitNOFILE=${limit.directive.value} lets each process open ${soft} files, but each ${info.name} worker may hold ${connections.parsed.num} client connections plus its sockets, logs and outgoing connections; past the limit, accepting fails with "Too many open files".`,
        ...(related ? { related: [related] } : {}),
        fixes: [
          fixAcross(
            limit.unit.uri,
            `Change to LimitNOFILE=${SUGGESTED}`,
            [replaceUnitValue(limit, String(SUGGESTED))],
            true,
          ),
        ],
      });
    }
  },
};

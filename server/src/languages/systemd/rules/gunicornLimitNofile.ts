// Rule: gunicorn-limit-nofile — async workers allowed more connections than systemd's default open-file limit.

import { gunicornCatalog } from '../../gunicorn/catalog';
import {
  gunicornExecs,
  insertLineAfter,
  isServiceUnit,
  optionValueSpan,
  serviceDirective,
} from '../gunicornExec';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

/** systemd's default soft limit on open files per process (DefaultLimitNOFILE=1024:524288). */
const SOFT_LIMIT = 1024;
/** Descriptors a worker holds besides client connections: listeners, logs, its heartbeat file, outgoing connections. */
const OTHER_FILES = 32;
const SUGGESTED = 65536;

export const gunicornLimitNofile: UnitRule = {
  meta: {
    id: 'gunicorn-limit-nofile',
    defaultSeverity: 'info',
    description:
      "An async Gunicorn worker whose worker_connections come close to or exceed systemd's default limit of 1024 open files per process, with no LimitNOFILE=.",
    docsUrl: unitRuleDocsUrl('gunicorn-limit-nofile'),
  },
  check(context) {
    const { model, gunicornVersion, isDropIn, range, report } = context;
    if (!isServiceUnit(context) || isDropIn || serviceDirective(model, 'LimitNOFILE')) return;
    const catalog = gunicornCatalog();
    for (const exec of gunicornExecs(model, gunicornVersion)) {
      const workerClass = exec.settings.get('worker_class');
      if (!workerClass || typeof workerClass.value !== 'string' || workerClass.option.valueDynamic) continue;
      const info = catalog.workerClass(workerClass.value.trim());
      if (!info?.async || !info.honours.workerConnections) continue;
      const explicit = exec.settings.get('worker_connections');
      let connections: number;
      if (explicit) {
        if (
          typeof explicit.value !== 'string' ||
          explicit.option.valueDynamic ||
          !/^\d+$/.test(explicit.value.trim())
        ) {
          continue;
        }
        connections = Number(explicit.value.trim());
      } else {
        connections = Number(catalog.get('worker_connections')?.default ?? '1000');
      }
      if (!Number.isFinite(connections) || connections + OTHER_FILES <= SOFT_LIMIT) continue;
      const span = optionValueSpan(exec, (explicit ?? workerClass).option);
      if (!span) continue;
      report({
        range: range(span),
        message: `Each ${info.name} worker may hold ${connections} client connections at once (${explicit ? explicit.option.flag : 'the default worker_connections'}), one open file each on top of its sockets, logs and outgoing connections, but systemd limits a process to ${SOFT_LIMIT} open files unless LimitNOFILE= raises it; past that, accepting fails with "Too many open files".`,
        fixes: [
          {
            title: `Add LimitNOFILE=${SUGGESTED}`,
            edits: [insertLineAfter(model, exec.directive, `LimitNOFILE=${SUGGESTED}`)],
            isPreferred: true,
          },
        ],
      });
      return;
    }
  },
};

// Rule: memory-max-workers — MemoryMax= far below what the configured number of workers needs.

import { parseSize } from '../../languages/systemd/values';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { originLabel, settingRelated, valueRangeOf } from './shared';

/** A small Python web app worker rarely stays under this resident size. */
export const PER_WORKER = 50 * 1024 * 1024;

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)}M`;
}

export const memoryMaxWorkers: DeploymentRule = {
  meta: {
    id: 'memory-max-workers',
    defaultSeverity: 'info',
    description:
      "The service's MemoryMax= (or MemoryLimit=) is below 50 MB per Gunicorn worker, so the kernel's OOM killer is likely to kill workers under load.",
    docsUrl: deploymentRuleDocsUrl('memory-max-workers'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const view = deployment.service?.view;
      if (!view || !deployment.launch) continue;
      const limit = view.last('Service', 'MemoryMax') ?? view.last('Service', 'MemoryLimit');
      if (!limit) continue;
      const bytes = parseSize(limit.directive.value);
      if (bytes === undefined || bytes === 0) continue;
      const workers = facts.setting(deployment, 'workers');
      if (!workers?.known || workers.parsed.num === undefined || workers.parsed.num < 1) continue;
      const needed = workers.parsed.num * PER_WORKER;
      if (bytes >= needed) continue;
      const related = settingRelated(
        deployment,
        workers,
        `workers = ${workers.parsed.num} (${originLabel(workers.origin)})`,
      );
      report({
        uri: limit.unit.uri,
        range: valueRangeOf(limit),
        message: `${limit.directive.key}=${limit.directive.value} caps the whole service (master and ${workers.parsed.num} workers) at ${mib(bytes)}, less than ${mib(PER_WORKER)} per worker; a Python web worker usually needs more, so under load the OOM killer will kill workers (SIGKILL, seen as "Worker … was sent SIGKILL"). Raise the limit to at least ${mib(needed)} or run fewer workers.`,
        ...(related ? { related: [related] } : {}),
      });
    }
  },
};

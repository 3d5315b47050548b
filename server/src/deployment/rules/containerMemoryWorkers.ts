// Rule: container-memory-workers — the container's memory limit is below what the configured workers need (the same
// 50 MB per worker memory-max-workers uses for a systemd MemoryMax=).

import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { containerMemoryLimit } from './containerLimits';
import { PER_WORKER } from './memoryMaxWorkers';
import { originLabel, settingRelated } from './shared';

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)}M`;
}

export const containerMemoryWorkers: DeploymentRule = {
  meta: {
    id: 'container-memory-workers',
    defaultSeverity: 'info',
    description:
      "The container's memory limit (Kubernetes resources.limits.memory, compose mem_limit or deploy.resources.limits.memory) is below 50 MB per Gunicorn worker, so the OOM killer is likely to kill workers under load.",
    docsUrl: deploymentRuleDocsUrl('container-memory-workers'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const limit = containerMemoryLimit(deployment);
      if (!limit?.value) continue;
      const workers = facts.setting(deployment, 'workers');
      if (!workers?.known || workers.parsed.num === undefined || workers.parsed.num < 1) continue;
      const needed = workers.parsed.num * PER_WORKER;
      if (limit.value >= needed) continue;
      const related = settingRelated(
        deployment,
        workers,
        `workers = ${workers.parsed.num} (${originLabel(workers.origin)})`,
      );
      report({
        uri: limit.related.uri,
        range: limit.related.range,
        message: `${limit.text}: ${mib(limit.value)} for the master and ${workers.parsed.num} workers is less than ${mib(PER_WORKER)} per worker; a Python web worker usually needs more, so under load the OOM killer will kill workers ("Worker … was sent SIGKILL! Perhaps out of memory?"). Raise the limit to at least ${mib(needed)} or run fewer workers.`,
        ...(related ? { related: [related] } : {}),
      });
    }
  },
};

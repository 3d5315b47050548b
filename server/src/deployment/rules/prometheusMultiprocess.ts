// Rule: prometheus-multiprocess — prometheus_client (or an exporter built on it) with several workers and no
// multiprocess mode: each worker counts alone and a scrape shows whichever worker answered. With the mode on, the
// child_exit hook that marks dead workers is missing.

import type { RelatedInfo } from '../../core/findings';
import type { Deployment, DeploymentFacts } from '../model';
import type { Located } from '../types';
import { deploymentAnchor, originLabel, settingRelated } from './shared';
import { appModuleText, packageUses, usesLabel } from './appPackages';
import { appendHookFix, configBinds, configCalls } from './configHooks';
import { leastWorkers } from './workersCpuCount';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

/** The variable that turns multiprocess mode on; prometheus_client read the lower-case name before 0.10. */
const VARIABLES = ['PROMETHEUS_MULTIPROC_DIR', 'prometheus_multiproc_dir'];
const MENTIONS_VARIABLE = /PROMETHEUS_MULTIPROC_DIR/i;

/** prometheus_client and the exporters that switch to its multiprocess collector when the variable is set. */
const MODULES = [
  'prometheus_client',
  'prometheus_flask_exporter',
  'starlette_exporter',
  'prometheus_fastapi_instrumentator',
  'django_prometheus',
];
const PACKAGES = [
  'prometheus-client',
  'prometheus-flask-exporter',
  'starlette-exporter',
  'prometheus-fastapi-instrumentator',
  'django-prometheus',
];
/**
 * django-prometheus can also serve each worker on its own port (PROMETHEUS_METRICS_EXPORT_PORT_RANGE in the Django
 * settings, which we do not read): alone, it is no evidence of a missing multiprocess mode.
 */
const OWN_PORTS = new Set(['django_prometheus', 'django-prometheus']);

/** Where the variable is given to the master: the launch's environment, or raw_env. */
function variableSet(
  facts: DeploymentFacts,
  deployment: Deployment,
): { where?: Located<unknown>; unknown: boolean } | undefined {
  for (const name of VARIABLES) {
    const entry = deployment.env.get(name);
    if (entry) return { where: entry, unknown: false };
  }
  const rawEnv = facts.setting(deployment, 'raw_env');
  if (rawEnv && rawEnv.origin !== 'default') {
    if (!rawEnv.known) return { unknown: true };
    const entries = rawEnv.parsed.list ?? (rawEnv.parsed.str !== undefined ? [rawEnv.parsed.str] : []);
    if (entries.some((entry) => VARIABLES.includes(entry.split('=')[0]!.trim()))) {
      return { ...(rawEnv.where ? { where: rawEnv.where } : {}), unknown: false };
    }
  }
  return undefined;
}

/**
 * MultiProcessCollector, `from prometheus_client import multiprocess`, the exporters' Gunicorn and multiprocess classes
 * (which refuse to start without the variable): the app is set up for the mode, and the variable comes from elsewhere.
 */
const SET_UP_FOR_MULTIPROCESS =
  /\bmultiprocess\b|MultiProcessCollector|Multiprocess\w*Metrics|PROMETHEUS_MULTIPROC_DIR|Gunicorn\w*PrometheusMetrics/i;

/** Other places that may set the variable or collect across processes (an env file, a script, the app's code). */
function handledElsewhere(facts: DeploymentFacts, deployment: Deployment): boolean {
  if (deployment.envUnknown) return true;
  const app = appModuleText(facts, deployment) ?? '';
  const config = deployment.config?.model.text ?? '';
  if (SET_UP_FOR_MULTIPROCESS.test(app + config)) return true;
  // An image's ENV, an entry-point script, a compose file next to it: any deployment file that names the variable.
  for (const source of facts.sources.values()) {
    const readable = source.kind !== 'python' && source.kind !== 'nginx';
    if (readable && MENTIONS_VARIABLE.test(source.text)) return true;
  }
  return false;
}

export const prometheusMultiprocess: DeploymentRule = {
  meta: {
    id: 'prometheus-multiprocess',
    defaultSeverity: 'warning',
    description:
      'prometheus_client with more than one worker and no PROMETHEUS_MULTIPROC_DIR (each worker counts alone, so scrapes jump between workers), or multiprocess mode without a child_exit hook that marks dead workers.',
    docsUrl: deploymentRuleDocsUrl('prometheus-multiprocess'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const workers = facts.setting(deployment, 'workers');
      if (!workers) continue;
      // A known number, or `cpu_count() * 2 + 1`, which is at least 3 on any machine.
      const least = workers.known ? undefined : leastWorkers(deployment, workers);
      const count = workers.known ? workers.parsed.num : least;
      if (count === undefined || count <= 1) continue;
      const countLabel = least === undefined ? `${count} workers` : `at least ${count} workers`;
      const uses = packageUses(facts, deployment, { modules: MODULES, packages: PACKAGES });
      if (!uses.length) continue;
      const related: RelatedInfo[] = uses.map((use) => use.related);
      const set = variableSet(facts, deployment);
      if (!set) {
        if (uses.every((use) => OWN_PORTS.has(use.name)) || handledElsewhere(facts, deployment)) continue;
        const anchor = workers.where ?? deploymentAnchor(deployment);
        if (!anchor) continue;
        // Only units and compose files describe the whole environment; `docker run -e`, Kubernetes or a platform's
        // settings may give the variable to a Dockerfile, Procfile or script launch.
        const described = deployment.launch?.kind === 'systemd' || deployment.launch?.kind === 'compose';
        report({
          uri: anchor.uri,
          range: anchor.range,
          ...(described ? {} : { severity: 'info' as const }),
          message: `${countLabel[0]!.toUpperCase()}${countLabel.slice(1)} (${originLabel(workers.origin)}) and the app uses Prometheus metrics (${usesLabel(uses)}), but PROMETHEUS_MULTIPROC_DIR is set neither in the launch's environment nor in raw_env: each worker keeps its own counters, and a scrape reports only the worker that answered it, so counters jump up and down between scrapes. Set PROMETHEUS_MULTIPROC_DIR to an empty directory in the environment Gunicorn starts with, collect /metrics through prometheus_client.multiprocess.MultiProcessCollector, and mark dead workers in a child_exit hook.${described ? '' : ' (This launch may get its environment from outside the workspace: docker run -e, Kubernetes, the platform.)'}`,
          related,
        });
        continue;
      }
      if (set.unknown || configCalls(deployment, /mark_process_dead/)) continue;
      // A child_exit imported or assigned from elsewhere may well do it.
      if (
        configBinds(deployment, 'child_exit') &&
        !deployment.config?.model.functions.some((f) => f.name === 'child_exit')
      ) {
        continue;
      }
      const where = set.where ?? workers.where ?? deploymentAnchor(deployment);
      if (!where) continue;
      const fix = appendHookFix(
        deployment,
        where.uri,
        {
          name: 'child_exit',
          params: 'server, worker',
          body: [
            "# Drop the exited worker's live gauge files so they stop counting.",
            'from prometheus_client import multiprocess',
            '',
            'multiprocess.mark_process_dead(worker.pid)',
          ],
        },
        'Add a child_exit hook that marks the worker dead for prometheus_client',
        true,
      );
      const workersRelated = settingRelated(deployment, workers, countLabel);
      report({
        uri: where.uri,
        range: where.range,
        severity: 'info',
        message: `Multiprocess mode is on for Prometheus metrics (${usesLabel(uses)}) with ${countLabel}, but the config has no child_exit hook that calls prometheus_client.multiprocess.mark_process_dead(worker.pid): the files of exited or restarted workers stay in the directory, and their live gauges keep counting.`,
        related: [...related, ...(workersRelated ? [workersRelated] : [])],
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
};

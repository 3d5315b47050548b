// Rule: workers-cpu-count — workers computed from the machine's CPU count (cpu_count(), nproc…) in a container or under
// a systemd CPU limit: the count is the host's CPUs, not the share the service may use, so a big host starts far too many
// workers (64 CPUs → 129 workers with the usual 2 × CPUs + 1) and the memory limit kills them.

import type { RelatedInfo } from '../../core/findings';
import type { ConfigModel, Span } from '../../languages/gunicorn/model';
import type { Deployment, DeploymentFacts, ResolvedSetting } from '../model';
import type { Located } from '../types';
import { fileName, fixAcross, originLabel, unitRelated } from './shared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { containerCpuLimit } from './containerLimits';
import { orchestratorName } from '../orchestrators';

/** How a CPU count is read, and what it sees: every CPU of the host, or those the process may run on (a cpuset). */
interface Counter {
  call: string;
  sees: 'host' | 'affinity';
}

const COUNTERS: readonly { pattern: RegExp; counter: Counter }[] = [
  { pattern: /\bsched_getaffinity\s*\(/, counter: { call: 'os.sched_getaffinity()', sees: 'affinity' } },
  { pattern: /\bprocess_cpu_count\s*\(/, counter: { call: 'os.process_cpu_count()', sees: 'affinity' } },
  { pattern: /\bpsutil\s*\.\s*cpu_count\s*\(/, counter: { call: 'psutil.cpu_count()', sees: 'host' } },
  { pattern: /\bcpu_count\s*\(/, counter: { call: 'cpu_count()', sees: 'host' } },
  { pattern: /_NPROCESSORS_ONLN/, counter: { call: 'getconf _NPROCESSORS_ONLN', sees: 'host' } },
  { pattern: /\bnproc\b/, counter: { call: 'nproc', sees: 'affinity' } },
];

function counterIn(text: string): Counter | undefined {
  return COUNTERS.find(({ pattern }) => pattern.test(text))?.counter;
}

/**
 * Environment variables the computation reads (`os.environ.get("X", …)`, `os.getenv("X")`, `os.environ["X"]`,
 * `${X:-…}`): one of them may replace the count at run time (`WEB_CONCURRENCY` when set, the CPU count otherwise).
 */
function variablesRead(text: string): string[] {
  const names = new Set<string>();
  const patterns = [
    /\b(?:environ\s*\.\s*get|getenv)\s*\(\s*['"](\w+)['"]/g,
    /\benviron\s*\[\s*['"](\w+)['"]/g,
    /\$\{(\w+):?[-=]/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]!);
  return [...names];
}

/** `cpu_count() * 2 + 1` and the like: a count of at least 1 CPU, times and plus small literals. */
const SCALED_COUNT =
  /^\s*(?:int\s*\(\s*)?(?:(?:multiprocessing|os|psutil)\s*\.\s*)?(?:cpu_count\s*\(\s*\)|len\s*\(\s*(?:os\s*\.\s*)?sched_getaffinity\s*\(\s*0\s*\)\s*\))\s*(?:\*\s*(\d+)\s*)?(?:\+\s*(\d+)\s*)?\)?\s*$/;

/**
 * The least number of workers a config's `workers` expression gives on any machine, when it is a plain scaled CPU
 * count (every machine has at least one CPU); undefined for anything else.
 */
export function leastWorkers(deployment: Deployment, workers: ResolvedSetting): number | undefined {
  if (workers.origin !== 'config' || !deployment.config) return undefined;
  const model = deployment.config.model;
  const binding = [...model.bindings].reverse().find((b) => b.name === 'workers');
  if (!binding || binding.kind !== 'assign' || binding.branch.length) return undefined;
  const match = SCALED_COUNT.exec(model.text.slice(binding.value.span.from, binding.value.span.to));
  if (!match) return undefined;
  return Number(match[1] ?? 1) + Number(match[2] ?? 0);
}

/** The text of a config value, following module-level names and functions it uses (a few levels deep). */
function configExpression(model: ConfigModel, span: Span): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  const queue: { span: Span; depth: number }[] = [{ span, depth: 0 }];
  while (queue.length && parts.length < 20) {
    const next = queue.shift()!;
    const text = model.text.slice(next.span.from, next.span.to);
    parts.push(text);
    if (next.depth >= 3) continue;
    for (const [name] of text.matchAll(/\b[A-Za-z_]\w*\b/g)) {
      if (seen.has(name)) continue;
      seen.add(name);
      for (const binding of model.bindings) {
        if (binding.name === name && (binding.kind === 'assign' || binding.kind === 'annotated')) {
          queue.push({ span: binding.value.span, depth: next.depth + 1 });
        }
      }
      const fn = model.functions.find((f) => f.name === name);
      if (fn) queue.push({ span: fn.span, depth: next.depth + 1 });
    }
  }
  return parts.join('\n');
}

/** What the workers value is computed from, as text, and where it is written. */
function workersSource(
  facts: DeploymentFacts,
  deployment: Deployment,
  workers: ResolvedSetting,
): string | undefined {
  const where = workers.where;
  if (!where) return undefined;
  if (workers.origin === 'config' && deployment.config) {
    const model = deployment.config.model;
    const binding = [...model.bindings].reverse().find((b) => b.name === 'workers');
    if (binding && binding.kind !== 'def') return configExpression(model, binding.value.span);
    return undefined;
  }
  const lines = facts.lines(where.uri);
  const source = facts.sources.get(where.uri);
  if (!lines || !source) return undefined;
  return source.text.slice(lines.offsetAt(where.range.start), lines.offsetAt(where.range.end));
}

/** Why the count is wrong here: the container or the unit's limit, with where it is written. */
function confinement(
  facts: DeploymentFacts,
  deployment: Deployment,
  counter: Counter,
): { text: string; related?: RelatedInfo } | undefined {
  const launch = deployment.launch;
  if (!launch) return undefined;
  // Any container's CPU limit (compose cpus:, Kubernetes resources.limits.cpu, a fly.toml [[vm]]…).
  const limit = launch.container ? containerCpuLimit(deployment) : undefined;
  if (limit) return { text: limit.text, related: limit.related };
  if (launch.kind === 'compose') {
    return { text: `the compose service ${launch.unit ?? ''} runs in a container`.replace('  ', ' ') };
  }
  if (launch.kind === 'manifest' && launch.container) {
    return { text: `Gunicorn runs in a ${orchestratorName(launch.container.orchestrator)} container` };
  }
  if (launch.kind === 'dockerfile') return { text: 'Gunicorn runs in a container (this Dockerfile)' };
  if (launch.kind === 'shell') return scriptInImage(facts, launch.path);
  const view = deployment.service?.view;
  if (launch.kind === 'systemd' && view) {
    const quota = view.last('Service', 'CPUQuota');
    if (quota) {
      return {
        text: `${deployment.service!.name} is limited by CPUQuota=${quota.directive.value}`,
        related: unitRelated(quota, `CPUQuota=${quota.directive.value}`),
      };
    }
    // A cpuset is what sched_getaffinity and nproc do see.
    const cpus = view.last('Service', 'AllowedCPUs') ?? view.last('Service', 'CPUAffinity');
    if (cpus && counter.sees === 'host') {
      return {
        text: `${deployment.service!.name} may run only on the CPUs of ${cpus.directive.key}=${cpus.directive.value}`,
        related: unitRelated(cpus, `${cpus.directive.key}=${cpus.directive.value}`),
      };
    }
  }
  return undefined;
}

/** A script that a workspace Dockerfile names (COPY, ENTRYPOINT, CMD, RUN): an entry point run in the container. */
function scriptInImage(
  facts: DeploymentFacts,
  path: string,
): { text: string; related?: RelatedInfo } | undefined {
  const name = fileName(path);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = new RegExp(`(^|[\\s/"'\\[])${escaped}($|[\\s"'\\],])`, 'm');
  for (const source of facts.sources.values()) {
    if (source.kind !== 'dockerfile') continue;
    const match = word.exec(source.text);
    const lines = facts.lines(source.uri);
    if (!match || !lines) continue;
    const at = match.index + match[1]!.length;
    return {
      text: `the script runs in a container (${fileName(source.path)} names it)`,
      related: { uri: source.uri, range: lines.range(at, at + name.length), message: `${name} in the image` },
    };
  }
  return undefined;
}

export const workersCpuCount: DeploymentRule = {
  meta: {
    id: 'workers-cpu-count',
    defaultSeverity: 'warning',
    description:
      "workers computed from cpu_count() or nproc in a container or under a systemd CPU limit: it counts the host's CPUs, not the service's share, so a big host starts far too many workers.",
    docsUrl: deploymentRuleDocsUrl('workers-cpu-count'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const workers = facts.setting(deployment, 'workers');
      if (!workers?.where || workers.known) continue;
      const text = workersSource(facts, deployment, workers);
      const counter = text === undefined ? undefined : counterIn(text);
      if (!counter) continue;
      const confined = confinement(facts, deployment, counter);
      if (!confined) continue;
      const variables = variablesRead(text!);
      if (variables.some((name) => deployment.env.has(name))) continue;
      const variable = variables.length ? variables.join(', ') : undefined;
      const sees =
        counter.sees === 'affinity'
          ? `${counter.call} sees the CPUs the process may run on (a cpuset) but not a CPU quota (docker --cpus, compose cpus:, Kubernetes limits, CPUQuota=)`
          : `${counter.call} returns the number of CPUs of the host, whatever share of them the service may use`;
      const where: Located<unknown> = workers.where;
      const fixes = [];
      const binding =
        workers.origin === 'config'
          ? [...(deployment.config?.model.bindings ?? [])].reverse().find((b) => b.name === 'workers')
          : undefined;
      const model = deployment.config?.model;
      if (model && binding && binding.kind === 'assign' && binding.branch.length === 0) {
        const edits = [
          {
            uri: where.uri,
            edit: { range: where.range, newText: 'int(os.environ.get("WEB_CONCURRENCY", 2))' },
          },
        ];
        // `import os` just above the statement when the file has none (a docstring or __future__ import stays first).
        const importsOs = model.bindings.some((b) => b.name === 'os' && b.kind === 'import');
        if (!importsOs) {
          const line = model.lines.positionAt(binding.statementSpan.from).line;
          const at = { line, character: 0 };
          edits.push({
            uri: where.uri,
            edit: { range: { start: at, end: at }, newText: `import os${model.lines.eol}` },
          });
        }
        fixes.push(fixAcross(where.uri, 'Read workers from WEB_CONCURRENCY (2 when it is not set)', edits));
      }
      report({
        uri: where.uri,
        range: where.range,
        ...(variable ? { severity: 'info' as const } : {}),
        message: `workers is computed from ${counter.call} (${originLabel(workers.origin)}) and ${confined.text}: ${sees}, so on a large host Gunicorn starts far more workers than the service can run (64 CPUs give 129 workers with 2 × CPUs + 1), and they compete for the CPU and the memory limit until the OOM killer steps in.${variable ? ` This applies unless ${variables.length > 1 ? 'one of ' : ''}${variable} is set at run time.` : ''} Set an explicit number, or read it from WEB_CONCURRENCY (Gunicorn's own default for workers) and set that per environment.`,
        ...(confined.related ? { related: [confined.related] } : {}),
        ...(fixes.length ? { fixes } : {}),
      });
    }
  },
};

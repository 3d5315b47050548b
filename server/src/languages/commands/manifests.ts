// Orchestrator manifests as launch sources: each container or process of a Kubernetes manifest, render.yaml, App
// Engine app.yaml, fly.toml or app.json that runs Gunicorn becomes a site with its container facet (stop grace and
// signal written or the orchestrator's default with its source, ports, probes, limits, environment, folder).

import type { Version } from '../../core/version';
import { findGunicornInvocation } from '../gunicorn/commandLine';
import type { ContainerFacet, ContainerPort, ContainerProbeFacet, Located } from '../gunicorn/launch';
import {
  identity,
  type CommandRegion,
  type Env,
  type EnvEntry,
  type Locate,
  type ParsedSource,
  type Site,
} from '../gunicorn/launchSites';
import type { ContainerLaunch, Fact, Span } from './containerFacts';
import { parseKubernetesManifest } from './kubernetes';

export { parseKubernetesManifest };
import { MAX_MANIFEST_CHARS } from './paths';
import { parsePlatformManifest } from './platformManifests';

/** The key each orchestrator's file sets the grace period with (for messages and fixes). */
const STOP_GRACE_KEYS: Partial<Record<ContainerLaunch['orchestrator'], string>> = {
  kubernetes: 'terminationGracePeriodSeconds',
  fly: 'kill_timeout',
  render: 'maxShutdownDelaySeconds',
};

/** The words for a platform whose grace period no file sets (Heroku, Cloud Run, Dokku). */
const FIXED_GRACE = 'grace period';

/** A container launch and, for Kubernetes, its pod's labels (what Services select). */
export interface ManifestLaunch {
  launch: ContainerLaunch;
  podLabels?: ReadonlyMap<string, string>;
  /** Other containers run in the same pod. */
  sharedPod?: boolean;
}

/** The container launches of a manifest (Kubernetes or a platform's), [] for anything else; never throws. */
export function manifestLaunches(path: string, text: string): ManifestLaunch[] {
  if (text.length > MAX_MANIFEST_CHARS) return [];
  try {
    const platform = parsePlatformManifest(path, text);
    if (platform) return platform.launches.map((launch) => ({ launch }));
    const kubernetes = parseKubernetesManifest(text, path);
    return (kubernetes?.workloads ?? []).flatMap((workload) =>
      workload.containers.map((launch) => ({
        launch,
        podLabels: workload.labels,
        ...(workload.containers.length > 1 ? { sharedPod: true } : {}),
      })),
    );
  } catch {
    return [];
  }
}

export function manifestSites(path: string, text: string, version: Version, parsed: ParsedSource): Site[] {
  const sites: Site[] = [];
  for (const { launch, podLabels, sharedPod } of manifestLaunches(path, text)) {
    const env = envOf(launch);
    const cwd: EnvEntry | undefined =
      launch.workingDir?.value !== undefined
        ? { name: 'cwd', value: launch.workingDir.value, span: launch.workingDir.span, exact: true }
        : undefined;
    const containerOf =
      (form: 'exec' | 'shell') =>
      (locate: Locate): ContainerFacet => ({
        ...facetOf(launch, locate, podLabels),
        ...(sharedPod ? { sharedPod } : {}),
        commandForm: form,
      });
    for (const command of launch.commands) {
      const invocation = findGunicornInvocation(command.words, { version });
      if (!invocation) continue;
      const region: CommandRegion = {
        from: command.span.from,
        to: command.span.to,
        text,
        form: command.form === 'shell' ? 'shell' : 'json',
      };
      if (command.exact) parsed.regions.push(region);
      const execs = command.words[0]?.text === 'exec';
      sites.push({
        kind: 'manifest',
        invocation,
        toDocument: identity,
        span: command.span,
        env,
        ...(cwd ? { cwd } : {}),
        unit: launch.name,
        exact: command.exact,
        container: containerOf(command.form),
        ...(command.form === 'shell' && command.shell?.program
          ? { shell: { program: command.shell.program, implicit: false, span: command.span }, execs }
          : {}),
      });
    }
  }
  return sites;
}

/**
 * Variables with a value known here, and the `PORT` a platform sets (Render, Heroku, App Engine, Cloud Run): Gunicorn
 * binds 0.0.0.0:$PORT when no bind is given, so the model must see it (as `$PORT` when the platform picks the value).
 */
function envOf(launch: ContainerLaunch): Env {
  const env: Env = new Map();
  for (const variable of launch.env.values()) {
    const value = variable.value.value;
    if (value === undefined) continue;
    env.set(variable.name, { name: variable.name, value, span: variable.value.span, exact: false });
  }
  if (launch.portEnv?.value && !env.has('PORT')) {
    const port = launch.portEnvValue;
    const span = port?.origin === 'file' ? port.span : launch.span;
    const value = port?.value != null ? String(port.value) : '$PORT';
    env.set('PORT', { name: 'PORT', value, span, exact: false });
  }
  return env;
}

function factSeconds(fact: Fact<number> | undefined): number | undefined {
  return fact?.value ?? undefined;
}

function probeOf(probe: ContainerLaunch['probes'][number], locate: Locate): ContainerProbeFacet {
  const numbers: Partial<ContainerProbeFacet> = {};
  const initial = factSeconds(probe.initialDelaySeconds);
  const period = factSeconds(probe.periodSeconds);
  const timeout = factSeconds(probe.timeoutSeconds);
  const failures = factSeconds(probe.failureThreshold);
  if (initial !== undefined) numbers.initialDelaySeconds = initial;
  if (period !== undefined) numbers.periodSeconds = period;
  if (timeout !== undefined) numbers.timeoutSeconds = timeout;
  if (failures !== undefined) numbers.failureThreshold = failures;
  const port = probe.port;
  return {
    role: probe.role,
    kind: probe.kind,
    where: locate(probe.role, probe.span),
    ...(port
      ? {
          port: {
            ...locate(port.text, port.span),
            ...(port.value !== undefined ? { target: port.value } : {}),
          },
        }
      : {}),
    ...numbers,
  };
}

function facetOf(
  launch: ContainerLaunch,
  locate: Locate,
  podLabels: ReadonlyMap<string, string> | undefined,
): ContainerFacet {
  const at = <T>(value: { text: string; span: Span } & T): Located<string> & T => ({
    ...value,
    ...locate(value.text, value.span),
  });
  const facet: ContainerFacet = {
    orchestrator: launch.orchestrator,
    service: locate(launch.name, launch.span),
    ports: [],
  };
  facet.stopGraceKey = STOP_GRACE_KEYS[launch.orchestrator] ?? FIXED_GRACE;
  if (launch.image) facet.image = locate(launch.image.text, launch.image.span);
  const grace = launch.stopGrace;
  if (grace.origin === 'file') {
    facet.stopGrace = at({
      text: grace.text,
      span: grace.span,
      ...(grace.value !== undefined ? { seconds: grace.value } : {}),
    });
  } else if (grace.value !== null) {
    facet.stopGraceDefault = { seconds: grace.value, source: grace.source };
  }
  const signal = launch.stopSignal;
  if (signal.origin === 'file') facet.stopSignal = locate(signal.value ?? signal.text, signal.span);
  else if (signal.value) facet.stopSignalDefault = { signal: signal.value, source: signal.source };
  if (launch.preStop) {
    facet.preStop = {
      ...locate(launch.preStop.kind, launch.preStop.span),
      ...(launch.preStop.seconds !== undefined ? { seconds: launch.preStop.seconds } : {}),
    };
  }
  const cpu = launch.cpuLimit;
  if (cpu?.origin === 'file') {
    facet.cpus = at({
      text: cpu.text,
      span: cpu.span,
      ...(cpu.value !== undefined ? { count: cpu.value } : {}),
    });
  }
  const memory = launch.memoryLimit;
  if (memory?.origin === 'file') {
    facet.memory = at({
      text: memory.text,
      span: memory.span,
      ...(memory.value !== undefined ? { bytes: memory.value } : {}),
    });
  }
  for (const port of launch.ports) {
    if (port.port.value === undefined) {
      facet.portsUnknown = true;
      continue;
    }
    facet.ports.push({
      port: port.port.value,
      last: port.port.value,
      protocol: 'tcp',
      declaredBy: portRole(launch, port.role),
      ...(port.name !== undefined ? { name: port.name } : {}),
      where: locate(port.port.text, port.port.span),
    } satisfies ContainerPort);
  }
  if (launch.portEnv?.value) {
    const value = launch.portEnvValue;
    facet.portEnv = {
      ...(value?.value != null ? { port: value.value } : {}),
      ...(value?.origin === 'file' ? { where: locate(value.text, value.span) } : {}),
      ...(value?.origin === 'default' ? { source: value.source } : {}),
      ...(launch.portEnv.origin === 'default' && !value ? { source: launch.portEnv.source } : {}),
    };
  }
  if (launch.probes.length) facet.probes = launch.probes.map((probe) => probeOf(probe, locate));
  if (podLabels?.size) facet.podLabels = podLabels;
  return facet;
}

function portRole(launch: ContainerLaunch, role: 'container' | 'routed'): ContainerPort['declaredBy'] {
  if (role === 'container') return 'containerPort';
  return launch.orchestrator === 'fly' ? 'internal_port' : 'PORT';
}

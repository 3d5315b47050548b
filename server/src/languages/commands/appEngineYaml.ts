// Google App Engine's app.yaml (standard and flexible environments) as one container launch: `entrypoint`,
// `env_variables`, the instance class's memory (standard) or `resources` (flexible), the flexible environment's
// liveness and readiness checks, and what App Engine passes in $PORT.

import { isMap, parseDocument, type Document } from 'yaml';
import { shellLineCommands } from './containerCommands';
import type {
  ContainerEnvVar,
  ContainerLaunch,
  ContainerProbe,
  Fact,
  OrchestratorName,
} from './containerFacts';
import { defaultFact, platformDefault } from './orchestratorFacts';
import { as, entries, get, scalarText, spanOf, written, yamlShellText, type YamlNode } from './yamlNodes';
import { withoutStackTraces } from '../../core/stackless';

/** Top-level keys only App Engine's app.yaml has (with `runtime`), to tell it from any other app.yaml. */
const APP_ENGINE_KEYS = new Set([
  'entrypoint',
  'env_variables',
  'instance_class',
  'handlers',
  'automatic_scaling',
  'basic_scaling',
  'manual_scaling',
  'service',
  'runtime_config',
  'liveness_check',
  'readiness_check',
  'beta_settings',
  'vpc_access_connector',
  'inbound_services',
  'app_engine_apis',
]);

const TOP_LEVEL_RUNTIME = /^\uFEFF?runtime[ \t]*:[ \t]*['"]?[a-z][\w-]*['"]?[ \t]*(?:#.*)?\r?$/m;

/** App Engine's runtime names (`python312`, `python`, `nodejs20`, `go122`, `java21`, `php83`, `ruby33`). */
const APP_ENGINE_RUNTIME =
  /^\uFEFF?runtime[ \t]*:[ \t]*['"]?(?:python|nodejs|go|java|php|ruby)\d*['"]?[ \t]*(?:#.*)?\r?$/m;

/**
 * Whether a YAML text is an App Engine app.yaml: a top-level `runtime` and a key only App Engine uses; a file named
 * app.yaml with only an App Engine runtime name counts too (the runtime then starts the app itself).
 */
export function looksLikeAppEngineYaml(text: string, fileName = ''): boolean {
  if (!TOP_LEVEL_RUNTIME.test(text)) return false;
  if (/^app\.ya?ml$/.test(fileName) && APP_ENGINE_RUNTIME.test(text)) return true;
  for (const m of text.matchAll(/^\uFEFF?([a-z_]+)[ \t]*:/gm)) if (APP_ENGINE_KEYS.has(m[1]!)) return true;
  return /^\uFEFF?env[ \t]*:[ \t]*['"]?flex/m.test(text);
}

const MiB = 2 ** 20;

function envOf(node: YamlNode, doc: Document.Parsed): Map<string, ContainerEnvVar> {
  const env = new Map<string, ContainerEnvVar>();
  for (const entry of entries(node, doc)) {
    const nameSpan = spanOf(entry.keyNode);
    const value = written(entry.value, as.string);
    const span = spanOf(entry.value) ?? nameSpan;
    if (!nameSpan || !span) continue;
    env.set(entry.key, { name: entry.key, nameSpan, value: value ?? { text: '', span } });
  }
  return env;
}

/** A flexible-environment liveness or readiness check (values in seconds as written; no defaults recorded). */
function checkOf(
  node: YamlNode,
  role: ContainerProbe['role'],
  doc: Document.Parsed,
): ContainerProbe | undefined {
  const span = spanOf(node);
  if (!node || !span || !isMap(node)) return undefined;
  const probe: ContainerProbe = { role, kind: 'http', span };
  const path = written(get(node, 'path', doc), as.string);
  if (path) probe.path = path;
  const seconds = (key: string): Fact<number> | undefined => {
    const value = written(get(node, key, doc), as.integer);
    return value ? { origin: 'file', ...value } : undefined;
  };
  const interval = seconds('check_interval_sec');
  if (interval) probe.periodSeconds = interval;
  const timeout = seconds('timeout_sec');
  if (timeout) probe.timeoutSeconds = timeout;
  const failures = seconds('failure_threshold');
  if (failures) probe.failureThreshold = failures;
  const delay = seconds(role === 'readiness' ? 'app_start_timeout_sec' : 'initial_delay_sec');
  if (delay) probe.initialDelaySeconds = delay;
  return probe;
}

/** Memory of the standard environment's instance class, written or App Engine's default class. */
function instanceMemory(node: YamlNode, root: YamlNode, doc: Document.Parsed): Fact<number> | undefined {
  const table = platformDefault<Record<string, number>>('app-engine-standard', 'instanceMemoryMB');
  const memoryOf = (instanceClass: string) => {
    const mb = table.value?.[instanceClass.toUpperCase()];
    return mb === undefined ? undefined : mb * MiB;
  };
  const written_ = written(node, (_value, text) => memoryOf(text));
  if (written_) return { origin: 'file', ...written_ };
  const manual = get(root, 'basic_scaling', doc) ?? get(root, 'manual_scaling', doc);
  const fact = manual ? 'defaultInstanceClassBasicManual' : 'defaultInstanceClass';
  const instanceClass = platformDefault<string>('app-engine-standard', fact).value;
  const memory = instanceClass ? memoryOf(instanceClass) : undefined;
  return memory === undefined
    ? undefined
    : { ...defaultFact<number>('app-engine-standard', fact), value: memory };
}

/** The launch of an App Engine app.yaml; [] when the text is not one. Never throws. */
export function parseAppEngineYaml(text: string, fileName = 'app.yaml'): ContainerLaunch[] {
  try {
    if (!looksLikeAppEngineYaml(text, fileName)) return [];
    const doc = withoutStackTraces(() =>
      parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: false }),
    );
    const root = doc.contents;
    const span = spanOf(root);
    if (!span || !isMap(root)) return [];
    const flexible = /^flex/.test(scalarText(get(root, 'env', doc)) ?? '');
    const orchestrator: OrchestratorName = flexible ? 'app-engine-flexible' : 'app-engine-standard';
    const entrypoint = yamlShellText(text, get(root, 'entrypoint', doc));
    const launch: ContainerLaunch = {
      orchestrator,
      name: scalarText(get(root, 'service', doc)) ?? 'default',
      span,
      commands: entrypoint ? shellLineCommands(text, entrypoint, 'entrypoint') : [],
      env: envOf(get(root, 'env_variables', doc), doc),
      unknownEnv: [],
      ports: [],
      portEnv: defaultFact<boolean>(orchestrator, 'portEnv'),
      probes: [],
      stopGrace: defaultFact<number>(orchestrator, 'stopGraceSeconds'),
      stopSignal: defaultFact<string>(orchestrator, 'stopSignal'),
    };
    if (flexible) {
      launch.portEnvValue = defaultFact<number>(orchestrator, 'defaultPort');
      const resources = get(root, 'resources', doc);
      const cpu = written(get(resources, 'cpu', doc), (value) =>
        typeof value === 'number' ? value : undefined,
      );
      if (cpu) launch.cpuLimit = { origin: 'file', ...cpu };
      const memory = written(get(resources, 'memory_gb', doc), (value) =>
        typeof value === 'number' ? value * 2 ** 30 : undefined,
      );
      if (memory) launch.memoryLimit = { origin: 'file', ...memory };
      for (const [key, role] of [
        ['liveness_check', 'liveness'],
        ['readiness_check', 'readiness'],
      ] as const) {
        const probe = checkOf(get(root, key, doc), role, doc);
        if (probe) launch.probes.push(probe);
      }
    } else {
      const instanceClass = get(root, 'instance_class', doc);
      const size = written(instanceClass, as.string);
      if (size) launch.machineSize = size;
      const memory = instanceMemory(instanceClass, root, doc);
      if (memory) launch.memoryLimit = memory;
    }
    return [launch];
  } catch {
    return [];
  }
}

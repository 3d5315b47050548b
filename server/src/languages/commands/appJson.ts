// Heroku's and Dokku's app.json as container launches, one per `formation` process type (`web` when none is
// listed): the environment it declares, dyno size and quantity, Dokku's `healthchecks`, and the platform's stop
// defaults. The commands themselves live in the Procfile; app.json only adds what the platform does with them.

import { isMap, parseDocument, type Document } from 'yaml';
import type {
  ContainerEnvVar,
  ContainerLaunch,
  ContainerProbe,
  Fact,
  OrchestratorName,
} from './containerFacts';
import { defaultFact } from './orchestratorFacts';
import {
  as,
  entries,
  get,
  isScalarNode,
  items,
  scalarText,
  spanOf,
  written,
  type YamlNode,
} from './yamlNodes';
import { withoutStackTraces } from '../../core/stackless';

/** Keys of Heroku's app.json schema; a file with none of them (or with Expo's `expo`) is some other app.json. */
const APP_JSON_KEYS = [
  'env',
  'formation',
  'scripts',
  'addons',
  'buildpacks',
  'stack',
  'environments',
  'healthchecks',
];

/** Whether a JSON text is a Heroku/Dokku app.json (by its top-level keys; while it is being typed, by its lines). */
export function looksLikeAppJson(text: string): boolean {
  let keys: Set<string>;
  try {
    const parsed: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
    keys = new Set(Object.keys(parsed));
  } catch {
    keys = new Set([...text.matchAll(/^\s{0,4}"([A-Za-z_-]+)"\s*:/gm)].map((m) => m[1]!));
  }
  return !keys.has('expo') && APP_JSON_KEYS.some((key) => keys.has(key));
}

function envOf(node: YamlNode, doc: Document.Parsed): Map<string, ContainerEnvVar> {
  const env = new Map<string, ContainerEnvVar>();
  for (const entry of entries(node, doc)) {
    const nameSpan = spanOf(entry.keyNode);
    const span = spanOf(entry.value);
    if (!nameSpan || !span) continue;
    // `"KEY": "value"` or `"KEY": {"value": "…", "generator": "secret", "required": true}`: only a literal value is
    // known, and only as the default the app is created with.
    const valueNode = isScalarNode(entry.value) ? entry.value : get(entry.value, 'value', doc);
    const value = written(valueNode, as.string);
    env.set(entry.key, { name: entry.key, nameSpan, value: value ?? { text: '', span } });
  }
  return env;
}

/** Dokku's `healthchecks.<process>` entries. */
function healthchecksOf(node: YamlNode, doc: Document.Parsed): ContainerProbe[] {
  const probes: ContainerProbe[] = [];
  for (const check of items(node, doc)) {
    const span = spanOf(check);
    if (!span || !isMap(check)) continue;
    const type = scalarText(get(check, 'type', doc));
    const role: ContainerProbe['role'] =
      type === 'liveness'
        ? 'liveness'
        : type === 'readiness'
          ? 'readiness'
          : type === 'startup'
            ? 'startup'
            : 'health';
    const path = written(get(check, 'path', doc), as.string);
    const probe: ContainerProbe = { role, kind: path ? 'http' : 'unknown', span };
    if (path) probe.path = path;
    const port = written(get(check, 'port', doc), as.integer);
    if (port) probe.port = port;
    const seconds = (key: string): Fact<number> | undefined => {
      const value = written(get(check, key, doc), as.integer);
      return value ? { origin: 'file', ...value } : undefined;
    };
    const delay = seconds('initialDelay');
    if (delay) probe.initialDelaySeconds = delay;
    const timeout = seconds('timeout');
    if (timeout) probe.timeoutSeconds = timeout;
    const wait = seconds('wait');
    if (wait) probe.periodSeconds = wait;
    const attempts = seconds('attempts');
    if (attempts) probe.failureThreshold = attempts;
    probes.push(probe);
  }
  return probes;
}

/** The launches an app.json describes; [] when the text is not one. Never throws. */
export function parseAppJson(text: string): ContainerLaunch[] {
  try {
    if (!looksLikeAppJson(text)) return [];
    const doc = withoutStackTraces(() =>
      parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: false }),
    );
    const root = doc.contents;
    const rootSpan = spanOf(root);
    if (!rootSpan || !isMap(root)) return [];
    const healthchecks = get(root, 'healthchecks', doc);
    const dokku = healthchecks !== undefined || get(get(root, 'scripts', doc), 'dokku', doc) !== undefined;
    const orchestrator: OrchestratorName = dokku ? 'dokku' : 'heroku';
    const env = envOf(get(root, 'env', doc), doc);
    const formation = entries(get(root, 'formation', doc), doc);
    const processes = formation.length ? formation : [{ key: 'web', keyNode: undefined, value: undefined }];
    return processes.map((process) => {
      const span = (process.keyNode && spanOf(process.keyNode)) ?? rootSpan;
      const launch: ContainerLaunch = {
        orchestrator,
        name: process.key,
        span: { from: span.from, to: spanOf(process.value)?.to ?? span.to },
        commands: [],
        env,
        unknownEnv: [],
        ports: [],
        probes: healthchecksOf(get(healthchecks, process.key, doc), doc),
        stopGrace: defaultFact<number>(orchestrator, 'stopGraceSeconds'),
        stopSignal: defaultFact<string>(orchestrator, 'stopSignal'),
      };
      if (!dokku && process.key === 'web') launch.portEnv = defaultFact<boolean>('heroku', 'portEnv');
      const size = written(get(process.value, 'size', doc), as.string);
      if (size) launch.machineSize = size;
      const quantity = written(get(process.value, 'quantity', doc), as.integer);
      if (quantity) launch.instances = quantity;
      return launch;
    });
  } catch {
    return [];
  }
}

// One container of a Kubernetes pod spec as a container launch: command and args, env, ports, probes, limits,
// preStop hook, and the pod's grace period (or Kubernetes' defaults from orchestrators.json).

import { isMap, isScalar, type Document } from 'yaml';
import { argvCommands, argvWordAt, shellCommands, type ArgvWord } from './containerCommands';
import type {
  ContainerEnvVar,
  ContainerLaunch,
  ContainerPort,
  ContainerProbe,
  Fact,
  PreStopHook,
  Span,
  Written,
} from './containerFacts';
import { defaultFact } from './orchestratorFacts';
import { kubernetesQuantity } from './quantities';
import {
  as,
  at,
  entries,
  get,
  isPlaceholder,
  items,
  scalarText,
  spanOf,
  written,
  yamlShellText,
  type YamlNode,
} from './yamlNodes';

/** What the pod spec gives every container. */
export interface PodContext {
  doc: Document.Parsed;
  /**
   * Template expressions standing alone on their lines (Helm `{{ include … | nindent 10 }}`): they insert unknown
   * lines, so a container holding one may have variables and limits this reading cannot see.
   */
  insertions: readonly Span[];
  /**
   * `cloud-run` for a Cloud Run service (a Knative Service): its contract, not Kubernetes', says how the container
   * is stopped and reached (10 s after SIGTERM; PORT set to the containerPort).
   */
  orchestrator: 'kubernetes' | 'cloud-run';
  podSpec: YamlNode;
  replicas?: Written<number>;
}

// Kubernetes expands $(VAR) in command and args from the container's environment.
const KUBERNETES_REFERENCE = /\$\([A-Za-z_][A-Za-z0-9_]*\)/;

/** One item of a `command`/`args` list as an argv word. */
function argvWord(text: string, node: YamlNode): ArgvWord | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const value = scalarText(node);
  if (value === undefined) return undefined;
  const shell = yamlShellText(text, node) ?? { value, whole: { from: node.range[0], to: node.range[1] } };
  return argvWordAt(text, shell, {
    quoted: node.type !== 'PLAIN',
    dynamic: KUBERNETES_REFERENCE.test(value),
  });
}

function argvOf(text: string, node: YamlNode, doc: Document.Parsed): ArgvWord[] {
  return items(node, doc)
    .map((item) => argvWord(text, item))
    .filter((word): word is ArgvWord => word !== undefined);
}

function fileFact<T>(value: Written<T> | undefined): Fact<T> | undefined {
  return value ? { origin: 'file', ...value } : undefined;
}

function probeOf(
  node: YamlNode,
  role: ContainerProbe['role'],
  doc: Document.Parsed,
  withDefaults: boolean,
): ContainerProbe | undefined {
  const span = spanOf(node);
  if (!node || !span) return undefined;
  const probe: ContainerProbe = { role, kind: 'unknown', span };
  // A probe a template fills in (`livenessProbe:` then `{{ toYaml … }}`): nothing is known, not even its timings.
  if (!isMap(node)) return probe;
  const action = (key: string) => get(node, key, doc);
  const http = action('httpGet');
  const tcp = action('tcpSocket');
  const grpc = action('grpc');
  if (http) {
    probe.kind = 'http';
    const path = written(get(http, 'path', doc), as.string);
    if (path) probe.path = path;
    const port = written(get(http, 'port', doc), as.portOrName);
    if (port) probe.port = port;
  } else if (tcp || grpc) {
    probe.kind = tcp ? 'tcp' : 'grpc';
    const port = written(get(tcp ?? grpc, 'port', doc), as.portOrName);
    if (port) probe.port = port;
  } else if (action('exec')) {
    probe.kind = 'exec';
  }
  // Cloud Run's probe defaults are not Kubernetes' (and not in our facts): only written values there.
  const timing = (key: string, fact: string): Fact<number> | undefined =>
    fileFact(written(get(node, key, doc), as.integer)) ??
    (withDefaults ? defaultFact<number>('kubernetes', fact) : undefined);
  const timings = [
    ['initialDelaySeconds', 'probeInitialDelaySeconds'],
    ['periodSeconds', 'probePeriodSeconds'],
    ['timeoutSeconds', 'probeTimeoutSeconds'],
    ['failureThreshold', 'probeFailureThreshold'],
  ] as const;
  for (const [key, fact] of timings) {
    const value = timing(key, fact);
    if (value) probe[key] = value;
  }
  return probe;
}

/** Seconds of a `sleep N` command (also inside `sh -c "sleep N && …"`), when it is one. */
function sleepSeconds(text: string, argv: readonly ArgvWord[]): number | undefined {
  const words = argv.map((word) => word.token.text);
  const program = (words[0] ?? '').split('/').pop();
  if (program === 'sleep' && words.length === 2) return secondsOf(words[1]!);
  if (program && /^(?:ba|da|z|a|k)?sh$/.test(program) && /^-[a-z]*c[a-z]*$/.test(words[1] ?? '')) {
    const script = argv[2]?.shell;
    if (!script) return undefined;
    const first = shellCommands(text, script).commands[0];
    if (first?.[0]?.text === 'sleep' && first.length === 2) return secondsOf(first[1]!.text);
  }
  return undefined;
}

function secondsOf(word: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(word);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

function preStopOf(text: string, node: YamlNode, doc: Document.Parsed): PreStopHook | undefined {
  const span = spanOf(node);
  if (!node || !span) return undefined;
  const sleep = get(node, 'sleep', doc);
  if (sleep) {
    const seconds = written(get(sleep, 'seconds', doc), as.integer)?.value;
    return { kind: 'sleep', ...(seconds !== undefined ? { seconds } : {}), span };
  }
  const exec = get(node, 'exec', doc);
  if (exec) {
    const seconds = sleepSeconds(text, argvOf(text, get(exec, 'command', doc), doc));
    return seconds === undefined ? { kind: 'exec', span } : { kind: 'sleep', seconds, span };
  }
  if (get(node, 'httpGet', doc)) return { kind: 'http', span };
  return { kind: 'unknown', span };
}

function envOf(node: YamlNode, doc: Document.Parsed): { env: Map<string, ContainerEnvVar>; unknown: Span[] } {
  const env = new Map<string, ContainerEnvVar>();
  const unknown: Span[] = [];
  if (isScalar(node) && typeof node.value === 'string' && isPlaceholder(node.value)) {
    // `env: {{ toYaml .Values.env }}` written inline: any variable may be set.
    const span = spanOf(node);
    if (span) unknown.push(span);
  }
  for (const item of items(node, doc)) {
    const nameNode = get(item, 'name', doc);
    const name = scalarText(nameNode);
    const nameSpan = spanOf(nameNode);
    const itemSpan = spanOf(item);
    if (!name || !nameSpan || !itemSpan) {
      if (itemSpan) unknown.push(itemSpan);
      continue;
    }
    const valueNode = get(item, 'value', doc);
    const valueFrom = get(item, 'valueFrom', doc);
    let value: Written<string> | undefined;
    if (valueFrom) {
      value = { text: 'valueFrom', span: spanOf(valueFrom) ?? itemSpan };
    } else if (valueNode !== undefined && valueNode !== null) {
      value = written(valueNode, (raw, text) =>
        KUBERNETES_REFERENCE.test(text) ? undefined : as.string(raw, text),
      );
    } else {
      // No value: the variable is set to the empty string.
      value = { value: '', text: '', span: { from: nameSpan.to, to: nameSpan.to } };
    }
    env.set(name, { name, nameSpan, value: value ?? { text: '', span: itemSpan } });
  }
  return { env, unknown };
}

function portsOf(node: YamlNode, doc: Document.Parsed, role: ContainerPort['role']): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const item of items(node, doc)) {
    const port = written(get(item, 'containerPort', doc), as.integer);
    if (!port) continue;
    const name = scalarText(get(item, 'name', doc));
    ports.push({ port, role, ...(name ? { name } : {}) });
  }
  return ports;
}

function limitOf(
  resources: YamlNode,
  key: string,
  doc: Document.Parsed,
  filledIn: Span | undefined,
): Fact<number> | undefined {
  const limit = written(at(resources, ['limits', key], doc), (value) => kubernetesQuantity(value));
  if (limit) return { origin: 'file', ...limit };
  // `resources: {{ toYaml .Values.resources }}` inline, or on the lines below: a limit may be there, unknown here.
  const placeholder = isScalar(resources) && typeof resources.value === 'string' ? resources : undefined;
  const span = spanOf(placeholder);
  if (placeholder && span) return { origin: 'file', text: String(placeholder.value), span };
  return filledIn ? { origin: 'file', text: '', span: filledIn } : undefined;
}

/**
 * Where a block map that starts at `span.from` really ends: at the first line after it that is indented less than
 * its keys. Its parsed span stops at its last value, while template lines blanked after that still belong to it.
 */
function blockEnd(text: string, span: Span): number {
  const column = span.from - (text.lastIndexOf('\n', span.from - 1) + 1);
  let lineStart = text.indexOf('\n', span.to) + 1;
  while (lineStart > 0 && lineStart < text.length) {
    const indent = /^[ \t]*/.exec(text.slice(lineStart, lineStart + column + 1))![0].length;
    const next = text.indexOf('\n', lineStart);
    const blank = /^\s*$/.test(text.slice(lineStart, next < 0 ? text.length : next));
    if (!blank && indent < column) return lineStart;
    lineStart = next + 1;
  }
  return text.length;
}

/**
 * The `resources:` key when its value is left empty and the next thing after it is a template line (blanked in
 * `text`), which fills it in.
 */
function resourcesFilledIn(
  text: string,
  node: YamlNode,
  doc: Document.Parsed,
  pod: PodContext,
): Span | undefined {
  const entry = entries(node, doc).find((e) => e.key === 'resources');
  const empty = isScalar(entry?.value) && entry.value.value === null;
  if (!entry || !empty || !entry.keyNode.range) return undefined;
  const key = { from: entry.keyNode.range[0], to: entry.keyNode.range[1] };
  const inserted = pod.insertions.some((i) => i.from > key.to && /^[\s:]*$/.test(text.slice(key.to, i.from)));
  return inserted ? key : undefined;
}

/** One container of a pod spec; `text` is the (template-masked) document text the nodes were parsed from. */
export function kubernetesContainer(
  text: string,
  node: YamlNode,
  pod: PodContext,
): ContainerLaunch | undefined {
  const { doc, podSpec } = pod;
  const span = spanOf(node);
  if (!span || !isMap(node)) return undefined;
  const command = argvOf(text, get(node, 'command', doc), doc);
  const args = argvOf(text, get(node, 'args', doc), doc);
  const field = command.length ? 'command' : 'args';
  let commands = argvCommands(text, [...command, ...args], field);
  // An entry-point script that runs its arguments (`exec "$@"`): the arguments are what it starts.
  if (!commands.length && command.length && args.length) commands = argvCommands(text, args, 'args');
  const { env, unknown } = envOf(get(node, 'env', doc), doc);
  for (const source of items(get(node, 'envFrom', doc), doc)) {
    const sourceSpan = spanOf(source);
    if (sourceSpan) unknown.push(sourceSpan);
  }
  // Lines a template inserts into this container may set any variable.
  if (pod.insertions.length) {
    const end = blockEnd(text, span);
    for (const insertion of pod.insertions) {
      if (insertion.from >= span.from && insertion.from < end) unknown.push(insertion);
    }
  }
  const resources = get(node, 'resources', doc);
  const lifecycle = get(node, 'lifecycle', doc);
  const probes = (
    [
      ['livenessProbe', 'liveness'],
      ['readinessProbe', 'readiness'],
      ['startupProbe', 'startup'],
    ] as const
  )
    .map(([key, role]) => probeOf(get(node, key, doc), role, doc, pod.orchestrator === 'kubernetes'))
    .filter((probe): probe is ContainerProbe => probe !== undefined);
  const grace = written(get(podSpec, 'terminationGracePeriodSeconds', doc), as.integer);
  const signal = written(get(lifecycle, 'stopSignal', doc), as.string);
  const { orchestrator } = pod;
  const cloudRun = orchestrator === 'cloud-run';
  const ports = portsOf(get(node, 'ports', doc), doc, cloudRun ? 'routed' : 'container');
  const launch: ContainerLaunch = {
    orchestrator,
    name: scalarText(get(node, 'name', doc)) ?? '',
    span,
    commands,
    env,
    unknownEnv: unknown,
    ports,
    portEnv: defaultFact<boolean>(orchestrator, 'portEnv'),
    probes,
    stopGrace:
      (cloudRun ? undefined : fileFact(grace)) ?? defaultFact<number>(orchestrator, 'stopGraceSeconds'),
    stopSignal: (cloudRun ? undefined : fileFact(signal)) ?? defaultFact<string>(orchestrator, 'stopSignal'),
  };
  if (cloudRun) {
    // Cloud Run sets PORT to the container's port, 8080 unless one is written.
    const port = ports[0]?.port;
    launch.portEnvValue = port
      ? { origin: 'file', ...port }
      : defaultFact<number>('cloud-run', 'defaultPort');
  }
  const image = written(get(node, 'image', doc), as.string);
  if (image) launch.image = image;
  const workingDir = written(get(node, 'workingDir', doc), as.string);
  if (workingDir) launch.workingDir = workingDir;
  const filledIn = resourcesFilledIn(text, node, doc, pod);
  const cpu = limitOf(resources, 'cpu', doc, filledIn);
  if (cpu) launch.cpuLimit = cpu;
  const memory = limitOf(resources, 'memory', doc, filledIn);
  if (memory) launch.memoryLimit = memory;
  const preStop = preStopOf(text, get(lifecycle, 'preStop', doc), doc);
  if (preStop) launch.preStop = preStop;
  if (pod.replicas) launch.instances = pod.replicas;
  return launch;
}

/** Labels of a map (`metadata.labels`, a Service's `selector`) as text; placeholders kept as written. */
export function labelsOf(node: YamlNode, doc: Document.Parsed): Map<string, string> {
  const labels = new Map<string, string>();
  for (const entry of entries(node, doc)) {
    const value = scalarText(entry.value);
    if (value !== undefined) labels.set(entry.key, value);
  }
  return labels;
}

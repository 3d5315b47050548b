// Render's Blueprint (render.yaml) as container launches, one per service: `startCommand` (or `dockerCommand`),
// `envVars`, the port Render routes to ($PORT: an envVars PORT, else Render's default), `healthCheckPath`, plan,
// `numInstances`, and `maxShutdownDelaySeconds` (else Render's default grace period).

import { isMap, parseDocument } from 'yaml';
import { shellLineCommands } from './containerCommands';
import type { ContainerEnvVar, ContainerLaunch, Fact, Span } from './containerFacts';
import { defaultFact } from './orchestratorFacts';
import { as, get, items, scalarText, spanOf, written, yamlShellText, type YamlNode } from './yamlNodes';
import type { Document } from 'yaml';
import { withoutStackTraces } from '../../core/stackless';

function envOf(node: YamlNode, doc: Document.Parsed): { env: Map<string, ContainerEnvVar>; unknown: Span[] } {
  const env = new Map<string, ContainerEnvVar>();
  const unknown: Span[] = [];
  for (const item of items(node, doc)) {
    const itemSpan = spanOf(item);
    const keyNode = get(item, 'key', doc);
    const name = scalarText(keyNode);
    const nameSpan = spanOf(keyNode);
    if (!itemSpan) continue;
    if (!name || !nameSpan) {
      // `- fromGroup: shared-settings`: a group's variables, names unknown here.
      unknown.push(itemSpan);
      continue;
    }
    const valueNode = get(item, 'value', doc);
    const value = valueNode !== undefined && valueNode !== null ? written(valueNode, as.string) : undefined;
    // generateValue, sync: false, fromDatabase, fromService: set, to something unknown here.
    env.set(name, { name, nameSpan, value: value ?? { text: '', span: itemSpan } });
  }
  return { env, unknown };
}

function launchOf(text: string, service: YamlNode, doc: Document.Parsed): ContainerLaunch | undefined {
  const span = spanOf(service);
  if (!span || !isMap(service)) return undefined;
  const type = scalarText(get(service, 'type', doc));
  const startNode = get(service, 'startCommand', doc) ?? get(service, 'dockerCommand', doc);
  const field = get(service, 'startCommand', doc) ? 'startCommand' : 'dockerCommand';
  const shell = yamlShellText(text, startNode);
  const { env, unknown } = envOf(get(service, 'envVars', doc), doc);
  const grace = written(get(service, 'maxShutdownDelaySeconds', doc), as.integer);
  const launch: ContainerLaunch = {
    orchestrator: 'render',
    name: scalarText(get(service, 'name', doc)) ?? '',
    span,
    commands: shell ? shellLineCommands(text, shell, field) : [],
    env,
    unknownEnv: unknown,
    ports: [],
    probes: [],
    stopGrace:
      (grace ? { origin: 'file', ...grace } : undefined) ?? defaultFact<number>('render', 'stopGraceSeconds'),
    stopSignal: defaultFact<string>('render', 'stopSignal'),
  };
  if (type === 'web') {
    // Web services get $PORT; an envVars PORT chooses it, else Render's default.
    launch.portEnv = defaultFact<boolean>('render', 'portEnv');
    const port = env.get('PORT')?.value;
    const portNumber = port?.value !== undefined && /^\d+$/.test(port.value) ? Number(port.value) : undefined;
    launch.portEnvValue = port
      ? ({
          origin: 'file',
          text: port.text,
          span: port.span,
          ...(portNumber !== undefined ? { value: portNumber } : {}),
        } as Fact<number>)
      : defaultFact<number>('render', 'defaultPort');
    const health = get(service, 'healthCheckPath', doc);
    const path = written(health, as.string);
    const healthSpan = spanOf(health);
    if (path && healthSpan) launch.probes.push({ role: 'health', kind: 'http', span: healthSpan, path });
  }
  const image = written(get(get(service, 'image', doc), 'url', doc), as.string);
  if (image) launch.image = image;
  const plan = written(get(service, 'plan', doc), as.string);
  if (plan) launch.machineSize = plan;
  const instances = written(get(service, 'numInstances', doc), as.integer);
  if (instances) launch.instances = instances;
  return launch;
}

/** The launches of a render.yaml's `services`; [] for anything else. Never throws. */
export function parseRenderYaml(text: string): ContainerLaunch[] {
  try {
    const doc = withoutStackTraces(() =>
      parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: false }),
    );
    return items(get(doc.contents, 'services', doc), doc)
      .map((service) => launchOf(text, service, doc))
      .filter((launch): launch is ContainerLaunch => launch !== undefined);
  } catch {
    return [];
  }
}

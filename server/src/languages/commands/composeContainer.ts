// What a compose service says about its container: stop_grace_period, stop_signal, healthcheck, CPU and memory limits,
// ports, expose, init, user, network_mode — with where each is written, as the launch's container facet.

import { LineIndex } from '../../core/text';
import type { ContainerFacet, ContainerPort, Located } from '../gunicorn/launch';
import type { Locate, SiteSource, Span } from '../gunicorn/launchSites';
import { composeServices, type ComposeService, type YamlEntry, type YamlNode } from './composeYaml';

/** A compose service's container, whether or not its command starts Gunicorn. */
export interface ComposeContainer {
  service: string;
  /** `build:` as written (context and Dockerfile), when the service builds its image. */
  build?: { context: string; dockerfile?: string };
  /** True when the service sets `command:` or `entrypoint:` (the image's CMD/ENTRYPOINT do not apply then). */
  overridesCommand: boolean;
  container: ContainerFacet;
}

/** Every service of a compose file with its container facet; never throws. */
export function readComposeContainers(source: SiteSource): ComposeContainer[] {
  try {
    const lines = new LineIndex(source.text);
    const services = composeServices(source.text, lines, []);
    const facets = composeContainerFacets(source.text, lines, services);
    const locate: Locate = (value, span) => ({
      value,
      uri: source.uri,
      range: lines.range(span.from, span.to),
    });
    return services.map((service) => {
      const build = composeBuildOf(service.keys.get('build')?.node);
      return {
        service: service.name,
        ...(build ? { build } : {}),
        overridesCommand: service.keys.has('command') || service.keys.has('entrypoint'),
        container: facets.get(service)!(locate),
      };
    });
  } catch {
    return [];
  }
}

/** A service's `build:`: a context folder, or a map with `context:` and `dockerfile:`. */
export function composeBuildOf(
  node: YamlNode | undefined,
): { context: string; dockerfile?: string } | undefined {
  if (node?.kind === 'scalar') return node.scalar.value ? { context: node.scalar.value } : undefined;
  if (node?.kind !== 'map') return undefined;
  const entry = (key: string) => node.entries.find((e) => e.key === key)?.value?.value;
  const dockerfile = entry('dockerfile');
  return { context: entry('context') ?? '.', ...(dockerfile ? { dockerfile } : {}) };
}

/** Each service's facet, as a function of how values become Located (the caller knows the file's uri). */
export function composeContainerFacets(
  text: string,
  lines: LineIndex,
  services: readonly ComposeService[],
): Map<ComposeService, (locate: Locate) => ContainerFacet> {
  const shared = new Set<string>();
  for (const service of services) {
    const mode = scalarOf(service.keys.get('network_mode'));
    const m = /^(?:service|container):(.+)$/.exec(mode?.value.trim() ?? '');
    if (m) shared.add(m[1]!.trim());
  }
  const result = new Map<ComposeService, (locate: Locate) => ContainerFacet>();
  for (const service of services) {
    result.set(service, (locate) => facetOf(text, lines, service, locate, shared.has(service.name)));
  }
  return result;
}

function scalarOf(entry: YamlEntry | undefined): { value: string; span: Span } | undefined {
  const scalar = entry?.value;
  return scalar ? { value: scalar.value, span: scalar.inner } : undefined;
}

function child(node: YamlNode | undefined, ...path: string[]): YamlEntry | undefined {
  let current = node;
  let entry: YamlEntry | undefined;
  for (const key of path) {
    if (current?.kind !== 'map') return undefined;
    entry = current.entries.find((e) => e.key === key);
    current = entry?.node;
  }
  return entry;
}

function facetOf(
  text: string,
  lines: LineIndex,
  service: ComposeService,
  locate: Locate,
  networkShared: boolean,
): ContainerFacet {
  const keys = service.keys;
  const at = (written: { value: string; span: Span } | undefined): Located<string> | undefined =>
    written ? locate(written.value, written.span) : undefined;
  const facet: ContainerFacet = {
    orchestrator: 'compose',
    service: locate(service.name, service.nameSpan),
    ports: [],
  };
  const image = at(scalarOf(keys.get('image')));
  if (image) facet.image = image;
  const grace = scalarOf(keys.get('stop_grace_period'));
  if (grace) {
    const seconds = composeDuration(grace.value);
    facet.stopGrace = { ...locate(grace.value, grace.span), ...(seconds !== undefined ? { seconds } : {}) };
  } else {
    const insert = insertPoint(text, lines, service);
    if (insert) facet.stopGraceInsert = { uri: locate('', service.nameSpan).uri, ...insert };
  }
  const signal = at(scalarOf(keys.get('stop_signal')));
  if (signal) facet.stopSignal = signal;
  const healthcheck = healthcheckOf(keys.get('healthcheck'), text);
  if (healthcheck) facet.healthcheck = locate(healthcheck.value, healthcheck.span);
  const deploy = keys.get('deploy')?.node;
  const cpus = scalarOf(keys.get('cpus')) ?? scalarOf(child(deploy, 'resources', 'limits', 'cpus'));
  if (cpus) {
    const count = /^\d+(?:\.\d+)?$/.test(cpus.value.trim()) ? Number(cpus.value) : undefined;
    facet.cpus = { ...locate(cpus.value, cpus.span), ...(count !== undefined ? { count } : {}) };
  }
  const memory = scalarOf(keys.get('mem_limit')) ?? scalarOf(child(deploy, 'resources', 'limits', 'memory'));
  if (memory) {
    const bytes = composeBytes(memory.value);
    facet.memory = { ...locate(memory.value, memory.span), ...(bytes !== undefined ? { bytes } : {}) };
  }
  for (const [key, declaredBy] of [
    ['ports', 'ports'],
    ['expose', 'expose'],
  ] as const) {
    const node = keys.get(key)?.node;
    if (!node) continue;
    if (node.kind !== 'list') {
      facet.portsUnknown = true;
      continue;
    }
    for (const item of node.nodes) {
      const port = portOf(item, declaredBy, locate);
      if (port) facet.ports.push(port);
      else facet.portsUnknown = true;
    }
  }
  const init = scalarOf(keys.get('init'));
  if (init) facet.init = { ...locate(init.value, init.span), enabled: /^(?:true|yes|on)$/i.test(init.value) };
  const user = at(scalarOf(keys.get('user')));
  if (user) facet.user = user;
  const network = at(scalarOf(keys.get('network_mode')));
  if (network) facet.networkMode = network;
  if (networkShared) facet.networkShared = true;
  return facet;
}

/** Where a `stop_grace_period:` line fits: after the service's name line, indented like its first key. */
function insertPoint(
  text: string,
  lines: LineIndex,
  service: ComposeService,
): { line: number; indent: string } | undefined {
  const nameLine = lines.positionAt(service.nameSpan.from).line;
  let first: Span | undefined;
  for (const entry of service.keys.values()) {
    if (entry.keySpan.from > service.nameSpan.from && (!first || entry.keySpan.from < first.from)) {
      first = entry.keySpan;
    }
  }
  if (!first) return undefined;
  const keyPosition = lines.positionAt(first.from);
  // A flow mapping (`web: {image: x}`) or a key that is not the first on its line: no line to add.
  if (keyPosition.line <= nameLine) return undefined;
  const indent = text.slice(lines.lineStart(keyPosition.line), first.from);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  return { line: nameLine, indent };
}

/** The test of a `healthcheck:` map as text (`NONE` when disabled), with its span. */
function healthcheckOf(
  entry: YamlEntry | undefined,
  text: string,
): { value: string; span: Span } | undefined {
  const node = entry?.node;
  if (node?.kind !== 'map') return undefined;
  const disable = node.entries.find((e) => e.key === 'disable')?.value;
  if (disable && /^(?:true|yes|on)$/i.test(disable.value)) return { value: 'NONE', span: disable.inner };
  const test = node.entries.find((e) => e.key === 'test')?.node;
  if (test?.kind === 'scalar') return { value: test.scalar.value, span: test.scalar.inner };
  if (test?.kind === 'list') {
    return { value: test.items.map((item) => item.value).join(' '), span: test.span };
  }
  const span = node.span;
  return { value: text.slice(span.from, span.to), span };
}

const PORT = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** A `ports:`/`expose:` entry's container side: `8000`, `8080:8000`, `127.0.0.1:8080:8000/tcp`, or `target:`. */
function portOf(node: YamlNode, declaredBy: 'ports' | 'expose', locate: Locate): ContainerPort | undefined {
  let text: string;
  let span: Span;
  let protocol = 'tcp';
  if (node.kind === 'scalar') {
    const value = node.scalar.value.trim();
    const slash = value.lastIndexOf('/');
    const body = slash > 0 ? value.slice(0, slash) : value;
    if (slash > 0) protocol = value.slice(slash + 1).toLowerCase();
    // The container side is the last colon-separated part (an IPv6 host is bracketed, and comes first).
    text = body.slice(body.lastIndexOf(':') + 1);
    span = node.scalar.inner;
  } else if (node.kind === 'map') {
    const target = node.entries.find((e) => e.key === 'target')?.value;
    if (!target) return undefined;
    text = target.value.trim();
    span = target.inner;
    protocol = node.entries.find((e) => e.key === 'protocol')?.value?.value.toLowerCase() ?? 'tcp';
  } else {
    return undefined;
  }
  const m = PORT.exec(text);
  if (!m || !['tcp', 'udp', 'sctp'].includes(protocol)) return undefined;
  const port = Number(m[1]);
  return {
    port,
    last: m[2] ? Number(m[2]) : port,
    protocol: protocol as ContainerPort['protocol'],
    declaredBy,
    where: locate(node.kind === 'scalar' ? node.scalar.value : text, span),
  };
}

const DURATION_UNITS: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a compose duration (`10s`, `1m30s`, `1.5s`, `500ms`); undefined when not one. */
export function composeDuration(value: string): number | undefined {
  const text = value.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:us|ms|s|m|h))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) {
    seconds += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  }
  return seconds;
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** Bytes of a compose byte value (`512m`, `1gb`, `1073741824`); undefined when not one. */
export function composeBytes(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = BYTE_UNITS[(m[2] || 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

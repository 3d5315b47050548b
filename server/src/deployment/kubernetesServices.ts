// Joins Kubernetes Services with the containers they route to, across the workspace's manifests: a Service whose
// selector matches a pod's labels sends its traffic to the pod's `targetPort` (a number, or a containerPort's name),
// which becomes one of the container's ports (`declaredBy: 'targetPort'`).

import type { ContainerFacet, ContainerPort, LaunchDetails } from '../languages/gunicorn/launch';
import type { KubernetesService } from '../languages/commands/kubernetes';
import { MAX_MANIFEST_CHARS } from '../languages/commands/paths';
import { manifestReaders } from '../languages/commands/sources';
import { LineIndex } from '../core/text';
import type { WorkspaceSource } from './types';

const SERVICE_KIND = /^\uFEFF?kind:[ \t]*["']?Service\b/m;

interface LocatedService {
  source: WorkspaceSource;
  lines: LineIndex;
  service: KubernetesService;
}

/** Whether every label of a selector is on the pod (an empty selector selects nothing here: endpoints by hand). */
function selects(
  selector: ReadonlyMap<string, string> | undefined,
  labels: ReadonlyMap<string, string>,
): boolean {
  if (!selector?.size) return false;
  for (const [key, value] of selector) if (labels.get(key) !== value) return false;
  return true;
}

/** The launches with each Kubernetes container's Service target ports added; the same map when there are none. */
export function linkServices(
  launches: ReadonlyMap<WorkspaceSource, LaunchDetails[]>,
): Map<WorkspaceSource, LaunchDetails[]> {
  const manifests = [...launches.keys()].filter((source) => source.kind === 'manifest');
  const services: LocatedService[] = [];
  for (const source of manifests) {
    // Parsed again only when a document may be a Service (the launches were read from the same text already).
    if (source.text.length > MAX_MANIFEST_CHARS || !SERVICE_KIND.test(source.text)) continue;
    const manifest = manifestReaders().parseKubernetesManifest(source.text, source.path);
    if (!manifest?.services.length) continue;
    const lines = new LineIndex(source.text);
    for (const service of manifest.services) services.push({ source, lines, service });
  }
  if (!services.length) return new Map(launches);
  const result = new Map<WorkspaceSource, LaunchDetails[]>();
  for (const [source, list] of launches) {
    result.set(
      source,
      list.map((launch) => {
        const container = launch.container;
        if (!container?.podLabels) return launch;
        const targets = targetPorts(container, services);
        return targets.ports.length || targets.unknown
          ? {
              ...launch,
              container: {
                ...container,
                ports: [...container.ports, ...targets.ports],
                ...(targets.unknown ? { portsUnknown: true } : {}),
              },
            }
          : launch;
      }),
    );
  }
  return result;
}

function targetPorts(
  container: ContainerFacet,
  services: readonly LocatedService[],
): { ports: ContainerPort[]; unknown: boolean } {
  const ports: ContainerPort[] = [];
  let unknown = false;
  for (const { source, lines, service } of services) {
    if (!selects(service.selector, container.podLabels!)) continue;
    for (const servicePort of service.ports) {
      const target = servicePort.targetPort;
      if (!target) continue;
      const where = {
        value: target.text,
        uri: source.uri,
        range: lines.range(target.span.from, target.span.to),
      };
      const value = target.value;
      const number =
        typeof value === 'number'
          ? value
          : container.ports.find((port) => port.declaredBy === 'containerPort' && port.name === value)?.port;
      // In a pod with sidecars a number may be another container's port: only a name says whose it is.
      if (typeof value === 'number' && container.sharedPod) continue;
      if (number === undefined) {
        // A template value, or a port name this container does not declare: the target is unknown here.
        unknown = true;
        continue;
      }
      ports.push({ port: number, last: number, protocol: 'tcp', declaredBy: 'targetPort', where });
    }
  }
  return { ports, unknown };
}

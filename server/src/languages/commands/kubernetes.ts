// Kubernetes manifests and Helm chart templates: which YAML files are manifests (by content: `apiVersion` and `kind`
// at a document's top level), and what their documents say: workloads (Pod, Deployment, StatefulSet, DaemonSet,
// ReplicaSet, Job, CronJob; a Cloud Run service.yaml too) with their containers as container launches, and
// Services with their ports.
// Pure and tolerant: template syntax is blanked with every offset kept, junk gives an empty manifest, nothing throws.

import { isMap, parseAllDocuments, type Document } from 'yaml';
import { hasTemplateSyntax, maskTemplate } from '../../core/templates';
import type { ContainerLaunch, Span, Written } from './containerFacts';
import { kubernetesContainer, labelsOf, type PodContext } from './kubernetesContainer';
import { as, at, get, items, scalarText, spanOf, written, type YamlNode } from './yamlNodes';
import { withoutStackTraces } from '../../core/stackless';

/** A workload and its pod template's containers. */
export interface KubernetesWorkload {
  kind: string;
  name?: string;
  /** The document's top-level map. */
  span: Span;
  /** The pod template's labels (what Services select). */
  labels: ReadonlyMap<string, string>;
  containers: ContainerLaunch[];
}

/** One port of a Service: clients connect to `port`, traffic goes to the pods' `targetPort` (a number or a name). */
export interface KubernetesServicePort {
  span: Span;
  name?: string;
  port?: Written<number>;
  /** Written, or the Service port itself when targetPort is not written (Kubernetes' default). */
  targetPort?: Written<number | string>;
}

export interface KubernetesService {
  name?: string;
  span: Span;
  /** Undefined when the Service selects no pods by label (endpoints managed by hand). */
  selector?: ReadonlyMap<string, string>;
  ports: KubernetesServicePort[];
}

export interface KubernetesManifest {
  workloads: KubernetesWorkload[];
  services: KubernetesService[];
  /** True when template syntax was blanked (Helm): absent fields may come from what the template inserts. */
  template: boolean;
}

/** Where each workload kind keeps its pod template (`metadata` + `spec`), from the document's top level. */
const POD_TEMPLATE: Record<string, readonly string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const TOP_LEVEL_KEY = (key: string) => new RegExp(`^\\uFEFF?${key}[ \\t]*:[ \\t]*\\S`, 'm');
const API_VERSION = TOP_LEVEL_KEY('apiVersion');
const KIND = TOP_LEVEL_KEY('kind');

/** A chart's template folder (`charts/web/templates/deployment.yaml`): Helm renders these files. */
export function isHelmTemplatePath(path: string): boolean {
  return /(?:^|[\\/])templates[\\/](?:[^\\/]+[\\/])*[^_\\/][^\\/]*\.(?:ya?ml|tpl)$/i.test(path);
}

/** A quick look at the text: `apiVersion:` and `kind:` start lines of their own (a document's top level). */
export function looksLikeKubernetesManifest(text: string): boolean {
  return API_VERSION.test(text) && KIND.test(text);
}

/** Whether the text between `from` and `to` stands alone on its line (a template tag that inserts lines). */
function aloneOnLine(text: string, from: number, to: number): boolean {
  const before = text.slice(text.lastIndexOf('\n', from - 1) + 1, from);
  const lineEnd = text.indexOf('\n', to);
  const after = text.slice(to, lineEnd < 0 ? text.length : lineEnd);
  return /^[ \t]*$/.test(before) && /^[ \t\r]*$/.test(after);
}

/** Cloud Run's own annotations and labels (`run.googleapis.com/…`), which only a Cloud Run service.yaml carries. */
const CLOUD_RUN = /\brun\.googleapis\.com\//;

const EMPTY: KubernetesManifest = { workloads: [], services: [], template: false };

/**
 * The manifest's workloads and Services, or undefined when no document has `apiVersion` and `kind` at its top level.
 * `path` only decides whether the file is a Helm template (template syntax is also recognised in the text).
 */
export function parseKubernetesManifest(text: string, path = ''): KubernetesManifest | undefined {
  try {
    if (!looksLikeKubernetesManifest(text)) return undefined;
    const template = isHelmTemplatePath(path) || hasTemplateSyntax(text);
    const masked = template ? maskTemplate(text) : undefined;
    const source = masked?.text ?? text;
    const insertions = (masked?.expressions ?? []).filter((e) => aloneOnLine(text, e.from, e.to));
    const parsed = withoutStackTraces(() =>
      parseAllDocuments(source, { prettyErrors: false, uniqueKeys: false, strict: false }),
    );
    const documents = Array.isArray(parsed) ? parsed : [];
    const manifest: KubernetesManifest = { workloads: [], services: [], template };
    let found = false;
    for (const doc of documents) {
      if (!isMap(doc.contents)) continue;
      found = visitObject(source, doc.contents, { doc, manifest, insertions }, 0) || found;
    }
    return found ? manifest : undefined;
  } catch {
    return looksLikeKubernetesManifest(text) ? { ...EMPTY, workloads: [], services: [] } : undefined;
  }
}

/** What every object of one document is read with. */
interface Visit {
  doc: Document.Parsed;
  manifest: KubernetesManifest;
  insertions: readonly Span[];
}

/** Reads one API object (a `List`'s items too); true when it is one (has apiVersion and kind). */
function visitObject(text: string, node: YamlNode, visit: Visit, depth: number): boolean {
  const { doc, manifest } = visit;
  const kind = scalarText(get(node, 'kind', doc));
  const apiVersion = scalarText(get(node, 'apiVersion', doc));
  const span = spanOf(node);
  if (kind === undefined || apiVersion === undefined || !span) return false;
  if (kind === 'List' && depth === 0) {
    for (const item of items(get(node, 'items', doc), doc)) visitObject(text, item, visit, depth + 1);
    return true;
  }
  const name = scalarText(at(node, ['metadata', 'name'], doc));
  // A Cloud Run service is a Knative Service; other Knative installations are not modelled (their defaults differ).
  const cloudRun =
    kind === 'Service' && apiVersion.startsWith('serving.knative.dev/') && CLOUD_RUN.test(text);
  const templatePath = cloudRun ? ['spec', 'template'] : POD_TEMPLATE[kind];
  if (templatePath) {
    const podTemplate = templatePath.length ? at(node, templatePath, doc) : node;
    const podSpec = get(podTemplate, 'spec', doc);
    const replicas = written(at(node, ['spec', 'replicas'], doc), as.integer);
    const pod: PodContext = {
      doc,
      podSpec,
      insertions: visit.insertions,
      orchestrator: cloudRun ? 'cloud-run' : 'kubernetes',
      ...(replicas ? { replicas } : {}),
    };
    const containers = items(get(podSpec, 'containers', doc), doc)
      .map((container) => kubernetesContainer(text, container, pod))
      .filter((container): container is ContainerLaunch => container !== undefined);
    manifest.workloads.push({
      kind,
      ...(name !== undefined ? { name } : {}),
      span,
      labels: labelsOf(at(podTemplate, ['metadata', 'labels'], doc), doc),
      containers,
    });
  } else if (kind === 'Service' && apiVersion === 'v1') {
    manifest.services.push(serviceOf(node, doc, span, name));
  }
  return true;
}

function serviceOf(
  node: YamlNode,
  doc: Document.Parsed,
  span: Span,
  name: string | undefined,
): KubernetesService {
  const spec = get(node, 'spec', doc);
  const selectorNode = get(spec, 'selector', doc);
  const ports: KubernetesServicePort[] = [];
  for (const item of items(get(spec, 'ports', doc), doc)) {
    const itemSpan = spanOf(item);
    if (!itemSpan) continue;
    const port = written(get(item, 'port', doc), as.integer);
    const target = written(get(item, 'targetPort', doc), as.portOrName) ?? port;
    const portName = scalarText(get(item, 'name', doc));
    ports.push({
      span: itemSpan,
      ...(portName !== undefined ? { name: portName } : {}),
      ...(port ? { port } : {}),
      ...(target ? { targetPort: target } : {}),
    });
  }
  return {
    ...(name !== undefined ? { name } : {}),
    span,
    ...(selectorNode ? { selector: labelsOf(selectorNode, doc) } : {}),
    ports,
  };
}

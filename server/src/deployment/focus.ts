// Which deployments can put a finding into a given set of files. The editor shows cross-file findings only for the
// open files, so after an edit the rules that judge one deployment at a time need run only on the deployments those
// files belong to, not on every deployment of a big workspace.

import type { AppTarget } from './appTarget';
import type { Deployment, DeploymentFacts } from './model';

/**
 * Parts of a deployment that hold no file of their own: parses (big, and their files are the ones already counted),
 * a launch's parsed command (positions in the launch's own file), addresses, positions and memos. Everything else is
 * walked for the `uri` of each file it names.
 */
const NOT_WALKED = new Set([
  'model',
  'directive',
  'token',
  'pass',
  'byKey',
  'range',
  'span',
  'text',
  'facts',
  'invocation',
  'endpoint',
]);

/** The files `value` names (every `uri` in it, past the parts in NOT_WALKED). */
function walkFiles(value: unknown, into: Set<string>, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const item of value.values()) walkFiles(item, into, seen);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walkFiles(item, into, seen);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (key === 'uri' && typeof item === 'string') into.add(item);
    else if (typeof item === 'object' && item !== null && !NOT_WALKED.has(key)) walkFiles(item, into, seen);
  }
}

/**
 * The files of a deployment's parts that builds keep and never change (its launch, service and sockets, see
 * keptSteps.ts), walked once each: a rebuild after an edit walks only what it made anew.
 */
const keptPartFiles = new WeakMap<object, string[]>();

function keptFiles(part: object, into: Set<string>): void {
  let files = keptPartFiles.get(part);
  if (!files) {
    const found = new Set<string>();
    walkFiles(part, found, new Set());
    keptPartFiles.set(part, (files = [...found]));
  }
  for (const file of files) into.add(file);
}

/** Every file a deployment's facts come from or point into: its launch, config, units, nginx, container files. */
function filesOf(deployment: Deployment, into: Set<string>): void {
  const { launch, service, sockets, env, ...made } = deployment;
  if (launch) keptFiles(launch, into);
  if (service) keptFiles(service, into);
  for (const socket of sockets) keptFiles(socket, into);
  const seen = new Set<object>();
  // A launch's environment is the launch's own (walked with it).
  if (env !== launch?.env) walkFiles(env, into, seen);
  walkFiles(made, into, seen);
}

/** The files an app target's findings can land in: its spec, and the module (and parent module) it names. */
function appFiles(target: AppTarget | undefined, into: Set<string>): void {
  if (!target) return;
  into.add(target.spec.uri);
  if (target.module?.uri) into.add(target.module.uri);
  if (target.parent?.found.uri) into.add(target.parent.found.uri);
}

/**
 * The deployments whose findings can land in one of `files` (uris). Generous where a finding may come from files
 * the deployment only reaches through others: an nginx file reaches every deployment proxied to from a file joined
 * to it by includes (headers and timeouts are inherited from included files and from the blocks that include them);
 * a dependency file or Dockerfile, every deployment whose packages it declares.
 */
export function deploymentsInto(facts: DeploymentFacts, files: ReadonlySet<string>): Set<Deployment> {
  const kinds = new Set([...files].map((uri) => facts.sources.get(uri)?.kind));
  const packageFiles = kinds.has('dependencies') || kinds.has('dockerfile');
  const nginxPaths = new Set<string>();
  for (const uri of files) {
    const file = facts.nginx.fileByUri(uri);
    if (file) for (const path of facts.nginx.includeGroup(file.path)) nginxPaths.add(path);
  }
  const kept = new Set<Deployment>();
  for (const deployment of facts.deployments) {
    if (deployment.nginx.some((t) => nginxPaths.has(t.file.path) || nginxPaths.has(t.site.file.path))) {
      kept.add(deployment);
      continue;
    }
    const touched = new Set<string>();
    filesOf(deployment, touched);
    appFiles(facts.appTarget(deployment), touched);
    if (packageFiles) {
      const packages = facts.packages(deployment);
      for (const list of packages?.byName.values() ?? []) {
        for (const declared of list) touched.add(declared.where.uri);
      }
      for (const unknown of packages?.unknown ?? []) touched.add(unknown.uri);
    }
    for (const uri of touched) {
      if (files.has(uri)) {
        kept.add(deployment);
        break;
      }
    }
  }
  return kept;
}

/** The facts with only the kept deployments (and their app targets); everything else is the same. */
export function narrowedFacts(facts: DeploymentFacts, kept: ReadonlySet<Deployment>): DeploymentFacts {
  const deployments = facts.deployments.filter((deployment) => kept.has(deployment));
  let targets: readonly AppTarget[] | undefined;
  return {
    deployments,
    nginx: facts.nginx,
    sources: facts.sources,
    // Read through, not copied: an assumed version's probe notes whether a rule read it.
    get version() {
      return facts.version;
    },
    get versionLabel() {
      return facts.versionLabel;
    },
    setting: facts.setting,
    lines: facts.lines,
    appTargets: () => (targets ??= facts.appTargets().filter((target) => kept.has(target.deployment))),
    appTarget: facts.appTarget,
    packages: facts.packages,
    parsed: facts.parsed,
  };
}

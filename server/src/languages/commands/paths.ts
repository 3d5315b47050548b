// Which files are command sources by their name: Dockerfiles, Procfiles, compose files, shell scripts, and the YAML,
// TOML and JSON files that may be orchestrator manifests (their content decides when they are read).

import { untemplatedPath } from '../../core/templates';
import type { CommandSourceKind } from './parse';

/** Extensions that make a `Dockerfile-…` name some other file (a script, data, documentation). */
const OTHER_EXTENSIONS =
  /\.(?:py|json|md|txt|ya?ml|sh|bash|js|mjs|ts|go|rs|toml|cfg|ini|lock|rst|html|xml|sample)$/;

/** The command-source kind a file name says, whatever its directory; undefined for other names. */
export function commandSourceKindByName(path: string): CommandSourceKind | undefined {
  const name = (untemplatedPath(path).split(/[\\/]/).pop() ?? '').toLowerCase();
  if (/^(?:dockerfile|containerfile)(?:\..+)?$|\.(?:dockerfile|containerfile)$/.test(name)) {
    return 'dockerfile';
  }
  // `Dockerfile-prod`, `Dockerfile_web`: a variant by its suffix, unless the suffix is another kind of file's extension
  // (`dockerfile_utils.py`, `dockerfile-lint.json`).
  if (/^(?:dockerfile|containerfile)[-_][\w.-]+$/.test(name) && !OTHER_EXTENSIONS.test(name)) {
    return 'dockerfile';
  }
  if (/^procfile(?:\..+)?$/.test(name)) return 'procfile';
  if (/^(?:docker-)?compose(?:[-.][\w.-]*)?\.ya?ml$/.test(name)) return 'compose';
  if (/\.(?:sh|bash)$/.test(name)) return 'shell';
  if (isManifestCandidate(path)) return 'manifest';
  return undefined;
}

/**
 * Manifests longer than this are not read: the YAML parser's time grows fast with junk (900,000 characters of it take
 * seconds), and the model is rebuilt after every change. The same bound as compose files (composeYaml.ts).
 */
export const MAX_MANIFEST_CHARS = 200_000;

/** Folders that hold Kubernetes manifests by convention (and Helm charts' `templates/`). */
const MANIFEST_DIRS =
  /(?:^|\/)(?:k8s|kube|kubernetes|manifests?|deploy|deployments?|helm|charts|kustomize|overlays|base|openshift|\.k8s)\//i;
/** Names a manifest keeps outside those folders: `deployment.yaml`, `k8s.yaml`, `web-deployment.yml`, `service.yaml`. */
const MANIFEST_NAMES =
  /^(?:[\w.-]*[-_.])?(?:deployment|statefulset|daemonset|cronjob|job|pod|service|k8s|kube|kubernetes|manifest)s?(?:[-_.][\w.-]*)?\.ya?ml$/;

/**
 * Whether a file may be an orchestrator manifest, by its path alone: the platform files by name (render.yaml,
 * fly*.toml, app.json, App Engine's app.yaml), and YAML in the folders or under the names Kubernetes manifests are
 * kept in. A workspace holds many YAML files that are nothing of ours (CI pipelines, OpenAPI specs, translations), so
 * the listing does not read every one to look inside: these paths are read, and their content decides (a file that
 * is no manifest gives no launch).
 */
export function isManifestCandidate(path: string): boolean {
  const normalized = untemplatedPath(path).replace(/\\/g, '/');
  const name = (normalized.split('/').pop() ?? '').toLowerCase();
  if (/^render\.ya?ml$|^fly(?:\.[\w-]+)?\.toml$|^app\.json$|^app\.ya?ml$/.test(name)) return true;
  if (!/\.ya?ml$|\.tpl$/.test(name)) return false;
  // Compose files and CI configuration are never manifests.
  if (/^(?:docker-)?compose\b|^\.gitlab-ci|^values(?:[-.][\w.-]*)?\.ya?ml$|^chart\.ya?ml$/.test(name)) {
    return false;
  }
  if (/(?:^|\/)\.github\//.test(normalized)) return false;
  return MANIFEST_DIRS.test(normalized) || MANIFEST_NAMES.test(name);
}

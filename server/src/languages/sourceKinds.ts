// Which workspace files the deployment model reads and as what (Gunicorn config, unit, nginx, command source), by path.

import { untemplatedPath } from '../core/templates';
import { commandSourceKindByName } from './commands/paths';
import { isNginxPath } from './nginx/paths';
import { isDropIn, unitTypeOf } from './systemd/catalog';
import { dependencyFileKind } from './packages/index';

/** What a workspace file is, for the deployment model. */
export type SourceKind =
  | 'gunicorn'
  | 'systemd'
  | 'nginx'
  | 'dockerfile'
  | 'procfile'
  | 'compose'
  | 'shell'
  /** Kubernetes manifests and platform manifests (render.yaml, app.yaml, fly.toml, app.json). */
  | 'manifest'
  /** A Python module a launch names as its app (read on demand, never listed by kind). */
  | 'python'
  /** A dependency file (requirements*.txt, pyproject.toml, lock files…), listed by name like the launch files. */
  | 'dependencies';

/** One workspace file handed to the deployment model (the editor's text when the file is open). */
export interface WorkspaceSource {
  uri: string;
  /** Absolute path with forward or native slashes. */
  path: string;
  kind: SourceKind;
  text: string;
}

function baseName(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

function parentName(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/');
  return parts[parts.length - 2] ?? '';
}

/** Gunicorn config files by name, as the CLI picks them: `gunicorn.conf.py`, `gunicorn*.py`, `*gunicorn*conf*.py`. */
export function isGunicornConfigName(path: string): boolean {
  const name = baseName(untemplatedPath(path));
  if (!name.endsWith('.py')) return false;
  return (
    name === 'gunicorn.conf.py' ||
    /^gunicorn.*\.py$/.test(name) ||
    /gunicorn.*conf.*\.py$/.test(name) ||
    parentName(path) === 'gunicorn'
  );
}

const SHELL_SHEBANG = /^#!\s*(?:\/usr)?(?:\/local)?\/bin\/(?:env\s+)?(?:ba|da|z|k|a)?sh\b/;
const SCRIPT_NAMES = /^(?:docker-)?entrypoint$|^(?:start|run|boot|serve)(?:[-_.][\w-]+)?$/;

export interface SourceKindHints {
  /**
   * The file's first line, when the caller read it: an extensionless script with a shell shebang counts as a shell
   * source when it is named like an entry point (`entrypoint`, `start`, `run`…) or lives in `bin/` or `scripts/`.
   */
  firstLine?: string;
}

/** What a workspace file is for the deployment model, from its path; undefined for anything else. */
export function sourceKindOf(path: string, hints: SourceKindHints = {}): SourceKind | undefined {
  const name = baseName(path);
  const lower = name.toLowerCase();
  if (isGunicornConfigName(path)) return 'gunicorn';
  if (dependencyFileKind(path)) return 'dependencies';
  const command = commandSourceKindByName(path);
  if (command && command !== 'shell') return command;
  if (unitTypeOf(path) || isDropIn(path)) return 'systemd';
  // A script in an nginx folder (sites-enabled/*) is nginx's by path, as the editor associates it.
  if (isNginxPath(path)) return 'nginx';
  if (command) return command;
  if (hints.firstLine !== undefined && !name.includes('.') && SHELL_SHEBANG.test(hints.firstLine)) {
    const dir = parentName(path);
    if (SCRIPT_NAMES.test(lower) || dir === 'bin' || dir === 'scripts') return 'shell';
  }
  return undefined;
}

// The shapes shared by the deployment model: workspace files by kind, and the places Gunicorn is started from.

import type { Range } from '../core/text';
import type { GunicornInvocation } from '../languages/gunicorn/commandLine';

/** What a workspace file is, for the deployment model. */
export type SourceKind =
  | 'gunicorn'
  | 'systemd'
  | 'nginx'
  | 'dockerfile'
  | 'procfile'
  | 'compose'
  | 'shell'
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

/** A value together with where it was written. */
export interface Located<T> {
  value: T;
  uri: string;
  range: Range;
}

/** Where a setting's value comes from, in Gunicorn's order of precedence (later wins). */
export type SettingOrigin = 'default' | 'config' | 'GUNICORN_CMD_ARGS' | 'command-line';

/** One place Gunicorn is started from: a unit's ExecStart=, a Dockerfile CMD/ENTRYPOINT, a Procfile line, … */
export interface GunicornLaunch {
  uri: string;
  path: string;
  kind: Exclude<SourceKind, 'gunicorn' | 'nginx' | 'python' | 'dependencies'>;
  /** The whole command line (for related information and hovers). */
  range: Range;
  invocation: GunicornInvocation;
  /** Settings given as flags, by setting name; `values` for append settings such as bind. */
  commandLine: ReadonlyMap<string, Located<string | true> & { values?: string[] }>;
  /** Settings given through GUNICORN_CMD_ARGS in this launch's environment, by setting name. */
  cmdArgs: ReadonlyMap<string, Located<string | true> & { values?: string[] }>;
  /** Environment visible to the command: Environment=, ENV, compose `environment:`, `VAR=x gunicorn …`. */
  env: ReadonlyMap<string, Located<string>>;
  /** `-c FILE` / `--config FILE` as written, when given. */
  configFile?: Located<string>;
  /** The directory the command runs in when stated (WorkingDirectory=, WORKDIR, compose working_dir). */
  workingDirectory?: Located<string>;
  /** For systemd: the unit's file name (`shop.service`). For compose: the service name. */
  unit?: string;
  /** The app spec (`shop.wsgi:application`), when given. */
  app?: Located<string>;
  /** For compose: the service's `build:` context and Dockerfile, as written (relative to the compose file). */
  build?: { context: string; dockerfile?: string };
}

/** One package a project's dependency file declares (requirements*.txt, pyproject.toml, a lock file, `pip install`). */
export interface DeclaredPackage {
  /** The PEP 503 normalised name (`uvicorn-worker`, `psycopg2-binary`). */
  name: string;
  /** Extras as written (`gunicorn[gevent]` → `gevent`). */
  extras: readonly string[];
  /** The version specifier as written (`>=0.30,<1`), when any. */
  specifier?: string;
  /** The exact version when the file pins or locks one (`==0.29.0`, a lock file entry). */
  version?: string;
  /** An environment marker or an optional flag: the package may not be installed everywhere. */
  marker?: string;
  /** The optional group it is declared in (`dev`, an extra's name), when not the main list. */
  group?: string;
  /** True for a lock file's entry. */
  locked?: boolean;
  /** Where it is written: the requirement's text in its file. */
  where: Located<string>;
}

/** What the dependency files of a deployment's project declare; undefined on a deployment when it has none. */
export interface ProjectPackages {
  /** The dependency files consulted (workspace paths), for messages. */
  files: readonly string[];
  /** Every declared package by normalised name (a package may be declared in several files). */
  byName: ReadonlyMap<string, readonly DeclaredPackage[]>;
  /**
   * False when something installs packages we cannot name (a `-r` file we cannot find, a requirement from a
   * variable, a computed `install_requires`, a conda environment, a base image that may bring its own): then no rule
   * may say a package is missing.
   */
  complete: boolean;
  /** Why the list is not complete, where it says so. */
  unknown: readonly Located<string>[];
  /** True when a lock file lists the resolved packages, so dependencies of dependencies are in `byName` too. */
  locked: boolean;
}

// The shapes shared by the deployment model: workspace files by kind, and the places Gunicorn is started from.

import type { Located } from '../languages/gunicorn/launch';

export type { SourceKind, WorkspaceSource } from '../languages/sourceKinds';
export type { GunicornLaunch, Located } from '../languages/gunicorn/launch';

/** Where a setting's value comes from, in Gunicorn's order of precedence (later wins). */
export type SettingOrigin = 'default' | 'config' | 'GUNICORN_CMD_ARGS' | 'command-line';

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

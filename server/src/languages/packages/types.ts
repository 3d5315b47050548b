// What one dependency file declares, as the deployment model reads it: packages, included files, and what is unknowable.

import type { ParsedRequirement } from './requirement';

/** Which format a dependency file is in (chosen by its name). */
export type DependencyFileKind =
  | 'requirements'
  | 'pyproject'
  | 'pipfile'
  | 'pipfile-lock'
  | 'poetry-lock'
  | 'uv-lock'
  | 'setup-cfg'
  | 'setup-py'
  | 'conda';

/** A package the file declares; `group` names an optional set (`dev`, an extra), undefined for the main one. */
export interface DeclaredRequirement extends ParsedRequirement {
  group?: string;
  /** Lock files: the entry is a resolved version, which makes the list of installed packages complete. */
  locked?: boolean;
}

/** A file the dependency file pulls in (`-r base.txt`), as written, with its offsets. */
export interface DependencyInclude {
  path: string;
  /** `-c FILE`: constraints limit versions but install nothing. */
  constraint: boolean;
  from: number;
  to: number;
}

export interface DependencyFile {
  kind: DependencyFileKind;
  packages: DeclaredRequirement[];
  includes: DependencyInclude[];
  /** `-e .`, `.`, a local path: the project at that path is installed too (its own dependency files count). */
  localProjects: { path: string; from: number; to: number }[];
  /**
   * What the file installs that we cannot name (a requirement from a variable, a dynamic `install_requires`, a conda
   * environment): with any of these the list of packages is not complete, and "X is missing" cannot be said.
   */
  unknown: { reason: string; from: number; to: number }[];
  /**
   * False for a file that could declare dependencies but has no such section (a pyproject.toml holding only tool
   * settings, a setup.cfg without install_requires): it does not make its folder the project's dependency folder.
   */
  declares: boolean;
}

export function emptyDependencyFile(kind: DependencyFileKind): DependencyFile {
  return { kind, packages: [], includes: [], localProjects: [], unknown: [], declares: true };
}

// Dependency files by name, and the one entry point that reads any of them (pure: text in, declarations out).

import { parsePipfile, parsePipfileLock, parseLockFile } from './pipenvAndLocks';
import { parsePyproject } from './pyproject';
import { parseRequirementsFile } from './requirements';
import { parseSetupCfg, parseSetupPy } from './setupFiles';
import { emptyDependencyFile, type DependencyFile, type DependencyFileKind } from './types';

export type { DependencyFile, DependencyFileKind, DeclaredRequirement, DependencyInclude } from './types';
export { normalizePackageName, parseRequirement, type ParsedRequirement } from './requirement';

const FIXED_NAMES = new Map<string, DependencyFileKind>([
  ['pyproject.toml', 'pyproject'],
  ['pipfile', 'pipfile'],
  ['pipfile.lock', 'pipfile-lock'],
  ['poetry.lock', 'poetry-lock'],
  ['uv.lock', 'uv-lock'],
  ['setup.cfg', 'setup-cfg'],
  ['setup.py', 'setup-py'],
  ['environment.yml', 'conda'],
  ['environment.yaml', 'conda'],
]);

/**
 * The kind of dependency file a path is, by name: `requirements*.txt`, `*-requirements.txt`, `requirements/*.txt`
 * (and pip-tools' `.in` beside them), pyproject.toml, Pipfile(.lock), poetry.lock, uv.lock, setup.cfg, setup.py and a
 * conda environment file. Names are cheap to match, so these files are listed by name like the other deployment files.
 */
export function dependencyFileKind(path: string): DependencyFileKind | undefined {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = (parts[parts.length - 1] ?? '').toLowerCase();
  const fixed = FIXED_NAMES.get(name);
  if (fixed) return fixed;
  if (/^requirements([-_.][\w.-]*)?\.(txt|in)$/.test(name) || /[-_.]requirements\.(txt|in)$/.test(name)) {
    return 'requirements';
  }
  const folder = (parts[parts.length - 2] ?? '').toLowerCase();
  if ((folder === 'requirements' || folder === 'reqs') && /\.(txt|in)$/.test(name)) return 'requirements';
  return undefined;
}

/** Reads a dependency file of the given kind; never throws (junk gives an empty or partial declaration). */
export function parseDependencyFile(kind: DependencyFileKind, text: string): DependencyFile {
  try {
    switch (kind) {
      case 'requirements':
        return parseRequirementsFile(text);
      case 'pyproject':
        return parsePyproject(text);
      case 'pipfile':
        return parsePipfile(text);
      case 'pipfile-lock':
        return parsePipfileLock(text);
      case 'poetry-lock':
      case 'uv-lock':
        return parseLockFile(text, kind);
      case 'setup-cfg':
        return parseSetupCfg(text);
      case 'setup-py':
        return parseSetupPy(text);
      case 'conda': {
        // A conda environment installs packages from channels under conda's own names: not read, so not complete.
        const file = emptyDependencyFile('conda');
        file.unknown.push({ reason: 'a conda environment', from: 0, to: 0 });
        return file;
      }
    }
  } catch {
    const file = emptyDependencyFile(kind);
    file.unknown.push({ reason: 'a file we could not read', from: 0, to: 0 });
    return file;
  }
}

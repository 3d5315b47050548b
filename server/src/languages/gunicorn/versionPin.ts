// Finds the Gunicorn version a project pins, from requirements files, pyproject.toml, Pipfile(.lock) and lock files.

import { compareVersions, parseVersion, type Version } from '../../core/version';
import { commandSourceKindByName } from '../commands/paths';

const PIN_FILE_NAMES =
  /^(requirements.*\.txt|pyproject\.toml|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|setup\.cfg)$/;
/** `requirements/deploy.txt`, `requirements/production.txt`, `reqs/base.in`: the files of a requirements folder. */
const REQUIREMENTS_FOLDER_FILE = /(?:^|[\\/])(?:requirements|reqs|requirement)[\\/][^\\/]+\.(?:txt|in)$/i;

/**
 * Files that may pin Gunicorn's version: requirements files (also those of a `requirements/` folder), pyproject.toml,
 * Pipfile(.lock), lock files, setup.cfg, and Dockerfiles (their `pip install gunicorn==…`).
 */
export function isPinFilePath(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? path;
  return (
    PIN_FILE_NAMES.test(base) ||
    REQUIREMENTS_FOLDER_FILE.test(path) ||
    commandSourceKindByName(path) === 'dockerfile'
  );
}

/** A Dockerfile line that installs Python packages by name (pip, pip3, python -m pip, uv pip, poetry add, pipx). */
const INSTALL_LINE =
  /\b(?:pip3?(?:\.\d+)?\s+install|-m\s+pip\s+install|uv\s+pip\s+install|poetry\s+add|uv\s+add)\b/;

export interface VersionPin {
  version: string;
  /** Where it came from, e.g. "requirements.txt:2 (gunicorn==20.1.0)". */
  source: string;
}

/** Exact pins in lock files win over requirement ranges; a range resolves to the newest known version it allows. */
export function detectGunicornVersion(
  files: { path: string; text: string }[],
  known: readonly string[],
): VersionPin | undefined {
  const candidates: (VersionPin & { rank: number })[] = [];
  for (const file of files) {
    const base = file.path.split(/[\\/]/).pop() ?? file.path;
    // A requirements folder's file is named with its folder (`requirements/deploy.txt`), its name alone says little.
    const shown = REQUIREMENTS_FOLDER_FILE.test(file.path)
      ? file.path.split(/[\\/]/).slice(-2).join('/')
      : base;
    const dockerfile = commandSourceKindByName(file.path) === 'dockerfile';
    const lines = file.text.split(/\r?\n/);
    if (base === 'Pipfile.lock') {
      const m = /"gunicorn"\s*:\s*\{[^}]*?"version"\s*:\s*"==\s*([\d.]+)"/s.exec(file.text);
      if (m) candidates.push({ version: m[1]!, source: `${base} (gunicorn ${m[1]})`, rank: 3 });
      continue;
    }
    if (base === 'poetry.lock' || base === 'uv.lock') {
      const m = /name\s*=\s*"gunicorn"\s*\r?\nversion\s*=\s*"([\d.]+)"/.exec(file.text);
      if (m) candidates.push({ version: m[1]!, source: `${base} (gunicorn ${m[1]})`, rank: 3 });
      continue;
    }
    lines.forEach((line, index) => {
      // In a Dockerfile only install commands pin (CMD ["gunicorn", …] names the program, not a version); a RUN
      // continued over several lines names its packages on the lines after `pip install \`.
      if (dockerfile && !INSTALL_LINE.test(line) && !continuedInstall(lines, index)) return;
      const m =
        /(?:^|["'\s,\[])gunicorn(?:\[[^\]]*\])?\s*(?:=\s*["'])?\s*((?:[=<>!~^]=?|===)?\s*[\d.*]+(?:\s*,\s*(?:[=<>!~]=?)\s*[\d.*]+)*)/i.exec(
          line.replace(/#.*$/, ''),
        );
      if (!m) return;
      const spec = m[1]!.replace(/\s+/g, '');
      const resolved = resolveSpec(spec, known);
      if (resolved) {
        candidates.push({
          version: resolved,
          source: `${shown}:${index + 1} (gunicorn${spec.startsWith('=') || /^[<>!~^]/.test(spec) ? '' : ' '}${spec})`,
          rank: /^==?[\d.]+$/.test(spec) ? 2 : 1,
        });
      }
    });
  }
  candidates.sort((a, b) => b.rank - a.rank);
  const best = candidates[0];
  return best ? { version: best.version, source: best.source } : undefined;
}

/** Whether line `index` continues (through lines ending in `\`) a Dockerfile line that installs packages. */
function continuedInstall(lines: readonly string[], index: number): boolean {
  for (let i = index - 1; i >= 0 && /\\\s*$/.test(lines[i]!); i--) {
    if (INSTALL_LINE.test(lines[i]!)) return true;
  }
  return false;
}

/** The newest known version satisfying a PEP 440-ish / poetry spec (==, >=, <=, <, >, !=, ~=, ^, bare version). */
export function resolveSpec(spec: string, known: readonly string[]): string | undefined {
  const clauses = spec.split(',').filter(Boolean);
  const exact = /^(?:===?|)(\d+(?:\.\d+){0,2})$/.exec(clauses.length === 1 ? clauses[0]! : '');
  if (exact && clauses[0]!.startsWith('=')) return normalize(exact[1]!);
  const tests = clauses.map((clause) => {
    const m = /^(===?|>=|<=|!=|~=|\^|<|>|)([\d.*]+)$/.exec(clause);
    if (!m) return () => false;
    const op = m[1]!;
    const bound = parseVersion(m[2]!.replace(/\.\*$/, ''));
    if (!bound) return () => false;
    const parts = m[2]!.split('.').length;
    return (v: Version): boolean => {
      const c = compareVersions(v, bound);
      switch (op) {
        case '>=':
          return c >= 0;
        case '<=':
          return c <= 0;
        case '<':
          return c < 0;
        case '>':
          return c > 0;
        case '!=':
          return c !== 0;
        case '~=':
          return c >= 0 && (parts <= 2 ? v[0] === bound[0] : v[0] === bound[0] && v[1] === bound[1]);
        case '^':
        case '':
          return bound[0] === 0
            ? v[0] === 0 && v[1] === bound[1] && c >= 0
            : op === '' && /\*/.test(m[2]!)
              ? v[0] === bound[0]
              : v[0] === bound[0] && c >= 0;
        default:
          // == with a wildcard such as ==21.*
          return m[2]!.includes('*') ? v[0] === bound[0] && (parts < 3 || v[1] === bound[1]) : c === 0;
      }
    };
  });
  const matching = known.filter((k) => {
    const v = parseVersion(k);
    return v && tests.every((t) => t(v));
  });
  return matching[matching.length - 1];
}

function normalize(v: string): string {
  const parts = v.split('.');
  while (parts.length < 3) parts.push('0');
  return parts.slice(0, 3).join('.');
}

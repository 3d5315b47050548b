// Finds the Gunicorn version a project pins, from requirements files, pyproject.toml, Pipfile(.lock) and lock files.

import { compareVersions, parseVersion, type Version } from '../../core/version';

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
          source: `${base}:${index + 1} (gunicorn${spec.startsWith('=') || /^[<>!~^]/.test(spec) ? '' : ' '}${spec})`,
          rank: /^==?[\d.]+$/.test(spec) ? 2 : 1,
        });
      }
    });
  }
  candidates.sort((a, b) => b.rank - a.rank);
  const best = candidates[0];
  return best ? { version: best.version, source: best.source } : undefined;
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

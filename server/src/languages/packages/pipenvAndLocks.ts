// Pipfile, Pipfile.lock, poetry.lock and uv.lock: what Pipenv declares, and the exact versions the lock files resolve.

import { normalizePackageName } from './requirement';
import { parseToml, readPoetryTable } from './pyproject';
import { stringsOf, table, TextCursor } from './positions';
import { emptyDependencyFile, type DependencyFile } from './types';

/** Pipfile: `[packages]` and `[dev-packages]` (the same table shapes as Poetry's). */
export function parsePipfile(text: string): DependencyFile {
  const file = emptyDependencyFile('pipfile');
  const doc = parseToml(text);
  if (!doc) return file;
  readPoetryTable(file, text, 'packages', table(doc.packages), undefined);
  readPoetryTable(file, text, 'dev-packages', table(doc['dev-packages']), 'dev');
  return file;
}

/** Pipfile.lock (JSON): `default` and `develop`, each name with an exact `==` version. */
export function parsePipfileLock(text: string): DependencyFile {
  const file = emptyDependencyFile('pipfile-lock');
  let doc: Record<string, unknown> | undefined;
  try {
    doc = table(JSON.parse(text.replace(/^\uFEFF/, '')));
  } catch {
    return file;
  }
  if (!doc) return file;
  const cursor = new TextCursor(text);
  for (const section of ['default', 'develop']) {
    const entries = table(doc[section]);
    if (!entries) continue;
    cursor.key(section, true);
    for (const [rawName, value] of Object.entries(entries)) {
      const entry = table(value);
      const at = cursor.key(rawName, true);
      const version = typeof entry?.version === 'string' ? entry.version.replace(/^===?/, '') : undefined;
      file.packages.push({
        name: normalizePackageName(rawName),
        extras: stringsOf(entry?.extras).map(normalizePackageName),
        ...(version ? { specifier: `==${version}`, version } : {}),
        ...(typeof entry?.markers === 'string' ? { marker: entry.markers } : {}),
        locked: true,
        from: at.from,
        to: at.to,
        ...(section === 'develop' ? { group: 'dev' } : {}),
      });
    }
  }
  return file;
}

/** poetry.lock and uv.lock: every `[[package]]` with its name and resolved version. */
export function parseLockFile(text: string, kind: 'poetry-lock' | 'uv-lock'): DependencyFile {
  const file = emptyDependencyFile(kind);
  const doc = parseToml(text);
  if (!doc || !Array.isArray(doc.package)) return file;
  const cursor = new TextCursor(text);
  for (const value of doc.package) {
    const entry = table(value);
    if (typeof entry?.name !== 'string') continue;
    const at = cursor.assignment('name', entry.name);
    const version = typeof entry.version === 'string' ? entry.version : undefined;
    file.packages.push({
      name: normalizePackageName(entry.name),
      extras: [],
      ...(version ? { specifier: `==${version}`, version } : {}),
      locked: true,
      from: at.from,
      to: at.to,
    });
  }
  return file;
}

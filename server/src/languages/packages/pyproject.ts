// pyproject.toml: PEP 621 `[project]` dependencies and extras, PEP 735 `[dependency-groups]`, Poetry's tables.

import { normalizePackageName, parseRequirement, pinnedVersion } from './requirement';
import { table, stringsOf, TextCursor } from './positions';
import { emptyDependencyFile, type DependencyFile } from './types';

let parseTomlText: ((text: string) => unknown) | undefined;

/** smol-toml, loaded on first use through its CommonJS build (the package is an ES module to TypeScript). */
function tomlParser(): (text: string) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parseTomlText ??= (require('smol-toml') as { parse: (text: string) => unknown }).parse;
  return parseTomlText;
}

/** Parses TOML, or undefined for a file that is not TOML (a half-typed file must not throw). */
export function parseToml(text: string): Record<string, unknown> | undefined {
  try {
    return table(tomlParser()(text.replace(/^\uFEFF/, '')));
  } catch {
    return undefined;
  }
}

/** Reads the PEP 508 strings of one list, found in the text from the cursor on. */
function addRequirementStrings(
  file: DependencyFile,
  cursor: TextCursor,
  values: readonly string[],
  group: string | undefined,
): void {
  for (const value of values) {
    const at = cursor.string(value);
    const parsed = parseRequirement(value, at.from);
    if (parsed) file.packages.push({ ...parsed, to: at.to, ...(group ? { group } : {}) });
    else file.unknown.push({ reason: `a requirement we cannot read (${value})`, ...at });
  }
}

/** Reads pyproject.toml; never throws. A file without dependency tables declares nothing. */
export function parsePyproject(text: string): DependencyFile {
  const file = emptyDependencyFile('pyproject');
  const doc = parseToml(text);
  if (!doc) {
    file.unknown.push({ reason: 'a pyproject.toml that is not valid TOML', from: 0, to: 0 });
    return file;
  }
  const cursor = new TextCursor(text);
  const project = table(doc.project);
  if (project) {
    cursor.seekHeader('project');
    if (stringsOf(project.dynamic).includes('dependencies')) {
      // setuptools reads dynamic dependencies from requirement files it names; other backends compute them.
      const dynamic = table(table(table(table(doc.tool)?.setuptools)?.dynamic)?.dependencies);
      const files = typeof dynamic?.file === 'string' ? [dynamic.file] : stringsOf(dynamic?.file);
      const at = cursor.string('dependencies');
      if (!files.length) file.unknown.push({ reason: 'dependencies computed by the build backend', ...at });
      const fileCursor = new TextCursor(text);
      fileCursor.seekHeader('tool.setuptools.dynamic');
      for (const path of files) file.includes.push({ path, constraint: false, ...fileCursor.string(path) });
    }
    addRequirementStrings(file, cursor, stringsOf(project.dependencies), undefined);
    const optional = table(project['optional-dependencies']);
    for (const [extra, list] of Object.entries(optional ?? {})) {
      addRequirementStrings(file, cursor, stringsOf(list), normalizePackageName(extra));
    }
  }
  const groups = table(doc['dependency-groups']);
  if (groups) {
    cursor.seekHeader('dependency-groups');
    for (const [group, list] of Object.entries(groups)) {
      addRequirementStrings(file, cursor, stringsOf(list), normalizePackageName(group));
    }
  }
  const poetry = table(table(doc.tool)?.poetry);
  file.declares =
    !!project?.dependencies ||
    !!project?.['optional-dependencies'] ||
    stringsOf(project?.dynamic).includes('dependencies') ||
    !!groups ||
    !!poetry?.dependencies ||
    !!poetry?.group ||
    !!poetry?.['dev-dependencies'];
  if (poetry) {
    readPoetryTable(file, text, 'tool.poetry.dependencies', table(poetry.dependencies), undefined);
    readPoetryTable(file, text, 'tool.poetry.dev-dependencies', table(poetry['dev-dependencies']), 'dev');
    for (const [group, body] of Object.entries(table(poetry.group) ?? {})) {
      readPoetryTable(
        file,
        text,
        `tool.poetry.group.${group}.dependencies`,
        table(table(body)?.dependencies),
        normalizePackageName(group),
      );
    }
  }
  return file;
}

/** Poetry's version constraint as a PEP 440-like specifier: `^1.2`, `~1.2`, `1.2.3` (exact), `*`, `>=1,<2`. */
export function poetrySpecifier(constraint: string): { specifier?: string; version?: string } {
  const spec = constraint.replace(/\s+/g, '');
  if (!spec || spec === '*') return {};
  if (/^\d[0-9A-Za-z.+!-]*$/.test(spec)) return { specifier: `==${spec}`, version: spec };
  const version = pinnedVersion(spec);
  return { specifier: spec, ...(version ? { version } : {}) };
}

/**
 * Poetry's dependency tables (name = "^1.0", or a table with version, extras, git, path) and the old-style Pipfile
 * tables, which have the same shape.
 */
export function readPoetryTable(
  file: DependencyFile,
  text: string,
  header: string,
  entries: Record<string, unknown> | undefined,
  group: string | undefined,
): void {
  if (!entries) return;
  const cursor = new TextCursor(text);
  cursor.seekHeader(header);
  for (const [rawName, value] of Object.entries(entries)) {
    if (rawName.toLowerCase() === 'python') continue;
    const at = cursor.key(rawName);
    const name = normalizePackageName(rawName);
    const options = table(value);
    // Several constraints for different Pythons: any of them installs the package.
    const first = Array.isArray(value) ? table(value[0]) : undefined;
    const spec = typeof value === 'string' ? value : (options ?? first)?.version;
    const extras = stringsOf((options ?? first)?.extras).map(normalizePackageName);
    const parsed = typeof spec === 'string' ? poetrySpecifier(spec) : {};
    const url = options && ['git', 'path', 'url'].map((k) => options[k]).find((v) => typeof v === 'string');
    file.packages.push({
      name,
      extras,
      ...parsed,
      ...(typeof url === 'string' ? { url } : {}),
      ...(options && (typeof options.markers === 'string' || options.optional === true)
        ? { marker: typeof options.markers === 'string' ? options.markers : 'optional' }
        : {}),
      from: at.from,
      to: at.to,
      ...(group ? { group } : {}),
    });
  }
}

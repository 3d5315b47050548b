// What a deployment's dependency files say about the packages its worker class needs: where each is declared (directly,
// through a Gunicorn extra, or by a package that requires it), and the versions pinned. Shared by the rule and hovers.

import { compareVersions, parseVersion, type Version } from '../core/version';
import { workerNeeds, type WorkerNeed } from '../languages/packages/workerPackages';
import type { DeclaredPackage, Located, ProjectPackages } from './types';

/** Declarations that install the needed package: its own, `gunicorn[gevent]`, or a package that requires it. */
export function declarationsFor(need: WorkerNeed, packages: ProjectPackages): DeclaredPackage[] {
  const found = [...(packages.byName.get(need.package) ?? [])];
  for (const provider of need.providedBy) {
    for (const declared of packages.byName.get(provider.name) ?? []) {
      if (!provider.extra || declared.extras.includes(provider.extra)) found.push(declared);
    }
  }
  return found;
}

/** The lowest version a declaration allows, when it says: the pinned or locked one, else a `>=`/`~=`/`==` bound. */
export function lowestAllowed(declared: DeclaredPackage): Version | undefined {
  if (declared.version) return parseVersion(declared.version);
  const bound = /(?:^|,)(?:>=|~=|==|>)\s*([0-9][0-9.]*)/.exec(declared.specifier ?? '');
  return bound ? parseVersion(bound[1]) : undefined;
}

/** The exact versions the project pins or locks for a package (empty when only ranges are given). */
export function exactVersions(
  declared: readonly DeclaredPackage[],
): { version: Version; written: string; where: Located<string> }[] {
  const result: { version: Version; written: string; where: Located<string> }[] = [];
  for (const d of declared) {
    const version = d.version ? parseVersion(d.version) : undefined;
    if (version && d.version) result.push({ version, written: d.version, where: d.where });
  }
  return result;
}

function fileLabel(uri: string): string {
  const path = decodeURIComponent(uri);
  return path.slice(path.lastIndexOf('/') + 1);
}

export function placeOf(where: Located<unknown>): string {
  return `${fileLabel(where.uri)}:${where.range.start.line + 1}`;
}

/** Markdown lines for a hover on the worker class: which package provides it and where the project declares it. */
export function workerPackagesMarkdown(
  workerClass: string,
  version: Version,
  packages: ProjectPackages | undefined,
): string | undefined {
  const needs = workerNeeds(workerClass, version);
  if (!needs?.length) return undefined;
  const lines = needs.map((need) => {
    const head = `**Package** \`${need.package}\``;
    if (!packages) return `${head}: this deployment has no dependency file we read.`;
    const declared = declarationsFor(need, packages);
    if (!declared.length) {
      const files = packages.files.map((f) => f.slice(f.lastIndexOf('/') + 1)).join(', ');
      return `${head}: not declared by ${files}${packages.complete ? '' : ' (something else installs packages we cannot name)'}.`;
    }
    const shown = declared
      .slice(0, 3)
      .map((d) => `\`${d.where.value}\` (${placeOf(d.where)})`)
      .join(', ');
    const min = need.min?.enforced
      ? `; this Gunicorn release needs ${need.package} ${need.min.version} or newer`
      : '';
    return `${head}: declared as ${shown}${declared.length > 3 ? ', …' : ''}${min}.`;
  });
  return lines.join('  \n');
}

/** True when every exact version is older than `min` (and there is at least one). */
export function allOlderThan(found: readonly { version: Version }[], min: string): boolean {
  const bound = parseVersion(min);
  return !!bound && found.length > 0 && found.every((f) => compareVersions(f.version, bound) < 0);
}

// What a deployment's app uses from installed packages: the modules its app module imports and the packages the
// project's dependency files declare, each with where it is written (for messages and related information).

import type { RelatedInfo } from '../../core/findings';
import type { AppTarget } from '../appTarget';
import type { Deployment, DeploymentFacts } from '../model';
import { shortPath } from './appShared';
import { fileName } from './shared';

/** One piece of evidence that the app uses a package. */
export interface PackageUse {
  /** The import name or declared package name it is about (`torch`, `psycopg2-binary`). */
  name: string;
  via: 'import' | 'declared';
  /** For messages: `imports torch in …/shop/app.py` or `torch==2.3 in requirements.txt`. */
  label: string;
  related: RelatedInfo;
}

export interface PackageQuery {
  /** Import names, top-level or dotted (`psycopg2`, `prometheus_client`); a submodule import counts. */
  modules: readonly string[];
  /** Dependency-file names as PEP 503 normalises them (`psycopg2-binary`), or patterns over them. */
  packages: readonly (string | RegExp)[];
  /** Count only imports that run while the module is imported (not those inside functions). */
  moduleLevelOnly?: boolean;
}

/** PEP 503: lower case, runs of `-`, `_` and `.` become one `-`. */
export function normalisePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The app target of a deployment, when it names one. */
export function appTargetOf(facts: DeploymentFacts, deployment: Deployment): AppTarget | undefined {
  return facts.appTarget(deployment);
}

/** The text of the deployment's app module, when it was found and read. */
export function appModuleText(facts: DeploymentFacts, deployment: Deployment): string | undefined {
  const target = appTargetOf(facts, deployment);
  return target?.status === 'found' ? target.module?.text : undefined;
}

/** poetry.lock, uv.lock, Pipfile.lock, pdm.lock… */
const LOCK_FILE = /\.lock$/i;

function importsModule(imported: string, wanted: string): boolean {
  return imported === wanted || imported.startsWith(`${wanted}.`);
}

/** Every sign that the deployment's app uses one of the packages: imports first, then declarations. */
export function packageUses(
  facts: DeploymentFacts,
  deployment: Deployment,
  query: PackageQuery,
): PackageUse[] {
  const uses: PackageUse[] = [];
  const target = appTargetOf(facts, deployment);
  const module = target?.status === 'found' ? target.module : undefined;
  const lines = module?.uri ? facts.lines(module.uri) : undefined;
  if (module?.facts && module.uri && lines) {
    for (const imported of module.facts.imports) {
      if (imported.relative || (query.moduleLevelOnly && imported.runs !== 'module')) continue;
      const name = query.modules.find((wanted) => importsModule(imported.module, wanted));
      if (!name) continue;
      const when = imported.runs === 'function' ? ' inside a function' : '';
      uses.push({
        name,
        via: 'import',
        label: `imports ${imported.module}${when} in ${shortPath(module.path)}`,
        related: {
          uri: module.uri,
          range: lines.range(imported.from, imported.to),
          message: `imports ${imported.module}`,
        },
      });
    }
  }
  const declared = facts.packages(deployment);
  if (declared) {
    for (const [name, list] of declared.byName) {
      const matches = query.packages.some((wanted) =>
        typeof wanted === 'string' ? normalisePackageName(wanted) === name : wanted.test(name),
      );
      // Lock files list every transitive dependency: a package there may be one the app never imports.
      const first = list.find((pkg) => !LOCK_FILE.test(pkg.where.uri));
      if (!matches || !first) continue;
      uses.push({
        name,
        via: 'declared',
        label: `${first.where.value.trim() || name} in ${fileName(first.where.uri)}`,
        related: { uri: first.where.uri, range: first.where.range, message: `${name} declared here` },
      });
    }
  }
  return uses;
}

/** True when the project declares any of these packages (dependency files read, and one lists it). */
export function declaresAny(
  facts: DeploymentFacts,
  deployment: Deployment,
  names: readonly string[],
): boolean {
  const declared = facts.packages(deployment);
  return !!declared && names.some((name) => declared.byName.has(normalisePackageName(name)));
}

/** A short summary of the evidence for messages: the first use, and how many more. */
export function usesLabel(uses: readonly PackageUse[]): string {
  const [first, ...rest] = uses;
  if (!first) return '';
  return rest.length
    ? `${first.label}, and ${rest.length} more place${rest.length > 1 ? 's' : ''}`
    : first.label;
}

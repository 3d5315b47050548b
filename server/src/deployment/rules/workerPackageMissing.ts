// Rule: worker-package-missing — the worker class needs a package that no dependency file of the deployment declares
// (or declares it older than Gunicorn accepts, or from a module its project deprecated).

import type { Fix, RelatedInfo } from '../../core/findings';
import { compareVersions, parseVersion } from '../../core/version';
import type { WorkerNeed } from '../../languages/packages/workerPackages';
import { workerNeeds } from '../../languages/packages/workerPackages';
import { dependencyFileKind } from '../../languages/packages/index';
import type { DeploymentFacts } from '../model';
import type { ProjectPackages, WorkspaceSource } from '../types';
import { allOlderThan, declarationsFor, exactVersions, lowestAllowed, placeOf } from '../workerPackageFacts';
import { fixAcross } from './shared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function sourceAtPath(facts: DeploymentFacts, path: string): WorkspaceSource | undefined {
  for (const source of facts.sources.values()) if (source.path.replace(/\\/g, '/') === path) return source;
  return undefined;
}

function shortName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Appending the package to a requirements.txt is safe when that file is the one the deployment installs: the only
 * requirements file of its project (or the one its Dockerfile names) and no lock file pins the set.
 */
function appendFix(
  facts: DeploymentFacts,
  uri: string,
  packages: ProjectPackages,
  need: WorkerNeed,
): Fix | undefined {
  if (packages.locked) return undefined;
  // Only requirement files (besides the Dockerfile that names them): with a pyproject.toml, Pipfile or setup file in
  // the set, which of them the deployment installs from is not clear enough to edit one.
  const others = packages.files.filter((f) => {
    const kind = dependencyFileKind(f);
    return kind !== undefined && kind !== 'requirements';
  });
  if (others.length) return undefined;
  const requirements = packages.files.filter((f) => /(^|\/)requirements\.txt$/i.test(f));
  if (requirements.length !== 1) return undefined;
  const source = sourceAtPath(facts, requirements[0]!);
  const lines = source && facts.lines(source.uri);
  if (!source || !lines) return undefined;
  const text = source.text;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const needsBreak = text.length > 0 && !text.endsWith('\n');
  const end = lines.range(text.length, text.length).end;
  const min = need.min?.enforced ? `>=${need.min.version}` : '';
  return fixAcross(
    uri,
    `Add ${need.package} to ${shortName(requirements[0]!)}`,
    [
      {
        uri: source.uri,
        edit: {
          range: { start: end, end },
          newText: `${needsBreak ? newline : ''}${need.package}${min}${newline}`,
        },
      },
    ],
    false,
  );
}

export const workerPackageMissing: DeploymentRule = {
  meta: {
    id: 'worker-package-missing',
    defaultSeverity: 'warning',
    description:
      "The worker class needs a package that none of the deployment's dependency files declares (or pins one older than Gunicorn accepts): Gunicorn stops at start-up when it cannot load the worker.",
    docsUrl: deploymentRuleDocsUrl('worker-package-missing'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const setting = facts.setting(deployment, 'worker_class');
      if (!setting?.known || setting.origin === 'default' || !setting.where) continue;
      const value = setting.parsed.str ?? setting.value;
      const needs = workerNeeds(value, facts.version);
      if (!needs?.length) continue;
      const packages = facts.packages(deployment);
      if (!packages) continue;
      const where = setting.where;
      for (const need of needs) {
        const declared = declarationsFor(need, packages);
        if (!declared.length) {
          if (!packages.complete) continue;
          // A Kubernetes container runs an image built elsewhere (a Dockerfile, a CI job, a Helm value), which may
          // install more than the project's files declare (`pip install gunicorn[gevent]`): a missing package there
          // is not known to be missing.
          if (deployment.launch?.container?.orchestrator === 'kubernetes') continue;
          const related: RelatedInfo[] = packages.files.slice(0, 5).flatMap((path) => {
            const source = sourceAtPath(facts, path);
            return source
              ? [
                  {
                    uri: source.uri,
                    range: ZERO,
                    message: `${shortName(path)} does not declare ${need.package}`,
                  },
                ]
              : [];
          });
          const files = packages.files.map(shortName).join(', ');
          const extra = need.providedBy.find((p) => p.name === 'gunicorn' && p.extra);
          const fix = appendFix(facts, where.uri, packages, need);
          report({
            uri: where.uri,
            range: where.range,
            message: `Worker class ${value} needs the ${need.package} package, but no dependency file of this deployment declares it (${files}): Gunicorn stops at start-up when it cannot import the worker. Add ${need.package}${extra ? ` (or gunicorn[${extra.extra}])` : ''} to the dependencies.`,
            related,
            ...(fix ? { fixes: [fix] } : {}),
          });
          continue;
        }
        const direct = declarationsFor({ ...need, providedBy: [] }, packages);
        const pinned = exactVersions(direct);
        if (need.min?.enforced && allOlderThan(pinned, need.min.version)) {
          const shown = pinned[0]!;
          report({
            uri: where.uri,
            range: where.range,
            message: `Worker class ${value} needs ${need.package} ${need.min.version} or newer under Gunicorn ${facts.versionLabel}, but the project pins ${need.package} ${shown.written} (${placeOf(shown.where)}): the worker refuses to start with an older ${need.package}.`,
            related: pinned.map((p) => ({
              uri: p.where.uri,
              range: p.where.range,
              message: `${need.package} pinned here`,
            })),
          });
        }
        const deprecated = need.deprecated;
        const since = deprecated ? parseVersion(deprecated.since) : undefined;
        if (deprecated && since) {
          const bounds = direct.map((d) => ({ d, low: lowestAllowed(d) }));
          const newer = bounds.length > 0 && bounds.every((b) => b.low && compareVersions(b.low, since) >= 0);
          if (!newer) continue;
          const first = bounds[0]!.d;
          const replacement = deprecated.replacementClass ?? deprecated.replacement;
          report({
            uri: where.uri,
            range: where.range,
            severity: 'info',
            message: `${value} is deprecated since ${need.package} ${deprecated.since}, which the project declares (${first.where.value}, ${placeOf(first.where)}); it still works but warns, and ${need.package} plans to remove it. Use ${replacement} from the ${deprecated.replacement} package.`,
            related: direct.map((d) => ({
              uri: d.where.uri,
              range: d.where.range,
              message: `${need.package} declared here`,
            })),
            tags: ['deprecated'],
          });
        }
      }
    }
  },
};

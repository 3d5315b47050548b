// Rule: app-module-not-found — the launch's APP_MODULE is not importable from where Gunicorn looks for it.

import { shortPath, specLabel } from './appShared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

export const appModuleNotFound: DeploymentRule = {
  meta: {
    id: 'app-module-not-found',
    defaultSeverity: 'error',
    description:
      "The app module a launch names is not in the folders Python searches for it (working directory, pythonpath, PYTHONPATH), although the workspace shows where it should be: Gunicorn's workers fail to import it and it exits.",
    docsUrl: deploymentRuleDocsUrl('app-module-not-found'),
  },
  check({ facts, report }) {
    for (const target of facts.appTargets()) {
      if (target.status !== 'missing' || target.parent) continue;
      const module = target.parsed.module;
      const searched = target.searched.slice(0, 4).join(', ');
      const more = target.searched.length > 4 ? ` and ${target.searched.length - 4} more` : '';
      const where = target.elsewhere
        ? ` The workspace has it at ${shortPath(target.elsewhere)}, which this launch does not search: set --chdir (or WorkingDirectory) to its folder, or add that folder with --pythonpath.`
        : ` Its top-level package is there, but not this module.`;
      report({
        uri: target.spec.uri,
        range: target.spec.range,
        // Inferred folder mappings (a server path guessed onto the workspace) make this a warning.
        ...(target.certain ? {} : { severity: 'warning' as const }),
        message: `Gunicorn cannot import ${specLabel(target)}: No module named '${module}' (searched ${searched}${more}).${where}`,
      });
    }
  },
};

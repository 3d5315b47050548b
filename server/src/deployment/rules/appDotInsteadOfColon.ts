// Rule: app-dot-instead-of-colon — `shop.wsgi.application` where `shop.wsgi` is the module and `application` its name.

import { guessed, guessNote, moduleRelated, replaceSpecFix, shortPath } from './appShared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

export const appDotInsteadOfColon: DeploymentRule = {
  meta: {
    id: 'app-dot-instead-of-colon',
    defaultSeverity: 'error',
    description:
      'The app spec joins the module and the app name with a dot (`shop.wsgi.application`) where Gunicorn needs a colon (`shop.wsgi:application`): it tries to import a module that does not exist and exits.',
    docsUrl: deploymentRuleDocsUrl('app-dot-instead-of-colon'),
  },
  check({ facts, report }) {
    for (const target of facts.appTargets()) {
      const parent = target.parent;
      const names = parent?.found.facts?.names;
      if (target.status !== 'missing' || !parent || !names) continue;
      const bindings = names.get(parent.attribute);
      if (!bindings) continue;
      const fixed = `${parent.module}:${parent.attribute}`;
      const fix = replaceSpecFix(facts, target, fixed);
      report({
        uri: target.spec.uri,
        range: target.spec.range,
        ...guessed(target),
        message: `Gunicorn imports '${target.parsed.module}' as a module and fails (No module named '${target.parsed.module}'): '${parent.attribute}' is a name in ${shortPath(parent.found.path)}, so the spec needs a colon: ${fixed}.${guessNote(target)}`,
        related: moduleRelated(facts, parent.found.uri, `'${parent.attribute}' is defined here`, bindings[0]),
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
};

// Rule: app-factory-not-called — the spec names an app factory (`app:create_app`) without calling it.

import { canCallFactory } from '../appTarget';
import { checkable, moduleRelated, replaceSpecFix, specLabel, workerProtocolOf } from './appShared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

export const appFactoryNotCalled: DeploymentRule = {
  meta: {
    id: 'app-factory-not-called',
    defaultSeverity: 'warning',
    description:
      'The app spec names a function that builds the app (or takes no arguments) without calling it: Gunicorn boots, then calls that function as the app for every request, and every request fails.',
    docsUrl: deploymentRuleDocsUrl('app-factory-not-called'),
  },
  check({ facts, report }) {
    for (const target of facts.appTargets()) {
      const moduleFacts = target.module?.facts;
      if (target.status !== 'found' || !moduleFacts || !checkable(target) || target.parsed.call) continue;
      if (moduleFacts.open) continue;
      const bindings = moduleFacts.names.get(target.parsed.attribute);
      if (!bindings?.length || !bindings.every((b) => b.kind === 'function' && !b.decorated)) continue;
      const binding = bindings[bindings.length - 1]!;
      const passed = workerProtocolOf(facts, target.deployment)?.protocol === 'asgi' ? 3 : 2;
      const max = binding.positional?.max ?? Infinity;
      const creates = binding.creates;
      if (!creates && max >= passed) continue;
      const name = target.parsed.attribute;
      const callable = (binding.positional?.required ?? 1) === 0 && canCallFactory(facts.version);
      const fix =
        callable && target.parsed.attributeSpan
          ? replaceSpecFix(
              facts,
              target,
              `${target.parsed.module}:${name}()`,
              `Call the factory: ${target.parsed.module}:${name}()`,
            )
          : undefined;
      const why = creates
        ? `${name}() builds a ${creates.framework} app (${creates.call}) and returns it`
        : `${name}() takes ${max === 0 ? 'no arguments' : `at most ${max} positional argument${max === 1 ? '' : 's'}`}`;
      report({
        uri: target.spec.uri,
        range: target.spec.range,
        message: `${specLabel(target)} names the function ${name} itself, so Gunicorn treats it as the app and calls it with ${passed} arguments for every request, but ${why}: each request fails. Call the factory in the spec${callable ? ` (${target.parsed.module}:${name}())` : ''}.`,
        related: moduleRelated(facts, target.module?.uri, `${name} is defined here`, binding),
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
};

// Rule: app-call-not-factory — the spec calls something (`app:app()`) that is an app object, not a factory.

import { guessed, guessNote, checkable, moduleRelated, replaceSpecFix, specLabel } from './appShared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

export const appCallNotFactory: DeploymentRule = {
  meta: {
    id: 'app-call-not-factory',
    defaultSeverity: 'error',
    description:
      'The app spec calls a name (`module:app()`) that holds an app object rather than a factory function: Gunicorn calls the app without the arguments it needs while loading it, and no worker boots.',
    docsUrl: deploymentRuleDocsUrl('app-call-not-factory'),
  },
  check({ facts, report }) {
    for (const target of facts.appTargets()) {
      const moduleFacts = target.module?.facts;
      const call = target.parsed.call;
      if (target.status !== 'found' || !moduleFacts || !call || !checkable(target)) continue;
      if (moduleFacts.open) continue;
      const bindings = moduleFacts.names.get(target.parsed.attribute);
      if (!bindings?.length || !bindings.every((b) => b.kind === 'assignment' && b.app)) continue;
      const binding = bindings[bindings.length - 1]!;
      const app = binding.app!;
      const fixed = `${target.parsed.module}:${target.parsed.attribute}`;
      const fix = replaceSpecFix(facts, target, fixed, `Drop the call: ${fixed}`);
      report({
        uri: target.spec.uri,
        range: target.spec.range,
        ...guessed(target),
        message: `${specLabel(target)} calls ${target.parsed.attribute}, but ${target.parsed.attribute} is already a ${app.framework} app (${app.call}), not a function that returns one: Gunicorn calls it with ${call.args.trim() ? 'those' : 'no'} arguments while loading, the ${app.protocol.toUpperCase()} call fails and no worker boots. Name it without parentheses: ${fixed}.${guessNote(target)}`,
        related: moduleRelated(
          facts,
          target.module?.uri,
          `${target.parsed.attribute} is created here`,
          binding,
        ),
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
};

// Rule: app-attribute-missing — the app module exists but defines no top-level name the spec asks for.

import { closestMatches } from '../../core/editDistance';
import { compareVersions } from '../../core/version';
import { checkable, guessed, guessNote, moduleRelated, replaceSpecFix, shortPath } from './appShared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

export const appAttributeMissing: DeploymentRule = {
  meta: {
    id: 'app-attribute-missing',
    defaultSeverity: 'error',
    description:
      'The app module defines no top-level name the launch asks for (`module:name`, or `application` when no name is given): Gunicorn fails to find the application object and exits.',
    docsUrl: deploymentRuleDocsUrl('app-attribute-missing'),
  },
  check({ facts, report }) {
    for (const target of facts.appTargets()) {
      const module = target.module;
      const moduleFacts = module?.facts;
      if (target.status !== 'found' || !module || !moduleFacts || !checkable(target)) continue;
      if (moduleFacts.open || moduleFacts.syntaxError) continue;
      const attribute = target.parsed.attribute;
      if (moduleFacts.names.has(attribute)) continue;
      // A package's submodule becomes an attribute once something imports it.
      if (module.submodules?.includes(attribute)) continue;
      const names = [...moduleFacts.names.keys()];
      const apps = names.filter((name) => moduleFacts.names.get(name)!.some((b) => b.app || b.creates));
      const suggestions = [...new Set([...closestMatches(attribute, names, 3), ...apps])].slice(0, 3);
      const gunicornSays =
        compareVersions(facts.version, [20, 0, 1]) >= 0
          ? `Failed to find attribute '${attribute}' in '${target.parsed.module}'.`
          : `Failed to find application object '${attribute}' in '${target.parsed.module}'`;
      const implicit = !target.parsed.attributeSpan;
      const message =
        `${shortPath(module.path)} has no top-level '${attribute}'${implicit ? " (Gunicorn's default name when the spec has no ':NAME')" : ''}: Gunicorn stops with "${gunicornSays}" and no worker boots.` +
        (suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '') +
        guessNote(target);
      const fixes = suggestions.flatMap((name) => {
        const spec = `${target.parsed.module}:${name}${pickCall(moduleFacts.names.get(name)!, target.parsed.call?.args)}`;
        const fix = replaceSpecFix(facts, target, spec);
        return fix ? [fix] : [];
      });
      report({
        uri: target.spec.uri,
        range: target.spec.range,
        ...guessed(target),
        message,
        related: moduleRelated(
          facts,
          module.uri,
          names.length ? `top-level names: ${names.slice(0, 12).join(', ')}` : 'no top-level names',
        ),
        ...(fixes.length ? { fixes } : {}),
      });
    }
  },
};

/** The call suffix a suggested name keeps: a factory stays called as written, an app object is not called. */
function pickCall(
  bindings: readonly { kind: string; creates?: unknown }[],
  args: string | undefined,
): string {
  if (args === undefined) return bindings.some((b) => b.creates) ? '()' : '';
  return bindings.some((b) => b.kind === 'function') ? `(${args})` : '';
}

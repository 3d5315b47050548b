// Rule: nginx-unknown-directive — a directive name nginx does not know anywhere: it refuses to start.

import { moduleFactsFor } from '../moduleFacts';
import { nginxModuleCatalog } from '../modules';
import type { NginxModel } from '../parse';
import { isJudged, isKnownName } from './genericShared';
import type { NginxRule, NginxWorkspaceFacts } from './types';
import { nginxRuleDocsUrl } from './types';

/**
 * Where the nginx that reads this file may load modules nobody can see from the workspace: no main configuration
 * reaches the file (a site or snippet; Debian's main file includes modules-enabled/*.conf), the main one includes
 * files outside the workspace or loads a `.so` we do not know, or the build compiles modules in.
 */
function mayLoadUnseenModules(
  workspace: NginxWorkspaceFacts,
  model: NginxModel,
  path: string,
): string | undefined {
  if (workspace.staticModules === 'custom') return 'this nginx is built with modules of its own';
  // A main configuration checked on its own says itself what it loads (its includes name nothing known here).
  const facts =
    workspace.modules ??
    moduleFactsFor(
      path,
      new Map([[path, model]]),
      () => undefined,
      () => [],
    );
  if (!facts) return 'the main configuration that includes this file is not in the workspace';
  const unknown = facts.loaded.find((file) => !nginxModuleCatalog().moduleOfFile(file));
  if (unknown) return `the main configuration loads ${unknown}`;
  if (facts.unresolvedIncludes) return 'the main configuration includes files outside the workspace';
  return undefined;
}

export const nginxUnknownDirective: NginxRule = {
  meta: {
    id: 'nginx-unknown-directive',
    defaultSeverity: 'error',
    description:
      'A directive name nginx does not know (a typo, wrong case, or a module that is not loaded); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-unknown-directive'),
  },
  check({ model, catalog, path, range, report, workspace }) {
    let unseenModules: string | undefined | null = null;
    for (const directive of model.all) {
      // Inside an unknown block and in the `key value;` bodies of map, geo, types and split_clients, names are not
      // directive names nginx looks up.
      if (!isJudged(directive) || isKnownName(catalog, directive.name)) continue;
      const name = directive.name;
      const lower = name.toLowerCase();
      const suggestions =
        lower !== name && catalog.isKnown(lower)
          ? [lower]
          : name.includes('$') || name === ''
            ? []
            : catalog.suggest(name, directive.context ?? undefined);
      const where = range(directive.nameToken.span);
      // Not close to any name we know, where modules we cannot see may be loaded: most likely a module's directive
      // (Passenger, upload, ACME…), which no judge here can confirm or refute.
      if (
        !suggestions.length &&
        lower === name &&
        !name.includes('$') &&
        !nginxModuleCatalog().suggest(name).length
      ) {
        if (unseenModules === null) unseenModules = mayLoadUnseenModules(workspace, model, path);
        if (unseenModules !== undefined) {
          report({
            range: where,
            severity: 'warning',
            message: `Unknown directive "${name}": neither nginx nor a third-party module we know has it. If a module this nginx loads provides it, ignore this (${unseenModules}); otherwise nginx will refuse to start.`,
          });
          continue;
        }
      }
      const hint = suggestions.length
        ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
        : lower !== name
          ? ''
          : ' If it comes from a third-party module, that module must be loaded (load_module) before this line.';
      report({
        range: where,
        message: `Unknown directive "${name}": nginx will refuse to start.${
          lower !== name && suggestions[0] === lower ? ' Directive names are case-sensitive.' : ''
        }${hint}`,
        fixes: suggestions.map((suggestion, index) => ({
          title: `Change to ${suggestion}`,
          edits: [{ range: where, newText: suggestion }],
          isPreferred: index === 0,
        })),
      });
    }
  },
};

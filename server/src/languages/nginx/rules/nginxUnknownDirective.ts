// Rule: nginx-unknown-directive — a directive name nginx does not know anywhere: it refuses to start.

import { isJudged, isKnownName } from './genericShared';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxUnknownDirective: NginxRule = {
  meta: {
    id: 'nginx-unknown-directive',
    defaultSeverity: 'error',
    description:
      'A directive name nginx does not know (a typo, wrong case, or a module that is not loaded); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-unknown-directive'),
  },
  check({ model, catalog, range, report }) {
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

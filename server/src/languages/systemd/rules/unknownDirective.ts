// Rule: unknown-directive — a key no catalogued systemd release knows in any section; systemd logs "Unknown key" and
// ignores it. A real key the targeted release lacks is directive-not-in-version's business.

import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const unknownDirective: UnitRule = {
  meta: {
    id: 'unknown-directive',
    defaultSeverity: 'warning',
    description:
      'A directive no systemd release knows (typo, wrong case, another tool\u2019s key); systemd ignores it.',
    docsUrl: unitRuleDocsUrl('unknown-directive'),
  },
  check({ model, catalog, unitType, range, report }) {
    const allowed = new Set(catalog.sectionsFor(unitType).map((s) => s.name as string));
    for (const directive of model.directives) {
      const section = directive.section;
      if (!section || directive.key === '' || directive.key.startsWith('X-')) continue;
      // Unknown sections are reported once by unknown-section; their keys are not judged.
      if (section.name.startsWith('X-') || !allowed.has(section.name)) continue;
      if (catalog.entries(directive.key).length) continue; // known somewhere: wrong-section's business
      const caseFix = catalog.caseFix(directive.key);
      const suggestions = caseFix ? [caseFix] : catalog.suggest(directive.key, section.name);
      // Fix-all renames only to the one candidate the section does not set already (else two lines would compete).
      const safe =
        suggestions.length === 1 && !section.directives.some((other) => other.key === suggestions[0]);
      report({
        range: range(directive.keySpan),
        message: `Unknown directive ${directive.key}= in [${section.name}]; systemd ignores it.${
          caseFix
            ? ` Keys are case-sensitive: ${caseFix}=.`
            : suggestions.length
              ? ` Did you mean ${suggestions.map((s) => `${s}=`).join(', ')}?`
              : ''
        }`,
        fixes: suggestions.map((name, index) => ({
          title: `Change to ${name}=`,
          edits: [{ range: range(directive.keySpan), newText: name }],
          isPreferred: index === 0,
          ...(safe ? { safe } : {}),
        })),
      });
    }
  },
};

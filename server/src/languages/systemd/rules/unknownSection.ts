// Rule: unknown-section — a [Section] systemd does not know for this unit type; everything in it is ignored.

import { closestMatches } from '../../../core/editDistance';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const unknownSection: UnitRule = {
  meta: {
    id: 'unknown-section',
    defaultSeverity: 'warning',
    description: 'A section name systemd does not know for this unit type, so it ignores every line in it.',
    docsUrl: unitRuleDocsUrl('unknown-section'),
  },
  check({ model, catalog, unitType, range, report }) {
    const allowed = catalog.sectionsFor(unitType).map((s) => s.name);
    for (const section of model.sections) {
      // X- sections are for other tools; systemd skips them on purpose.
      if (section.name.startsWith('X-') || allowed.includes(section.name as never)) continue;
      const known = catalog.section(section.name);
      const suggestions = known
        ? []
        : closestMatches(section.name, allowed, 2).concat(
            allowed.filter((a) => a.toLowerCase() === section.name.toLowerCase()),
          );
      const unique = [...new Set(suggestions)];
      // Fix-all renames only to the one candidate the file does not have already (two sections would merge).
      const safe = unique.length === 1 && !model.sections.some((other) => other.name === unique[0]);
      report({
        range: range(section.nameSpan),
        message: known
          ? `[${section.name}] does not belong in a .${unitType ?? '?'} unit; systemd ignores it (allowed: ${allowed.join(', ')}).`
          : `Unknown section [${section.name}]; systemd ignores it and everything in it.${unique.length ? ` Did you mean [${unique.join('], [')}]?` : ''}`,
        fixes: unique.map((name, index) => ({
          title: `Change to [${name}]`,
          edits: [{ range: range(section.nameSpan), newText: name }],
          isPreferred: index === 0,
          ...(safe ? { safe } : {}),
        })),
      });
    }
  },
};

// Rule: invalid-directive-value — a value systemd cannot parse for the directive's type (bool, time span, enum, mode…).

import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';
import { readBy } from '../availability';
import { valueProblem } from '../values';

export const invalidDirectiveValue: UnitRule = {
  meta: {
    id: 'invalid-directive-value',
    defaultSeverity: 'error',
    description:
      'A value systemd cannot parse for the directive (not a boolean, time span, allowed choice, octal mode, absolute path…).',
    docsUrl: unitRuleDocsUrl('invalid-directive-value'),
  },
  check({ model, catalog, systemd, range, report }) {
    for (const directive of model.directives) {
      if (!directive.section) continue;
      const info = catalog.directive(directive.key, directive.section.name);
      // A key the target does not read has no value to judge (directive-not-in-version says so), nor has a key we
      // know by name only.
      if (!info || info.nameOnly) continue;
      if (!readBy(info, directive.section.name, systemd.version)) continue;
      const problem = valueProblem(info, directive.value, systemd.version);
      if (!problem) continue;
      report({
        range: range(directive.valueSpan),
        message: `${directive.key}=: ${problem.message}. systemd logs the line and ignores it.`,
        fixes: problem.replacement
          ? [
              {
                title: `Change to ${problem.replacement}`,
                edits: [{ range: range(directive.valueSpan), newText: problem.replacement }],
                isPreferred: true,
                ...(problem.safe ? { safe: true } : {}),
              },
            ]
          : [],
      });
    }
  },
};

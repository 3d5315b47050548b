// Rule: unit-syntax — a line systemd cannot read (no '=', a broken section header, a key before any section).

import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const unitSyntax: UnitRule = {
  meta: {
    id: 'unit-syntax',
    defaultSeverity: 'error',
    description: 'A line systemd cannot parse; it logs the line and ignores it.',
    docsUrl: unitRuleDocsUrl('unit-syntax'),
  },
  check({ model, range, report }) {
    for (const problem of model.problems) report({ range: range(problem.span), message: problem.message });
  },
};

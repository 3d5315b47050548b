// Rule: missing-exec-start — a service with nothing to run: systemd refuses to load it.

import { sectionHeaderSpan } from '../parse';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const missingExecStart: UnitRule = {
  meta: {
    id: 'missing-exec-start',
    defaultSeverity: 'error',
    description:
      'A .service without ExecStart= (nor ExecStop= or SuccessAction=); systemd refuses to load it.',
    docsUrl: unitRuleDocsUrl('missing-exec-start'),
  },
  check({ model, unitType, isDropIn, range, report }) {
    if (unitType !== 'service' || isDropIn) return;
    const has = (key: string) => model.directives.some((d) => d.key === key && d.value !== '');
    if (has('ExecStart') || has('ExecStop') || has('SuccessAction')) return;
    const anchor = sectionHeaderSpan(model, 'Service');
    if (!anchor) return;
    report({
      range: range(anchor),
      message: 'This service has no ExecStart=: systemd refuses to load a service with nothing to run.',
    });
  },
};

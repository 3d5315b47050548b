// Rule: unknown-log-atom — a %(x)s atom in access_log_format that Gunicorn does not fill in; it logs a dash there.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

export const unknownLogAtom: GunicornRule = {
  meta: {
    id: 'unknown-log-atom',
    defaultSeverity: 'warning',
    description: 'An access_log_format atom Gunicorn does not know, which always logs as a dash.',
    docsUrl: ruleDocsUrl('unknown-log-atom'),
  },
  check({ model, catalog, report }) {
    const binding = lastBinding(model, 'access_log_format');
    if (!binding || binding.value.kind !== 'str') return;
    const source = model.text.slice(binding.value.span.from, binding.value.span.to);
    // Map atoms to source offsets when the literal is a plain one-piece string (no escapes); else flag the whole string.
    const direct = /^(['"])(?:(?!\1|\\).)*\1$/.test(source);
    for (const match of binding.value.value.matchAll(/%\(([^)]*)\)s/g)) {
      const atom = match[1]!;
      if (catalog.logAtom(atom)) continue;
      const from = direct ? binding.value.span.from + 1 + match.index : binding.value.span.from;
      const to = direct ? from + match[0].length : binding.value.span.to;
      report({
        range: spanRange(model, { from, to }),
        message: `access_log_format: Gunicorn has no atom '%(${atom})s'; it logs '-' there. Request headers are written %({name}i)s.`,
      });
    }
  },
};

// Rule: unknown-loglevel — a loglevel Gunicorn does not know; it silently logs at info instead.

import { closestMatches } from '../../../core/editDistance';
import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, replaceFix, spanRange } from './ruleUtils';

const LEVELS = ['debug', 'info', 'warning', 'error', 'critical'];

export const unknownLoglevel: GunicornRule = {
  meta: {
    id: 'unknown-loglevel',
    defaultSeverity: 'warning',
    description:
      'A loglevel that is not debug, info, warning, error or critical; Gunicorn quietly uses info.',
    docsUrl: ruleDocsUrl('unknown-loglevel'),
  },
  check({ model, report }) {
    const binding = lastBinding(model, 'loglevel');
    if (!binding || binding.value.kind !== 'str') return;
    const level = binding.value.value;
    if (LEVELS.includes(level.toLowerCase())) return;
    const best =
      level.toLowerCase() === 'warn' ? 'warning' : closestMatches(level.toLowerCase(), LEVELS, 1)[0];
    const range = spanRange(model, binding.value.span);
    report({
      range,
      message: `Gunicorn does not know the log level '${level}' and silently logs at info instead (levels: ${LEVELS.join(', ')}).`,
      fixes: best
        ? [
            {
              ...replaceFix(model, binding.value.span, JSON.stringify(best)),
              // "warn" is the standard library's own alias of warning; other near misses pick a level.
              ...(level.toLowerCase() === 'warn' ? { safe: true } : {}),
            },
          ]
        : [],
    });
  },
};

// Rule: long-timeout — a worker timeout of five minutes or more usually hides slow requests that belong in a job queue.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

export const longTimeout: GunicornRule = {
  meta: {
    id: 'long-timeout',
    defaultSeverity: 'info',
    description:
      'timeout of 300 s or more: a hung worker stays stuck that long, and slow requests block sync workers.',
    docsUrl: ruleDocsUrl('long-timeout'),
  },
  check({ model, report }) {
    const timeout = lastBinding(model, 'timeout');
    if (!timeout || timeout.value.kind !== 'int' || timeout.value.value < 300) return;
    report({
      range: spanRange(model, timeout.value.span),
      message: `timeout = ${timeout.value.value}: a hung worker is only replaced after ${timeout.value.value} s, and each slow request occupies a whole sync worker. Consider background jobs or an async worker for long requests.`,
    });
  },
};

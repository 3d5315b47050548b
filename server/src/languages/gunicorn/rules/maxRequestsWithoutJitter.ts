// Rule: max-requests-without-jitter — every worker restarts after the same request count, so they tend to restart together.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { insertLineAfter, lastBinding, spanRange } from './ruleUtils';

export const maxRequestsWithoutJitter: GunicornRule = {
  meta: {
    id: 'max-requests-without-jitter',
    defaultSeverity: 'warning',
    description:
      'max_requests without max_requests_jitter makes workers recycle in lock-step, causing capacity drops.',
    docsUrl: ruleDocsUrl('max-requests-without-jitter'),
  },
  check({ model, report }) {
    const maxRequests = lastBinding(model, 'max_requests');
    if (!maxRequests || maxRequests.value.kind !== 'int' || maxRequests.value.value <= 0) return;
    const jitter = lastBinding(model, 'max_requests_jitter');
    if (jitter && !(jitter.value.kind === 'int' && jitter.value.value === 0)) return;
    const suggested = Math.max(1, Math.round(maxRequests.value.value / 10));
    report({
      range: spanRange(model, maxRequests.nameSpan),
      message: `max_requests = ${maxRequests.value.value} without max_requests_jitter: workers started together also restart together. Add a jitter of about 10%.`,
      fixes: [
        jitter
          ? {
              title: `Set max_requests_jitter = ${suggested}`,
              edits: [{ range: spanRange(model, jitter.value.span), newText: String(suggested) }],
              isPreferred: true,
            }
          : {
              title: `Add max_requests_jitter = ${suggested}`,
              edits: [insertLineAfter(model, maxRequests, `max_requests_jitter = ${suggested}`)],
              isPreferred: true,
            },
      ],
    });
  },
};

// Rule: max-requests-without-jitter — every worker restarts after the same request count, so they tend to restart together.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

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
    const line = model.lines.positionAt(maxRequests.statementSpan.to).line;
    const eol = model.lines.eol;
    const indent = /^\s*/.exec(
      model.lines.lineText(model.lines.positionAt(maxRequests.statementSpan.from).line),
    )![0];
    const end = { line, character: model.lines.lineText(line).length };
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
              edits: [
                { range: { start: end, end }, newText: `${eol}${indent}max_requests_jitter = ${suggested}` },
              ],
              isPreferred: true,
            },
      ],
    });
  },
};

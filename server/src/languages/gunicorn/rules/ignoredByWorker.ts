// Rule: ignored-by-worker — worker_connections, keepalive or threads set for a worker class that does not use them.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { effectiveWorker, lastBinding, spanRange } from './ruleUtils';

export const ignoredByWorker: GunicornRule = {
  meta: {
    id: 'ignored-by-worker',
    defaultSeverity: 'info',
    description:
      'A setting the chosen worker class ignores, such as worker_connections with the sync worker.',
    docsUrl: ruleDocsUrl('ignored-by-worker'),
  },
  check(context) {
    const { model, report } = context;
    // sync with threads > 1 becomes gthread (sync-threads says so); judge it as gthread then.
    const effective = effectiveWorker(context);
    if (!effective) return;
    const checks: [string, boolean][] = [
      ['worker_connections', effective.honours.workerConnections],
      ['keepalive', effective.honours.keepalive],
      ['threads', effective.honours.threads || effective.name === 'sync'],
    ];
    for (const [setting, honoured] of checks) {
      const binding = lastBinding(model, setting);
      if (!binding || honoured) continue;
      report({
        range: spanRange(model, binding.nameSpan),
        message: `${setting} has no effect with the ${effective.name} worker.`,
        tags: ['unnecessary'],
      });
    }
  },
};

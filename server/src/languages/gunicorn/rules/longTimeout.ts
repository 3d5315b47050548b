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
    // What a slow request holds depends on the worker class: the whole process with sync workers, a thread or a
    // greenlet with others. Only this file's worker_class is known here (a launch may pass -k).
    const workerClass = lastBinding(model, 'worker_class')?.value;
    const named = workerClass?.kind === 'str' ? workerClass.value.trim() : undefined;
    const sync =
      named === undefined
        ? undefined
        : /^(?:sync|egg:gunicorn#sync|gunicorn\.workers\.sync\.SyncWorker)$/i.test(named);
    const held =
      sync === undefined
        ? ', and with the sync worker (the default) each slow request occupies a whole worker process'
        : sync
          ? ', and each slow request occupies a whole sync worker'
          : '';
    report({
      range: spanRange(model, timeout.value.span),
      message: `timeout = ${timeout.value.value}: a hung worker is only replaced after ${timeout.value.value} s${held}. Consider background jobs for long requests.`,
    });
  },
};

// Rule: sync-threads — threads > 1 with the sync worker: Gunicorn quietly switches to gthread; say so explicitly.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

export const syncThreads: GunicornRule = {
  meta: {
    id: 'sync-threads',
    defaultSeverity: 'info',
    description:
      'threads above 1 with the (default) sync worker silently turns the workers into gthread workers.',
    docsUrl: ruleDocsUrl('sync-threads'),
  },
  check({ model, report }) {
    const threads = lastBinding(model, 'threads');
    if (!threads || threads.value.kind !== 'int' || threads.value.value <= 1) return;
    const workerClass = lastBinding(model, 'worker_class');
    if (
      workerClass &&
      !(
        workerClass.value.kind === 'str' &&
        ['sync', 'gunicorn.workers.sync.SyncWorker'].includes(workerClass.value.value)
      )
    ) {
      return;
    }
    const eol = model.lines.eol;
    const fix = workerClass
      ? {
          title: 'Set worker_class = "gthread"',
          edits: [{ range: spanRange(model, workerClass.value.span), newText: '"gthread"' }],
          isPreferred: true,
        }
      : (() => {
          const line = model.lines.positionAt(threads.statementSpan.from).line;
          const start = { line, character: 0 };
          return {
            title: 'Add worker_class = "gthread"',
            edits: [{ range: { start, end: start }, newText: `worker_class = "gthread"${eol}` }],
            isPreferred: true,
          };
        })();
    report({
      range: spanRange(model, threads.nameSpan),
      message: `threads = ${threads.value.value} with the sync worker: Gunicorn runs gthread workers instead. Set worker_class = "gthread" so the config says what runs.`,
      fixes: [fix],
    });
  },
};

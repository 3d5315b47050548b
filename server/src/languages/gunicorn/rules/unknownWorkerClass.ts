// Rule: unknown-worker-class — a worker_class shortcut the target Gunicorn does not have; start-up fails with "class uri … invalid or not found".

import { workerClassVerdict } from '../workerClassVerdict';
import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

export const unknownWorkerClass: GunicornRule = {
  meta: {
    id: 'unknown-worker-class',
    defaultSeverity: 'error',
    description:
      'A worker_class that is neither a shortcut of the target Gunicorn nor a dotted path, so the master cannot load it.',
    docsUrl: ruleDocsUrl('unknown-worker-class'),
  },
  check({ model, catalog, version, versionLabel, report }) {
    const binding = lastBinding(model, 'worker_class');
    if (!binding || binding.value.kind !== 'str') return;
    const verdict = workerClassVerdict(binding.value.value, catalog, version, versionLabel);
    if (!verdict) return;
    const range = spanRange(model, binding.value.span);
    report({
      range,
      message: verdict.message,
      fixes: verdict.suggestions.map((s, i) => ({
        title: `Change to "${s}"`,
        edits: [{ range, newText: JSON.stringify(s) }],
        isPreferred: i === 0,
      })),
    });
  },
};

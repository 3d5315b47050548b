// Rule: preload-with-reload — with preload_app the master holds the imported app, so reload cannot pick up code changes.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { isTrueSetting, lastBinding, spanRange } from './ruleUtils';

export const preloadWithReload: GunicornRule = {
  meta: {
    id: 'preload-with-reload',
    defaultSeverity: 'warning',
    description:
      'preload_app and reload together: reloaded workers fork from a master that still has the old code.',
    docsUrl: ruleDocsUrl('preload-with-reload'),
  },
  check({ model, uri, report }) {
    const preload = lastBinding(model, 'preload_app');
    const reload = lastBinding(model, 'reload');
    if (!preload || !reload) return;
    if (!isTrueSetting(preload.value) || !isTrueSetting(reload.value)) return;
    report({
      range: spanRange(model, reload.nameSpan),
      message:
        'reload with preload_app: the application is imported once in the master, so restarted workers still run the old code. Turn one of them off.',
      related: [{ uri, range: spanRange(model, preload.nameSpan), message: 'preload_app is set here' }],
    });
  },
};

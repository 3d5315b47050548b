// Rule: async-hook — a server hook written as `async def`: Gunicorn calls it without awaiting, so its body never runs.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { spanRange } from './ruleUtils';

export const asyncHook: GunicornRule = {
  meta: {
    id: 'async-hook',
    defaultSeverity: 'warning',
    description:
      'A server hook defined with async def; Gunicorn calls hooks synchronously, so the coroutine is created and dropped.',
    docsUrl: ruleDocsUrl('async-hook'),
  },
  check({ model, catalog, version, report }) {
    for (const binding of model.bindings) {
      if (binding.value.kind !== 'function' || !binding.value.fn.isAsync) continue;
      const setting = catalog.get(binding.name);
      if (!setting?.hook || catalog.availability(setting, version) !== 'available') continue;
      const fn = binding.value.fn;
      const asyncKeyword = model.text.indexOf('async', fn.span.from);
      const fixes =
        asyncKeyword >= 0 && asyncKeyword < (fn.nameSpan?.from ?? fn.span.to)
          ? [
              {
                title: 'Make it a plain def',
                edits: [
                  {
                    range: spanRange(model, {
                      from: asyncKeyword,
                      to: model.text.indexOf('def', asyncKeyword),
                    }),
                    newText: '',
                  },
                ],
                isPreferred: true,
              },
            ]
          : [];
      report({
        range: spanRange(model, fn.nameSpan ?? fn.span),
        message: `${binding.name} is async: Gunicorn calls hooks without awaiting them, so this body never runs (Python only warns "coroutine was never awaited"). Use a plain def; start async work from inside the app.`,
        fixes,
      });
    }
  },
};

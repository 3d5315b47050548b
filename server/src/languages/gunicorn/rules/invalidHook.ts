// Rule: invalid-hook — a server hook bound to something Gunicorn cannot call, so it refuses to start.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { pythonRepr, spanRange } from './ruleUtils';

export const invalidHook: GunicornRule = {
  meta: {
    id: 'invalid-hook',
    defaultSeverity: 'error',
    description:
      'A server hook set to a value that is neither a function nor an importable "module.function" string.',
    docsUrl: ruleDocsUrl('invalid-hook'),
  },
  check({ model, catalog, version, report }) {
    for (const binding of model.bindings) {
      if (binding.kind === 'import' || binding.kind === 'def' || binding.kind === 'class') continue;
      const setting = catalog.get(binding.name);
      if (!setting?.hook || catalog.availability(setting, version) !== 'available') continue;
      const value = binding.value;
      // Functions and values we cannot evaluate (partials, imported names, class instances) may well be callable.
      if (value.kind === 'function' || value.kind === 'unknown') continue;
      const problem =
        value.kind === 'str'
          ? value.value.includes('.')
            ? undefined
            : `'${value.value}' is not an import path like 'module.function'`
          : `${pythonRepr(value)} is not callable`;
      if (!problem) continue;
      report({
        range: spanRange(model, value.span),
        message: `Gunicorn refuses to start: ${binding.name} must be a function taking (${setting.hook.params.join(', ')}); ${problem}.`,
      });
    }
  },
};

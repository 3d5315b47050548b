// Rule: hook-arity — a hook whose positional parameter count Gunicorn does not accept; Gunicorn refuses to start.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { spanRange } from './ruleUtils';

export const hookArity: GunicornRule = {
  meta: {
    id: 'hook-arity',
    defaultSeverity: 'error',
    description: 'A server hook defined with a number of positional parameters Gunicorn does not accept.',
    docsUrl: ruleDocsUrl('hook-arity'),
  },
  check({ model, catalog, version, report }) {
    for (const binding of model.bindings) {
      if (binding.value.kind !== 'function') continue;
      const setting = catalog.get(binding.name);
      if (!setting?.hook || catalog.availability(setting, version) !== 'available') continue;
      const fn = binding.value.fn;
      // Gunicorn counts positional parameters, defaulted ones included; *args and **kwargs count for nothing.
      const arity = fn.params.filter((p) => p.kind === 'positional').length;
      const { arities, params } = setting.hook;
      if (arities.includes(arity)) continue;
      const expected =
        arities.length > 1 ? `${arities[0]} to ${arities[arities.length - 1]}` : String(arities[0]);
      const wanted = params
        .slice(0, Math.max(...arities.filter((a) => a <= params.length), arities[0] ?? 0))
        .join(', ');
      const range = spanRange(model, fn.nameSpan ?? fn.paramsSpan);
      report({
        range,
        message: `Gunicorn refuses to start: ${binding.name} must take ${expected} positional parameter${expected === '1' ? '' : 's'} (${params.join(', ')}); this one takes ${arity}.`,
        fixes: [
          {
            title: `Change the parameters to (${wanted})`,
            edits: [
              { range: spanRange(model, fn.paramsSpan), newText: fn.isLambda ? wanted : `(${wanted})` },
            ],
            isPreferred: true,
          },
        ],
      });
    }
  },
};

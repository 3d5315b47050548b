// Rule: deprecated-setting — a setting (or worker class) Gunicorn or its maintainers have deprecated in the target version.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { spanRange } from './ruleUtils';
import { isAtLeast } from '../../../core/version';

export const deprecatedSetting: GunicornRule = {
  meta: {
    id: 'deprecated-setting',
    defaultSeverity: 'warning',
    description: 'A deprecated setting or worker class that still loads but is ignored or due to disappear.',
    docsUrl: ruleDocsUrl('deprecated-setting'),
  },
  check({ model, catalog, version, report }) {
    for (const binding of model.bindings) {
      if (binding.kind === 'import') continue;
      const setting = catalog.get(binding.name);
      if (!setting || catalog.availability(setting, version) !== 'available') continue;
      if (setting.deprecated && catalog.isDeprecatedIn(setting, version)) {
        report({
          range: spanRange(model, binding.nameSpan),
          message: `${binding.name} is deprecated: ${setting.deprecated.message}`,
          tags: ['deprecated'],
        });
      }
      if (binding.name === 'worker_class' && binding.value.kind === 'str') {
        const worker = catalog.workerClass(binding.value.value);
        if (!worker?.deprecated || !isAtLeast(version, worker.deprecated.since)) continue;
        if (worker.removed && isAtLeast(version, worker.removed.since)) continue;
        const range = spanRange(model, binding.value.span);
        const replacement = worker.deprecated.replacement;
        report({
          range,
          message: `The worker class '${worker.name}' is deprecated: ${worker.deprecated.message}`,
          tags: ['deprecated'],
          fixes: replacement
            ? [
                {
                  title: `Change to "${replacement}"`,
                  edits: [{ range, newText: JSON.stringify(replacement) }],
                  isPreferred: true,
                },
              ]
            : [],
        });
      }
    }
  },
};

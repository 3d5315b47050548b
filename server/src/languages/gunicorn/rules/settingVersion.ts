// Rule: setting-not-in-version — a setting the target Gunicorn version does not have (too new, removed, unreleased), so it is ignored.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { spanRange } from './ruleUtils';

export const settingVersion: GunicornRule = {
  meta: {
    id: 'setting-not-in-version',
    defaultSeverity: 'warning',
    description:
      'A setting that does not exist in the Gunicorn version being targeted, so that version silently ignores it.',
    docsUrl: ruleDocsUrl('setting-not-in-version'),
  },
  check({ model, catalog, version, versionLabel, report }) {
    for (const binding of model.bindings) {
      if (binding.kind === 'import') continue;
      const setting = catalog.get(binding.name);
      if (!setting) continue;
      const availability = catalog.availability(setting, version);
      const range = spanRange(model, binding.nameSpan);
      if (availability === 'not-yet') {
        report({
          range,
          message: `${binding.name} was added in Gunicorn ${setting.since}; Gunicorn ${versionLabel} ignores it.`,
        });
      } else if (availability === 'removed') {
        report({
          range,
          message: `${binding.name} was removed in Gunicorn ${setting.removed?.since}; Gunicorn ${versionLabel} ignores it.`,
          tags: ['deprecated'],
        });
      } else if (availability === 'unreleased') {
        report({
          range,
          severity: 'info',
          message: `${binding.name} is not in any Gunicorn release yet; released versions ignore it.`,
        });
      }
    }
  },
};

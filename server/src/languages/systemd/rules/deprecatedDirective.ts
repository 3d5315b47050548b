// Rule: deprecated-directive — a directive or value systemd has deprecated (MemoryLimit=, KillMode=none, …).

import { readBy } from '../availability';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const deprecatedDirective: UnitRule = {
  meta: {
    id: 'deprecated-directive',
    defaultSeverity: 'warning',
    description: 'A deprecated directive or value, with its replacement where there is one.',
    docsUrl: unitRuleDocsUrl('deprecated-directive'),
  },
  check({ model, catalog, systemd, range, report }) {
    for (const directive of model.directives) {
      const section = directive.section;
      if (!section) continue;
      const info = catalog.directive(directive.key, section.name);
      if (!info) continue;
      // Gone in the target release: directive-not-in-version reports it, with the replacement.
      if (!readBy(info, section.name, systemd.version)) continue;
      const notice = info.deprecated ?? info.deprecatedIn?.find((d) => d.section === section.name);
      if (notice) {
        const replacement = notice.replacement?.replace(/=$/, '');
        report({
          range: range(directive.keySpan),
          message: `${directive.key}= is deprecated: ${notice.message}`,
          tags: ['deprecated'],
          fixes:
            replacement && /^[A-Za-z]+$/.test(replacement) && !info.deprecatedIn
              ? [
                  {
                    title: `Change to ${replacement}=`,
                    edits: [{ range: range(directive.keySpan), newText: replacement }],
                    isPreferred: true,
                  },
                ]
              : [],
        });
      }
      const value = info.deprecatedValues?.find((v) => v.value === directive.value);
      if (value) {
        report({
          range: range(directive.valueSpan),
          message: `${directive.key}=${value.value} is deprecated: ${value.message}`,
          tags: ['deprecated'],
          fixes: value.replacement
            ? [
                {
                  title: `Change to ${directive.key}=${value.replacement}`,
                  edits: [{ range: range(directive.valueSpan), newText: value.replacement }],
                  isPreferred: true,
                },
              ]
            : [],
        });
      }
    }
  },
};

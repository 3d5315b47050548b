// Rule: nginx-invalid-flag — an on/off directive given anything but on or off (nginx compares case-insensitively).

import { hasPlaceholder, parseNginxFlag } from '../values';
import { governingEntries } from './genericShared';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxInvalidFlag: NginxRule = {
  meta: {
    id: 'nginx-invalid-flag',
    defaultSeverity: 'error',
    description: 'An on/off directive given another value (yes, true, 1…); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-invalid-flag'),
  },
  check({ model, catalog, path, range, report }) {
    for (const directive of model.all) {
      const entries = governingEntries(catalog, model, path, directive);
      if (!entries?.length || !entries.every((e) => e.args.flag)) continue;
      const value = directive.args[0];
      // A variable or template placeholder (`${REAL_IP_RECURSIVE}`) is filled in before nginx reads it: unknown.
      if (directive.args.length !== 1 || !value || hasPlaceholder(value.value)) continue;
      const read = parseNginxFlag(value.value);
      if (read.ok) continue;
      const where = range(value.span);
      const meant = read.replacement;
      report({
        range: where,
        message: `"${directive.name}" takes on or off, not "${value.value}"; nginx will refuse to start.${
          meant ? ` Write ${meant}.` : ''
        }`,
        fixes: meant
          ? [
              // parseNginxFlag names a replacement only for unmistakable words (yes, true, 1…).
              {
                title: `Change to ${meant}`,
                edits: [{ range: where, newText: meant }],
                isPreferred: true,
                safe: true,
              },
            ]
          : [
              { title: 'Change to on', edits: [{ range: where, newText: 'on' }] },
              { title: 'Change to off', edits: [{ range: where, newText: 'off' }] },
            ],
      });
    }
  },
};

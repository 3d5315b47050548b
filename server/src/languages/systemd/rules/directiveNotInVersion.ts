// Rule: directive-not-in-version — a directive the targeted systemd release does not have (added later, removed) or
// only accepts to ignore it.

import { availability, whenWords } from '../availability';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const directiveNotInVersion: UnitRule = {
  meta: {
    id: 'directive-not-in-version',
    // systemd itself only logs an unknown key and starts the unit, but `systemd-analyze verify` fails on it; an
    // assumed target (no setting) softens it to a warning, per finding.
    defaultSeverity: 'error',
    description:
      'A directive the targeted systemd release does not know (added later or removed), or accepts only to ignore it.',
    docsUrl: unitRuleDocsUrl('directive-not-in-version'),
  },
  check({ model, catalog, systemd, range, report }) {
    const target = `the target is ${systemd.label}`;
    for (const directive of model.directives) {
      const section = directive.section;
      if (!section || directive.key === '') continue;
      const info = catalog.directive(directive.key, section.name);
      if (!info) continue;
      const state = availability(info, section.name, systemd.version);
      // A range the sources leave open is no verdict.
      if (state.state === 'available' || !state.certain) continue;
      const where = range(directive.keySpan);
      if (state.state === 'too-new') {
        report({
          range: where,
          message: `${directive.key}= was added in systemd ${state.since}; ${target}. That release does not know the key: it logs it as unknown and ignores it, and \`systemd-analyze verify\` fails.`,
          ...(systemd.assumed ? { severity: 'warning' as const } : {}),
        });
        continue;
      }
      const replacement = state.replacement ?? info.deprecated?.replacement?.replace(/=$/, '');
      const instead = replacement ? ` Use ${replacement}= instead.` : '';
      const when = whenWords(state.version, info.gone?.after);
      const fixes =
        replacement && /^[A-Za-z]+$/.test(replacement)
          ? [
              {
                title: `Change to ${replacement}=`,
                edits: [{ range: where, newText: replacement }],
                isPreferred: true,
              },
            ]
          : [];
      if (state.state === 'removed') {
        report({
          range: where,
          message: `${directive.key}= was removed in systemd ${when}; ${target}, which reports it as an unknown key and ignores it.${instead}`,
          ...(systemd.assumed ? { severity: 'warning' as const } : {}),
          fixes,
        });
      } else {
        // systemd accepts the line with a notice and `systemd-analyze verify` passes: never more than a warning.
        report({
          range: where,
          message: `${directive.key}= is accepted but ignored since systemd ${when} (support was removed); ${target}.${instead}`,
          severity: 'warning',
          tags: ['deprecated'],
          fixes,
        });
      }
    }
  },
};

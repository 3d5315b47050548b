// Rule: duplicate-directive — a single-value directive set twice in one section: the later one silently wins.

import { valueProblem } from '../values';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const duplicateDirective: UnitRule = {
  meta: {
    id: 'duplicate-directive',
    defaultSeverity: 'warning',
    description:
      'A directive that takes one value set more than once in a section; only the last assignment counts.',
    docsUrl: unitRuleDocsUrl('duplicate-directive'),
  },
  check({ model, catalog, systemd, uri, range, report }) {
    for (const section of model.sections) {
      const last = new Map<string, (typeof section.directives)[number]>();
      for (const directive of section.directives) last.set(directive.key, directive);
      for (const directive of section.directives) {
        const winner = last.get(directive.key);
        if (!winner || winner === directive) continue;
        const info = catalog.directive(directive.key, section.name);
        // Lists accumulate (ExecStartPre=, Environment=, After=…), so repeating them is the normal way to write them.
        if (!info || info.list || info.type === 'condition') continue;
        const lines = model.lines;
        // systemd logs a value it cannot parse and keeps the earlier one: the earlier line is dead only when the last
        // one parses.
        const winnerParses = !valueProblem(info, winner.value, systemd.version);
        report({
          range: range(directive.keySpan),
          message: `${directive.key}= is set again on line ${winner.line + 1}; systemd uses only the last value.`,
          tags: ['unnecessary'],
          related: [{ uri, range: range(winner.span), message: 'the assignment that wins' }],
          fixes: [
            {
              title: `Remove this ${directive.key}=`,
              edits: [
                {
                  range: {
                    start: { line: directive.line, character: 0 },
                    end: { line: lines.positionAt(directive.span.to).line + 1, character: 0 },
                  },
                  newText: '',
                },
              ],
              // Only single-valued directives get here: systemd reads the last one, so the earlier line is dead.
              ...(winnerParses ? { safe: true } : {}),
            },
          ],
        });
      }
    }
  },
};

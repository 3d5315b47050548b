// Rule: duplicate-setting — a setting assigned twice on paths that both run; only the later value counts.

import type { BranchStep, Value } from '../model';
import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { spanRange } from './ruleUtils';

/** Two bindings exclude each other when they sit in different arms of the same if/elif/else (or except handlers). */
function exclusive(a: BranchStep[], b: BranchStep[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.statement !== y.statement) return false;
    if (x.arm !== y.arm) return x.exclusive && y.exclusive;
  }
  return false;
}

/** A value the parser evaluated to plain data (no call, no function, nothing unknown): dropping it has no side effect. */
function isLiteral(value: Value): boolean {
  switch (value.kind) {
    case 'int':
    case 'float':
    case 'str':
    case 'bool':
    case 'none':
      return true;
    case 'list':
    case 'tuple':
    case 'set':
      return value.items.every(isLiteral);
    default:
      return false;
  }
}

export const duplicateSetting: GunicornRule = {
  meta: {
    id: 'duplicate-setting',
    defaultSeverity: 'info',
    description: 'The same setting is assigned more than once; the earlier value has no effect.',
    docsUrl: ruleDocsUrl('duplicate-setting'),
  },
  check({ model, catalog, uri, report }) {
    const seen = new Map<string, (typeof model.bindings)[number]>();
    for (const binding of model.bindings) {
      if (!catalog.get(binding.name) || binding.kind === 'augmented' || binding.kind === 'import') continue;
      const earlier = seen.get(binding.name);
      seen.set(binding.name, binding);
      if (!earlier || exclusive(earlier.branch, binding.branch)) continue;
      const laterLine = model.lines.positionAt(binding.nameSpan.from).line + 1;
      const start = model.lines.positionAt(earlier.statementSpan.from);
      // A `def`'s span runs to the start of the next line: its last line is the one of its last visible character.
      let last = earlier.statementSpan.to;
      while (last > earlier.statementSpan.from && /\s/.test(model.text[last - 1] ?? '')) last--;
      const end = model.lines.positionAt(last);
      const lastLine = end.line + 1 >= model.lines.lineCount;
      const wholeLines =
        model.lines.lineText(start.line).trimStart().length ===
        model.lines.lineText(start.line).length - start.character;
      // Removing the earlier line changes nothing only when both run unconditionally, nothing reads the name in
      // between, and the removed value is a literal (a call could have side effects).
      const safe =
        !earlier.branch.length &&
        !binding.branch.length &&
        !model.readNames.has(binding.name) &&
        isLiteral(earlier.value);
      report({
        range: spanRange(model, earlier.nameSpan),
        message: `${binding.name} is set again on line ${laterLine}; this earlier value has no effect.`,
        tags: ['unnecessary'],
        related: [{ uri, range: spanRange(model, binding.nameSpan), message: 'the assignment that wins' }],
        fixes: wholeLines
          ? [
              {
                title: `Remove this assignment of ${binding.name}`,
                edits: [
                  {
                    // Whole lines; at the end of the file, the line break before them goes instead.
                    range: lastLine
                      ? {
                          start:
                            start.line > 0
                              ? model.lines.positionAt(model.lines.lineEnd(start.line - 1))
                              : { line: 0, character: 0 },
                          end: model.lines.positionAt(model.lines.lineEnd(end.line)),
                        }
                      : {
                          start: { line: start.line, character: 0 },
                          end: { line: end.line + 1, character: 0 },
                        },
                    newText: '',
                  },
                ],
                ...(safe ? { safe } : {}),
              },
            ]
          : [],
      });
    }
  },
};

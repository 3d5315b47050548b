// Rule: directive-wrong-section — a known directive in a section where systemd does not read it (After= in [Service]).

import type { Fix } from '../../../core/findings';
import type { Directive, Section, UnitModel } from '../parse';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const directiveWrongSection: UnitRule = {
  meta: {
    id: 'directive-wrong-section',
    defaultSeverity: 'warning',
    description:
      'A directive placed in a section that does not take it, e.g. After= under [Service]; systemd ignores it.',
    docsUrl: unitRuleDocsUrl('directive-wrong-section'),
  },
  check(context) {
    const { model, catalog, unitType, range, report } = context;
    const allowed = new Set(catalog.sectionsFor(unitType).map((s) => s.name as string));
    for (const directive of model.directives) {
      const section = directive.section;
      if (!section || !allowed.has(section.name)) continue;
      const entries = catalog.entries(directive.key);
      if (!entries.length || catalog.directive(directive.key, section.name)) continue;
      const homes = [...new Set(entries.flatMap((e) => e.sections))].filter((s) => allowed.has(s));
      const target = homes[0];
      report({
        range: range(directive.keySpan),
        message: `${directive.key}= does not belong in [${section.name}]${
          homes.length
            ? `; it goes in [${homes.join('], [')}]`
            : ` (it is not valid in a .${unitType ?? '?'} unit)`
        }. systemd ignores it here.`,
        fixes: target ? [moveFix(model, directive, target)] : [],
      });
    }
  },
};

/** Moves the directive's lines to the end of section `target`, creating the section when the file has none. */
function moveFix(model: UnitModel, directive: Directive, target: string): Fix {
  const eol = model.lines.eol;
  const first = model.lines.positionAt(directive.span.from).line;
  const last = model.lines.positionAt(directive.span.to).line;
  const lineText = model.text.slice(model.lines.lineStart(first), model.lines.lineEnd(last));
  // Remove the directive's lines with their line break. On the file's last line there is no next line to end at
  // (`last + 1` pointed past the document, which LSP forbids): take the line break before the lines instead.
  const lineLength = (line: number) => model.lines.lineText(line).length;
  const removal =
    last + 1 < model.lines.lineCount
      ? {
          range: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } },
          newText: '',
        }
      : {
          range: {
            start:
              first > 0
                ? { line: first - 1, character: lineLength(first - 1) }
                : { line: first, character: 0 },
            end: { line: last, character: lineLength(last) },
          },
          newText: '',
        };
  const destination: Section | undefined = model.sections.find((s) => s.name === target);
  if (destination) {
    const end = model.lines.positionAt(destination.span.to);
    const at = { line: end.line, character: model.lines.lineText(end.line).length };
    return {
      title: `Move to [${target}]`,
      edits: [{ range: { start: at, end: at }, newText: `${eol}${lineText.trim()}` }, removal],
      isPreferred: true,
    };
  }
  // No such section yet: [Unit] goes first in a file, any other section last.
  if (target === 'Unit') {
    const start = { line: 0, character: 0 };
    return {
      title: `Move to a new [Unit] section`,
      edits: [
        { range: { start, end: start }, newText: `[Unit]${eol}${lineText.trim()}${eol}${eol}` },
        removal,
      ],
      isPreferred: true,
    };
  }
  const lastLine = model.lines.lineCount - 1;
  const end = { line: lastLine, character: model.lines.lineText(lastLine).length };
  const lead = model.lines.lineText(lastLine) === '' ? '' : eol;
  return {
    title: `Move to a new [${target}] section`,
    edits: [
      removal,
      { range: { start: end, end }, newText: `${lead}${eol}[${target}]${eol}${lineText.trim()}${eol}` },
    ],
    isPreferred: true,
  };
}

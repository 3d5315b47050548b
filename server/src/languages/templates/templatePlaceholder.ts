// Rule: template-placeholder — one info per file that has placeholders: their values are filled in later, so they
// are not checked. One implementation for every language: the registry adds it after the language's own rules.

import type { Finding, RuleMeta, SeverityOverride } from '../../core/findings';
import type { Placeholder } from '../../core/templates';
import type { LineIndex } from '../../core/text';

export const templatePlaceholderMeta: RuleMeta = {
  id: 'template-placeholder',
  defaultSeverity: 'info',
  description:
    'The file has placeholders (`{{ port }}`, `__PORT__`, `<path_to_app>`) that a tool fills in later; values containing them are not checked.',
  docsUrl: 'https://github.com/gunicorn-config/gunicorn-config/blob/main/docs/rules.md#template-placeholder',
};

/** `# gunicorn-config: disable-file=template-placeholder` (or a bare `disable-file`) anywhere in the file. */
const DISABLED =
  /gunicorn-config:\s*disable-file(?:\s*=\s*[\w\-, ]*\btemplate-placeholder\b|[ \t]*(?:\r?\n|$))/;

/** Long expressions are cut in the message. */
function shown(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine;
}

/** The file's one template-placeholder finding, or undefined (no placeholders, silenced, or set to ignore). */
export function templatePlaceholderFinding(
  placeholders: readonly Placeholder[],
  originalText: string,
  lines: LineIndex,
  severity?: Readonly<Record<string, SeverityOverride>>,
): Finding | undefined {
  const first = placeholders[0];
  const override = severity?.[templatePlaceholderMeta.id];
  if (!first || override === 'ignore' || DISABLED.test(originalText)) return undefined;
  const range = lines.range(first.from, first.to);
  const count = placeholders.length;
  return {
    rule: templatePlaceholderMeta.id,
    severity: override ?? templatePlaceholderMeta.defaultSeverity,
    range,
    message:
      `This file has ${count} placeholder${count === 1 ? '' : 's'} that ${count === 1 ? 'is' : 'are'} filled in later ` +
      `(first: \`${shown(first.text)}\` at line ${range.start.line + 1}); values containing them are not checked.`,
  };
}

// Test helpers: parse + analyze inline fixtures, find findings, apply a fix and return the resulting text.

import type { Finding } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import { parseVersion } from '../../server/src/core/version';
import { analyzeGunicornConfig } from '../../server/src/languages/gunicorn/analyze';
import { parseGunicornConfig } from '../../server/src/languages/gunicorn/parse';

/** Analyzes `text` against a Gunicorn version (default 26.1.0) and returns the findings. */
export function check(text: string, version = '26.1.0'): Finding[] {
  const model = parseGunicornConfig(text);
  return analyzeGunicornConfig(model, {
    version: parseVersion(version)!,
    versionLabel: version,
    uri: 'file:///gunicorn.conf.py',
  });
}

/** The rule ids found, each once per finding, in order. */
export function rules(text: string, version?: string): string[] {
  return check(text, version).map((f) => f.rule);
}

/** Applies the fix titled `title` (substring match) of the first finding of `rule` and returns the new text. */
export function applyFix(text: string, rule: string, title: string, version?: string): string {
  const finding = check(text, version).find((f) => f.rule === rule);
  if (!finding) throw new Error(`no ${rule} finding in:\n${text}`);
  const fix = finding.fixes?.find((f) => f.title.includes(title));
  if (!fix) throw new Error(`no fix '${title}' among: ${finding.fixes?.map((f) => f.title).join(' | ')}`);
  return applyEdits(text, fix.edits);
}

/** Splits `$0` out of a fixture and returns the text and the cursor offset. */
export function cursor(textWithMarker: string): { text: string; offset: number } {
  const offset = textWithMarker.indexOf('$0');
  if (offset < 0) throw new Error('fixture has no $0 marker');
  return { text: textWithMarker.slice(0, offset) + textWithMarker.slice(offset + 2), offset };
}

// Shared by the template tests: the fixtures folder and the analysis as the CLI runs it on one file.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Finding } from '../../server/src/core/findings';
import {
  commandSourceKindOf,
  detectLanguage,
  parseDocument,
  type LanguageId,
} from '../../server/src/languages/registry';

export const FIXTURES = resolve(__dirname, '../../../test/fixtures/templates');

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Analyzes a file as the CLI does: the language from its path, the path as a parse hint. */
export function analyze(path: string, text: string, language: LanguageId = detectLanguage(path)): Finding[] {
  const commandSourceKind = commandSourceKindOf(path);
  return parseDocument(language, text, {
    path,
    ...(language === 'commands' && commandSourceKind ? { commandSourceKind } : {}),
  }).analyze({ uri: `file://${path}`, path, version: [23, 0, 0], versionLabel: '23.0.0' });
}

/** `line:column severity rule` per finding, one-based as editors show them. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map(
    (f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule}`,
  );
}

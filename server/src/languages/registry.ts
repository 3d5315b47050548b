// Which language a file is, and one uniform entry point per language: parse once, then analyze, hover and complete.

import type { CompletionEntry, HoverResult } from '../core/features';
import type { Finding, RuleMeta, SeverityOverride } from '../core/findings';
import type { Version } from '../core/version';
import { analyzeGunicornConfig } from './gunicorn/analyze';
import { gunicornCompletions } from './gunicorn/completion';
import { gunicornHover } from './gunicorn/hover';
import { parseGunicornConfig } from './gunicorn/parse';
import { gunicornRules } from './gunicorn/rules/index';
import { analyzeUnitFile } from './systemd/analyze';
import { isDropIn, unitTypeOf } from './systemd/catalog';
import { systemdCompletions } from './systemd/completion';
import { systemdHover } from './systemd/hover';
import { parseUnitFile } from './systemd/parse';
import { unitRules } from './systemd/rules/index';

export type LanguageId = 'gunicorn' | 'systemd';

/** Everything a feature needs besides the text: the target Gunicorn version, user settings, the workspace. */
export interface DocumentContext {
  uri: string;
  /** File system path (or just the name) of the document: it decides unit types and drop-ins. */
  path: string;
  version: Version;
  versionLabel: string;
  severity?: Readonly<Record<string, SeverityOverride>>;
  /** Unit file names in the workspace (`app.socket`…), when known. */
  workspaceUnits?: ReadonlySet<string>;
}

/** A parsed document: the features run on the same parse. */
export interface ParsedDocument {
  language: LanguageId;
  analyze(ctx: DocumentContext): Finding[];
  hover(offset: number, ctx: DocumentContext): HoverResult | null;
  completions(offset: number, ctx: DocumentContext): CompletionEntry[];
}

/** Every rule of every language, for settings, docs links and the CLI. */
export const allRules: readonly RuleMeta[] = [...gunicornRules, ...unitRules].map((r) => r.meta);

const SYSTEMD_LANGUAGE_IDS = new Set(['systemd-unit-file', 'systemd', 'ini.systemd']);

/**
 * The language of a document, from the editor's language id when it is specific, else from the path. Python files
 * reach us only when the client's selector says they are Gunicorn configs, so anything else is treated as one.
 */
export function detectLanguage(path: string, languageId?: string): LanguageId {
  if (languageId && SYSTEMD_LANGUAGE_IDS.has(languageId)) return 'systemd';
  if (unitTypeOf(path) || isDropIn(path)) return 'systemd';
  return 'gunicorn';
}

export function parseDocument(language: LanguageId, text: string): ParsedDocument {
  if (language === 'systemd') {
    const model = parseUnitFile(text);
    const unitContext = (ctx: DocumentContext) => ({
      unitType: unitTypeOf(ctx.path),
      gunicornVersion: ctx.version,
      versionLabel: ctx.versionLabel,
      ...(ctx.workspaceUnits ? { workspaceUnits: ctx.workspaceUnits } : {}),
    });
    return {
      language,
      analyze: (ctx) =>
        analyzeUnitFile(model, {
          uri: ctx.uri,
          path: ctx.path,
          gunicornVersion: ctx.version,
          versionLabel: ctx.versionLabel,
          ...(ctx.severity ? { severity: ctx.severity } : {}),
          ...(ctx.workspaceUnits ? { workspaceUnits: ctx.workspaceUnits } : {}),
        }),
      hover: (offset, ctx) => systemdHover(model, offset, unitContext(ctx)),
      completions: (offset, ctx) => systemdCompletions(model, offset, unitContext(ctx)),
    };
  }
  const model = parseGunicornConfig(text);
  return {
    language,
    analyze: (ctx) =>
      analyzeGunicornConfig(model, {
        version: ctx.version,
        versionLabel: ctx.versionLabel,
        uri: ctx.uri,
        ...(ctx.severity ? { severity: ctx.severity } : {}),
      }),
    hover: (offset, ctx) => gunicornHover(model, offset, ctx),
    completions: (offset, ctx) => gunicornCompletions(model, offset, ctx),
  };
}

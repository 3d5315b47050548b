// Which language a file is, and one uniform entry point per language: parse once, then analyze, hover and complete.

import type { CompletionEntry, HoverResult } from '../core/features';
import type { Finding, RuleMeta, SeverityOverride } from '../core/findings';
import type { Version } from '../core/version';
import { analyzeGunicornConfig } from './gunicorn/analyze';
import { gunicornCompletions } from './gunicorn/completion';
import { gunicornHover } from './gunicorn/hover';
import { parseGunicornConfig } from './gunicorn/parse';
import { gunicornRules } from './gunicorn/rules/index';
import { analyzeNginxConfig } from './nginx/analyze';
import type { NginxContext } from './nginx/catalogTypes';
import { nginxCompletions } from './nginx/completion';
import { nginxHover } from './nginx/hover';
import { parseNginxConfig } from './nginx/parse';
import { nginxRules } from './nginx/rules/index';
import type { NginxWorkspaceFacts } from './nginx/rules/types';
import { analyzeUnitFile } from './systemd/analyze';
import { isDropIn, unitTypeOf } from './systemd/catalog';
import { systemdCompletions } from './systemd/completion';
import { systemdHover } from './systemd/hover';
import { parseUnitFile } from './systemd/parse';
import { unitRules } from './systemd/rules/index';

export type LanguageId = 'gunicorn' | 'systemd' | 'nginx';

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
  /** What the workspace tells nginx rules (upstreams defined elsewhere, Gunicorn's addresses), when known. */
  nginxWorkspace?: NginxWorkspaceFacts;
}

/** Facts that change how a text parses, decided by the host from the workspace. */
export interface ParseHints {
  /** The context an nginx file is included into (`http` for a site file pulled in by nginx.conf). */
  nginxRootContext?: NginxContext;
}

/** A parsed document: the features run on the same parse. */
export interface ParsedDocument {
  language: LanguageId;
  analyze(ctx: DocumentContext): Finding[];
  hover(offset: number, ctx: DocumentContext): HoverResult | null;
  completions(offset: number, ctx: DocumentContext): CompletionEntry[];
}

/** Every rule of every language, for settings, docs links and the CLI. */
export const allRules: readonly RuleMeta[] = [...gunicornRules, ...unitRules, ...nginxRules].map(
  (r) => r.meta,
);

const SYSTEMD_LANGUAGE_IDS = new Set(['systemd-unit-file', 'systemd', 'ini.systemd']);
const NGINX_LANGUAGE_IDS = new Set(['nginx', 'NGINX']);

/** nginx files by path, as the manifest associates them: nginx.conf, *.nginx, nginx/…/*.conf, sites-*, conf.d/*.conf. */
export function isNginxPath(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  return (
    /(^|\/)nginx\.conf$/.test(normalized) ||
    /\.nginx$/.test(normalized) ||
    /(^|\/)nginx\/(.+\/)?[^/]+\.conf$/.test(normalized) ||
    /(^|\/)sites-(available|enabled)\/[^/]+$/.test(normalized) ||
    /(^|\/)conf\.d\/[^/]+\.conf$/.test(normalized)
  );
}

/**
 * The language of a document, from the editor's language id when it is specific, else from the path. Python files
 * reach us only when the client's selector says they are Gunicorn configs, so anything else is treated as one.
 */
export function detectLanguage(path: string, languageId?: string): LanguageId {
  if (languageId && SYSTEMD_LANGUAGE_IDS.has(languageId)) return 'systemd';
  if (languageId && NGINX_LANGUAGE_IDS.has(languageId)) return 'nginx';
  if (languageId === 'python') return 'gunicorn';
  if (unitTypeOf(path) || isDropIn(path)) return 'systemd';
  if (isNginxPath(path)) return 'nginx';
  return 'gunicorn';
}

export function parseDocument(language: LanguageId, text: string, hints: ParseHints = {}): ParsedDocument {
  if (language === 'nginx') {
    const model = parseNginxConfig(
      text,
      hints.nginxRootContext ? { rootContext: hints.nginxRootContext } : {},
    );
    const featureContext = (ctx: DocumentContext) => ({
      workspace: ctx.nginxWorkspace ?? {},
      gunicornVersion: ctx.version,
      versionLabel: ctx.versionLabel,
    });
    return {
      language,
      analyze: (ctx) =>
        analyzeNginxConfig(model, {
          uri: ctx.uri,
          path: ctx.path,
          gunicornVersion: ctx.version,
          versionLabel: ctx.versionLabel,
          ...(ctx.severity ? { severity: ctx.severity } : {}),
          ...(ctx.nginxWorkspace ? { workspace: ctx.nginxWorkspace } : {}),
        }),
      hover: (offset, ctx) => nginxHover(model, offset, featureContext(ctx)),
      completions: (offset, ctx) => nginxCompletions(model, offset, featureContext(ctx)),
    };
  }
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

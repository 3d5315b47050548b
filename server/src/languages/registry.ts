// Which language a file is, and one uniform entry point per language: parse once, then analyze, hover and complete.

import type { CompletionList, FoldingRegion, HoverResult } from '../core/features';
import { memoOutline, type OutlineSymbol } from '../core/outline';
import type { Finding, Fix, SeverityOverride } from '../core/findings';
import type { Version } from '../core/version';
import { analyzeGunicornConfigSteps } from './gunicorn/analyze';
import { gunicornCompletions } from './gunicorn/completion';
import { gunicornHover } from './gunicorn/hover';
import { gunicornOutline } from './gunicorn/outline';
import { commandsOutline } from './commands/outline';
import { nginxOutline } from './nginx/outline';
import { systemdOutline } from './systemd/outline';
import { foldingRegion } from '../core/folding';
import { parseGunicornConfig } from './gunicorn/parse';
import { parseCommandSource, type CommandSourceKind } from './commands/index';
import { commandSourceKindByName } from './commands/paths';
import { analyzeNginxConfigSteps } from './nginx/analyze';
import type { NginxContext } from './nginx/catalogTypes';
import { nginxCatalogLoadSteps } from './nginx/catalog';
import { nginxCompletionList } from './nginx/completion';
import { nginxHover } from './nginx/hover';
import { parseNginxFile } from './nginx/parse';
import { isNginxPath } from './nginx/paths';
import { isGunicornConfigName } from './sourceKinds';
import { untemplatedPath } from '../core/templates';
import type { NginxWorkspaceFacts } from './nginx/rules/types';
import type { NginxTarget } from './nginx/target';
import { analyzeUnitFileSteps } from './systemd/analyze';
import { finish, type Steps } from '../core/runRules';
import { isDropIn, unitTypeOf } from './systemd/catalog';
import { systemdCompletions } from './systemd/completion';
import { systemdHover } from './systemd/hover';
import { parseUnitFileOf } from './systemd/parse';
import type { SystemdTarget } from './systemd/version';
import type { Placeholder } from '../core/templates';
import type { AppSpecSourceAt } from './python/appCompletion';
import { LineIndex } from '../core/text';
import { templatePlaceholderFinding } from './templates/templatePlaceholder';
import { templateView, type TemplateKind } from './templates/view';

export type LanguageId = 'gunicorn' | 'systemd' | 'nginx' | 'commands';

export { isNginxPath } from './nginx/paths';

/** Everything a feature needs besides the text: the target Gunicorn version, user settings, the workspace. */
export interface DocumentContext {
  uri: string;
  /** File system path (or just the name) of the document: it decides unit types and drop-ins. */
  path: string;
  version: Version;
  versionLabel: string;
  /** True when no pin and no setting gave the version (we assumed the newest release). */
  versionAssumed?: boolean;
  /** The systemd release unit files are judged against (`systemdVersion` setting); newest catalogued when absent. */
  systemd?: SystemdTarget;
  severity?: Readonly<Record<string, SeverityOverride>>;
  /** Unit file names in the workspace (`app.socket`…), when known. */
  workspaceUnits?: ReadonlySet<string>;
  /** What the workspace tells nginx rules (upstreams defined elsewhere, Gunicorn's addresses), when known. */
  nginxWorkspace?: NginxWorkspaceFacts;
  /** The nginx version to judge against (setting, workspace image, or the newest release assumed). */
  nginxTarget?: NginxTarget;
  /** True while the workspace's facts for nginx files are not known yet: only findings they cannot take back. */
  nginxWorkspacePending?: boolean;
  /** The modules the launch at a position can import (from the deployment model), for completing an app spec. */
  appSpec?: AppSpecSourceAt;
}

/** Facts that change how a text parses, decided by the host from the workspace. */
export interface ParseHints {
  /** The context an nginx file is included into (`http` for a site file pulled in by nginx.conf). */
  nginxRootContext?: NginxContext;
  /** What kind of command source a `commands` document is (Dockerfile, Procfile, compose file, shell script). */
  commandSourceKind?: CommandSourceKind;
  /** The file's path: a template suffix (`.j2`, `.tpl`, `.in`…) makes its template syntax skipped. */
  path?: string;
}

/** A parsed document: the features run on the same parse. */
export interface ParsedDocument {
  language: LanguageId;
  analyze(ctx: DocumentContext): Finding[];
  /** The same analysis, one step per rule: the LSP server runs it about a millisecond at a time. */
  analyzeSteps(ctx: DocumentContext): Steps<Finding[]>;
  hover(offset: number, ctx: DocumentContext): HoverResult | null;
  completions(offset: number, ctx: DocumentContext): CompletionList;
  /** Regions an editor may fold: unit file sections, nginx blocks (Python folds by indentation on its own). */
  foldingRegions(): FoldingRegion[];
  /** The document's symbols, nested (sections, blocks, stages…), at most MAX_OUTLINE_SYMBOLS of them. */
  outline(ctx: DocumentContext): OutlineSymbol[];
}

const SYSTEMD_LANGUAGE_IDS = new Set(['systemd-unit-file', 'systemd', 'ini.systemd']);
const NGINX_LANGUAGE_IDS = new Set(['nginx', 'NGINX']);

/**
 * The language of a document, from the editor's language id when it is specific, else from the path. Python files
 * reach us only when the client's selector says they are Gunicorn configs, so anything else is treated as one.
 */
export function detectLanguage(path: string, languageId?: string): LanguageId {
  if (languageId && SYSTEMD_LANGUAGE_IDS.has(languageId)) return 'systemd';
  // An editor may give `nginx_override.conf.j2` nginx's language by its name; its content is a drop-in for nginx.service.
  if (languageId && NGINX_LANGUAGE_IDS.has(languageId)) return isDropIn(path) ? 'systemd' : 'nginx';
  if (languageId === 'python') return 'gunicorn';
  const named = languageByName(path);
  if (named === 'systemd' || named === 'nginx') return named;
  // A command language id (a shell script the editor knows as one) wins over a Python or Gunicorn config name.
  if (commandSourceKindOf(path, languageId)) return 'commands';
  return 'gunicorn';
}

/**
 * The language a path's name alone says: a unit or drop-in, nginx, a command file, a Gunicorn config name or `*.py`;
 * undefined for any other name (which `detectLanguage` takes for a Gunicorn config, right only for Python).
 */
function languageByName(path: string): LanguageId | undefined {
  if (unitTypeOf(path) || isDropIn(path)) return 'systemd';
  if (isNginxPath(path)) return 'nginx';
  if (commandSourceKindByName(path)) return 'commands';
  if (isGunicornConfigName(path) || /\.py$/i.test(untemplatedPath(path))) return 'gunicorn';
  return undefined;
}

/** Whether a path's name alone says which language it is (see `languageByName`). */
export function languageKnownByName(path: string): boolean {
  return languageByName(path) !== undefined;
}

const COMMAND_LANGUAGE_IDS = new Map<string, CommandSourceKind>([
  ['dockerfile', 'dockerfile'],
  ['procfile', 'procfile'],
  ['dockercompose', 'compose'],
  ['shellscript', 'shell'],
]);

/** Dockerfiles, Procfiles, compose files and shell scripts, by path or by the editor's language id. */
export function commandSourceKindOf(path: string, languageId?: string): CommandSourceKind | undefined {
  return (languageId && COMMAND_LANGUAGE_IDS.get(languageId)) || commandSourceKindByName(path);
}

/**
 * Loads a language's catalogue a step at a time, before its first document is parsed and checked: a host that must
 * stay responsive answers requests between the steps (nginx's catalogue took one 7–9 ms step on cold code).
 */
export function* languageLoadSteps(language: LanguageId): Steps<void> {
  if (language === 'nginx') yield* nginxCatalogLoadSteps();
}

/** A parsed document from its stepwise analysis: `analyze` runs the steps at once. */
function withAnalyze(document: Omit<ParsedDocument, 'analyze'>): ParsedDocument {
  return { ...document, analyze: (ctx) => finish(document.analyzeSteps(ctx)) };
}

/**
 * Parses a document: a template's syntax is blanked out first (offsets unchanged), and a file with placeholders gets
 * the one `template-placeholder` info after its language's findings.
 */
export function parseDocument(
  language: LanguageId,
  original: string,
  hints: ParseHints = {},
): ParsedDocument {
  const kind: TemplateKind =
    language === 'commands' ? (hints.commandSourceKind ?? 'shell') : (language satisfies TemplateKind);
  const view = templateView(kind, original, hints.path);
  const document = parseLanguage(language, view.text, hints);
  if (!view.placeholders.length) return document;
  const lines = new LineIndex(original);
  return withAnalyze({
    ...document,
    *analyzeSteps(ctx) {
      const findings = (yield* document.analyzeSteps(ctx))
        .filter((f) => !judgesPlaceholder(f, view.placeholders, original, lines))
        .map(withoutMaskCopies);
      const info = templatePlaceholderFinding(view.placeholders, original, lines, ctx.severity);
      if (!info) return findings;
      // The language's findings are sorted by position; keep that order.
      const at = findings.findIndex(
        (f) =>
          f.range.start.line > info.range.start.line ||
          (f.range.start.line === info.range.start.line &&
            f.range.start.character > info.range.start.character),
      );
      return at < 0 ? [...findings, info] : [...findings.slice(0, at), info, ...findings.slice(at)];
    },
  });
}

/**
 * True for an error or warning about one value that holds a placeholder: it judges a value that is filled in later.
 * Each language already treats placeholder values as unknown; this net also holds for rules that forget to. A finding
 * wider than one value (a line-wide syntax error, a whole directive) that merely contains a placeholder stays.
 */
function judgesPlaceholder(
  finding: Finding,
  placeholders: readonly Placeholder[],
  text: string,
  lines: LineIndex,
): boolean {
  const { start, end } = finding.range;
  const judging = finding.severity === 'error' || finding.severity === 'warning';
  if (!judging || start.line !== end.line) return false;
  const from = lines.offsetAt(start);
  const to = lines.offsetAt(end);
  // The first placeholder that ends after the finding starts (they are sorted and do not overlap).
  let low = 0;
  let high = placeholders.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (placeholders[mid]!.to <= from) low = mid + 1;
    else high = mid;
  }
  let rest = '';
  let cursor = from;
  let touches = false;
  for (let i = low; i < placeholders.length; i++) {
    const p = placeholders[i]!;
    if (from === to ? p.from > from : p.from >= to) break;
    touches = true;
    rest += text.slice(cursor, Math.max(cursor, p.from));
    cursor = Math.max(cursor, p.to);
  }
  rest += text.slice(cursor, Math.max(cursor, to));
  return touches && !/\s/.test(rest);
}

/** The stand-ins the masking writes (`__XXXX__`); a fix that copies one would overwrite the template's own tag. */
const MASK_TOKEN = /__X+__/;

function withoutMaskCopies(finding: Finding): Finding {
  if (!finding.fixes?.length) return finding;
  const copies = (fix: Fix) =>
    [...fix.edits, ...(fix.otherFiles ?? []).flatMap((f) => f.edits)].some((e) => MASK_TOKEN.test(e.newText));
  return finding.fixes.some(copies)
    ? { ...finding, fixes: finding.fixes.filter((fix) => !copies(fix)) }
    : finding;
}

function parseLanguage(language: LanguageId, text: string, hints: ParseHints): ParsedDocument {
  if (language === 'commands') {
    const kind = hints.commandSourceKind ?? 'shell';
    // Command lines are parsed for one Gunicorn version; parse again only when the target version changes.
    let parsed: { key: string; document: ReturnType<typeof parseCommandSource> } | undefined;
    const documentFor = (ctx: DocumentContext) => {
      const key = ctx.version.join('.');
      if (parsed?.key !== key) {
        parsed = { key, document: parseCommandSource(kind, text, ctx.version, hints.path) };
      }
      return parsed.document;
    };
    return withAnalyze({
      language,
      analyzeSteps: (ctx) => documentFor(ctx).analyzeSteps(ctx),
      hover: (offset, ctx) => documentFor(ctx).hover(offset, ctx),
      completions: (offset, ctx) => ({ entries: documentFor(ctx).completions(offset, ctx) }),
      foldingRegions: () => [],
      outline: memoOutline((ctx) => commandsOutline(documentFor(ctx).model, ctx.version)),
    });
  }
  if (language === 'nginx') {
    const model = parseNginxFile(
      hints.path,
      text,
      hints.nginxRootContext ? { rootContext: hints.nginxRootContext } : {},
    );
    const featureContext = (ctx: DocumentContext) => ({
      workspace: ctx.nginxWorkspace ?? {},
      ...(ctx.nginxTarget ? { target: ctx.nginxTarget } : {}),
    });
    return withAnalyze({
      language,
      analyzeSteps: (ctx) =>
        analyzeNginxConfigSteps(model, {
          uri: ctx.uri,
          path: ctx.path,
          gunicornVersion: ctx.version,
          versionLabel: ctx.versionLabel,
          ...(ctx.versionAssumed ? { versionAssumed: true } : {}),
          ...(ctx.severity ? { severity: ctx.severity } : {}),
          ...(ctx.nginxWorkspace ? { workspace: ctx.nginxWorkspace } : {}),
          ...(ctx.nginxTarget ? { nginxTarget: ctx.nginxTarget } : {}),
          ...(ctx.nginxWorkspacePending ? { workspacePending: true } : {}),
        }),
      hover: (offset, ctx) => nginxHover(model, offset, featureContext(ctx)),
      completions: (offset, ctx) => nginxCompletionList(model, offset, featureContext(ctx)),
      outline: memoOutline(() => nginxOutline(model)),
      // Each block from its `{` line to the line before a `}` that starts its line (so the `}` stays visible).
      foldingRegions: () =>
        model.all.flatMap((d) => {
          const close = d.block?.close;
          if (!close) return [];
          const closeLine = model.lines.positionAt(close.from).line;
          const ownLine = model.lines.lineText(closeLine).trimStart().startsWith('}');
          const end = ownLine ? model.lines.lineStart(closeLine) : close.to;
          return foldingRegion(model.lines, d.span.from, end) ?? [];
        }),
    });
  }
  if (language === 'systemd') {
    const model = parseUnitFileOf(hints.path, text);
    const unitContext = (ctx: DocumentContext) => ({
      unitType: unitTypeOf(ctx.path),
      gunicornVersion: ctx.version,
      versionLabel: ctx.versionLabel,
      ...(ctx.versionAssumed ? { versionAssumed: true } : {}),
      ...(ctx.systemd ? { systemd: ctx.systemd } : {}),
      ...(ctx.workspaceUnits ? { workspaceUnits: ctx.workspaceUnits } : {}),
      ...(ctx.appSpec ? { appSpec: ctx.appSpec } : {}),
    });
    return withAnalyze({
      language,
      analyzeSteps: (ctx) =>
        analyzeUnitFileSteps(model, {
          uri: ctx.uri,
          path: ctx.path,
          gunicornVersion: ctx.version,
          versionLabel: ctx.versionLabel,
          ...(ctx.versionAssumed ? { versionAssumed: true } : {}),
          ...(ctx.systemd ? { systemd: ctx.systemd } : {}),
          ...(ctx.severity ? { severity: ctx.severity } : {}),
          ...(ctx.workspaceUnits ? { workspaceUnits: ctx.workspaceUnits } : {}),
        }),
      hover: (offset, ctx) => systemdHover(model, offset, unitContext(ctx)),
      completions: (offset, ctx) => ({ entries: systemdCompletions(model, offset, unitContext(ctx)) }),
      outline: memoOutline((ctx) => systemdOutline(model, ctx.version)),
      // Each section from its header to its last non-blank line.
      foldingRegions: () =>
        model.sections.flatMap(
          (section) => foldingRegion(model.lines, section.span.from, section.span.to) ?? [],
        ),
    });
  }
  const model = parseGunicornConfig(text);
  return withAnalyze({
    language,
    analyzeSteps: (ctx) =>
      analyzeGunicornConfigSteps(model, {
        version: ctx.version,
        versionLabel: ctx.versionLabel,
        ...(ctx.versionAssumed ? { versionAssumed: true } : {}),
        uri: ctx.uri,
        ...(ctx.severity ? { severity: ctx.severity } : {}),
      }),
    hover: (offset, ctx) => gunicornHover(model, offset, ctx),
    completions: (offset, ctx) => ({ entries: gunicornCompletions(model, offset, ctx) }),
    foldingRegions: () => [],
    outline: memoOutline(() => gunicornOutline(model)),
  });
}

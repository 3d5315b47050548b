// The LSP layer: wires documents, settings and the analysis core to a connection. No Gunicorn, systemd or nginx
// knowledge here.

import { WARM_UP_ROUNDS, warmUpGunicorn } from '../languages/gunicorn/warmUp';
import {
  CodeActionKind,
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentLinkRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  FoldingRangeRequest,
  WorkspaceSymbolRequest,
  ExecuteCommandRequest,
  HoverRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  DiagnosticSeverity,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  DiagnosticTag,
  InsertTextFormat,
  CompletionItemKind,
  CompletionItemTag,
  MarkupKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type Disposable,
  type ProtocolRequestType,
  type RequestHandler,
  type Diagnostic,
  type InitializeError,
  type InitializeParams,
  type InitializeResult,
  type CodeAction,
  type CompletionItem,
  type TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describeEntry, type CompletionEntry } from '../core/features';
import type { Finding, Fix, Severity } from '../core/findings';
import { DEFAULT_SETTINGS, resolveTargetVersion, type UserSettings } from '../core/settings';
import { untemplatedPath } from '../core/templates';
import { SOURCE } from '../languages/gunicorn/analyze';
import { gunicornVersions, latestGunicornVersion } from '../languages/gunicorn/catalog';
import { resolveSystemdVersion } from '../languages/systemd/version';
import { detectGunicornVersion, isPinFilePath } from '../languages/gunicorn/versionPin';
import { isGunicornConfigName } from '../languages/sourceKinds';
import { effectiveAtOffset } from '../deployment/model';
import { describeEffective } from '../deployment/present';
import { matchesGlob } from '../core/glob';
import { rangesEqual, type Range } from '../core/text';
import { finish, type Steps } from '../core/runRules';
import type { NginxContext } from '../languages/nginx/catalogTypes';
import { nginxCatalogVersions } from '../languages/nginx/catalog';
import { resolveNginxTarget, type NginxTarget, type NginxVersionFound } from '../languages/nginx/target';
import type { NginxWorkspaceFacts } from '../languages/nginx/rules/types';
import { indexNginxWorkspace, type NginxWorkspaceIndex } from '../languages/nginx/workspace';
import { allRules } from '../rules';
import {
  commandSourceKindOf,
  detectLanguage,
  isNginxPath,
  parseDocument,
  type DocumentContext,
  type LanguageId,
  type ParsedDocument,
  languageLoadSteps,
} from '../languages/registry';
import { listWorkspaceFiles, readTextFile } from '../workspaceFiles';
import { answerExplain, EXPLAIN_COMMAND } from './explain';
import { answerNewDeployment, NEW_DEPLOYMENT_COMMAND } from './newDeploymentCommand';
import { discardPrestartedWorker } from './deploymentWorker';
import { DeploymentHost } from './deploymentBackend';
import type { ModelBounds, OpenFileResult } from './deploymentBuild';
import { MODEL_BOUNDS_NOTIFICATION, type ModelBoundsParams } from './notifications';
import { definitionsAt, siteDefinition, type DefinitionProvider } from '../core/definitions';
import { toLspDefinition } from './definition';
import type { NavigationIndex } from '../core/navigation';
import {
  documentLinks,
  effectiveDefinitions,
  navigationDefinitions,
  prepareRename,
  references,
  rename,
  type NavigationState,
} from './navigation';
import { appSpecSourceAt } from './appSpecSource';
import { SliceQueue } from './sliceQueue';
import { MAX_BYTES } from './workspaceIndex';
import { queryWorkspaceSymbols, type WorkspaceSymbolEntry } from '../deployment/workspaceSymbols';
import { documentSymbolAnswer, supportedSymbolKinds, toWorkspaceSymbols } from './symbols';
import { formatsDynamically, formattingEdits, registerFormatting } from './formatting';
import { FIX_ALL_KIND, fixAllAction, wantsFixAll, wantsQuickFixes } from './fixAllAction';
import { inlayHintsFor } from './inlayHints';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};
const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  setting: CompletionItemKind.Property,
  directive: CompletionItemKind.Property,
  hook: CompletionItemKind.Function,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
  section: CompletionItemKind.Module,
  variable: CompletionItemKind.Variable,
  module: CompletionItemKind.Module,
  function: CompletionItemKind.Function,
};
const DEBOUNCE_MS = 15;
/** Completion lists longer than this send each item's documentation on completionItem/resolve. */
const LAZY_DOCS_ABOVE = 60;
/** How long a document's rules run before the server looks at its messages again. */
const VALIDATION_SLICE_MS = 1;
/** workspace/symbol answers at most this many symbols (the client filters and ranks them further). */
const MAX_WORKSPACE_SYMBOL_RESULTS = 500;
/**
 * While changes keep coming, deployment builds start at most this often (each takes the worker's core meanwhile). A
 * build takes 50–100 ms in big workspaces, so one in flight already spaces them; a longer gap only made the build after
 * a quick one wait (at 100 ms, a quarter of the edit → finding time at 2,000 files).
 */
const DEPLOYMENT_MIN_GAP_MS = 50;
/** How long the first build waits for the editor to open a file, when none is open at `initialized`. */
const FIRST_OPEN_WAIT_MS = 200;
/**
 * Documents longer than this are not analyzed (the same bound as workspace files read from disk): a 5 MB buffer took
 * seconds per keystroke to parse and produced hundreds of thousands of diagnostics, blocking every other request.
 */
const MAX_DOCUMENT_CHARS = MAX_BYTES;
/** At most this many diagnostics per document (the most severe first), so one pathological file cannot flood the client. */
const MAX_DIAGNOSTICS = 1_000;
const SEVERITY_OVERRIDES = new Set(['error', 'warning', 'info', 'hint', 'ignore']);

/** A position as LSP defines it: two non-negative integers. Anything else (null, -1, 1.5, "3") is rejected. */
const isPosition = (value: unknown): value is { line: number; character: number } =>
  !!value &&
  typeof value === 'object' &&
  Number.isSafeInteger((value as { line: unknown }).line) &&
  Number.isSafeInteger((value as { character: unknown }).character) &&
  (value as { line: number }).line >= 0 &&
  (value as { character: number }).character >= 0;

const uriOf = (params: unknown): string | undefined => {
  const textDocument = (params as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument;
  return typeof textDocument?.uri === 'string' ? textDocument.uri : undefined;
};

const invalidParams = (message: string): ResponseError<void> =>
  new ResponseError(ErrorCodes.InvalidParams, message);
const cancelledError = (): ResponseError<void> =>
  new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
const isCancelled = (token: CancellationToken | undefined): boolean => !!token?.isCancellationRequested;
/** A fix as the client echoes it back in `Diagnostic.data`: only well-formed ones become code actions. */
const isFix = (value: unknown): value is Fix => {
  const fix = value as Partial<Fix> | null;
  return (
    !!fix &&
    typeof fix === 'object' &&
    typeof fix.title === 'string' &&
    Array.isArray(fix.edits) &&
    (fix.otherFiles === undefined ||
      (Array.isArray(fix.otherFiles) &&
        fix.otherFiles.every((other) => typeof other?.uri === 'string' && Array.isArray(other.edits))))
  );
};

/** Lets messages already received (a $/cancelRequest, a newer didChange) be dispatched before expensive work. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * `frames`: the stdio framing guard, when there is one; it tells the server as each message arrives, so that documents'
 * checks in the background give way to it (lsp/sliceQueue.ts).
 */
export function startServer(connection: Connection, frames?: { onFrame: (request: boolean) => void }): void {
  // stdout is the protocol channel: anything printed must go to the client's log instead. All of console, not only
  // log and error: console.info, debug, dir and trace write to stdout too, and main.ts's framing guard means
  // vscode-languageserver's own console patch (tied to the --stdio argument) no longer applies.
  const toLog =
    (write: (message: string) => void) =>
    (...args: unknown[]): void =>
      write(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' '));
  /* eslint-disable no-console -- redirecting, not printing */
  console.log = toLog((m) => connection.console.log(m));
  console.info = toLog((m) => connection.console.info(m));
  console.debug = toLog((m) => connection.console.log(m));
  console.trace = toLog((m) => connection.console.log(`${m}\n${new Error().stack ?? ''}`));
  console.dir = toLog((m) => connection.console.log(m));
  console.warn = toLog((m) => connection.console.warn(m));
  console.error = toLog((m) => connection.console.error(m));
  /* eslint-enable no-console */

  const documents = new TextDocuments(TextDocument);
  const models = new Map<string, { version: number; text: string; hint: string; parsed: ParsedDocument }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const docsUrls = new Map(allRules.map((meta) => [meta.id, meta.docsUrl]));
  /** Unit files seen in the workspace (by name), for checks such as "the .socket this service requires exists". */
  let workspaceUnits: Set<string> | undefined;
  /** The workspace's nginx files as one configuration (includes, upstreams), built on demand until files change. */
  let nginxIndex: NginxWorkspaceIndex | undefined;
  /**
   * Set at `initialized` when the editor gave workspace folders: the deployment host then indexes their deployment
   * files (off the main thread) and the cross-file model is built from them.
   */
  let inWorkspace = false;
  /** The last deployment model and the texts it was built from (by path), to know when its ranges still hold. */
  let deployment:
    | {
        /** What the build says about each open file, by path (see DeploymentBuildResult.open). */
        open: Map<string, OpenFileResult>;
        /** Workspace files some launch loads as its Gunicorn config (`-c FILE`), whatever their names. */
        configPaths: Set<string>;
        gunicornFacts: NginxWorkspaceFacts;
        /** Per nginx file: its include context and rule facts, converted once per build. */
        nginx: Map<string, { includedInto?: NginxContext; facts: NginxWorkspaceFacts }>;
        /** nginx versions the workspace's Dockerfiles and compose files name ("docker/Dockerfile:1"). */
        nginxVersions: NginxVersionFound[];
        /** Where the workspace's upstreams, units, addresses and paths are written (references, rename, links). */
        navigation?: NavigationIndex;
      }
    | undefined;
  /**
   * Until the first build is applied: what the open files show from the files nearest them (a cold first build of a
   * big workspace sends it first, see FIRST_LOOK_SOURCES). Only the open files' results: nginx files keep their
   * early rules until the whole model's facts arrive.
   */
  let firstLook: Map<string, OpenFileResult> | undefined;
  /** What the last build (or, before the first, the first look) says about an open file. */
  const openResult = (path: string): OpenFileResult | undefined => (deployment?.open ?? firstLook)?.get(path);
  let deploymentTimer: NodeJS.Timeout | undefined;
  /** The last long completion list, whose details and documentation completionItem/resolve hands out. */
  let lastCompletion: { entries: readonly CompletionEntry[]; indexByLabel: Map<string, number> } = {
    entries: [],
    indexByLabel: new Map(),
  };
  let completionGeneration = 0;
  /** When the last request arrived or diagnostics went out (the warm-up keeps out of their way). */
  let lastActivityAt = 0;
  const documentationOf = (markdown: string) =>
    caps.markdown ? { kind: MarkupKind.Markdown, value: markdown } : markdown;
  /**
   * Builds the model in a worker thread (dist/worker.js beside this script, which leaves the LSP library out), else
   * in-process.
   */
  const deploymentHost = new DeploymentHost(
    process.argv[1] ? join(dirname(process.argv[1]), 'worker.js') : undefined,
    (message) => connection.console.log(message),
  );
  let caps = {
    related: false,
    codeDescription: false,
    data: false,
    snippets: false,
    markdown: false,
    configuration: false,
    /** The client takes one replace range for the whole completion list (LSP 3.17 `itemDefaults.editRange`). */
    defaultEditRange: false,
    /** The client takes one `data` for the whole completion list and sends it back on resolve. */
    defaultData: false,
    /** The client takes one insert text format for the whole completion list. */
    defaultInsertTextFormat: false,
    /** The client takes LocationLink answers to textDocument/definition. */
    definitionLinks: false,
    /** documentSymbol answers nested DocumentSymbols (else flat SymbolInformation with containerName). */
    hierarchicalSymbols: false,
    /** Symbol kinds the client shows in documentSymbol and workspace/symbol answers. */
    documentSymbolKinds: supportedSymbolKinds(undefined),
    workspaceSymbolKinds: supportedSymbolKinds(undefined),
    /** The client asks textDocument/prepareRename before a rename. */
    prepareRename: false,
    /** The client applies versioned `documentChanges` in a WorkspaceEdit. */
    documentChanges: false,
    /** The client re-asks for inlay hints on workspace/inlayHint/refresh. */
    inlayHintRefresh: false,
  };
  /** `gunicornConfig.inlayHints.defaults`: Gunicorn's default after each setting of a config. */
  let inlayHintDefaults = false;
  /** What the inlay hints of the open files were last built from, to refresh them only when a build changes it. */
  let inlayHintSources = '';
  const refreshInlayHints = (): void => {
    if (caps.inlayHintRefresh && phase === 'running') {
      connection.sendRequest(InlayHintRefreshRequest.type).catch(() => undefined);
    }
  };
  /** Launches, units, upstreams, server names and configs of the last deployment build, for workspace/symbol. */
  let workspaceSymbolEntries: readonly WorkspaceSymbolEntry[] = [];
  /** Asks for the navigation index and symbols of the last build applied, once; settles when they are in. */
  let navigationReady: () => Promise<void> = () => Promise.resolve();
  /** Waiting for the next build to be applied (or to fail): extras asked of a build the worker has moved past. */
  const afterNextBuild: (() => void)[] = [];
  const nextBuildSettled = (): Promise<void> => new Promise((resolve) => afterNextBuild.push(resolve));
  const releaseBuildWaiters = (): void => afterNextBuild.splice(0).forEach((resolve) => resolve());
  let workspaceRoots: string[] = [];
  let settings: UserSettings = DEFAULT_SETTINGS;
  let pinCache: { version: string; source: string } | undefined | null = null;
  /**
   * LSP's life cycle: requests before `initialize` get ServerNotInitialized, requests after `shutdown` InvalidRequest,
   * and no diagnostics are published outside `running`. (Nothing enforced this before: handlers answered anything.)
   */
  let phase: 'new' | 'running' | 'shutdown' = 'new';
  /** Bumped by every change that asks for a rebuild; a rebuild whose ticket is no longer the newest does not run. */
  let deploymentTicket = 0;
  /** The ticket of the build whose result is shown (results arrive in the order builds ran). */
  let appliedTicket = 0;
  /** A deployment build is running; another was asked for meanwhile; when the last one started. */
  let buildInFlight = false;
  let buildQueued = false;
  let lastBuildStart = -Infinity;
  /** Documents too large to analyze, logged once each. */
  const tooLargeLogged = new Set<string>();

  // A stray rejected promise (a write to a closed pipe, a handler bug) must be logged, not end the process: Node's
  // default for an unhandled rejection is to crash.
  process.on('unhandledRejection', (reason) => {
    try {
      connection.console.error(
        `gunicorn-config: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
      );
    } catch {
      // the connection is gone; nothing left to tell
    }
  });

  const safe = <T>(fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      connection.console.error(
        `gunicorn-config: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return fallback;
    }
  };

  /** The file path of a file: URI, else the URI itself (untitled:, a notebook cell, a file URI that is no local path). */
  const pathOf = (uri: string): string => {
    if (!uri.startsWith('file:')) return uri;
    try {
      return fileURLToPath(uri);
    } catch {
      // Expected for file://host/… and malformed escapes: not worth a stack trace in the log on every keystroke.
      return uri;
    }
  };

  /**
   * Only documents on disk belong to the workspace's deployment: an untitled buffer or a notebook cell is analyzed on
   * its own, never added to the cross-file model (its "path" would be the URI itself).
   */
  const isFileUri = (uri: string): boolean => uri.startsWith('file:');

  const tooLarge = (document: TextDocument): boolean => {
    if (document.getText().length <= MAX_DOCUMENT_CHARS) return false;
    if (!tooLargeLogged.has(document.uri)) {
      tooLargeLogged.add(document.uri);
      connection.console.log(
        `gunicorn-config: ${document.uri} is larger than ${MAX_DOCUMENT_CHARS} characters; it is not analyzed.`,
      );
    }
    return true;
  };

  /**
   * The client sends every Python file, because a file named by `-c` is a Gunicorn config whatever its name; only
   * those, config names and the `gunicornConfig.files` globs are ours, other Python files get nothing from us.
   */
  const isOurs = (document: TextDocument): boolean => {
    // Other editors attach the server to whole filetypes (every yaml or sh buffer): a file that is no unit, nginx file
    // or command source by its language id or name is ours only as a Gunicorn config, as for Python files.
    if (document.languageId !== 'python' && languageOf(document) !== 'gunicorn') return true;
    const path = pathOf(document.uri);
    return (
      isGunicornConfigName(path) ||
      settings.files.some((glob) => matchesGlob(glob, path)) ||
      !!deployment?.configPaths.has(path)
    );
  };

  const languageOf = (document: TextDocument): LanguageId =>
    detectLanguage(pathOf(document.uri), document.languageId);

  /** The include index without workspace folders (open documents only), or before the workspace scan exists. */
  const nginxWorkspace = (): NginxWorkspaceIndex => {
    if (nginxIndex) return nginxIndex;
    const allPaths = listWorkspaceFiles(workspaceRoots);
    const open = new Map<string, string>();
    for (const document of documents.all()) {
      if (languageOf(document) === 'nginx') open.set(pathOf(document.uri), document.getText());
    }
    nginxIndex = indexNginxWorkspace({
      seeds: [...allPaths.filter(isNginxPath), ...open.keys()],
      allPaths: [...new Set([...allPaths, ...open.keys()])],
      read: (path) => open.get(path) ?? readTextFile(path),
    });
    return nginxIndex;
  };

  /**
   * What an nginx file's parse and rules need from the rest of the workspace. With workspace folders it comes from
   * the deployment build (computed off the main thread); a lone file builds the small index of the open documents.
   */
  const nginxFactsOf = (path: string): { includedInto?: NginxContext; facts: NginxWorkspaceFacts } => {
    if (!inWorkspace) {
      const index = nginxWorkspace();
      const includedInto = index.includedAt(path)?.context;
      return { ...(includedInto ? { includedInto } : {}), facts: index.factsFor(path) };
    }
    return deployment?.nginx.get(path) ?? { facts: {} };
  };

  /**
   * True while an nginx file of the workspace waits for the first deployment build, which brings its include context,
   * the nginx images that may set its target and the other files' facts: until then it gets only the findings none of
   * these can take back (languages/nginx/rules/early.ts), so its first diagnostics need not wait for the workspace.
   */
  const nginxFactsPending = (uri: string): boolean => inWorkspace && !deployment && isFileUri(uri);

  /** How a document's text is parsed: its language, and the hints its path and the workspace give. */
  const parseHintsOf = (document: TextDocument) => {
    const language = languageOf(document);
    const path = pathOf(document.uri);
    // An nginx file included from another one is parsed in the context of that include (e.g. inside `http`).
    const nginxRootContext = language === 'nginx' ? nginxFactsOf(path).includedInto : undefined;
    const commandSourceKind =
      language === 'commands' ? commandSourceKindOf(path, document.languageId) : undefined;
    return { language, path, nginxRootContext, commandSourceKind };
  };

  /** Parses a text as if it were the document's (fix-all checks each pass's text this way). */
  const parseAs = (document: TextDocument, text: string): ParsedDocument => {
    const { language, path, nginxRootContext, commandSourceKind } = parseHintsOf(document);
    return parseDocument(language, text, {
      path,
      ...(nginxRootContext ? { nginxRootContext } : {}),
      ...(commandSourceKind ? { commandSourceKind } : {}),
    });
  };

  const modelOf = (document: TextDocument): ParsedDocument => {
    const { nginxRootContext, commandSourceKind } = parseHintsOf(document);
    const hint = `${nginxRootContext ?? ''}|${commandSourceKind ?? ''}`;
    const cached = models.get(document.uri);
    // The version alone is not enough: a client may reuse or rewind version numbers, and a stale model would then
    // answer for text the editor no longer shows. getText() returns the same string until the document changes, so
    // the identity check costs nothing; parsing still happens once per document version.
    const text = document.getText();
    if (cached && cached.version === document.version && cached.text === text && cached.hint === hint) {
      return cached.parsed;
    }
    const parsed = parseAs(document, text);
    models.set(document.uri, { version: document.version, text, hint, parsed });
    return parsed;
  };

  /** Whether the model of a document's current text is cached already (answering needs no parse). */
  const isParsed = (document: TextDocument): boolean => {
    const cached = models.get(document.uri);
    return !!cached && cached.version === document.version && cached.text === document.getText();
  };

  /** Names of unit files in the workspace folders (two levels deep), read once until watched files change. */
  const unitsInWorkspace = (): Set<string> => {
    if (workspaceUnits) return workspaceUnits;
    const names = new Set<string>();
    for (const path of listWorkspaceFiles(workspaceRoots, { maxDepth: 3 })) {
      // A template (`app.socket.j2`) stands for the unit it renders to.
      const name = basename(untemplatedPath(path));
      if (/\.(service|socket|timer|path|target)$/.test(name)) names.add(name);
    }
    for (const document of documents.all()) {
      const name = /[^/]+\.(service|socket|timer|path|target)$/.exec(untemplatedPath(document.uri))?.[0];
      // A malformed escape (file:///a%ZZ.service) used to throw here and empty the diagnostics of every unit file.
      if (name) names.add(safe(name, () => decodeURIComponent(name)));
    }
    workspaceUnits = names;
    return names;
  };

  /** Reads version pins from the top of each workspace folder (and one level down), once until files change. */
  const workspacePin = (): { version: string; source: string } | undefined => {
    if (pinCache !== null) return pinCache;
    const files: { path: string; text: string }[] = [];
    for (const root of workspaceRoots) {
      for (const dir of [
        root,
        ...safe<string[]>([], () =>
          readdirSync(root, { withFileTypes: true })
            .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
            .slice(0, 50)
            .map((e) => join(root, e.name)),
        ),
      ]) {
        for (const name of safe<string[]>([], () => readdirSync(dir))) {
          const path = join(dir, name);
          if (isPinFilePath(path)) {
            safe(undefined, () =>
              files.push({
                path: relative(root, path),
                text: readFileSync(path, 'utf8').slice(0, 1_000_000),
              }),
            );
          }
        }
      }
    }
    pinCache = detectGunicornVersion(files, gunicornVersions());
    return pinCache;
  };

  /** The Gunicorn version to check against: the setting, else the workspace's pin, else the newest release. */
  const targetVersion = (from: UserSettings = settings): ReturnType<typeof resolveTargetVersion> =>
    resolveTargetVersion(from.gunicornVersion, workspacePin(), latestGunicornVersion());

  /** The nginx version nginx files are judged against: the setting, else the workspace's images, else the newest. */
  const nginxTarget = (): NginxTarget =>
    resolveNginxTarget(settings.nginxVersion, deployment?.nginxVersions ?? [], nginxCatalogVersions());

  /** A workspace path as people read it: relative to its workspace folder. */
  const displayPath = (path: string): string => {
    for (const root of workspaceRoots) {
      const inside = relative(root, path);
      if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split('\\').join('/');
    }
    return path;
  };

  const context = (document: TextDocument): DocumentContext => {
    // The version is resolved when first read (nginx hovers and completions never read it, and the first resolution
    // reads the workspace folders' version pin files), from the settings as they are now, like the severities: a
    // check runs in steps, and settings that arrive in between must not give it the new version with old severities.
    const current = settings;
    let resolved: ReturnType<typeof targetVersion> | undefined;
    const target = () => (resolved ??= targetVersion(current));
    return {
      uri: document.uri,
      path: pathOf(document.uri),
      get version() {
        return target().version;
      },
      get versionLabel() {
        return target().label;
      },
      get versionAssumed() {
        return target().assumed;
      },
      ...(modelOf(document).language === 'systemd'
        ? { systemd: resolveSystemdVersion(current.systemdVersion) }
        : {}),
      severity: current.severity,
      // Only unit files look at other unit files; a Gunicorn config must not wait for a workspace scan.
      ...(workspaceRoots.length && modelOf(document).language === 'systemd'
        ? { workspaceUnits: unitsInWorkspace() }
        : {}),
      // Completing an app spec: the modules the launch there imports, from the last build (by line, while typing).
      appSpec: (offset: number) =>
        appSpecSourceAt(
          openResult(pathOf(document.uri))?.appScopes,
          document.positionAt(offset).line,
          readModuleText,
        ),
      ...(modelOf(document).language === 'nginx'
        ? {
            // Where Gunicorn listens and how it works, from the deployment model, sharpen the proxy checks.
            nginxWorkspace: {
              ...nginxFactsOf(pathOf(document.uri)).facts,
              ...(deployment?.gunicornFacts ?? {}),
            },
            nginxTarget: nginxTarget(),
            ...(nginxFactsPending(document.uri) ? { nginxWorkspacePending: true } : {}),
          }
        : {}),
    };
  };

  /** A module's text for completing the names after `module:`: the editor's when open, else the disk's. */
  const readModuleText = (path: string): string | undefined =>
    documents
      .all()
      .find((d) => isFileUri(d.uri) && pathOf(d.uri) === path)
      ?.getText() ?? readTextFile(path, MAX_BYTES);

  /** What the last build says about an open document, while it was built from the text the editor shows. */
  const builtFor = (document: TextDocument): OpenFileResult | undefined => {
    const built = openResult(pathOf(document.uri));
    return built?.text === document.getText() ? built : undefined;
  };

  /** Cross-file findings for a document, only while the model was built from the text the editor shows. */
  const crossFileFindings = (document: TextDocument): Finding[] => builtFor(document)?.findings ?? [];

  /**
   * The inputs a document's own findings come from besides its parse: the target Gunicorn version and the severity
   * settings, and for an nginx file what the workspace tells its rules (its include facts, Gunicorn's addresses and
   * worker class, the nginx target, whether the model is still to come), so a build that changes none of them (typing
   * in a config) re-publishes an open nginx file's findings instead of running its rules again. Units read the other
   * unit files of the workspace: none.
   */
  const ownFindingsKey = (document: TextDocument, ctx: DocumentContext): string | undefined => {
    const { language } = parseHintsOf(document);
    if (language === 'systemd') return undefined;
    const common = [ctx.versionLabel, ctx.version, ctx.versionAssumed ?? false, ctx.severity ?? null];
    if (language !== 'nginx') return JSON.stringify(common);
    const facts = [ctx.nginxWorkspace ?? null, ctx.nginxTarget ?? null, ctx.nginxWorkspacePending ?? false];
    // Sets in the facts (upstream names, addresses) are written as their sorted members.
    return JSON.stringify([...common, ...facts], (_key, value: unknown) =>
      value instanceof Set ? [...(value as Set<string>)].sort() : value,
    );
  };
  /**
   * The last own findings of each open document, with the parse (so the text and how it was parsed) and the key they
   * came from: a build's result re-publishes them without running the rules again.
   */
  const ownFindings = new Map<string, { parsed: ParsedDocument; key: string; findings: Finding[] }>();

  /** A document's own findings, one rule per step, then its cross-file findings. */
  function* analyzeSteps(document: TextDocument): Steps<Finding[]> {
    // The catalogue's load, the context and the parse are steps of their own: the first document of a language loads
    // its catalogue and runs cold code there (tens of milliseconds for the first nginx file), and a hover that
    // arrives meanwhile waits for one step, not for all of them.
    yield* languageLoadSteps(languageOf(document));
    const ctx = context(document);
    yield;
    const parsed = modelOf(document);
    yield;
    const key = safe<string | undefined>(undefined, () => ownFindingsKey(document, ctx));
    const kept = key === undefined ? undefined : ownFindings.get(document.uri);
    const own =
      kept && kept.parsed === parsed && kept.key === key ? kept.findings : yield* parsed.analyzeSteps(ctx);
    if (key !== undefined) ownFindings.set(document.uri, { parsed, key, findings: own });
    const crossFile = safe<Finding[]>([], () => crossFileFindings(document));
    if (!crossFile.length) return own;
    return [...own, ...crossFile].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  }

  /**
   * A model that left files out says so once per change (a log line, and a notification the VS Code client shows in
   * its status bar): a bound that silently dropped files once left the open file's own deployment unchecked.
   */
  let reportedLeftOut: number | undefined;
  const reportBounds = (bounds: ModelBounds): void => {
    // Sent after the first build too: it also tells a client that the workspace's model is there.
    if (bounds.leftOut === reportedLeftOut) return;
    const first = reportedLeftOut === undefined;
    reportedLeftOut = bounds.leftOut;
    if (bounds.leftOut) {
      connection.console.warn(
        `gunicorn-config: the deployment model holds the ${bounds.modelled} files nearest the open ones; ` +
          `${bounds.leftOut} more are left out of cross-file checks (e.g. ${bounds.examples.map(displayPath).join(', ')}).`,
      );
    } else if (!first) {
      connection.console.info('gunicorn-config: the deployment model holds every deployment file again.');
    }
    const params: ModelBoundsParams = { modelled: bounds.modelled, leftOut: bounds.leftOut };
    void connection.sendNotification(MODEL_BOUNDS_NOTIFICATION, params);
  };

  const rebuildDeployment = (ticket: number): void => {
    deploymentTimer = undefined;
    if (!inWorkspace || phase !== 'running') return;
    const resolved = targetVersion();
    const options = {
      version: resolved.version,
      versionLabel: resolved.label,
      versionAssumed: resolved.assumed,
      severity: settings.severity,
    };
    const openPaths = documents
      .all()
      .filter((d) => isFileUri(d.uri))
      .map((d) => pathOf(d.uri));
    // Built off the main thread when possible (the worker holds the workspace's files): hovers and completions are
    // answered meanwhile.
    buildInFlight = true;
    lastBuildStart = performance.now();
    const showFirstLook = (open: OpenFileResult[]): void => {
      if (deployment || phase !== 'running') return;
      firstLook = new Map(open.map((file) => [file.path, file]));
      for (const document of documents.all()) {
        const file = isFileUri(document.uri) ? firstLook.get(pathOf(document.uri)) : undefined;
        if (file?.findings.length) schedule(document.uri, 0);
      }
    };
    deploymentHost.build(options, openPaths, showFirstLook).then(
      (built) => {
        buildEnded();
        // Applied even when a change asked for another build meanwhile: it is newer than what is shown, its findings
        // reach only the files whose text it was built from (builtFor), and the next build follows at once (the first
        // model waited behind the editor's first opened files otherwise).
        if (!built || ticket <= appliedTicket || phase !== 'running') return;
        appliedTicket = ticket;
        const { result } = built;
        const applied: NonNullable<typeof deployment> = {
          open: new Map(result.open.map((file) => [file.path, file])),
          nginxVersions: result.nginxImages.map((image) => ({
            version: image.version,
            source: `${displayPath(image.path)}:${image.line + 1}`,
          })),
          configPaths: new Set(result.configPaths),
          nginx: new Map(
            result.nginx.map((file) => [
              file.path,
              {
                ...(file.includedInto ? { includedInto: file.includedInto } : {}),
                facts: {
                  upstreams: new Set(file.upstreams),
                  ...(file.includeCycles ? { includeCycles: file.includeCycles } : {}),
                  ...(file.modules ? { modules: file.modules } : {}),
                  ...(file.staticModules ? { staticModules: file.staticModules } : {}),
                },
              },
            ]),
          ),
          gunicornFacts: {
            ...(result.gunicornAddresses.length
              ? { gunicornAddresses: new Set(result.gunicornAddresses) }
              : {}),
            ...(result.gunicornAddressesComplete ? { gunicornAddressesComplete: true } : {}),
            ...(result.gunicornWorkerClass ? { gunicornWorkerClass: result.gunicornWorkerClass } : {}),
          },
        };
        deployment = applied;
        firstLook = undefined;
        // Navigation and symbols are made from this build's model when a request first needs them.
        let extrasApplied: Promise<void> | undefined;
        navigationReady = () =>
          (extrasApplied ??= built.extras().then(
            (extras) => {
              if (extras && deployment === applied) {
                applied.navigation = extras.navigation;
                workspaceSymbolEntries = extras.symbols;
                return;
              }
              // The worker has started a newer build and let this model go (or one is applied already): that
              // build's extras answer instead. Answering from none gave an empty workspace/symbol right after an
              // open that started a second build.
              return deployment === applied
                ? nextBuildSettled().then(() => navigationReady())
                : navigationReady();
            },
            () => undefined,
          ));
        releaseBuildWaiters();
        reportBounds(result.bounds);
        documents.all().forEach((d) => schedule(d.uri, 0));
        const sources = safe('', () =>
          JSON.stringify(result.open.map((file) => [file.path, file.text.length, file.effective ?? null])),
        );
        if (sources !== inlayHintSources) {
          inlayHintSources = sources;
          refreshInlayHints();
        }
      },
      (error: unknown) => {
        buildEnded();
        // Requests waiting for a newer build's navigation go on with what there is.
        releaseBuildWaiters();
        connection.console.error(
          `gunicorn-config: ${error instanceof Error ? error.message : String(error)}`,
        );
        // nginx files shown with their early checks only must not wait forever: go on without cross-file knowledge.
        if (!deployment) {
          firstLook = undefined;
          deployment = {
            open: new Map(),
            configPaths: new Set(),
            gunicornFacts: {},
            nginx: new Map(),
            nginxVersions: [],
          };
          documents.all().forEach((d) => schedule(d.uri, 0));
        }
      },
    );
  };

  /** "Effective in this deployment: …" for a setting or flag under the cursor, when the model knows more. */
  const effectiveLine = (document: TextDocument, offset: number, line: number): string | undefined => {
    const built = builtFor(document);
    const effective = built?.effective && effectiveAtOffset(built.effective, offset);
    return effective ? describeEffective(effective, built.uri, line) : undefined;
  };

  /** The app spec under the cursor (module, name, app kind), from the last build of the text the editor shows. */
  const appHoverAt = (
    document: TextDocument,
    position: { line: number; character: number },
  ): { markdown: string; range: Range } | undefined =>
    builtFor(document)?.apps?.find(
      ({ range }) =>
        (position.line > range.start.line ||
          (position.line === range.start.line && position.character >= range.start.character)) &&
        (position.line < range.end.line ||
          (position.line === range.end.line && position.character <= range.end.character)),
    );

  // A change starts a build at once when none is running (the first model as soon as the scan is done, an edit's
  // cross-file findings one build later); changes during a build start one more when it ends, so a burst of edits
  // costs at most one build in flight and one waiting, and builds start at most every DEPLOYMENT_MIN_GAP_MS.
  const scheduleDeployment = (atLeastMs = 0): void => {
    clearTimeout(deploymentTimer);
    deploymentTimer = undefined;
    const ticket = ++deploymentTicket;
    if (buildInFlight) {
      buildQueued = true;
      return;
    }
    const delay = Math.max(atLeastMs, lastBuildStart + DEPLOYMENT_MIN_GAP_MS - performance.now());
    // When the timer fires, messages may have been read but not dispatched yet (a burst of didChange after a pause):
    // let them through first; one that asks for a rebuild takes the ticket and this rebuild does not run.
    deploymentTimer = setTimeout(() => {
      deploymentTimer = undefined;
      setImmediate(() => {
        if (ticket === deploymentTicket) rebuildDeployment(ticket);
      });
    }, delay);
  };
  /** A build ended (with a result, superseded or failed): one asked for meanwhile starts now. */
  const buildEnded = (): void => {
    buildInFlight = false;
    if (!buildQueued || phase !== 'running') return;
    buildQueued = false;
    scheduleDeployment();
  };

  const toDiagnostic = (finding: Finding, version: number): Diagnostic => {
    const diagnostic: Diagnostic = {
      range: finding.range,
      severity: SEVERITY[finding.severity],
      code: finding.rule,
      source: SOURCE,
      message: finding.message,
    };
    const href = docsUrls.get(finding.rule);
    if (href && caps.codeDescription) diagnostic.codeDescription = { href };
    if (finding.tags?.length) {
      diagnostic.tags = finding.tags.map((t) =>
        t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary,
      );
    }
    if (finding.related?.length && caps.related) {
      diagnostic.relatedInformation = finding.related.map((r) => ({
        location: { uri: r.uri, range: r.range },
        message: r.message,
      }));
    }
    // The version lets the code-action handler tell fixes computed for older text (their ranges no longer hold).
    diagnostic.data = { fixes: finding.fixes ?? [], version };
    return diagnostic;
  };

  const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
  /** The first MAX_DIAGNOSTICS findings by severity, in document order. */
  const capped = (findings: Finding[]): Finding[] => {
    if (findings.length <= MAX_DIAGNOSTICS) return findings;
    const order = new Map(findings.map((finding, i) => [finding, i]));
    const shown = [...findings]
      .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 4) - (SEVERITY_RANK[b.severity] ?? 4))
      .slice(0, MAX_DIAGNOSTICS)
      .sort((a, b) => order.get(a)! - order.get(b)!);
    // Say that some were left out, so a clean-looking end of the file is not mistaken for a clean file.
    return [
      notice(
        `${findings.length - MAX_DIAGNOSTICS} more findings are not shown (at most ${MAX_DIAGNOSTICS}).`,
      ),
      ...shown,
    ];
  };

  /** A file-level note at the top of the document, outside any rule. */
  const notice = (message: string): Finding => ({
    rule: 'gunicorn-config',
    severity: 'info',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message,
  });

  /**
   * Checks of documents still running, by URI, a slice of one document's rules per turn of the event loop: a build's
   * result re-checks every open document, and their slices ran back to back before (a hover then waited 15–30 ms
   * behind three documents' first cold rules).
   */
  const validations = new SliceQueue((error) =>
    connection.console.error(`gunicorn-config: a check failed: ${String(error)}`),
  );
  const cancelValidation = (uri: string): void => validations.cancel(uri);
  if (frames) frames.onFrame = (request) => validations.frameArrived(request);
  /** connection.onRequest, with the handler's answer going before the documents' check slices (SliceQueue.answer). */
  const onRequest = <P, R, PR, E, RO>(
    type: ProtocolRequestType<P, R, PR, E, RO>,
    handler: RequestHandler<P, R, E>,
  ): Disposable =>
    connection.onRequest(type, (params, token) => validations.answer(() => handler(params, token)));

  const validate = (uri: string): void => {
    cancelValidation(uri);
    const document = documents.get(uri);
    if (!document || phase !== 'running') return;
    const { version } = document;
    const publish = (diagnostics: Diagnostic[]): void => {
      void connection.sendDiagnostics({ uri, version, diagnostics });
      // An editor that just got diagnostics often sends the next open or edit at once: keep the warm-up out of its way.
      lastActivityAt = performance.now();
    };
    if (!isOurs(document)) return publish([]);
    if (tooLarge(document)) {
      return publish([
        toDiagnostic(
          notice(
            `This file has ${document.getText().length} characters, more than the ${MAX_DOCUMENT_CHARS} Gunicorn Config checks; it is not analyzed.`,
          ),
          version,
        ),
      ]);
    }
    // The rules run a millisecond at a time: a big file's checks take tens of milliseconds, and hovers and
    // completions that arrive meanwhile are answered between the slices, not after the whole run.
    const steps = safe<Steps<Finding[]> | undefined>(undefined, () => analyzeSteps(document));
    if (!steps) return publish([]);
    /** Runs about a millisecond of the check; true while there is more to run. */
    const slice = (): boolean => {
      // A newer version has its own check scheduled; this one's ranges would no longer fit.
      const current = phase === 'running' && documents.get(uri) === document && document.version === version;
      if (!current) return false;
      const started = performance.now();
      const next = safe<IteratorResult<void, Finding[]> | undefined>(undefined, () => {
        let step = steps.next();
        while (!step.done && performance.now() - started < VALIDATION_SLICE_MS) step = steps.next();
        return step;
      });
      if (!next) {
        publish([]);
        return false;
      }
      if (!next.done) return true;
      publish(
        safe<Diagnostic[]>([], () => capped(next.value).map((finding) => toDiagnostic(finding, version))),
      );
      return false;
    };
    // Even the first slice waits its turn: the documents a build result re-checks are scheduled all at once.
    validations.add(uri, slice);
  };

  const schedule = (uri: string, delay = DEBOUNCE_MS): void => {
    clearTimeout(timers.get(uri));
    if (phase !== 'running') return;
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        validate(uri);
      }, delay),
    );
  };

  const refreshSettings = async (): Promise<void> => {
    if (!caps.configuration) return;
    // A client that never answers must not stall diagnostics: fall back to defaults after a short wait.
    let timer: NodeJS.Timeout | undefined;
    const answer = (await Promise.race([
      connection.workspace.getConfiguration('gunicornConfig').catch(() => undefined),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 500))),
    ])) as unknown;
    clearTimeout(timer);
    if (answer && typeof answer === 'object' && !Array.isArray(answer)) {
      const { gunicornVersion, severity, files, systemdVersion, nginxVersion, inlayHints } = answer as {
        inlayHints?: { defaults?: unknown } | null;
        gunicornVersion?: unknown;
        nginxVersion?: unknown;
        severity?: unknown;
        files?: unknown;
        systemdVersion?: unknown;
      };
      // Only known override values: anything else (a typo, a number) used to reach diagnostics as no severity at all.
      const overrides = Object.entries(severity && typeof severity === 'object' ? severity : {}).filter(
        (entry): entry is [string, UserSettings['severity'][string]] =>
          typeof entry[1] === 'string' && SEVERITY_OVERRIDES.has(entry[1]),
      );
      settings = {
        gunicornVersion: typeof gunicornVersion === 'string' ? gunicornVersion : 'auto',
        severity: Object.fromEntries(overrides),
        files: Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [],
        systemdVersion:
          typeof systemdVersion === 'string' || typeof systemdVersion === 'number'
            ? String(systemdVersion)
            : 'auto',
        nginxVersion: typeof nginxVersion === 'string' ? nginxVersion : 'auto',
      };
      const defaults = inlayHints?.defaults === true;
      if (defaults !== inlayHintDefaults) {
        inlayHintDefaults = defaults;
        refreshInlayHints();
      }
    }
    documents.all().forEach((d) => schedule(d.uri, 0));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult | ResponseError<InitializeError> => {
    if (phase === 'shutdown') {
      return new ResponseError(ErrorCodes.InvalidRequest, 'The server is shut down.', { retry: false });
    }
    // Tolerate a client that sends no capabilities or folders at all (null params).
    const text = params?.capabilities?.textDocument;
    phase = 'running';
    formattingDynamic = formatsDynamically(params?.capabilities);
    caps = {
      related: !!text?.publishDiagnostics?.relatedInformation,
      codeDescription: !!text?.publishDiagnostics?.codeDescriptionSupport,
      data: !!text?.publishDiagnostics?.dataSupport,
      snippets: !!text?.completion?.completionItem?.snippetSupport,
      markdown: !!text?.hover?.contentFormat?.includes(MarkupKind.Markdown),
      configuration: !!params?.capabilities?.workspace?.configuration,
      defaultEditRange: !!text?.completion?.completionList?.itemDefaults?.includes('editRange'),
      defaultData: !!text?.completion?.completionList?.itemDefaults?.includes('data'),
      defaultInsertTextFormat: !!text?.completion?.completionList?.itemDefaults?.includes('insertTextFormat'),
      definitionLinks: !!text?.definition?.linkSupport,
      hierarchicalSymbols: !!text?.documentSymbol?.hierarchicalDocumentSymbolSupport,
      documentSymbolKinds: supportedSymbolKinds(text?.documentSymbol?.symbolKind?.valueSet),
      workspaceSymbolKinds: supportedSymbolKinds(
        params?.capabilities?.workspace?.symbol?.symbolKind?.valueSet,
      ),
      prepareRename: !!text?.rename?.prepareSupport,
      documentChanges: !!params?.capabilities?.workspace?.workspaceEdit?.documentChanges,
      inlayHintRefresh: !!params?.capabilities?.workspace?.inlayHint?.refreshSupport,
    };
    workspaceRoots = (Array.isArray(params?.workspaceFolders) ? params.workspaceFolders : [])
      .map((f) => safe('', () => fileURLToPath(f.uri)))
      .filter(Boolean);
    if (!workspaceRoots.length && typeof params?.rootUri === 'string') {
      workspaceRoots = [safe('', () => fileURLToPath(params.rootUri!))].filter(Boolean);
    }
    // The worker thread boots (a few milliseconds of the main thread, then its own) and lists the folders while the
    // editor reads this answer, not after it sends `initialized` (the first build still waits for that scan: a model
    // built from a half-read workspace has false findings).
    if (workspaceRoots.length) deploymentHost.scan(workspaceRoots);
    else discardPrestartedWorker();
    return {
      capabilities: {
        positionEncoding: 'utf-16',
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
          // Saves of nginx files refresh the include/upstream index that other open files use.
          save: { includeText: false },
        },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: caps.prepareRename ? { prepareProvider: true } : true,
        documentLinkProvider: { resolveProvider: false },
        completionProvider: {
          triggerCharacters: ['"', "'", ' ', '(', '=', '[', '-', '$'],
          resolveProvider: true,
        },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        foldingRangeProvider: true,
        documentSymbolProvider: { label: 'Gunicorn Config' },
        workspaceSymbolProvider: true,
        ...(formattingDynamic
          ? {}
          : { documentFormattingProvider: true, documentRangeFormattingProvider: true }),
        inlayHintProvider: true,
        executeCommandProvider: { commands: [NEW_DEPLOYMENT_COMMAND, EXPLAIN_COMMAND] },
      },
      serverInfo: { name: 'gunicorn-config', version: '0.1.0' },
    };
  });
  let initializedOnce = false;
  /** Formatting is registered after `initialized`, for nginx and unit files only (lsp/formatting.ts). */
  let formattingDynamic = false;
  connection.onInitialized(() => {
    // A second `initialized` must not start a second index and scan.
    if (initializedOnce || phase !== 'running') return;
    initializedOnce = true;
    if (formattingDynamic) registerFormatting(connection);
    if (workspaceRoots.length) {
      inWorkspace = true;
      for (const document of documents.all()) {
        if (isFileUri(document.uri)) {
          deploymentHost.open(document.uri, pathOf(document.uri), document.getText());
        }
      }
      // Editors open the file that started the server right after `initialized`: the first build waits a moment for
      // it (its open starts the build at once), so that it is built first, nearest files first, rather than after a
      // cold build of the whole workspace for no open file.
      scheduleDeployment(documents.all().length ? 0 : FIRST_OPEN_WAIT_MS);
    }
    // Documents opened before `initialized` (or even before `initialize`) get their diagnostics now.
    documents.all().forEach((d) => schedule(d.uri, 0));
    // Compile the hot paths in quiet moments, so later documents' diagnostics are fast: one round per turn of the
    // event loop, so requests that arrive meanwhile are answered between rounds.
    const warmUp = (round: number): void => {
      if (phase !== 'running') return;
      if (round >= WARM_UP_ROUNDS) {
        // One line in the output channel; the benchmark also waits for it before timing "later" documents.
        connection.console.log(`gunicorn-config: warm-up finished (${WARM_UP_ROUNDS} rounds).`);
        return;
      }
      // Real work first: while diagnostics are pending or requests keep coming, the warm-up waits for a quiet moment.
      if (timers.size > 0 || validations.size > 0 || performance.now() - lastActivityAt < 30) {
        setTimeout(() => warmUp(round), 25);
        return;
      }
      safe(undefined, () => warmUpGunicorn(round));
      setImmediate(() => warmUp(round + 1));
    };
    // Editors open the document that started the server right after `initialized`: that is when a round would hurt
    // most, so the warm-up starts only after a quiet moment.
    lastActivityAt = performance.now();
    setTimeout(() => warmUp(0), 30);
    void refreshSettings();
  });
  connection.onDidChangeConfiguration(() => void refreshSettings());
  connection.onDidChangeWatchedFiles((params) => {
    // One malformed entry (no uri, a URI that is no path) must not drop the others, nor the cache resets below.
    const changes: unknown[] = Array.isArray(params?.changes) ? params.changes : [];
    const uris = changes
      .map((change) => (change as { uri?: unknown } | null)?.uri)
      .filter((uri): uri is string => typeof uri === 'string');
    if (inWorkspace) deploymentHost.changed(uris);
    scheduleDeployment();
    pinCache = null;
    workspaceUnits = undefined;
    nginxIndex = undefined;
    documents.all().forEach((d) => schedule(d.uri, 0));
  });

  /** Documents whose didOpen was just handled (see onDidChangeContent). */
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    // A newly opened nginx file may be new to the index (an unsaved buffer, a file outside the scanned depth).
    if (
      languageOf(e.document) === 'nginx' &&
      nginxIndex &&
      !nginxIndex.paths.includes(pathOf(e.document.uri))
    ) {
      nginxIndex = undefined;
    }
    schedule(e.document.uri, 0);
    justOpened.add(e.document.uri);
  });
  documents.onDidSave((e) => {
    // In a workspace the include facts come with each deployment build, which content changes already schedule.
    if (inWorkspace || languageOf(e.document) !== 'nginx') return;
    nginxIndex = undefined;
    documents
      .all()
      .forEach((d) => d.uri !== e.document.uri && languageOf(d) === 'nginx' && schedule(d.uri, 0));
  });
  documents.onDidChangeContent((e) => {
    if (inWorkspace && isFileUri(e.document.uri)) {
      deploymentHost.open(e.document.uri, pathOf(e.document.uri), e.document.getText());
      scheduleDeployment();
    }
    // The library fires a content change right after each open: the open's immediate run must not be debounced.
    if (justOpened.delete(e.document.uri)) return;
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    if (inWorkspace && isFileUri(e.document.uri)) {
      deploymentHost.close(e.document.uri);
      scheduleDeployment();
    }
    models.delete(e.document.uri);
    ownFindings.delete(e.document.uri);
    cancelValidation(e.document.uri);
    tooLargeLogged.delete(e.document.uri);
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    if (phase === 'running') void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  /** The life-cycle answer for a request in the wrong phase, else undefined. */
  const lifecycleError = (): ResponseError<void> | undefined =>
    phase === 'new'
      ? new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized yet.')
      : phase === 'shutdown'
        ? new ResponseError(ErrorCodes.InvalidRequest, 'The server is shut down.')
        : undefined;

  /**
   * The common start of hover, completion and code actions: check the phase and the params, find the document, and
   * parse it if needed. Before a parse, queued messages are let through: a $/cancelRequest then cancels the token, and
   * a newer didChange makes the request stale (ContentModified: its position belongs to text that is gone).
   */
  const prepare = async (
    params: unknown,
    token: CancellationToken | undefined,
    withPosition: boolean,
  ): Promise<{ document: TextDocument; offset: number } | ResponseError<void> | undefined> => {
    lastActivityAt = performance.now();
    const refused = lifecycleError();
    if (refused) return refused;
    if (isCancelled(token)) return cancelledError();
    const uri = uriOf(params);
    if (uri === undefined) return invalidParams('textDocument.uri must be a string.');
    const position = (params as { position?: unknown }).position;
    if (withPosition && !isPosition(position)) {
      return invalidParams('position must have a non-negative integer line and character.');
    }
    const document = documents.get(uri);
    if (!document || tooLarge(document) || !isOurs(document)) return undefined;
    if (!isParsed(document)) {
      const { version } = document;
      const text = document.getText();
      await yieldToEventLoop();
      if (isCancelled(token)) return cancelledError();
      const now = documents.get(uri);
      if (!now) return undefined;
      if (now !== document || now.version !== version || now.getText() !== text) {
        return new ResponseError(
          LSPErrorCodes.ContentModified,
          'The document changed while the request waited.',
        );
      }
      const refusedNow = lifecycleError();
      if (refusedNow) return refusedNow;
    }
    // Out-of-range positions are clamped by offsetAt (a line past the end is the end), as LSP asks.
    return {
      document,
      offset: withPosition ? document.offsetAt(position as { line: number; character: number }) : 0,
    };
  };

  // onRequest (connection.onRequest), not onHover & co.: their wrappers read params.workDoneToken first, so null
  // params failed with an InternalError before reaching the InvalidParams check.
  onRequest(HoverRequest.type, async (params, token) => {
    const ready = await prepare(params, token, true);
    if (!ready || ready instanceof ResponseError) return ready ?? null;
    const { document, offset } = ready;
    return safe(null, () => {
      const result = modelOf(document).hover(offset, context(document));
      const app = appHoverAt(document, params.position);
      if (!result && !app) return null;
      const effective = effectiveLine(document, offset, params.position.line);
      const markdown = [result?.markdown, app?.markdown, effective].filter(Boolean).join('\n\n---\n\n');
      const range = result?.range ?? app?.range;
      return {
        contents: caps.markdown
          ? { kind: MarkupKind.Markdown, value: markdown }
          : { kind: MarkupKind.PlainText, value: markdown.replace(/[*`]/g, '') },
        ...(range ? { range } : {}),
      };
    });
  });

  /** Definition targets by kind, each from the last model build of the text the editor shows (no build is awaited). */
  const definitionProviders = (document: TextDocument): DefinitionProvider[] => [
    (_uri, offset) => {
      const sites = builtFor(document)?.definitions;
      return sites ? siteDefinition(sites, offset) : undefined;
    },
    navigationDefinitions(
      navigationFor(document),
      (position) => document.offsetAt(position),
      (offset) => document.positionAt(offset),
    ),
    effectiveDefinitions(builtFor(document)?.effective, (offset) => document.positionAt(offset)),
  ];

  /** The navigation index, while the last build was made from the text the editor shows for `document`. */
  const navigationFor = (document: TextDocument): NavigationIndex | undefined =>
    builtFor(document) ? deployment?.navigation : undefined;

  const navigationState: NavigationState = {
    index: (uri) => {
      const document = documents.get(uri);
      return document ? navigationFor(document) : undefined;
    },
    openVersion: (uri) => documents.get(uri)?.version,
    current: (uri) => {
      const document = documents.get(uri);
      if (!document || !isFileUri(uri)) return true;
      const built = openResult(pathOf(uri));
      // An open file the build did not see as open was read from the disk: current while the editor has no edits.
      return built
        ? built.text === document.getText()
        : document.getText() === readTextFile(pathOf(uri), MAX_BYTES);
    },
  };

  onRequest(ReferencesRequest.type, async (params, token) => {
    await navigationReady();
    const ready = await prepare(params, token, true);
    if (!ready || ready instanceof ResponseError) return ready ?? null;
    return safe(null, () =>
      references(navigationState, ready.document.uri, params.position, !!params.context?.includeDeclaration),
    );
  });

  onRequest(PrepareRenameRequest.type, async (params, token) => {
    await navigationReady();
    const ready = await prepare(params, token, true);
    if (!ready || ready instanceof ResponseError) return ready ?? null;
    return safe(null, () => prepareRename(navigationState, ready.document.uri, params.position));
  });

  onRequest(RenameRequest.type, async (params, token) => {
    await navigationReady();
    const ready = await prepare(params, token, true);
    if (ready instanceof ResponseError) return ready;
    if (typeof params.newName !== 'string') return invalidParams('newName must be a string.');
    if (!ready) return null;
    return safe(null, () =>
      rename(navigationState, ready.document.uri, params.position, params.newName, caps.documentChanges),
    );
  });

  onRequest(DocumentLinkRequest.type, async (params, token) => {
    await navigationReady();
    const ready = await prepare(params, token, false);
    if (!ready || ready instanceof ResponseError) return ready ?? null;
    return safe(null, () => documentLinks(navigationFor(ready.document), ready.document.uri));
  });

  onRequest(DefinitionRequest.type, async (params, token) => {
    await navigationReady();
    const ready = await prepare(params, token, true);
    if (!ready || ready instanceof ResponseError) return ready ?? null;
    const { document, offset } = ready;
    return safe(null, () =>
      toLspDefinition(
        definitionsAt(definitionProviders(document), document.uri, offset),
        (from, to) => ({ start: document.positionAt(from), end: document.positionAt(to) }),
        caps.definitionLinks,
      ),
    );
  });

  onRequest(InlayHintRequest.type, async (params, token) => {
    const range = (params as { range?: { start?: unknown; end?: unknown } } | null)?.range;
    if (
      !lifecycleError() &&
      uriOf(params) !== undefined &&
      !(isPosition(range?.start) && isPosition(range?.end))
    ) {
      return invalidParams('range must have a start and an end position.');
    }
    const ready = await prepare(params, token, false);
    if (!ready || ready instanceof ResponseError) return ready ?? [];
    const { document } = ready;
    return safe([], () =>
      inlayHintsFor(document, params.range, {
        // The last build even when the text has changed since: hints away from the edit stay while the user types.
        built: openResult(pathOf(document.uri)),
        ...(inlayHintDefaults && languageOf(document) === 'gunicorn'
          ? { defaults: { version: targetVersion().version } }
          : {}),
        markdown: caps.markdown,
      }),
    );
  });

  onRequest(CompletionRequest.type, async (params, token) => {
    const ready = await prepare(params, token, true);
    if (!ready || ready instanceof ResponseError) return ready ?? [];
    return safe([], () => {
      const { document, offset } = ready;
      const { entries, range: listRange } = modelOf(document).completions(offset, context(document));
      // Long lists (every directive of a section) send their documentation on completionItem/resolve, when an item
      // is shown: the list itself stays small enough to arrive within a few milliseconds.
      const lazy = entries.length > LAZY_DOCS_ABOVE;
      const generation = ++completionGeneration;
      // A lazy item names its entry by label (the index only for a repeated label), and clients that take a default
      // `data` get the generation once for the whole list.
      const indexByLabel = new Map<string, number>();
      if (lazy) lastCompletion = { entries, indexByLabel };
      const sharedData = lazy && caps.defaultData;
      // Every entry of a list usually replaces the same word: clients that take a default range get it once, and the
      // items shrink to their label, kind and text (a few hundred items then serialize in well under a millisecond).
      const firstRange = entries[0]?.range ?? listRange;
      const sharedRange =
        caps.defaultEditRange &&
        firstRange &&
        entries.every((entry) => {
          const range = entry.range ?? listRange;
          return range === firstRange || (range !== undefined && rangesEqual(range, firstRange));
        })
          ? firstRange
          : undefined;
      // Lists of directives are mostly snippets: clients that take a default format get it once.
      const snippets = caps.snippets;
      let snippetCount = 0;
      for (const entry of entries) if (entry.isSnippet) snippetCount++;
      const snippetsByDefault = caps.defaultInsertTextFormat && snippets && snippetCount > entries.length / 2;
      const items = entries.map((entry, index): CompletionItem => {
        const snippet = entry.isSnippet && snippets;
        const text = snippet ? entry.insertText : (entry.plainInsertText ?? entry.insertText);
        const item: CompletionItem = { label: entry.label, kind: COMPLETION_KIND[entry.kind] };
        if (!lazy) {
          const { detail, documentation } = describeEntry(entry);
          if (detail) item.detail = detail;
          if (documentation) item.documentation = documentationOf(documentation);
        } else if (entry.documentation || entry.detail || entry.describe) {
          if (indexByLabel.has(entry.label)) item.data = { generation, index };
          else {
            indexByLabel.set(entry.label, index);
            if (!sharedData) item.data = { generation };
          }
        }
        const range = entry.range ?? listRange;
        if (sharedRange) {
          if (text !== entry.label) item.textEditText = text;
        } else if (range) {
          item.textEdit = { range, newText: text };
        } else if (text !== entry.label) {
          item.insertText = text;
        }
        if (snippet !== snippetsByDefault) {
          item.insertTextFormat = snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
        }
        if (entry.sortText) item.sortText = entry.sortText;
        if (entry.filterText) item.filterText = entry.filterText;
        if (entry.deprecated) item.tags = [CompletionItemTag.Deprecated];
        return item;
      });
      if (!sharedRange && !sharedData && !snippetsByDefault) return items;
      return {
        isIncomplete: false,
        itemDefaults: {
          ...(sharedRange ? { editRange: sharedRange } : {}),
          ...(sharedData ? { data: { generation } } : {}),
          ...(snippetsByDefault ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
        },
        items,
      };
    });
  });

  connection.onCompletionResolve((item) =>
    safe(item, () => {
      const data = item.data as { generation?: unknown; index?: unknown } | undefined;
      if (!data || data.generation !== completionGeneration) return item;
      const index = typeof data.index === 'number' ? data.index : lastCompletion.indexByLabel.get(item.label);
      const entry = index === undefined ? undefined : lastCompletion.entries[index];
      const { detail, documentation } = entry ? describeEntry(entry) : {};
      return {
        ...item,
        ...(detail ? { detail } : {}),
        ...(documentation ? { documentation: documentationOf(documentation) } : {}),
      };
    }),
  );

  onRequest(FoldingRangeRequest.type, async (params, token) => {
    const ready = await prepare(params, token, false);
    if (!ready || ready instanceof ResponseError) return ready ?? [];
    return safe([], () =>
      modelOf(ready.document)
        .foldingRegions()
        .map((region) => ({ startLine: region.startLine, endLine: region.endLine })),
    );
  });

  onRequest(DocumentSymbolRequest.type, async (params, token) => {
    const ready = await prepare(params, token, false);
    if (!ready || ready instanceof ResponseError) return ready ?? [];
    const { document } = ready;
    return safe([], () => {
      const outline = modelOf(document).outline(context(document));
      return documentSymbolAnswer(outline, document.uri, caps.hierarchicalSymbols, caps.documentSymbolKinds);
    });
  });

  // Answered from the last deployment build (kept on this thread): a query never waits for a build in progress.
  onRequest(WorkspaceSymbolRequest.type, async (params, token) => {
    lastActivityAt = performance.now();
    const refused = lifecycleError();
    if (refused) return refused;
    await navigationReady();
    if (isCancelled(token)) return cancelledError();
    const query: unknown = (params as { query?: unknown } | null)?.query;
    if (typeof query !== 'string') return invalidParams('query must be a string.');
    return safe([], () =>
      toWorkspaceSymbols(
        queryWorkspaceSymbols(workspaceSymbolEntries, query, MAX_WORKSPACE_SYMBOL_RESULTS),
        caps.workspaceSymbolKinds,
      ),
    );
  });
  // Formatting: nginx and unit files (Gunicorn configs are Python: null, left to Python formatters).
  const formatHandler =
    (ranged: boolean) =>
    async (params: object, token: CancellationToken): Promise<TextEdit[] | ResponseError<void> | null> => {
      const ready = await prepare(params, token, false);
      if (!ready || ready instanceof ResponseError) return ready ?? null;
      const { document } = ready;
      return safe(null, () =>
        formattingEdits(document, languageOf(document), pathOf(document.uri), params, ranged),
      );
    };
  onRequest(DocumentFormattingRequest.type, formatHandler(false));
  onRequest(DocumentRangeFormattingRequest.type, formatHandler(true));

  onRequest(CodeActionRequest.type, async (params, token) => {
    const diagnostics: unknown = (params as { context?: { diagnostics?: unknown } } | null)?.context
      ?.diagnostics;
    if (!lifecycleError() && uriOf(params) !== undefined && !Array.isArray(diagnostics)) {
      return invalidParams('context.diagnostics must be an array.');
    }
    const ready = await prepare(params, token, false);
    if (!ready || ready instanceof ResponseError) return ready ?? [];
    const { document } = ready;
    let fresh: Finding[] | undefined;
    const actions: CodeAction[] = [];
    const only = (params as { context?: { only?: unknown } }).context?.only;
    if (wantsFixAll(only)) {
      // The document's own rules only: cross-file findings belong to the text the last build saw, and no
      // cross-file fix is safe (each one decides which side of a mismatch is right).
      const action = safe(undefined, () =>
        fixAllAction(document, (text) =>
          text === document.getText()
            ? finish(modelOf(document).analyzeSteps(context(document)))
            : parseAs(document, text).analyze(context(document)),
        ),
      );
      if (action) actions.push(action);
    }
    if (!wantsQuickFixes(only)) return actions;
    for (const diagnostic of diagnostics as Diagnostic[]) {
      if (isCancelled(token)) return cancelledError();
      // One malformed diagnostic (null, no range, a fix without edits) is skipped instead of emptying the answer.
      safe(undefined, () => {
        if (!diagnostic || diagnostic.source !== SOURCE) return;
        const data = diagnostic.data as { fixes?: unknown; version?: unknown } | undefined;
        let fixes = data?.fixes;
        // Fixes computed for another version of the text would edit the wrong characters: recompute those too.
        const stale = typeof data?.version === 'number' && data.version !== document.version;
        if (!Array.isArray(fixes) || stale) {
          // Clients without data support (or with stale data): recompute and match by rule and range.
          fresh ??= finish(analyzeSteps(document));
          const code =
            typeof diagnostic.code === 'object'
              ? String((diagnostic.code as { value: unknown }).value)
              : String(diagnostic.code);
          fixes =
            fresh.find(
              (f) =>
                f.rule === code &&
                f.range.start.line === diagnostic.range.start.line &&
                f.range.start.character === diagnostic.range.start.character,
            )?.fixes ?? [];
        }
        for (const fix of (fixes as unknown[]).filter(isFix)) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            ...(fix.isPreferred ? { isPreferred: true } : {}),
            edit: {
              changes: {
                [document.uri]: fix.edits,
                ...Object.fromEntries((fix.otherFiles ?? []).map((other) => [other.uri, other.edits])),
              },
            },
          });
        }
      });
    }
    return actions;
  });

  onRequest(ExecuteCommandRequest.type, async (params, token) => {
    const refused = lifecycleError();
    if (refused) return refused;
    if (typeof params?.command !== 'string') return invalidParams('command must be a string.');
    if (params.command === EXPLAIN_COMMAND) {
      const resolved = targetVersion();
      const options = {
        version: resolved.version,
        versionLabel: resolved.label,
        versionAssumed: resolved.assumed,
      };
      return answerExplain(deploymentHost, options, inWorkspace ? workspaceRoots : []);
    }
    if (params.command !== NEW_DEPLOYMENT_COMMAND) return undefined;
    const answer = await answerNewDeployment(connection, params.arguments, {
      roots: workspaceRoots,
      gunicornVersion: targetVersion().version.join('.'),
      token,
    });
    return 'cancelled' in answer ? cancelledError() : answer;
  });

  connection.onShutdown(() => {
    // Nothing runs after shutdown: pending diagnostics and the model rebuild are dropped, later requests refused.
    phase = 'shutdown';
    timers.forEach((timer) => clearTimeout(timer));
    timers.clear();
    clearTimeout(deploymentTimer);
    deploymentTicket++;
    deploymentHost.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

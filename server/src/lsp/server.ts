// The LSP layer: wires documents, settings and the analysis core to a connection. No Gunicorn, systemd or nginx
// knowledge here.

import { warmUpGunicorn } from '../languages/gunicorn/warmUp';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  InsertTextFormat,
  CompletionItemKind,
  MarkupKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type CodeAction,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CompletionEntry } from '../core/features';
import type { Finding, Fix, Severity } from '../core/findings';
import { DEFAULT_SETTINGS, resolveTargetVersion, type UserSettings } from '../core/settings';
import { SOURCE } from '../languages/gunicorn/analyze';
import { gunicornCatalog } from '../languages/gunicorn/catalog';
import { detectGunicornVersion } from '../languages/gunicorn/versionPin';
import { sourceKindOf } from '../deployment/launches';
import { buildDeploymentModel, type DeploymentModel } from '../deployment/model';
import { describeEffective, unmatchedConfigCandidates } from '../deployment/present';
import { DeploymentAnswerError, newDeployment, type DeploymentAnswers } from '../deployment/template';
import type { WorkspaceSource } from '../deployment/types';
import { indexNginxWorkspace, type NginxWorkspaceIndex } from '../languages/nginx/workspace';
import {
  allRules,
  commandSourceKindOf,
  detectLanguage,
  isNginxPath,
  parseDocument,
  type DocumentContext,
  type LanguageId,
  type ParsedDocument,
} from '../languages/registry';
import { listWorkspaceFiles, readTextFile } from '../workspaceFiles';
import { WorkspaceIndex } from './workspaceIndex';

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
};
const PIN_FILE =
  /^(requirements.*\.txt|pyproject\.toml|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|setup\.cfg)$/;
const DEBOUNCE_MS = 15;
/** workspace/executeCommand: writes a matching gunicorn.conf.py, .service, .socket and nginx site into a folder. */
export const NEW_DEPLOYMENT_COMMAND = 'gunicornConfig.server.newDeployment';
/** The deployment model is rebuilt this long after the last change (edits in any file can change it). */
const DEPLOYMENT_DEBOUNCE_MS = 200;

export function startServer(connection: Connection): void {
  // stdout is the protocol channel: anything printed must go to the client's log instead.
  // eslint-disable-next-line no-console -- redirecting, not printing
  console.log = connection.console.log.bind(connection.console);
  // eslint-disable-next-line no-console -- redirecting, not printing
  console.error = connection.console.error.bind(connection.console);

  const documents = new TextDocuments(TextDocument);
  const models = new Map<string, { version: number; hint: string; parsed: ParsedDocument }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const docsUrls = new Map(allRules.map((meta) => [meta.id, meta.docsUrl]));
  /** Unit files seen in the workspace (by name), for checks such as "the .socket this service requires exists". */
  let workspaceUnits: Set<string> | undefined;
  /** The workspace's nginx files as one configuration (includes, upstreams), built on demand until files change. */
  let nginxIndex: NginxWorkspaceIndex | undefined;
  /** Every deployment file of the workspace, kept current; the cross-file model is built from it. */
  let workspaceIndex: WorkspaceIndex | undefined;
  /** The last deployment model and the texts it was built from (by path), to know when its ranges still hold. */
  let deployment:
    { model: DeploymentModel; texts: Map<string, string>; uris: Map<string, string> } | undefined;
  let deploymentTimer: NodeJS.Timeout | undefined;
  let caps = {
    related: false,
    codeDescription: false,
    data: false,
    snippets: false,
    markdown: false,
    configuration: false,
  };
  let workspaceRoots: string[] = [];
  let settings: UserSettings = DEFAULT_SETTINGS;
  let pinCache: { version: string; source: string } | undefined | null = null;

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

  const pathOf = (uri: string): string =>
    safe(uri, () => (uri.startsWith('file:') ? fileURLToPath(uri) : uri));

  const languageOf = (document: TextDocument): LanguageId =>
    detectLanguage(pathOf(document.uri), document.languageId);

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

  const modelOf = (document: TextDocument): ParsedDocument => {
    const language = languageOf(document);
    const path = pathOf(document.uri);
    // An nginx file included from another one is parsed in the context of that include (e.g. inside `http`).
    const nginxRootContext = language === 'nginx' ? nginxWorkspace().includedAt(path)?.context : undefined;
    const commandSourceKind =
      language === 'commands' ? commandSourceKindOf(path, document.languageId) : undefined;
    const hint = `${nginxRootContext ?? ''}|${commandSourceKind ?? ''}`;
    const cached = models.get(document.uri);
    if (cached && cached.version === document.version && cached.hint === hint) return cached.parsed;
    const parsed = parseDocument(language, document.getText(), {
      ...(nginxRootContext ? { nginxRootContext } : {}),
      ...(commandSourceKind ? { commandSourceKind } : {}),
    });
    models.set(document.uri, { version: document.version, hint, parsed });
    return parsed;
  };

  /** Names of unit files in the workspace folders (two levels deep), read once until watched files change. */
  const unitsInWorkspace = (): Set<string> => {
    if (workspaceUnits) return workspaceUnits;
    const names = new Set<string>();
    const visit = (dir: string, depth: number): void => {
      for (const entry of safe([], () => readdirSync(dir, { withFileTypes: true }))) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        if (entry.isDirectory() && depth < 3) visit(join(dir, entry.name), depth + 1);
        else if (/\.(service|socket|timer|path|target)$/.test(entry.name)) names.add(entry.name);
      }
    };
    workspaceRoots.forEach((root) => visit(root, 0));
    for (const document of documents.all()) {
      const name = /[^/]+\.(service|socket|timer|path|target)$/.exec(document.uri)?.[0];
      if (name) names.add(decodeURIComponent(name));
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
          if (PIN_FILE.test(name)) {
            safe(undefined, () =>
              files.push({ path: name, text: readFileSync(join(dir, name), 'utf8').slice(0, 1_000_000) }),
            );
          }
        }
      }
    }
    pinCache = detectGunicornVersion(files, gunicornCatalog().versions);
    return pinCache;
  };

  const context = (document: TextDocument): DocumentContext => {
    const resolved = resolveTargetVersion(settings.gunicornVersion, workspacePin(), gunicornCatalog().latest);
    return {
      uri: document.uri,
      path: pathOf(document.uri),
      version: resolved.version,
      versionLabel: resolved.label,
      severity: settings.severity,
      // Only unit files look at other unit files; a Gunicorn config must not wait for a workspace scan.
      ...(workspaceRoots.length && modelOf(document).language === 'systemd'
        ? { workspaceUnits: unitsInWorkspace() }
        : {}),
      ...(modelOf(document).language === 'nginx'
        ? { nginxWorkspace: nginxWorkspace().factsFor(pathOf(document.uri)) }
        : {}),
    };
  };

  /** Cross-file findings for a document, only while the model was built from the text the editor shows. */
  const crossFileFindings = (document: TextDocument): Finding[] => {
    const path = pathOf(document.uri);
    if (!deployment || deployment.texts.get(path) !== document.getText()) return [];
    const uri = deployment.uris.get(path);
    return (uri && deployment.model.findings.get(uri)) || [];
  };

  const analyze = (document: TextDocument): Finding[] => {
    const own = modelOf(document).analyze(context(document));
    const crossFile = safe<Finding[]>([], () => crossFileFindings(document));
    if (!crossFile.length) return own;
    return [...own, ...crossFile].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  };

  const rebuildDeployment = (): void => {
    deploymentTimer = undefined;
    const index = workspaceIndex;
    if (!index) return;
    safe(undefined, () => {
      const resolved = resolveTargetVersion(
        settings.gunicornVersion,
        workspacePin(),
        gunicornCatalog().latest,
      );
      const options = {
        version: resolved.version,
        versionLabel: resolved.label,
        severity: settings.severity,
      };
      const sources = index.sources();
      // nginx files reached only through an include (proxy_params, snippets/*.conf) belong to the model too.
      if (sources.some((source) => source.kind === 'nginx')) {
        const known = new Set(sources.map((source) => source.path));
        for (const path of nginxWorkspace().paths) {
          const text = known.has(path) ? undefined : readTextFile(path);
          if (text !== undefined) sources.push({ uri: pathToFileURL(path).href, path, kind: 'nginx', text });
        }
      }
      let model = buildDeploymentModel(sources, options);
      // Files named by -c are Gunicorn configs whatever their name: read them and build again.
      const known = new Set(sources.map((source) => source.path));
      const extra = unmatchedConfigCandidates(model, index.allPaths(), known);
      if (extra.length) {
        for (const path of extra) {
          const text =
            documents
              .all()
              .find((d) => pathOf(d.uri) === path)
              ?.getText() ?? readTextFile(path);
          if (text !== undefined) {
            sources.push({ uri: pathToFileURL(path).href, path, kind: 'gunicorn', text });
          }
        }
        model = buildDeploymentModel(sources, options);
      }
      deployment = {
        model,
        texts: new Map(sources.map((source: WorkspaceSource) => [source.path, source.text])),
        uris: new Map(sources.map((source: WorkspaceSource) => [source.path, source.uri])),
      };
    });
    documents.all().forEach((d) => schedule(d.uri, 0));
  };

  /** "Effective in this deployment: …" for a setting or flag under the cursor, when the model knows more. */
  const effectiveLine = (document: TextDocument, offset: number, line: number): string | undefined => {
    const path = pathOf(document.uri);
    const uri = deployment?.uris.get(path);
    if (!deployment || !uri || deployment.texts.get(path) !== document.getText()) return undefined;
    const effective = deployment.model.effectiveAt(uri, offset);
    return effective ? describeEffective(effective, uri, line) : undefined;
  };

  const scheduleDeployment = (delay = DEPLOYMENT_DEBOUNCE_MS): void => {
    clearTimeout(deploymentTimer);
    deploymentTimer = setTimeout(rebuildDeployment, delay);
  };

  const toDiagnostic = (finding: Finding): Diagnostic => {
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
    diagnostic.data = { fixes: finding.fixes ?? [] };
    return diagnostic;
  };

  const validate = (uri: string): void => {
    const document = documents.get(uri);
    if (!document) return;
    const diagnostics = safe<Diagnostic[]>([], () => analyze(document).map(toDiagnostic));
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  };

  const schedule = (uri: string, delay = DEBOUNCE_MS): void => {
    clearTimeout(timers.get(uri));
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
    const answer = await Promise.race([
      connection.workspace.getConfiguration('gunicornConfig').catch(() => undefined),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 500)),
    ]);
    if (answer && typeof answer === 'object') {
      settings = {
        gunicornVersion: typeof answer.gunicornVersion === 'string' ? answer.gunicornVersion : 'auto',
        severity: answer.severity && typeof answer.severity === 'object' ? answer.severity : {},
      };
    }
    documents.all().forEach((d) => schedule(d.uri, 0));
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const text = params.capabilities.textDocument;
    caps = {
      related: !!text?.publishDiagnostics?.relatedInformation,
      codeDescription: !!text?.publishDiagnostics?.codeDescriptionSupport,
      data: !!text?.publishDiagnostics?.dataSupport,
      snippets: !!text?.completion?.completionItem?.snippetSupport,
      markdown: !!text?.hover?.contentFormat?.includes(MarkupKind.Markdown),
      configuration: !!params.capabilities.workspace?.configuration,
    };
    workspaceRoots = (params.workspaceFolders ?? [])
      .map((f) => safe('', () => fileURLToPath(f.uri)))
      .filter(Boolean);
    if (!workspaceRoots.length && params.rootUri) {
      workspaceRoots = [safe('', () => fileURLToPath(params.rootUri!))].filter(Boolean);
    }
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
        completionProvider: { triggerCharacters: ['"', "'", ' ', '(', '=', '[', '-', '$'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [NEW_DEPLOYMENT_COMMAND] },
      },
      serverInfo: { name: 'gunicorn-config', version: '0.1.0' },
    };
  });
  connection.onInitialized(() => {
    if (workspaceRoots.length) {
      workspaceIndex = new WorkspaceIndex(workspaceRoots, (path) => sourceKindOf(path));
      for (const document of documents.all()) {
        workspaceIndex.setOpen(document.uri, pathOf(document.uri), document.getText());
      }
      // Read in slices, so requests are answered while a big workspace is indexed.
      void workspaceIndex.scan().then(() => scheduleDeployment(0));
    }
    // Compile the hot paths while the editor is still busy starting up, so the first document's diagnostics are fast.
    setImmediate(() => safe(undefined, warmUpGunicorn));
    void refreshSettings();
  });
  connection.onDidChangeConfiguration(() => void refreshSettings());
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) workspaceIndex?.fileChanged(change.uri);
    scheduleDeployment();
    pinCache = null;
    workspaceUnits = undefined;
    nginxIndex = undefined;
    documents.all().forEach((d) => schedule(d.uri, 0));
  });

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
  });
  documents.onDidSave((e) => {
    if (languageOf(e.document) !== 'nginx') return;
    nginxIndex = undefined;
    documents
      .all()
      .forEach((d) => d.uri !== e.document.uri && languageOf(d) === 'nginx' && schedule(d.uri, 0));
  });
  documents.onDidChangeContent((e) => {
    workspaceIndex?.setOpen(e.document.uri, pathOf(e.document.uri), e.document.getText());
    if (workspaceIndex) scheduleDeployment();
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    if (workspaceIndex) {
      workspaceIndex.close(e.document.uri);
      scheduleDeployment();
    }
    models.delete(e.document.uri);
    clearTimeout(timers.get(e.document.uri));
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((params) =>
    safe(null, () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const offset = document.offsetAt(params.position);
      const result = modelOf(document).hover(offset, context(document));
      if (!result) return null;
      const effective = safe(undefined, () => effectiveLine(document, offset, params.position.line));
      const markdown = effective ? `${result.markdown}\n\n---\n\n${effective}` : result.markdown;
      return {
        contents: caps.markdown
          ? { kind: MarkupKind.Markdown, value: markdown }
          : { kind: MarkupKind.PlainText, value: markdown.replace(/[*`]/g, '') },
        ...(result.range ? { range: result.range } : {}),
      };
    }),
  );

  connection.onCompletion((params) =>
    safe([], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      return modelOf(document)
        .completions(document.offsetAt(params.position), context(document))
        .map((entry) => ({
          label: entry.label,
          kind: COMPLETION_KIND[entry.kind],
          ...(entry.detail ? { detail: entry.detail } : {}),
          ...(entry.documentation
            ? {
                documentation: caps.markdown
                  ? { kind: MarkupKind.Markdown, value: entry.documentation }
                  : entry.documentation,
              }
            : {}),
          insertText:
            entry.isSnippet && caps.snippets ? entry.insertText : (entry.plainInsertText ?? entry.insertText),
          insertTextFormat:
            entry.isSnippet && caps.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          ...(entry.sortText ? { sortText: entry.sortText } : {}),
          ...(entry.filterText ? { filterText: entry.filterText } : {}),
          ...(entry.deprecated ? { tags: [1] as 1[] } : {}),
        }));
    }),
  );

  connection.onCodeAction((params) =>
    safe<CodeAction[]>([], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      let fresh: Finding[] | undefined;
      const actions: CodeAction[] = [];
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== SOURCE) continue;
        let fixes = (diagnostic.data as { fixes?: Fix[] } | undefined)?.fixes;
        if (!Array.isArray(fixes)) {
          // Clients without data support: recompute and match by rule and range.
          fresh ??= analyze(document);
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
        for (const fix of fixes) {
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
      }
      return actions;
    }),
  );

  connection.onExecuteCommand(async (params) => {
    if (params.command !== NEW_DEPLOYMENT_COMMAND) return undefined;
    const [answers, folderUri] = (params.arguments ?? []) as [
      Partial<DeploymentAnswers> | undefined,
      string?,
    ];
    const folder = folderUri ?? (workspaceRoots[0] ? pathToFileURL(workspaceRoots[0]).href : undefined);
    if (!folder || !answers) return { error: 'Give the answers and a folder (or open a workspace folder).' };
    let files;
    try {
      const resolved = resolveTargetVersion(
        settings.gunicornVersion,
        workspacePin(),
        gunicornCatalog().latest,
      );
      files = newDeployment({
        ...answers,
        gunicornVersion: answers.gunicornVersion ?? resolved.version.join('.'),
      } as DeploymentAnswers);
    } catch (error) {
      if (error instanceof DeploymentAnswerError) return { error: error.problems.join(' ') };
      throw error;
    }
    const base = folder.replace(/\/$/, '');
    const uris = files.map((file) => `${base}/${file.path.split('/').map(encodeURIComponent).join('/')}`);
    // Create every file (never overwriting one), then fill it; the client applies all of it or nothing.
    const applied = await connection.workspace.applyEdit({
      label: 'New Gunicorn deployment',
      edit: {
        documentChanges: [
          ...uris.map((uri) => ({
            kind: 'create' as const,
            uri,
            options: { overwrite: false, ignoreIfExists: false },
          })),
          ...files.map((file, i) => ({
            textDocument: { uri: uris[i]!, version: null },
            edits: [
              {
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                newText: file.text,
              },
            ],
          })),
        ],
      },
    });
    return applied.applied
      ? { files: uris }
      : {
          error:
            applied.failureReason ??
            'The editor did not apply the edit (does one of the files exist already?).',
        };
  });

  documents.listen(connection);
  connection.listen();
}

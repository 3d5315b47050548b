// Builds the deployment model for the server, in a worker thread when one can be started (so a big workspace never
// blocks hovers and completions), else in-process. Only plain data comes back, so hovers never wait for the worker.

import type * as WorkerThreads from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../core/findings';
import { explainDeployments, type ExplainReport } from '../deployment/explain';
import {
  buildDeploymentModel,
  MAX_MODELLED_SOURCES,
  type DeploymentOptions,
  type EffectiveSites,
} from '../deployment/model';
import { gunicornFactsForNginx, unmatchedConfigCandidates } from '../deployment/present';
import { appHoverSites, type AppHoverSite } from '../deployment/appHover';
import {
  appCompletionScopes,
  appDefinitionSites,
  type AppCompletionScope,
} from '../deployment/appEditorSites';
import type { DefinitionSite } from '../core/definitions';
import type { NavigationIndex } from '../core/navigation';
import { navigationIndex } from '../deployment/navigationSites';
import { unreadAppModules } from '../deployment/appTarget';
import { nearestFirst, nearestSlice } from '../deployment/nearness';
import type { WorkspaceSource } from '../deployment/types';
import { workspaceSymbols, type WorkspaceSymbolEntry } from '../deployment/workspaceSymbols';
import { nginxImagesIn, type NginxImageFound } from '../languages/commands/nginxImage';
import { isNginxPath } from '../languages/nginx/paths';
import type { NginxContext } from '../languages/nginx/catalogTypes';
import type { NginxModuleFacts, NginxStaticModules } from '../languages/nginx/moduleFacts';
import { NginxIndexMemo, type NginxWorkspaceIndex } from '../languages/nginx/workspace';
import { readTextFile } from '../workspaceFiles';
import { startDeploymentWorker, takePrestartedWorker, workerThreads } from './deploymentWorker';
import { sourceKindOf } from '../languages/sourceKinds';
import { MAX_BYTES, WorkspaceIndex } from './workspaceIndex';

export interface DeploymentBuildInput {
  sources: WorkspaceSource[];
  options: DeploymentOptions;
  /** Every file path of the workspace, for `include` globs and `-c FILE` names. */
  allPaths: readonly string[];
  /** Files open in the editor: the result says something per file only about these (see `open`). */
  openPaths: readonly string[];
  /**
   * `sources` by path (the last of a path when several have it), when the host keeps them so (the workspace index):
   * a build of the whole workspace then makes no map of its own (10,000 entries on every build of a big workspace).
   */
  sourceAt?: (path: string) => WorkspaceSource | undefined;
  /** Reads an app module a launch names (the index keeps them); by default straight from the disk. */
  readModule?: (path: string) => WorkspaceSource | undefined;
  /** Also render the explain data (Show Effective Configuration), with paths relative to this folder. */
  explainRoot?: string;
  /** Model only this many sources nearest the open files (see `nearestSlice`): a first look at a big workspace. */
  nearestOnly?: number;
}

/** What the server keeps of a build: plain data, so it crosses the thread boundary. */
export interface DeploymentBuildResult {
  /**
   * What the server shows for each file open in the editor, all of it valid only for the text the model was built from
   * (the server compares it with what the editor shows): cross-file findings, and where hovers add an effective value
   * (so a hover needs no round trip to a builder that may be busy with the next build). Nothing for the workspace's
   * other files: it would cross to the main thread, and be collected there, for nothing.
   */
  open: OpenFileResult[];
  /** Workspace files some launch loads as its Gunicorn config (`-c FILE`), whatever their names. */
  configPaths: string[];
  gunicornAddresses: string[];
  gunicornWorkerClass?: string;
  /** Per nginx file: the context its includer puts it in, and what its rules need from the other files. */
  nginx: {
    path: string;
    includedInto?: NginxContext;
    upstreams: string[];
    includeCycles?: { line: number; target: string }[];
    modules?: NginxModuleFacts;
    staticModules?: NginxStaticModules;
  }[];
  /** nginx images the workspace's Dockerfiles and compose files run (their versions decide the nginx target). */
  nginxImages: NginxImageFound[];
  /** Every deployment's effective configuration, when the input asked for it. */
  explain?: ExplainReport;
  /** The model's bound: how many files it holds and which it left out (the farthest from the open files). */
  bounds: ModelBounds;
}

/**
 * What a build makes after its findings are out: navigation and symbols wait for them (a build's findings are what
 * the user is waiting for; the next Go to Definition or Ctrl+T waits for these instead).
 */
export interface DeploymentBuildExtras {
  /** Where every upstream, unit, address and path of the workspace is written (definition, references, rename, links). */
  navigation: NavigationIndex;
  /** Launches, units, upstreams, server names and configs, for workspace/symbol (answered on the main thread). */
  symbols: WorkspaceSymbolEntry[];
}

export interface ModelBounds {
  modelled: number;
  leftOut: number;
  /** A few of the files left out, for the log. */
  examples: string[];
}

export interface OpenFileResult {
  path: string;
  /** The file's URI in the model (its findings' and sites' ranges refer to it). */
  uri: string;
  text: string;
  findings: Finding[];
  effective?: EffectiveSites;
  /** Hovers of the app specs written in this file (module, name, app kind). */
  apps?: AppHoverSite[];
  /** Go to Definition from the app specs written in this file (offsets in `text`). */
  definitions?: DefinitionSite[];
  /** Modules each launch of this file can import, for completing an app spec (used even after edits: by line). */
  appScopes?: AppCompletionScope[];
}

/**
 * A first build of a workspace with more deployment files than this models the nearest ones first and sends what the
 * open files show from them, then builds the whole model: its first build runs cold code (about 0.3 ms a file), and
 * an open file's own deployment sits among the files nearest it (its folder, the files it names, the folders above).
 */
export const FIRST_LOOK_SOURCES = 120;

/**
 * How long the worker waits after a build, with no request, before it makes that build's extras: long enough that
 * a user typing (a build every 50–100 ms) never pays for extras nobody asked for.
 */
const EXTRAS_WHEN_IDLE_MS = 150;

/** The include index of the last build, made again only when an nginx file or the workspace's listing changed. */
const nginxIndexes = new NginxIndexMemo();

/** The whole build at once (the CLI's explain and tests): findings and the extras together. */
export function buildDeployment(input: DeploymentBuildInput): DeploymentBuildResult & DeploymentBuildExtras {
  const { result, extras } = buildDeploymentInParts(input);
  return { ...result, ...extras() };
}

/** The build's files by path: the ones it was given (through the host's lookup, or a map) and the ones it adds. */
interface SourcesByPath {
  get(path: string): WorkspaceSource | undefined;
  has(path: string): boolean;
  add(source: WorkspaceSource): void;
}

function sourcesByPath(
  given: readonly WorkspaceSource[],
  lookup: ((path: string) => WorkspaceSource | undefined) | undefined,
): SourcesByPath {
  const added = new Map<string, WorkspaceSource>();
  if (!lookup) for (const source of given) added.set(source.path, source);
  const get = (path: string): WorkspaceSource | undefined => added.get(path) ?? lookup?.(path);
  return {
    get,
    has: (path) => get(path) !== undefined,
    add: (source) => void added.set(source.path, source),
  };
}

/**
 * Reads a path once: a source's own text, else the disk. Made outside the build's scope: the nginx include index
 * keeps its reader (for later questions), and a closure made in the build would keep the build's whole scope with it,
 * the model included (found in a heap snapshot: the previous model, 3.8 MB at 2,000 files, alive through the next).
 */
function textReader(byPath: SourcesByPath): (path: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (path) => {
    const source = byPath.get(path);
    if (source) return source.text;
    if (!texts.has(path)) texts.set(path, readTextFile(path));
    return texts.get(path);
  };
}

/**
 * Builds the model; nginx files reached only through an include and files named by `-c` are read and added. The
 * extras (navigation, symbols) are made when asked for, from the same model, after the result has been sent.
 */
export function buildDeploymentInParts(input: DeploymentBuildInput): {
  result: DeploymentBuildResult;
  extras: () => DeploymentBuildExtras;
} {
  const sources =
    input.nearestOnly === undefined
      ? [...input.sources]
      : nearestSlice(input.sources, input.openPaths, input.nearestOnly);
  // Each file is read once: the sources' own texts first (read when first asked for), then the disk (include
  // targets, -c files).
  // A first look holds a slice of the sources: only those are its own (the host's lookup knows them all).
  const byPath = sourcesByPath(sources, input.nearestOnly === undefined ? input.sourceAt : undefined);
  const add = (source: WorkspaceSource): void => {
    sources.push(source);
    byPath.add(source);
  };
  const textOf = textReader(byPath);
  // Sources only grow during a build (include targets, -c files, app modules): the order is made again only then.
  let order: { count: number; sources: WorkspaceSource[] } | undefined;
  const nearest = (): WorkspaceSource[] => {
    if (order?.count !== sources.length) {
      order = { count: sources.length, sources: nearestFirst(sources, input.openPaths) };
    }
    return order.sources;
  };
  let nginx: NginxWorkspaceIndex | undefined;
  // The include index starts from the nginx files the model can hold (nearest the open files first): a file past
  // the bound would be parsed for nothing.
  const seeds = nearest()
    .slice(0, MAX_MODELLED_SOURCES)
    .filter((s) => s.kind === 'nginx' || isNginxPath(s.path))
    .map((s) => s.path);
  if (seeds.length) {
    nginx = nginxIndexes.index({
      seeds,
      allPaths: input.allPaths,
      read: textOf,
    });
    for (const path of nginx.paths) {
      const text = byPath.has(path) ? undefined : textOf(path);
      if (text !== undefined) add({ uri: pathToFileURL(path).href, path, kind: 'nginx', text });
    }
  }
  const listing = { paths: input.allPaths };
  // Only the open files' findings leave this function (see `open` below): rules judge only what can land there. The
  // explain page shows every deployment's settings, with what their dependency files say: it judges them all.
  const openPaths = new Set(input.openPaths);
  const wanted = (): ReadonlySet<string> | undefined =>
    input.explainRoot === undefined
      ? new Set(sources.filter((source) => openPaths.has(source.path)).map((source) => source.uri))
      : undefined;
  let model = buildDeploymentModel(nearest(), input.options, listing, wanted());
  const extra = unmatchedConfigCandidates(model, input.allPaths, byPath);
  if (extra.length) {
    for (const path of extra) {
      const text = textOf(path);
      if (text !== undefined) add({ uri: pathToFileURL(path).href, path, kind: 'gunicorn', text });
    }
    model = buildDeploymentModel(nearest(), input.options, listing, wanted());
  }
  // The app modules launches name are read only now that the model says which (a few files, not every .py).
  const readModule =
    input.readModule ??
    ((path: string): WorkspaceSource | undefined => {
      const text = readTextFile(path, MAX_BYTES);
      return text === undefined ? undefined : { uri: pathToFileURL(path).href, path, kind: 'python', text };
    });
  let rebuild = false;
  for (const path of unreadAppModules(model.appTargets())) {
    const module = byPath.has(path) ? undefined : readModule(path);
    if (!module) continue;
    add(module);
    rebuild = true;
  }
  if (rebuild) model = buildDeploymentModel(nearest(), input.options, listing, wanted());
  // Files requirement files include under other names (`-r common.pip`): read each build (a few small files, so they
  // are always current without file events of their own).
  const included = model.unreadDependencyFiles().filter((path) => !byPath.has(path));
  for (const path of included) {
    const text = readTextFile(path, MAX_BYTES);
    if (text !== undefined) add({ uri: pathToFileURL(path).href, path, kind: 'dependencies', text });
  }
  if (included.length) {
    model = buildDeploymentModel(nearest(), input.options, listing, wanted());
  }
  const facts = gunicornFactsForNginx(model);
  // Symbols, navigation and images cover what the model holds: the files it left out would be parsed for them alone.
  const leftOut = new Set(model.leftOut);
  // (A source without a text could not be read: the model skipped it.)
  const modelled = sources.filter(
    (source) => !leftOut.has(source.path) && typeof (source.text as string | undefined) === 'string',
  );
  const result: DeploymentBuildResult = {
    ...(input.explainRoot !== undefined
      ? {
          explain: explainDeployments(model, {
            root: input.explainRoot,
            versionLabel: input.options.versionLabel,
          }),
        }
      : {}),
    open: sources
      .filter((source) => openPaths.has(source.path))
      .map(({ path, uri, text }): OpenFileResult => {
        const effective = model.effectiveSites(uri);
        const apps = appHoverSites(model, uri);
        const definitions = appDefinitionSites(model, uri, text, (file) => pathToFileURL(file).href);
        const appScopes = appCompletionScopes(model, uri, path);
        return {
          path,
          uri,
          text,
          findings: model.findings.get(uri) ?? [],
          ...(effective.spans.length ? { effective } : {}),
          ...(apps.length ? { apps } : {}),
          ...(definitions.length ? { definitions } : {}),
          ...(appScopes.length ? { appScopes } : {}),
        };
      }),
    nginxImages: nginxImagesIn(modelled),
    bounds: {
      modelled: sources.length - model.leftOut.length,
      leftOut: model.leftOut.length,
      examples: model.leftOut.slice(0, 5),
    },
    configPaths: model.deployments.flatMap((d) => (d.config ? [d.config.path] : [])),
    gunicornAddresses: [...(facts.gunicornAddresses ?? [])],
    ...(facts.gunicornWorkerClass ? { gunicornWorkerClass: facts.gunicornWorkerClass } : {}),
    nginx: (nginx?.paths ?? []).map((path) => {
      const includedInto = nginx!.includedAt(path)?.context;
      const fileFacts = nginx!.factsFor(path);
      return {
        path,
        ...(includedInto ? { includedInto } : {}),
        upstreams: [...(fileFacts.upstreams ?? [])],
        ...(fileFacts.includeCycles ? { includeCycles: [...fileFacts.includeCycles] } : {}),
        ...(fileFacts.modules ? { modules: fileFacts.modules } : {}),
        ...(fileFacts.staticModules ? { staticModules: fileFacts.staticModules } : {}),
      };
    }),
  };
  const extras = (): DeploymentBuildExtras => ({
    symbols: workspaceSymbols(model, modelled),
    navigation: navigationIndex({
      model,
      sources: modelled,
      allPaths: input.allPaths,
      uriOf: uriByPath(modelled),
    }),
  });
  return { result, extras };
}

/** A file's URI: the model's own for its sources (so sites and targets agree), else made from the path. */
function uriByPath(sources: readonly WorkspaceSource[]): (path: string) => string {
  const uris = new Map(sources.map((source) => [source.path, source.uri]));
  return (path) => uris.get(path) ?? pathToFileURL(path).href;
}

/** What the server tells the side that owns the workspace index (the worker, or the in-process fallback), in order. */
type Request =
  /** Index these workspace folders (read every deployment file once). */
  | { kind: 'scan'; roots: string[] }
  /** The editor's text of an open file, which wins over the disk. */
  | { kind: 'open'; uri: string; path: string; text: string }
  | { kind: 'close'; uri: string }
  /** Watched files changed on disk. */
  | { kind: 'changed'; uris: string[] }
  | { kind: 'build'; id: number; options: DeploymentOptions; openPaths: string[] }
  /** The navigation index and symbols of build `build`, made on first request from that build's model. */
  | { kind: 'extras'; id: number; build: number }
  /** A build for the explain page only: never supersedes nor is superseded by the builds that feed diagnostics. */
  | { kind: 'explain'; id: number; options: DeploymentOptions; root: string };
type Reply = {
  id: number;
  result?: DeploymentBuildResult;
  /**
   * Before a cold first build's answer, what the files nearest the open ones already show (see FIRST_LOOK_SOURCES):
   * the open files' results only. The build's answer follows.
   */
  firstLook?: OpenFileResult[];
  superseded?: boolean;
  error?: string;
  /** The reply to an extras request: the extras, or none when that build is no longer the last one. */
  extras?: DeploymentBuildExtras;
};

/**
 * A build's extras: made from its model when first asked for (or when the worker is idle), then kept until they are
 * sent. The server asks once per build and keeps the answer, so the backend lets them go once sent, and the model
 * (which only `make` still holds) once they are made: at 2,000 files the two were 2.3 MB kept twice over.
 */
interface LastBuild {
  id: number;
  make: (() => DeploymentBuildExtras) | undefined;
  made?: DeploymentBuildExtras;
}

/**
 * Extras as they come from the worker, with one string for each distinct URI, key, role, kind and container of its
 * sites and symbols: a copy across threads gives every site its own copy of its file's URI, and the server keeps the
 * extras (at 2,000 files the copies were 0.6 MB).
 */
export function withSharedStrings(extras: DeploymentBuildExtras): DeploymentBuildExtras {
  const strings = new Map<string, string>();
  const one = <T extends string>(value: T): T => {
    const known = strings.get(value);
    if (known !== undefined) return known as T;
    strings.set(value, value);
    return value;
  };
  for (const site of extras.navigation.sites) {
    site.uri = one(site.uri);
    site.key = one(site.key);
    site.role = one(site.role);
  }
  for (const symbol of extras.symbols) {
    symbol.uri = one(symbol.uri);
    symbol.kind = one(symbol.kind);
    if (symbol.container !== undefined) symbol.container = one(symbol.container);
  }
  return extras;
}

/** The extras of `last`, made now if the idle worker has not made them yet; the model goes either way. */
function extrasOf(last: LastBuild): DeploymentBuildExtras {
  last.made ??= last.make!();
  last.make = undefined;
  return last.made;
}

/**
 * The workspace index and the builds made from it. It lives where the builds run, so the server's main thread never
 * reads workspace files nor copies their texts to the worker: a build request carries only the options. Requests are
 * applied one at a time in the order sent (a build waits for the scan before it).
 */
class DeploymentBackend {
  constructor(private readonly inWorker: boolean) {}

  private index: WorkspaceIndex | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** The newest build asked for: an older one still waiting in the queue is answered as superseded, unbuilt. */
  private newestBuild = 0;
  /** Whether a build was made: only the first (cold) one of a big workspace takes a first look. */
  private built = false;
  /** The last build's extras, made when first asked for (its model is kept until they are made), until sent. */
  private lastBuild: LastBuild | undefined;

  /** Makes the last build's extras once the worker has been idle a while (see EXTRAS_WHEN_IDLE_MS). */
  private idleExtras: NodeJS.Timeout | undefined;

  /**
   * Once nothing else has come for a while, the extras are made ahead of the first request that needs them (Ctrl+T,
   * Go to Definition): it then waits only for their copy, not for their making. A method of its own: a timer made in
   * `handle` would share the scope of the build's input, which the kept steps hold, and keep every build's extras.
   */
  private makeExtrasWhenIdle(last: LastBuild): void {
    this.idleExtras = setTimeout(() => {
      if (this.lastBuild === last) extrasOf(last);
    }, EXTRAS_WHEN_IDLE_MS);
    this.idleExtras.unref();
  }

  /** Applies a request after the ones before it; builds, extras and explains answer through `answer`. */
  handle(request: Request, answer: (reply: Reply) => void = () => undefined): Promise<void> {
    // Any request comes first: the idle work waits for the next quiet moment.
    clearTimeout(this.idleExtras);
    if (request.kind === 'build') this.newestBuild = Math.max(this.newestBuild, request.id);
    // A build that throws still answers (the host then stops waiting for it and for its extras).
    const next = this.queue
      .then(() => this.apply(request, answer))
      .catch((error: unknown) => {
        if (request.kind !== 'build' && request.kind !== 'explain' && request.kind !== 'extras') return;
        answer({
          id: request.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends what the open files show from the files nearest them, when the workspace is big enough to be worth it. */
  private firstLook(input: DeploymentBuildInput, id: number, answer: (reply: Reply) => void): void {
    if (input.sources.length <= FIRST_LOOK_SOURCES) return;
    try {
      const { open } = buildDeploymentInParts({ ...input, nearestOnly: FIRST_LOOK_SOURCES }).result;
      answer({ id, firstLook: open });
    } catch {
      // The whole build follows at once and reports its own failure, if it fails too.
    }
  }

  private async apply(request: Request, answer: (reply: Reply) => void): Promise<void> {
    switch (request.kind) {
      case 'scan':
        // In the worker nothing waits for the scan (requests queue behind it anyway): no slices there.
        this.index = new WorkspaceIndex(
          request.roots,
          (path) => sourceKindOf(path),
          this.inWorker ? Infinity : undefined,
        );
        await this.index.scan();
        return;
      case 'open':
        this.index?.setOpen(request.uri, request.path, request.text);
        return;
      case 'close':
        this.index?.close(request.uri);
        return;
      case 'changed':
        for (const uri of request.uris) {
          try {
            this.index?.fileChanged(uri);
          } catch {
            // One odd event (a path that cannot be read) must not drop the others.
          }
        }
        return;
      case 'build': {
        const { id } = request;
        if (id < this.newestBuild) return answer({ id, superseded: true });
        const index = this.index;
        if (!index) return answer({ id, error: 'no workspace index' });
        // The previous model goes before the next is built: two at once would double the peak memory.
        this.lastBuild = undefined;
        const input: DeploymentBuildInput = {
          sources: index.sources(),
          sourceAt: (path) => index.sourceAt(path),
          options: request.options,
          allPaths: index.allPaths(),
          openPaths: request.openPaths,
          readModule: (path) => index.appModule(path),
        };
        // In-process the first look would only delay the build's answer (the thread is busy until both are made).
        if (this.inWorker && !this.built && request.openPaths.length) this.firstLook(input, id, answer);
        this.built = true;
        const { result, extras } = buildDeploymentInParts(input);
        const last: LastBuild = { id, make: extras };
        this.lastBuild = last;
        answer({ id, result });
        if (this.inWorker) this.makeExtrasWhenIdle(last);
        return;
      }
      case 'extras': {
        const last = this.lastBuild;
        if (last?.id !== request.build) return answer({ id: request.id });
        const extras = extrasOf(last);
        this.lastBuild = undefined;
        return answer({ id: request.id, extras });
      }
      case 'explain': {
        const index = this.index;
        if (!index) return answer({ id: request.id, error: 'no workspace index' });
        const result = buildDeployment({
          sources: index.sources(),
          sourceAt: (path) => index.sourceAt(path),
          options: request.options,
          allPaths: index.allPaths(),
          openPaths: [],
          readModule: (path) => index.appModule(path),
          explainRoot: request.root,
        });
        return answer({ id: request.id, result });
      }
    }
  }
}

/** The error a pending build gets when the worker stops; the host then builds in-process. */
const WORKER_STOPPED = 'worker stopped';

/**
 * Makes this thread yield the CPU to the server's main thread (and the editor) when both want it: the model is
 * background work, and on a 2-core machine an indexing worker at equal priority delays hovers and completions by a
 * scheduler time slice. Linux only (a thread id is a valid target for setpriority there); elsewhere a no-op.
 */
function lowerThreadPriority(): void {
  try {
    const threadId = Number(/\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    if (threadId > 0) setPriority(threadId, 10);
  } catch {
    // No /proc (not Linux) or not permitted: the worker runs at normal priority.
  }
}

/** The worker's loop (server/src/worker.ts): applies the server's requests in order and answers builds. */
export function runDeploymentWorker(): void {
  const { parentPort } = workerThreads();
  // Run as a plain script (no server thread to serve), there is nothing to do.
  if (!parentPort) return;
  lowerThreadPriority();
  const backend = new DeploymentBackend(true);
  parentPort.on('message', (request: Request) => {
    void backend.handle(request, (reply) => parentPort.postMessage(reply));
  });
}

/**
 * The server's handle on the deployment model: a worker thread when possible, the same backend in-process otherwise
 * (also when the worker stops: the in-process backend is given the folders and open files again).
 */
export class DeploymentHost {
  private worker: WorkerThreads.Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private local: DeploymentBackend | undefined;
  /** What a fresh backend must be told to catch up: the folders and the open files' texts. */
  private roots: string[] | undefined;
  private readonly openTexts = new Map<string, { path: string; text: string }>();
  /** Open files whose text changed since the last build: sent with the next build, not on every keystroke. */
  private readonly unsent = new Set<string>();

  constructor(
    /** The worker's script (dist/worker.js beside dist/server.js); none means in-process from the start. */
    private readonly script: string | undefined,
    private readonly log: (message: string) => void,
  ) {}

  private ensureWorker(): WorkerThreads.Worker | undefined {
    if (this.worker || this.failed || !this.script) return this.worker;
    try {
      const prestarted = takePrestartedWorker(this.script);
      const worker = prestarted?.worker ?? startDeploymentWorker(this.script);
      // Each request is answered once (a build's extras are a request of their own).
      worker.on('message', (reply: Reply) => {
        const handle = this.pending.get(reply.id);
        // A build's first look comes before its answer.
        if (!reply.firstLook) this.pending.delete(reply.id);
        handle?.(reply);
      });
      const fail = (why: string): void => {
        if (this.failed) return;
        this.log(`gunicorn-config: deployment worker stopped (${why}); building in-process from now on.`);
        this.failed = true;
        this.worker = undefined;
        const handlers = [...this.pending.values()];
        this.pending.clear();
        for (const handle of handlers) handle({ id: -1, error: WORKER_STOPPED });
      };
      worker.on('error', (error) => fail(error.message));
      worker.on('exit', (code) => code !== 0 && fail(`exit code ${code}`));
      this.worker = worker;
      // A prestarted worker that already stopped: the requests go in-process from the first.
      if (prestarted?.failure) fail(prestarted.failure);
    } catch (error) {
      this.failed = true;
      this.log(
        `gunicorn-config: no deployment worker (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    return this.worker;
  }

  /** The in-process backend, caught up with the folders and open files the worker had been told about. */
  private localBackend(): DeploymentBackend {
    if (this.local) return this.local;
    const local = new DeploymentBackend(false);
    if (this.roots) void local.handle({ kind: 'scan', roots: this.roots });
    for (const [uri, { path, text }] of this.openTexts) void local.handle({ kind: 'open', uri, path, text });
    this.local = local;
    return local;
  }

  /** Sends a request; the answer to a build, extras or explain request goes to `onReply`. */
  private send(request: Request, onReply?: (reply: Reply) => void): void {
    const worker = this.ensureWorker();
    if (!worker) {
      void this.localBackend().handle(request, onReply);
      return;
    }
    if (onReply && (request.kind === 'build' || request.kind === 'explain' || request.kind === 'extras')) {
      this.pending.set(request.id, onReply);
    }
    worker.postMessage(request);
  }

  /** Starts the worker (if there is to be one) and its indexing of the workspace folders; builds wait for the scan. */
  scan(roots: readonly string[]): void {
    this.roots = [...roots];
    this.send({ kind: 'scan', roots: this.roots });
  }

  /** An open file's current text (a text too large to model closes it instead, as the index would). */
  open(uri: string, path: string, text: string): void {
    if (text.length > MAX_BYTES) return this.close(uri);
    this.openTexts.set(uri, { path, text });
    this.unsent.add(uri);
  }

  close(uri: string): void {
    this.openTexts.delete(uri);
    this.unsent.delete(uri);
    this.send({ kind: 'close', uri });
  }

  changed(uris: readonly string[]): void {
    if (uris.length) this.send({ kind: 'changed', uris: [...uris] });
  }

  /** Sends the editor's texts that changed since the last request. */
  private flushOpen(): void {
    for (const uri of this.unsent) {
      const open = this.openTexts.get(uri);
      if (open) this.send({ kind: 'open', uri, ...open });
    }
    this.unsent.clear();
  }

  /**
   * The model of the workspace as now known; undefined when a newer build was asked for meanwhile. Its extras
   * (navigation, symbols) are made when first asked for: undefined once a newer build has started, or on failure.
   */
  async build(
    options: DeploymentOptions,
    openPaths: readonly string[],
    /** What the open files show from the files nearest them, when a cold build of a big workspace sends it first. */
    onFirstLook?: (open: OpenFileResult[]) => void,
  ): Promise<
    { result: DeploymentBuildResult; extras: () => Promise<DeploymentBuildExtras | undefined> } | undefined
  > {
    this.flushOpen();
    const id = ++this.nextId;
    const reply = await new Promise<Reply>((resolve) =>
      this.send({ kind: 'build', id, options, openPaths: [...openPaths] }, (answer) =>
        answer.firstLook ? onFirstLook?.(answer.firstLook) : resolve(answer),
      ),
    );
    if (reply.error === WORKER_STOPPED) return this.build(options, openPaths, onFirstLook);
    if (reply.error) throw new Error(reply.error);
    if (!reply.result) return undefined;
    let extras: Promise<DeploymentBuildExtras | undefined> | undefined;
    return {
      result: reply.result,
      extras: () =>
        (extras ??= this.ask({ kind: 'extras', id: ++this.nextId, build: id }).then(
          (answer) => answer.extras && withSharedStrings(answer.extras),
        )),
    };
  }

  /** Sends a request that is answered once, and waits for its answer. */
  private ask(request: Extract<Request, { id: number }>): Promise<Reply> {
    return new Promise<Reply>((resolve) => this.send(request, resolve));
  }

  /** Every deployment's effective configuration, from a build of its own (the diagnostics' builds are left alone). */
  async explain(options: DeploymentOptions, root: string): Promise<ExplainReport | undefined> {
    this.flushOpen();
    const reply = await this.ask({ kind: 'explain', id: ++this.nextId, options, root });
    if (reply.error === WORKER_STOPPED) return this.explain(options, root);
    if (reply.error) throw new Error(reply.error);
    return reply.result?.explain;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

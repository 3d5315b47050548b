// Builds the deployment model for the server, in a worker thread when one can be started (so a big workspace never
// blocks hovers and completions), else in-process. The worker holds the model and answers effective-value queries.

import type * as WorkerThreads from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../core/findings';
import { buildDeploymentModel, type DeploymentModel, type DeploymentOptions } from '../deployment/model';
import { describeEffective, gunicornFactsForNginx, unmatchedConfigCandidates } from '../deployment/present';
import type { WorkspaceSource } from '../deployment/types';
import { isNginxPath } from '../languages/nginx/paths';
import type { NginxContext } from '../languages/nginx/catalogTypes';
import { indexNginxWorkspace, type NginxWorkspaceIndex } from '../languages/nginx/workspace';
import { readTextFile } from '../workspaceFiles';

export interface DeploymentBuildInput {
  sources: WorkspaceSource[];
  options: DeploymentOptions;
  /** Every file path of the workspace, for `include` globs and `-c FILE` names. */
  allPaths: readonly string[];
  /** Files open in the editor: only their texts come back with the result (see `sources`). */
  openPaths: readonly string[];
}

/** What the server keeps of a build: plain data, so it crosses the thread boundary. */
export interface DeploymentBuildResult {
  findings: [uri: string, findings: Finding[]][];
  /**
   * Every source the model was built from, by path; the text only for files open in the editor (the server compares
   * it with what the editor shows, and a workspace's other texts would cross the thread boundary for nothing).
   */
  sources: { path: string; uri: string; text?: string }[];
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
  }[];
}

/** Builds the model; nginx files reached only through an include and files named by `-c` are read and added. */
export function buildDeployment(input: DeploymentBuildInput): {
  model: DeploymentModel;
  result: DeploymentBuildResult;
} {
  const sources = [...input.sources];
  const known = new Set(sources.map((source) => source.path));
  // Each file is read once: the sources' own texts first, then the disk (include targets, -c files).
  const texts = new Map<string, string | undefined>(sources.map((source) => [source.path, source.text]));
  const textOf = (path: string): string | undefined => {
    if (!texts.has(path)) texts.set(path, readTextFile(path));
    return texts.get(path);
  };
  let nginx: NginxWorkspaceIndex | undefined;
  if (sources.some((source) => source.kind === 'nginx')) {
    nginx = indexNginxWorkspace({
      seeds: sources.filter((s) => s.kind === 'nginx' || isNginxPath(s.path)).map((s) => s.path),
      allPaths: input.allPaths,
      read: textOf,
    });
    for (const path of nginx.paths) {
      const text = known.has(path) ? undefined : textOf(path);
      if (text === undefined) continue;
      sources.push({ uri: pathToFileURL(path).href, path, kind: 'nginx', text });
      known.add(path);
    }
  }
  let model = buildDeploymentModel(sources, input.options);
  const extra = unmatchedConfigCandidates(model, input.allPaths, known);
  if (extra.length) {
    for (const path of extra) {
      const text = textOf(path);
      if (text !== undefined) sources.push({ uri: pathToFileURL(path).href, path, kind: 'gunicorn', text });
    }
    model = buildDeploymentModel(sources, input.options);
  }
  const facts = gunicornFactsForNginx(model);
  const open = new Set(input.openPaths);
  return {
    model,
    result: {
      findings: [...model.findings],
      sources: sources.map(({ path, uri, text }) => (open.has(path) ? { path, uri, text } : { path, uri })),
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
        };
      }),
    },
  };
}

type Request =
  | { kind: 'build'; id: number; input: DeploymentBuildInput }
  | { kind: 'effective'; id: number; uri: string; offset: number; line: number };
type Reply = { id: number; result?: DeploymentBuildResult; markdown?: string; error?: string };

const ROLE = 'gunicorn-config-deployment';
/** Marks the worker's argv, so the server can tell it is the worker without loading worker_threads. */
const WORKER_ARG = '--gunicorn-config-deployment-worker';

/**
 * node:worker_threads, loaded on first use: a server without a workspace folder never starts the worker, and the
 * module (with its messaging machinery) costs about 1.5 MB of resident memory.
 */
function workerThreads(): typeof WorkerThreads {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:worker_threads') as typeof WorkerThreads;
}

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

/** True in the worker thread the server starts for the deployment model. */
export function isDeploymentWorker(): boolean {
  if (!process.argv.includes(WORKER_ARG)) return false;
  const { isMainThread, workerData } = workerThreads();
  return !isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE;
}

/** The worker's loop: builds models and answers effective-value queries about the last one. */
export function runDeploymentWorker(): void {
  const { parentPort } = workerThreads();
  lowerThreadPriority();
  let model: DeploymentModel | undefined;
  parentPort?.on('message', (request: Request) => {
    const reply: Reply = { id: request.id };
    try {
      if (request.kind === 'build') {
        const built = buildDeployment(request.input);
        model = built.model;
        reply.result = built.result;
      } else if (model) {
        const effective = model.effectiveAt(request.uri, request.offset);
        const markdown = effective ? describeEffective(effective, request.uri, request.line) : undefined;
        if (markdown) reply.markdown = markdown;
      }
    } catch (error) {
      reply.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
    parentPort?.postMessage(reply);
  });
}

/** The server's handle on the model: a worker when possible, the same code in-process otherwise. */
export class DeploymentHost {
  private worker: WorkerThreads.Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private local: DeploymentModel | undefined;

  constructor(
    /** The server's own script (dist/server.js), started again as the worker. */
    private readonly script: string | undefined,
    private readonly log: (message: string) => void,
  ) {}

  private ensureWorker(): WorkerThreads.Worker | undefined {
    if (this.worker || this.failed || !this.script) return this.worker;
    try {
      const worker = new (workerThreads().Worker)(this.script, {
        workerData: { role: ROLE },
        argv: ['--stdio', WORKER_ARG],
      });
      worker.on('message', (reply: Reply) => {
        this.pending.get(reply.id)?.(reply);
        this.pending.delete(reply.id);
      });
      const fail = (why: string): void => {
        this.log(`gunicorn-config: deployment worker stopped (${why}); building in-process from now on.`);
        this.failed = true;
        this.worker = undefined;
        for (const resolve of this.pending.values()) resolve({ id: -1, error: why });
        this.pending.clear();
      };
      worker.on('error', (error) => fail(error.message));
      worker.on('exit', (code) => code !== 0 && fail(`exit code ${code}`));
      // The worker must not keep the server alive after the editor says exit.
      worker.unref();
      this.worker = worker;
    } catch (error) {
      this.failed = true;
      this.log(
        `gunicorn-config: no deployment worker (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    return this.worker;
  }

  private ask(request: Request): Promise<Reply> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve({ id: request.id, error: 'no worker' });
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      worker.postMessage(request);
    });
  }

  async build(input: DeploymentBuildInput): Promise<DeploymentBuildResult> {
    const reply = await this.ask({ kind: 'build', id: ++this.nextId, input });
    if (reply.result) return reply.result;
    if (reply.error && reply.error !== 'no worker' && !this.failed) throw new Error(reply.error);
    const built = buildDeployment(input);
    this.local = built.model;
    return built.result;
  }

  async effective(uri: string, offset: number, line: number): Promise<string | undefined> {
    if (this.local && (this.failed || !this.script)) {
      const effective = this.local.effectiveAt(uri, offset);
      return effective ? describeEffective(effective, uri, line) : undefined;
    }
    const reply = await this.ask({ kind: 'effective', id: ++this.nextId, uri, offset, line });
    return reply.markdown;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

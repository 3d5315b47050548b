// Starts the deployment worker thread (dist/worker.js), as early as the server process starts when it can: its boot
// then overlaps the main thread's own start-up and the editor's `initialize` instead of delaying the first model.

import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import type * as WorkerThreads from 'node:worker_threads';

/**
 * The worker's young generation when the server runs without its Node flags. With them (server/data/node-flags.json),
 * V8 takes `--max-semi-space-size` for every isolate of the process over this limit, so the worker's is as small as
 * the main thread's: letting the worker have this one (by clearing the flag before it starts) raised the peak at
 * 10,000 files from about 135 to 159 MB, with builds no faster (`BENCH_SCALE=10000`, 2026-12-07).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** A worker started before anyone asked for it, and why it stopped if it did before it was taken. */
interface Prestarted {
  script: string;
  worker: WorkerThreads.Worker;
  failure?: string;
}

let prestarted: Prestarted | undefined;

/**
 * The argument with which a client says it opens workspace folders, so the server starts the worker as it starts
 * (the VS Code client passes it when the window has a folder). Without it the worker starts when the editor's
 * `initialize` names folders: a server for single files never pays for a thread it does not use.
 */
export const EARLY_WORKER_FLAG = '--early-worker';

/**
 * node:worker_threads, loaded on first use: a process that never starts the worker (the CLI, a server run in tests)
 * does not load the module and its messaging machinery (about 1.5 MB of resident memory).
 */
export function workerThreads(): typeof WorkerThreads {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:worker_threads') as typeof WorkerThreads;
}

/**
 * Up to this many cores, the worker compiles its hot code on its own thread. V8 otherwise hands it to a compiler
 * thread of normal priority (the worker's own runs at a lower one, see deploymentBackend.ts): on two cores the model's
 * build then kept both busy, and the main thread, woken by a request, waited for a core for up to a scheduler tick
 * (hover/completion answers of 5–15 ms while a 2,000-file workspace was modelled). The same CPU is spent either way
 * (about 0.4 s of compiling in that build); with more cores, the compiler thread costs the main thread nothing and
 * shortens the build.
 */
const CORES_FOR_INLINE_COMPILES = 2;

/** What decides where the worker compiles (the machine's cores, V8's flags); tests give their own. */
export interface CompileTuning {
  cores: number;
  setFlags(flags: string): void;
}

/**
 * A new worker running `script`; it never keeps the process alive (the server exits when the editor says so).
 * `tuning`: see CORES_FOR_INLINE_COMPILES.
 */
export function startDeploymentWorker(
  script: string,
  tuning: CompileTuning = { cores: availableParallelism(), setFlags: setFlagsFromString },
): WorkerThreads.Worker {
  // V8 reads the flag as it makes an isolate: off while the worker's is made, on again for anything made later.
  const inlineCompiles = tuning.cores <= CORES_FOR_INLINE_COMPILES;
  if (inlineCompiles) tuning.setFlags('--no-concurrent-recompilation');
  let worker: WorkerThreads.Worker;
  try {
    worker = new (workerThreads().Worker)(script, {
      // Applies only without the server's Node flags (see WORKER_YOUNG_GENERATION_MB): a cap on a young generation
      // that V8 would otherwise size by itself.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
  } catch (error) {
    if (inlineCompiles) tuning.setFlags('--concurrent-recompilation');
    throw error;
  }
  if (inlineCompiles) {
    const restore = (): void => tuning.setFlags('--concurrent-recompilation');
    worker.once('online', restore);
    worker.once('error', restore);
  }
  worker.unref();
  return worker;
}

/**
 * Starts the worker for `script` now, for `takePrestartedWorker` to hand out later. The worker boots in 45–90 ms
 * (Node's bootstrap of a thread and the compilation of its bundle), about as long as the server's main thread takes to
 * load before it can answer `initialize`. A failure to start is kept for the taker, never thrown here.
 */
export function prestartDeploymentWorker(script: string): void {
  if (prestarted) return;
  let worker: WorkerThreads.Worker;
  try {
    worker = startDeploymentWorker(script);
  } catch {
    // The taker starts its own and sees the error then.
    return;
  }
  const entry: Prestarted = { script, worker };
  // Until it is taken, an error must not go unhandled (an EventEmitter throws an 'error' nobody listens to).
  worker.once('error', (error) => (entry.failure ??= error.message));
  worker.once('exit', (code) => (entry.failure ??= `exit code ${code}`));
  prestarted = entry;
}

/** The prestarted worker for `script`, once (a worker for another script is stopped); none if there is none. */
export function takePrestartedWorker(script: string): Prestarted | undefined {
  const entry = prestarted;
  prestarted = undefined;
  if (entry && entry.script !== script) {
    void entry.worker.terminate();
    return undefined;
  }
  return entry;
}

/** Stops a prestarted worker no one will take (the editor opened no workspace folder). */
export function discardPrestartedWorker(): void {
  const entry = prestarted;
  prestarted = undefined;
  if (entry) void entry.worker.terminate();
}

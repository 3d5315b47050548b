// What the server process does before it loads anything else (main.ts imports this module first): applies the V8
// flags and, for a client with workspace folders, starts the deployment worker so that it boots while the main thread
// loads the language server (its boot, 45–90 ms, then overlaps the main thread's instead of following it).

import { dirname, join } from 'node:path';
import { EARLY_WORKER_FLAG, prestartDeploymentWorker } from './deploymentWorker';
import { tuneJit } from './jitTuning';

// Before the worker starts, so that its thread runs with the same flags.
tuneJit();
// dist/worker.js beside dist/server.js, when the client says it has workspace folders; the server takes it when
// `initialize` names them (and stops it when it names none).
if (process.argv[1] && process.argv.includes(EARLY_WORKER_FLAG)) {
  prestartDeploymentWorker(join(dirname(process.argv[1]), 'worker.js'));
}

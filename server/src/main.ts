// Language server entry: `node dist/server.js --stdio` (or --node-ipc / --socket=N, as vscode-languageserver supports).

// First: it starts the deployment worker while the rest of the server loads.
import './lsp/earlyStart';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { FrameGuard } from './lsp/frames';
import { startServer } from './lsp/server';

if (process.argv.includes('--stdio')) {
  // stdin passes a framing guard first: a malformed header must not stall or kill the reader (see lsp/frames.ts).
  const guard = new FrameGuard();
  process.stdin.pipe(guard);
  // Streams (not readers): vscode-languageserver then still exits when stdin ends, as with --stdio.
  const connection = createConnection(ProposedFeatures.all, guard, process.stdout);
  guard.onDrop = (reason) => connection.console.warn(`gunicorn-config: ${reason}`);
  startServer(connection, guard);
} else {
  startServer(createConnection(ProposedFeatures.all));
}

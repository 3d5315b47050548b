// Language server entry: `node dist/server.js --stdio` (or --node-ipc / --socket=N, as vscode-languageserver supports).

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

startServer(createConnection(ProposedFeatures.all));

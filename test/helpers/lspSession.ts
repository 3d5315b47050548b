// The bundled server (dist/server.js) over stdio, driven the way an editor drives it: initialize with capabilities and
// a workspace folder, open documents, wait for their diagnostics, shut down.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { MODEL_BOUNDS_NOTIFICATION } from '../../server/src/lsp/notifications';

const root = join(__dirname, '..', '..', '..');
export const URI = 'file:///tmp/project/gunicorn.conf.py';

export class Session {
  readonly process: ChildProcess;
  readonly connection: ProtocolConnection;
  private readonly waiters: ((p: PublishDiagnosticsParams) => boolean)[] = [];
  stdoutNoise = '';
  /** Set when the server says the workspace's first deployment model is built (read by diagnostics filters). */
  modelBuilt = false;
  /** Resolves when the server says the workspace's first deployment model is built. */
  readonly modelled: Promise<void>;

  constructor(
    private readonly configuration?: (section: string) => unknown,
    /** More arguments for the server (`--early-worker`, as the VS Code client passes with workspace folders). */
    serverArgs: readonly string[] = [],
  ) {
    this.process = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio', ...serverArgs], {
      stdio: 'pipe',
    });
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i]!(params)) this.waiters.splice(i, 1);
      }
    });
    this.modelled = new Promise<void>((resolve) =>
      this.connection.onNotification(MODEL_BOUNDS_NOTIFICATION, () => {
        this.modelBuilt = true;
        resolve();
      }),
    );
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      this.configuration
        ? params.items.map((item) => this.configuration!(item.section ?? ''))
        : new Promise(() => undefined),
    );
    this.connection.listen();
  }

  async start(
    capabilities: ClientCapabilities,
    workspaceFolder?: string,
  ): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      workspaceFolders: workspaceFolder ? [{ uri: pathToFileURL(workspaceFolder).href, name: 'w' }] : null,
    });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  /** Resolves with the next diagnostics for `uri` that satisfy `accept`. */
  diagnostics(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
  ): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) =>
      this.waiters.push((p) => (p.uri === uri && accept(p) ? (resolve(p), true) : false)),
    );
  }

  open(text: string, uri = URI, languageId = 'python'): Promise<PublishDiagnosticsParams> {
    const waiting = this.diagnostics(uri);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
    return waiting;
  }

  /**
   * Opens a document of the workspace and resolves with its first diagnostics published once the workspace's model is
   * built (an nginx file publishes what holds without it first).
   */
  openAfterModel(text: string, uri: string, languageId: string): Promise<PublishDiagnosticsParams> {
    const waiting = this.diagnostics(uri, () => this.modelBuilt);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
    return waiting;
  }

  async stop(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    const exited = new Promise<number | null>((resolve) => this.process.on('exit', resolve));
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

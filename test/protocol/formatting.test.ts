// The bundled server answers textDocument/formatting and rangeFormatting over stdio: statically for clients without
// dynamic registration, and registered for nginx and unit files only where the client can register dynamically.

import { strict as assert } from 'node:assert';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ProtocolConnection,
  type RegistrationParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const root = join(__dirname, '..', '..', '..');
const SITE = 'file:///tmp/format-project/sites-available/shop';
const UNIT = 'file:///tmp/format-project/shop.service';
const CONFIG = 'file:///tmp/format-project/gunicorn.conf.py';

class Session {
  readonly process: ChildProcess;
  readonly connection: ProtocolConnection;
  readonly registrations: RegistrationParams[] = [];

  constructor() {
    this.process = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onRequest('client/registerCapability', (params: RegistrationParams) => {
      this.registrations.push(params);
      return null;
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => ({})),
    );
    this.connection.listen();
  }

  async start(capabilities: ClientCapabilities): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      workspaceFolders: null,
    });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  open(uri: string, languageId: string, text: string): void {
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  format(uri: string, options: unknown, range?: unknown): Promise<TextEdit[] | null> {
    return this.connection.sendRequest(range ? 'textDocument/rangeFormatting' : 'textDocument/formatting', {
      textDocument: { uri },
      options,
      ...(range ? { range } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest('shutdown');
    const exited = new Promise((resolve) => this.process.on('exit', resolve));
    await this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }
}

function applied(text: string, edits: TextEdit[] | null): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'x', 1, text), edits ?? []);
}

describe('formatting over stdio', function () {
  this.timeout(60_000);
  before(() => execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root }));

  it('formats nginx and unit files (document and range), and leaves Gunicorn configs to Python formatters', async () => {
    const session = new Session();
    const { capabilities } = await session.start({});
    assert.equal(capabilities.documentFormattingProvider, true);
    assert.equal(capabilities.documentRangeFormattingProvider, true);

    const site = 'server {\nlisten 80;\n  location / {\nproxy_pass   http://shop;}\n}\n';
    session.open(SITE, 'nginx', site);
    const edits = await session.format(SITE, { tabSize: 2, insertSpaces: true });
    assert.ok(edits && edits.length > 1, 'several small edits, not one replacement');
    assert.equal(
      applied(site, edits),
      'server {\n  listen 80;\n  location / {\n    proxy_pass http://shop;\n  }\n}\n',
    );
    // A range on the `listen` line formats that directive only.
    const ranged = await session.format(
      SITE,
      { tabSize: 2, insertSpaces: true },
      { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } },
    );
    assert.equal(
      applied(site, ranged),
      'server {\n  listen 80;\n  location / {\nproxy_pass   http://shop;}\n}\n',
    );
    // Options a client forgot: four spaces.
    assert.equal(applied(site, await session.format(SITE, null)).split('\n')[1], '    listen 80;');

    const unit = '[Unit]\nDescription = Shop\n[Service]\n  User = app\n';
    session.open(UNIT, 'systemd-unit-file', unit);
    assert.equal(
      applied(unit, await session.format(UNIT, { tabSize: 4, insertSpaces: true })),
      '[Unit]\nDescription=Shop\n\n[Service]\nUser=app\n',
    );

    session.open(CONFIG, 'python', 'workers  =  2\n');
    assert.equal(await session.format(CONFIG, { tabSize: 4, insertSpaces: true }), null);
    await session.stop();
  });

  it('registers formatting for nginx and unit files only, for clients that register dynamically', async () => {
    const session = new Session();
    const { capabilities } = await session.start({
      textDocument: {
        formatting: { dynamicRegistration: true },
        rangeFormatting: { dynamicRegistration: true },
      },
    });
    assert.equal(capabilities.documentFormattingProvider, undefined);
    assert.equal(capabilities.documentRangeFormattingProvider, undefined);
    // The registration arrives after `initialized`; a formatting request answered after it proves it was sent.
    session.open(SITE, 'nginx', 'user  www-data;\n');
    assert.equal(
      applied('user  www-data;\n', await session.format(SITE, { tabSize: 4, insertSpaces: true })),
      'user www-data;\n',
    );
    const registered = session.registrations.flatMap((p) => p.registrations);
    assert.deepEqual(registered.map((r) => r.method).sort(), [
      'textDocument/formatting',
      'textDocument/rangeFormatting',
    ]);
    for (const registration of registered) {
      const selector = (registration.registerOptions as { documentSelector: { language?: string }[] })
        .documentSelector;
      assert.ok(selector.some((filter) => filter.language === 'nginx'));
      assert.ok(!selector.some((filter) => filter.language === 'python'), 'never a formatter for Python');
    }
    await session.stop();
  });
});

// The bundled server against a hostile or buggy client: malformed frames, wrong params, life-cycle mistakes, huge and
// binary documents, a client that never answers, cancellation, odd watched-file events. After each, the server must
// still answer (a hover or diagnostics round trip) and end with the exit code LSP asks for. A preload records any
// network use, child process or file write: the server reads files and talks over stdio, nothing else.

import { strict as assert } from 'node:assert';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceIndex } from '../../server/src/lsp/workspaceIndex';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';

const root = join(__dirname, '..', '..', '..');
const URI = 'file:///tmp/project/gunicorn.conf.py';
/** Every wait on the server is bounded: a hang fails the test with a message instead of the mocha timeout. */
const WAIT_MS = 8_000;

interface Message {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}
interface Diagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    code?: string;
    message: string;
    range: { start: { line: number; character: number } };
    data?: unknown;
    severity?: number;
  }[];
}

/** Records network, process and file-writing calls of the server on stderr (a test asserts there are none). */
const PRELOAD = `
const report = (what) => process.stderr.write('FORBIDDEN ' + what + '\\n');
const wrap = (mod, names, label) => {
  for (const name of names) {
    const original = mod[name];
    if (typeof original !== 'function') continue;
    mod[name] = function (...args) { report(label + '.' + name + ' ' + String(args[0]).slice(0, 80)); return original.apply(this, args); };
  }
};
const net = require('net');
wrap(net, ['connect', 'createConnection'], 'net');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { report('net.Socket.connect'); return connect.apply(this, args); };
wrap(require('http'), ['request', 'get'], 'http');
wrap(require('https'), ['request', 'get'], 'https');
wrap(require('dns'), ['lookup', 'resolve', 'resolve4', 'resolve6'], 'dns');
wrap(require('child_process'), ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child_process');
const fs = require('fs');
wrap(fs, ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'mkdir', 'mkdirSync',
  'rm', 'rmSync', 'unlink', 'unlinkSync', 'rename', 'renameSync', 'copyFile', 'copyFileSync', 'truncate', 'truncateSync'], 'fs');
wrap(fs.promises, ['writeFile', 'appendFile', 'mkdir', 'rm', 'unlink', 'rename', 'copyFile', 'truncate'], 'fs.promises');
const open = fs.openSync;
fs.openSync = function (path, flags, ...rest) {
  if (flags !== undefined && !/^r\\+?s?$/.test(String(flags)) && flags !== 0) report('fs.openSync ' + path + ' ' + flags);
  return open.call(this, path, flags, ...rest);
};
`;
let preloadPath = '';

/** A client that writes raw bytes when it wants to, and checks that stdout holds nothing but well-formed frames. */
class RawClient {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Requests the server sent us (workspace/configuration, workspace/applyEdit, …) and notifications. */
  readonly received: Message[] = [];
  stderr = '';
  stdoutProblems: string[] = [];
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly responses = new Map<number | string, (m: Message) => void>();
  private readonly waiters: { accept: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  constructor(
    /** Answers server-to-client requests; undefined means "never answer". */
    private readonly answer: (method: string, params: unknown) => unknown = () => undefined,
    env: Record<string, string> = {},
  ) {
    this.process = spawn(
      process.execPath,
      ['--require', preloadPath, join(root, 'dist', 'server.js'), '--stdio'],
      { stdio: 'pipe', env: { ...process.env, ...env } },
    );
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    this.process.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const length = /^Content-Length: (\d+)$/im.exec(header)?.[1];
      if (!header.startsWith('Content-') || length === undefined) {
        this.stdoutProblems.push(header);
        this.buffer = this.buffer.subarray(end + 4);
        continue;
      }
      if (this.buffer.length < end + 4 + Number(length)) return;
      const body = this.buffer.subarray(end + 4, end + 4 + Number(length)).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + Number(length));
      let message: Message;
      try {
        message = JSON.parse(body) as Message;
      } catch {
        this.stdoutProblems.push(body);
        continue;
      }
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined && message.id !== undefined && message.id !== null) {
      this.responses.get(message.id)?.(message);
      this.responses.delete(message.id);
      return;
    }
    this.received.push(message);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.accept(message)) this.waiters.splice(i, 1)[0]!.resolve(message);
    }
    if (message.method && message.id !== undefined) {
      const result = this.answer(message.method, message.params);
      if (result !== undefined) this.send({ jsonrpc: '2.0', id: message.id, result });
    }
  }

  write(data: string | Buffer): void {
    this.process.stdin!.write(data);
  }

  frame(body: string | Buffer): Buffer {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
  }

  send(message: Message): void {
    this.write(this.frame(JSON.stringify(message)));
  }

  /** Sends a request (or only builds it with `write: false`) and resolves with the whole response message. */
  request(
    method: string,
    params?: unknown,
    write = true,
  ): { id: number; response: Promise<Message>; bytes: Buffer } {
    const id = this.nextId++;
    const message: Message = { jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) };
    const response = bounded(
      new Promise<Message>((resolve) => this.responses.set(id, resolve)),
      `a response to ${method} #${id}`,
    );
    const bytes = this.frame(JSON.stringify(message));
    if (write) this.write(bytes);
    return { id, response, bytes };
  }

  async result(method: string, params?: unknown): Promise<unknown> {
    const response = await this.request(method, params).response;
    assert.equal(response.error, undefined, `${method} failed: ${JSON.stringify(response.error)}`);
    return response.result;
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  /** The next message from the server (notification or request) that `accept` takes, within WAIT_MS. */
  next(accept: (m: Message) => boolean, what: string): Promise<Message> {
    return bounded(new Promise<Message>((resolve) => this.waiters.push({ accept, resolve })), what);
  }

  async diagnostics(uri: string, accept: (p: Diagnostics) => boolean = () => true): Promise<Diagnostics> {
    const message = await this.next(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as Diagnostics).uri === uri &&
        accept(m.params as Diagnostics),
      `diagnostics for ${uri}`,
    );
    return message.params as Diagnostics;
  }

  async initialize(capabilities: object = {}, workspaceFolder?: string): Promise<void> {
    await this.result('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      workspaceFolders: workspaceFolder ? [{ uri: pathToFileURL(workspaceFolder).href, name: 'w' }] : null,
    });
    this.notify('initialized', {});
  }

  open(text: string, uri = URI, languageId = 'python', version = 1): Promise<Diagnostics> {
    const waiting = this.diagnostics(uri);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return waiting;
  }

  /** Proves the server is alive and analyzing: a fresh document gets its diagnostics and a hover answers. */
  async assertAlive(tag: string): Promise<void> {
    const uri = `file:///tmp/alive/${tag}/gunicorn.conf.py`;
    const { diagnostics } = await this.open('worker = 4\n', uri);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['unknown-setting'],
      tag,
    );
    const hover = (await this.result('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 2 },
    })) as { contents: unknown } | null;
    assert.ok(hover === null || typeof hover === 'object', tag);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  async shutdownAndExit(): Promise<number | null> {
    await this.result('shutdown');
    this.notify('exit');
    const code = await bounded(this.exited, 'the server to exit');
    this.assertClean();
    return code;
  }

  assertClean(): void {
    assert.deepEqual(this.stdoutProblems, [], 'stdout holds only protocol frames');
    assert.equal(this.buffer.toString(), '', 'no partial frame left on stdout');
    assert.doesNotMatch(this.stderr, /FORBIDDEN/, 'no network, process or file-writing calls');
  }

  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
  }
}

function bounded<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

const FULL = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
  },
  workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } },
};

describe('language server robustness (stdio)', function () {
  this.timeout(30_000);
  const clients: RawClient[] = [];
  const spawnClient = (...args: ConstructorParameters<typeof RawClient>): RawClient => {
    const client = new RawClient(...args);
    clients.push(client);
    return client;
  };

  before(() => {
    execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root });
    preloadPath = join(mkdtempSync(join(tmpdir(), 'gc-preload-')), 'preload.js');
    writeFileSync(preloadPath, PRELOAD);
  });
  afterEach(() => clients.splice(0).forEach((client) => client.kill()));

  it('survives malformed frames and messages, and answers wrong params with errors', async () => {
    const client = spawnClient();
    // Before initialize: broken framing and bodies that are not JSON-RPC messages.
    const garbage: (string | Buffer)[] = [
      'Content-Length: abc\r\n\r\n',
      'Content-Length: -5\r\n\r\n',
      'Content-Length: x\r\n\r\n{"jsonrpc":"2.0","method":"a/body/without/a/header"}',
      'Content-Length: 1e3\r\nContent-Length: 4\r\n\r\n',
      'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n',
      'a header line without a colon\r\n\r\n',
      client.frame('not json!'),
      client.frame(''),
      client.frame('42'),
      client.frame('[1, 2, 3]'),
      client.frame('null'),
      client.frame('"text"'),
      client.frame('{}'),
      client.frame('{"jsonrpc":"2.0","id":12345,"result":null}'),
      client.frame('{"jsonrpc":"2.0","method":42}'),
      client.frame('{"jsonrpc":"2.0","id":{},"method":"textDocument/hover"}'),
      client.frame(Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d])),
    ];
    for (const bytes of garbage) client.write(bytes);
    await client.initialize(FULL);
    for (const bytes of garbage) {
      client.write(bytes);
      // Each one alone, followed by a request: the framing must be intact afterwards.
      assert.equal((await client.request('textDocument/hover', null).response).error?.code, -32602);
    }

    const unknown = await client.request('gunicornConfig/noSuchMethod', {}).response;
    assert.equal(unknown.error?.code, -32601, 'unknown requests get MethodNotFound');
    client.notify('gunicornConfig/noSuchNotification', { x: 1 });
    client.notify('$/noSuchNotification');
    client.notify('textDocument/didOpen', null);
    client.notify('textDocument/didChange', { textDocument: null, contentChanges: 'x' });
    client.notify('workspace/didChangeConfiguration', null);

    await client.open('worker = 4\n');
    const hover = (params: unknown): Promise<Message> =>
      client.request('textDocument/hover', params).response;
    const position = { line: 0, character: 2 };
    assert.equal((await hover(null)).error?.code, -32602, 'null params');
    assert.equal((await hover({ position })).error?.code, -32602, 'no textDocument');
    assert.equal(
      (await hover({ textDocument: { uri: 42 }, position })).error?.code,
      -32602,
      'uri not a string',
    );
    assert.equal((await hover({ textDocument: { uri: URI } })).error?.code, -32602, 'no position');
    for (const bad of [
      { line: -1, character: 0 },
      { line: 0, character: -3 },
      { line: 0.5, character: 1 },
      { line: 0, character: 1.5 },
      { line: '0', character: 1 },
      { line: Number.MAX_VALUE, character: 0 },
      null,
    ]) {
      assert.equal(
        (await hover({ textDocument: { uri: URI }, position: bad })).error?.code,
        -32602,
        JSON.stringify(bad),
      );
    }
    assert.equal((await client.request('textDocument/hover', [URI, position]).response).error?.code, -32602);
    // Out of range is valid LSP: clamped to the end of the line or document.
    for (const far of [
      { line: 9_999, character: 0 },
      { line: 0, character: 9_999 },
    ]) {
      const answer = await hover({ textDocument: { uri: URI }, position: far });
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
    }
    const completion = await client.request('textDocument/completion', {
      textDocument: { uri: URI },
      position: { line: 0, character: -1 },
    }).response;
    assert.equal(completion.error?.code, -32602);

    // Code actions: a reversed range, diagnostics that are not ours or not diagnostics, fix data of the wrong shape.
    const range = { start: { line: 0, character: 6 }, end: { line: 0, character: 0 } };
    const actions = await client.result('textDocument/codeAction', {
      textDocument: { uri: URI },
      range,
      context: {
        diagnostics: [
          null,
          42,
          { source: 'gunicorn-config' },
          { source: 'gunicorn-config', code: 'unknown-setting', range, data: { fixes: 'x' } },
          {
            source: 'gunicorn-config',
            code: 'unknown-setting',
            range,
            data: { fixes: [null, { title: 1 }] },
          },
          { source: 'other', range, message: 'x' },
        ],
      },
    });
    assert.ok(Array.isArray(actions));
    assert.equal(
      (
        await client.request('textDocument/codeAction', { textDocument: { uri: URI }, range, context: null })
          .response
      ).error?.code,
      -32602,
    );
    const command = await client.request('workspace/executeCommand', null).response;
    assert.equal(command.error?.code, -32602);
    const noAnswers = (await client.result('workspace/executeCommand', {
      command: 'gunicornConfig.server.newDeployment',
      arguments: [42, 7],
    })) as { error?: string };
    assert.match(noAnswers.error ?? '', /answers/);

    await client.assertAlive('after-garbage');
    assert.equal(await client.shutdownAndExit(), 0);
  });

  it('follows the LSP life cycle: not initialized, shut down, exit without shutdown', async () => {
    const client = spawnClient();
    const early = await client.request('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 0, character: 0 },
    }).response;
    assert.equal(early.error?.code, -32002, 'ServerNotInitialized before initialize');
    assert.equal(
      (await client.request('workspace/executeCommand', { command: 'x' }).response).error?.code,
      -32002,
    );
    // A document opened too early is analyzed once the server is initialized, not before.
    client.notify('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'python', version: 1, text: 'worker = 4\n' },
    });
    // Messages are handled in order: once this answer is here, the didOpen was handled, and published nothing.
    assert.equal((await client.request('textDocument/completion', null).response).error?.code, -32002);
    assert.ok(!client.received.some((m) => m.method === 'textDocument/publishDiagnostics'));
    // An initialize without the capabilities LSP requires is answered with an error, and a proper one still works.
    assert.ok((await client.request('initialize', {}).response).error, 'initialize without capabilities');
    const waiting = client.diagnostics(URI);
    await client.initialize();
    assert.deepEqual(
      (await waiting).diagnostics.map((d) => d.code),
      ['unknown-setting'],
    );
    client.notify('initialized', {});
    await client.assertAlive('initialized-twice');

    await client.result('shutdown');
    const late = await client.request('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 0, character: 0 },
    }).response;
    assert.equal(late.error?.code, -32600, 'InvalidRequest after shutdown');
    assert.equal(
      (
        await client.request('textDocument/completion', { textDocument: { uri: URI }, position: late })
          .response
      ).error?.code,
      -32600,
    );
    client.notify('exit');
    assert.equal(await bounded(client.exited, 'exit'), 0);
    client.assertClean();

    const abrupt = spawnClient();
    await abrupt.initialize();
    await abrupt.open('workers = 2\n');
    abrupt.notify('exit');
    assert.equal(
      await bounded(abrupt.exited, 'exit without shutdown'),
      1,
      'exit without shutdown ends with 1',
    );
    abrupt.assertClean();
  });

  it('tolerates document mistakes: unknown, closed, reused versions, non-file URIs', async () => {
    const client = spawnClient();
    await client.initialize(FULL);
    const never = 'file:///tmp/project/never-opened.conf.py';
    client.notify('textDocument/didChange', {
      textDocument: { uri: never, version: 2 },
      contentChanges: [{ text: 'workers = 3\n' }],
    });
    const at = { line: 0, character: 1 };
    assert.equal(
      await client.result('textDocument/hover', { textDocument: { uri: never }, position: at }),
      null,
    );
    assert.deepEqual(
      await client.result('textDocument/completion', { textDocument: { uri: never }, position: at }),
      [],
    );

    // A version that does not increase must not reuse the model parsed for the text it replaced.
    assert.deepEqual((await client.open('workers = 4\n', URI, 'python', 5)).diagnostics, []);
    await client.result('textDocument/hover', { textDocument: { uri: URI }, position: at });
    let next = client.diagnostics(URI);
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 5 },
      contentChanges: [{ text: 'worker = 4\n' }],
    });
    assert.deepEqual(
      (await next).diagnostics.map((d) => d.code),
      ['unknown-setting'],
      'same version, new text',
    );
    next = client.diagnostics(URI, (p) => p.version === 3);
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ text: 'workers = "four"\n' }],
    });
    assert.deepEqual(
      (await next).diagnostics.map((d) => d.code),
      ['invalid-value'],
      'version going backwards',
    );

    // Fixes published for older text are not applied to the new one: their ranges no longer hold.
    next = client.diagnostics(URI, (p) => p.version === 4);
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 4 },
      contentChanges: [{ text: 'worker = 4\n' }],
    });
    const old = (await next).diagnostics.find((d) => d.code === 'unknown-setting')!;
    next = client.diagnostics(URI, (p) => p.version === 6);
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 6 },
      contentChanges: [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# c\n' },
      ],
    });
    await next;
    const stale = (await client.result('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: old.range,
      context: { diagnostics: [{ ...old, source: 'gunicorn-config', message: 'x' }] },
    })) as { title: string }[];
    assert.ok(!stale.some((a) => a.title === "Change to 'workers'"), JSON.stringify(stale));

    const closed = client.next(
      (m) => m.method === 'textDocument/publishDiagnostics' && (m.params as Diagnostics).uri === URI,
      'diagnostics cleared on close',
    );
    client.notify('textDocument/didClose', { textDocument: { uri: URI } });
    assert.deepEqual(((await closed).params as Diagnostics).diagnostics, []);
    client.notify('textDocument/didClose', { textDocument: { uri: URI } });
    client.notify('textDocument/didClose', { textDocument: { uri: 'file:///never/opened' } });
    assert.equal(
      await client.result('textDocument/hover', { textDocument: { uri: URI }, position: at }),
      null,
    );
    assert.deepEqual(
      await client.result('textDocument/completion', { textDocument: { uri: URI }, position: at }),
      [],
    );
    assert.deepEqual(
      await client.result('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: old.range,
        context: { diagnostics: [old] },
      }),
      [],
    );

    for (const uri of [
      'untitled:Untitled-1',
      'untitled:gunicorn.conf.py',
      'vscode-notebook-cell:/tmp/project/notebook.ipynb#W0sZmlsZQ%3D%3D',
      'file://remotehost/share/gunicorn.conf.py',
      'file:///tmp/project/bad%ZZescape.service',
    ]) {
      const unit = uri.endsWith('.service');
      const { diagnostics } = await client.open(
        unit ? '[Service]\nRestrat=always\n' : 'worker = 4\n',
        uri,
        unit ? 'systemd' : 'python',
      );
      // A Python buffer that is not named like a Gunicorn config (an untitled file, a notebook cell) is not ours.
      const ours = unit || uri.endsWith('gunicorn.conf.py');
      assert.equal(diagnostics.length >= 1, ours, uri);
      const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: at })
        .response;
      assert.equal(hover.error, undefined, uri);
      const items = await client.result('textDocument/completion', { textDocument: { uri }, position: at });
      assert.ok(Array.isArray(items), uri);
    }
    await client.assertAlive('documents');
    assert.equal(await client.shutdownAndExit(), 0);
  });

  it('does not analyze a huge document, copes with a binary one, and caps diagnostics', async () => {
    const client = spawnClient();
    await client.initialize(FULL);
    const huge = 'workers = 4\n'.repeat(Math.ceil(5_000_000 / 12));
    const skipped = (await client.open(huge)).diagnostics;
    assert.deepEqual(
      skipped.map((d) => [d.code, d.range.start.line]),
      [['gunicorn-config', 0]],
    );
    assert.match(skipped[0]!.message, /not analyzed/);
    assert.equal(
      await client.result('textDocument/hover', {
        textDocument: { uri: URI },
        position: { line: 3, character: 2 },
      }),
      null,
    );
    assert.deepEqual(
      await client.result('textDocument/completion', {
        textDocument: { uri: URI },
        position: { line: 3, character: 0 },
      }),
      [],
    );
    // Shrunk back to a normal size, it is analyzed again.
    const back = client.diagnostics(URI, (p) => p.version === 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ text: 'worker = 4\n' }],
    });
    assert.deepEqual(
      (await back).diagnostics.map((d) => d.code),
      ['unknown-setting'],
    );

    let seed = 7;
    const bytes = Buffer.from(
      Array.from({ length: 64 * 1024 }, () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % 256),
    );
    for (const [i, text] of [
      bytes.toString('latin1'),
      bytes.toString('utf8'),
      '\u0000'.repeat(1000),
    ].entries()) {
      for (const language of ['python', 'systemd', 'nginx', 'dockerfile']) {
        const uri = `file:///tmp/binary/${i}/${language}.bin`;
        await client.open(text, uri, language);
        const hover = await client.request('textDocument/hover', {
          textDocument: { uri },
          position: { line: 2, character: 3 },
        }).response;
        assert.equal(hover.error, undefined);
        client.notify('textDocument/didClose', { textDocument: { uri } });
      }
    }

    // 3,000 unknown names: the rule keeps its first 1,000 (MAX_FINDINGS_PER_RULE), the invalid value makes 1,001.
    const many = 'worker = 4\n'.repeat(3_000) + 'workers = "x"\n';
    const { diagnostics } = await client.open(many, 'file:///tmp/many/gunicorn.conf.py');
    assert.equal(diagnostics.length, 1_001, 'at most 1000 diagnostics per document, and a note saying so');
    assert.match(diagnostics[0]!.message, /^1 more findings are not shown/);
    assert.ok(
      diagnostics.some((d) => d.code === 'invalid-value'),
      'errors are kept first',
    );
    await client.assertAlive('huge');
    assert.equal(await client.shutdownAndExit(), 0);
  });

  it('does not hang on a client that never answers workspace/configuration or workspace/applyEdit', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-robust-'));
    try {
      const client = spawnClient(() => undefined, { GUNICORN_CONFIG_APPLY_EDIT_TIMEOUT_MS: '300' });
      await client.initialize(FULL, workspace);
      await client.next((m) => m.method === 'workspace/configuration', 'a configuration request');
      await client.assertAlive('no-configuration');
      const applyEdit = client.next((m) => m.method === 'workspace/applyEdit', 'an applyEdit request');
      const answer = (await client.result('workspace/executeCommand', {
        command: 'gunicornConfig.server.newDeployment',
        arguments: [{ name: 'shop', app: 'shop.wsgi:application' }],
      })) as { error?: string; files?: string[] };
      assert.match(answer.error ?? '', /did not answer/);
      const { id } = await applyEdit;
      const cancel = client.received.find(
        (m) => m.method === '$/cancelRequest' && (m.params as { id: unknown }).id === id,
      );
      assert.ok(cancel, 'the client is told the edit is no longer awaited');
      await client.assertAlive('no-apply-edit');
      assert.equal(await client.shutdownAndExit(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('honours $/cancelRequest for queued and in-flight requests', async () => {
    const client = spawnClient();
    await client.initialize(FULL);
    await client.open('worker = 4\n');
    const position = { line: 0, character: 2 };
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/codeAction']) {
      const params =
        method === 'textDocument/codeAction'
          ? {
              textDocument: { uri: URI },
              range: { start: position, end: position },
              context: { diagnostics: [] },
            }
          : { textDocument: { uri: URI }, position };
      const request = client.request(method, params, false);
      // The cancellation arrives with the request: the handler sees a cancelled token and answers at once.
      client.write(
        Buffer.concat([
          request.bytes,
          client.frame(
            JSON.stringify({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: request.id } }),
          ),
        ]),
      );
      assert.equal((await request.response).error?.code, -32800, method);
    }

    // In flight: the command waits for an edit the client never applies; cancelling it ends the wait.
    const applyEdit = client.next((m) => m.method === 'workspace/applyEdit', 'an applyEdit request');
    const command = client.request('workspace/executeCommand', {
      command: 'gunicornConfig.server.newDeployment',
      arguments: [{ name: 'shop', app: 'shop.wsgi:application' }, 'file:///tmp/new-deployment'],
    });
    await applyEdit;
    client.notify('$/cancelRequest', { id: command.id });
    assert.equal((await command.response).error?.code, -32800);
    client.notify('$/cancelRequest', { id: 99_999 });
    client.notify('$/cancelRequest', null);
    await client.assertAlive('cancel');
    assert.equal(await client.shutdownAndExit(), 0);
  });

  it('handles watched-file events for odd URIs, folders, deleted files and files outside the workspace', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-watch-'));
    const outside = mkdtempSync(join(tmpdir(), 'gc-outside-'));
    try {
      mkdirSync(join(workspace, 'deploy'));
      const configPath = join(workspace, 'gunicorn.conf.py');
      const config = 'bind = "127.0.0.1:8000"\nworkers = 2\n';
      writeFileSync(configPath, config);
      writeFileSync(
        join(workspace, 'deploy', 'app.service'),
        '[Unit]\nRequires=app.socket\n\n[Service]\nType=notify\nWorkingDirectory=/srv/app\n' +
          'ExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app:app\n',
      );
      writeFileSync(join(workspace, 'deploy', 'app.socket'), '[Socket]\nListenStream=/run/app.sock\n');
      writeFileSync(join(outside, 'app.socket'), '[Socket]\nListenStream=/run/other.sock\n');
      const client = spawnClient();
      await client.initialize(FULL, workspace);
      const uri = pathToFileURL(configPath).href;
      const crossFile = (p: Diagnostics): boolean =>
        p.diagnostics.some((d) => d.code === 'bind-ignored-by-socket-activation');
      const found = client.diagnostics(uri, crossFile);
      client.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: 'python', version: 1, text: config },
      });
      await found;

      // The folder holding the service and the socket is deleted: watchers report the folder once. Malformed entries
      // in the same event must not drop it.
      rmSync(join(workspace, 'deploy'), { recursive: true });
      const gone = client.diagnostics(uri, (p) => !crossFile(p));
      client.notify('workspace/didChangeWatchedFiles', {
        changes: [
          null,
          { type: 3 },
          { uri: 'file://remotehost/share/x.service', type: 1 },
          { uri: 'file:///tmp/a%2Fb.service', type: 2 },
          { uri: 'not a uri at all', type: 2 },
          { uri: pathToFileURL(join(outside, 'app.socket')).href, type: 1 },
          {
            uri: pathToFileURL(join(workspace, 'deploy', 'app.socket')).href.replace('app.socket', ''),
            type: 3,
          },
          { uri: pathToFileURL(join(workspace, 'no-such-file.service')).href, type: 3 },
          { uri: pathToFileURL(join(workspace, 'deploy')).href, type: 3 },
        ],
      });
      await gone;
      client.notify('workspace/didChangeWatchedFiles', { changes: null });
      client.notify('workspace/didChangeWatchedFiles', null);

      // The folder comes back (created in one event): its files are read again.
      mkdirSync(join(workspace, 'deploy'));
      writeFileSync(
        join(workspace, 'deploy', 'app.service'),
        '[Unit]\nRequires=app.socket\n\n[Service]\nType=notify\nWorkingDirectory=/srv/app\n' +
          'ExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app:app\n',
      );
      writeFileSync(join(workspace, 'deploy', 'app.socket'), '[Socket]\nListenStream=/run/app.sock\n');
      const back = client.diagnostics(uri, crossFile);
      client.notify('workspace/didChangeWatchedFiles', {
        changes: [{ uri: pathToFileURL(join(workspace, 'deploy')).href, type: 1 }],
      });
      await back;
      await client.assertAlive('watched');
      assert.equal(await client.shutdownAndExit(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('keeps the workspace index to the workspace folders (WorkspaceIndex)', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-index-'));
    const outside = mkdtempSync(join(tmpdir(), 'gc-index-out-'));
    try {
      mkdirSync(join(workspace, 'node_modules', 'pkg'), { recursive: true });
      for (const dir of [workspace, outside, join(workspace, 'node_modules', 'pkg')]) {
        writeFileSync(join(dir, 'gunicorn.conf.py'), 'workers = 2\n');
      }
      const index = new WorkspaceIndex([workspace], (path) => sourceKindOf(path));
      const paths = (): string[] => index.sources().map((s) => s.path);
      index.fileChanged(pathToFileURL(join(outside, 'gunicorn.conf.py')).href);
      index.fileChanged(pathToFileURL(join(workspace, 'node_modules', 'pkg', 'gunicorn.conf.py')).href);
      for (const bad of ['file://host/x', 'file:///a%2Fb', 'untitled:x', '', '%%%']) index.fileChanged(bad);
      assert.deepEqual(paths(), []);
      index.fileChanged(pathToFileURL(join(workspace, 'gunicorn.conf.py')).href);
      assert.deepEqual(paths(), [join(workspace, 'gunicorn.conf.py')]);
      assert.ok(index.allPaths().includes(join(workspace, 'gunicorn.conf.py')));
      rmSync(join(workspace, 'gunicorn.conf.py'));
      index.fileChanged(pathToFileURL(join(workspace, 'gunicorn.conf.py')).href);
      assert.deepEqual(paths(), []);
      assert.deepEqual(index.allPaths(), []);
      // An open document larger than the disk bound is left out of the model, like a huge file on disk.
      const open = pathToFileURL(join(workspace, 'gunicorn.conf.py')).href;
      index.setOpen(open, join(workspace, 'gunicorn.conf.py'), 'workers = 2\n');
      assert.equal(paths().length, 1);
      index.setOpen(open, join(workspace, 'gunicorn.conf.py'), '#'.repeat(1_000_001));
      assert.deepEqual(paths(), []);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('bundles no network client and writes no file itself', () => {
    const bundle = readFileSync(join(root, 'dist', 'server.js'), 'utf8');
    const modules = new Set([...bundle.matchAll(/require\("(?:node:)?([\w/]+)"\)/g)].map((m) => m[1]));
    for (const forbidden of ['http', 'https', 'http2', 'dns', 'tls', 'dgram']) {
      assert.ok(!modules.has(forbidden), `the bundle requires ${forbidden}`);
    }
    assert.doesNotMatch(bundle, /\b(writeFileSync|appendFileSync|createWriteStream|writeFile|appendFile)\(/);
  });
});

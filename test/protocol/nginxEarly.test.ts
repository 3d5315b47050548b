// An nginx site's first diagnostics in a workspace do not wait for the deployment build, and what they show is never
// taken back by it. The build is held back for real: the server runs beside a gate worker.js that blocks on a FIFO
// before it loads the real worker (dist/worker.js), so the early publication provably arrives before any build.

import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { MODEL_BOUNDS_NOTIFICATION } from '../../server/src/lsp/notifications';
import { REPO_ROOT } from '../helpers/appFixtures';

const SITE = 'nginx/sites-enabled/shop.conf';

/**
 * A site included into http by nginx.conf, proxying to an upstream defined in another file, using a module directive
 * that nginx.conf loads, `ssl on;` (gone from the newest nginx, fine in the 1.24 the Dockerfile names), and a
 * missing ";" that stands whatever the build finds.
 */
const FILES: Record<string, string> = {
  'nginx/nginx.conf':
    'load_module modules/ngx_http_headers_more_filter_module.so;\n' +
    'events {}\nhttp {\n    include conf.d/*.conf;\n    include sites-enabled/*.conf;\n}\n',
  'nginx/conf.d/upstreams.conf': 'upstream shop {\n    server unix:/run/shop.sock fail_timeout=0;\n}\n',
  [SITE]:
    'server {\n    listen 443;\n    ssl on;\n    server_name shop.example.com;\n' +
    '    more_set_headers "X-Frame-Options: DENY";\n' +
    '    location / {\n        include proxy_params;\n        proxy_pass http://shop;\n    }\n' +
    '    location /static {\n        alias /srv/shop/static/;\n        expires 7d\n    }\n}\n',
  Dockerfile: 'FROM nginx:1.24\nCOPY nginx/nginx.conf /etc/nginx/nginx.conf\n',
  'gunicorn.conf.py': 'bind = "unix:/run/shop.sock"\nworkers = 2\n',
};

type Event = { kind: 'diagnostics'; params: PublishDiagnosticsParams } | { kind: 'modelled' };

/** The bundled server started from a folder whose worker.js waits for `release()` before it loads the real one. */
class GatedServer {
  readonly process: ChildProcess;
  readonly connection: ProtocolConnection;
  /** Diagnostics and "model built" notifications, in the order the server sent them. */
  readonly events: Event[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly gate: string) {
    const fifo = join(gate, 'gate.fifo');
    execFileSync('mkfifo', [fifo]);
    const dist = join(REPO_ROOT, 'dist');
    // The server finds its worker beside process.argv[1]; its catalogues beside the real bundle (__dirname).
    writeFileSync(join(gate, 'server.js'), `require(${JSON.stringify(join(dist, 'server.js'))});\n`);
    writeFileSync(
      join(gate, 'worker.js'),
      `require('node:fs').readFileSync(${JSON.stringify(fifo)});\nrequire(${JSON.stringify(join(dist, 'worker.js'))});\n`,
    );
    this.process = spawn(process.execPath, [join(gate, 'server.js'), '--stdio'], { stdio: 'pipe' });
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) =>
      this.push({ kind: 'diagnostics', params }),
    );
    this.connection.onNotification(MODEL_BOUNDS_NOTIFICATION, () => this.push({ kind: 'modelled' }));
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => null),
    );
    this.connection.listen();
  }

  private push(event: Event): void {
    this.events.push(event);
    this.wake?.();
  }

  /** The index of the first event from `from` on that passes `test`, waiting for it if need be. */
  async next(from: number, test: (event: Event) => boolean): Promise<number> {
    for (let i = from; ; i++) {
      while (i >= this.events.length) await new Promise<void>((resolve) => (this.wake = resolve));
      if (test(this.events[i]!)) return i;
    }
  }

  /** Lets the worker go on: it has been blocked reading the FIFO since it started. */
  release(): Promise<void> {
    return writeFile(join(this.gate, 'gate.fifo'), 'go');
  }

  async start(folder: string): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'w' }],
    });
    await this.connection.sendNotification('initialized', {});
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process.on('exit', resolve));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }
}

/** A diagnostic as the editor shows it. */
const shown = (d: Diagnostic): string =>
  `${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${d.severity ?? ''} ${d.message}`;

describe('nginx diagnostics before the workspace build (server over stdio)', function () {
  this.timeout(30_000);
  let workspace: string;
  let gate: string;
  let server: GatedServer | undefined;

  before(function () {
    if (process.platform === 'win32') this.skip();
    execFileSync(process.execPath, [join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT });
    workspace = mkdtempSync(join(tmpdir(), 'gc-nginx-early-'));
    for (const [relative, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(workspace, relative)), { recursive: true });
      writeFileSync(join(workspace, relative), text);
    }
  });
  beforeEach(() => {
    gate = mkdtempSync(join(tmpdir(), 'gc-nginx-gate-'));
    server = new GatedServer(gate);
  });
  afterEach(async () => {
    await server?.stop();
    rmSync(gate, { recursive: true, force: true });
  });
  after(() => workspace && rmSync(workspace, { recursive: true, force: true }));

  it('publishes the early diagnostics while the build is held back, and the build only adds to them', async () => {
    const s = server!;
    await s.start(workspace);
    const uri = pathToFileURL(join(workspace, SITE)).href;
    const isSite = (e: Event) => e.kind === 'diagnostics' && e.params.uri === uri;
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'nginx', version: 1, text: FILES[SITE] },
    });
    const earlyAt = await s.next(0, isSite);
    // The worker is still blocked: no model exists, yet the site has its diagnostics.
    assert.ok(!s.events.some((e) => e.kind === 'modelled'));
    const early = (s.events[earlyAt] as { params: PublishDiagnosticsParams }).params.diagnostics;
    assert.deepEqual(
      early.map((d) => d.code),
      ['nginx-syntax'],
    );

    await s.release();
    const modelledAt = await s.next(earlyAt + 1, (e) => e.kind === 'modelled');
    const finalAt = await s.next(modelledAt + 1, isSite);
    const final = (s.events[finalAt] as { params: PublishDiagnosticsParams }).params.diagnostics;
    const after = new Set(final.map(shown));
    assert.deepEqual(
      early.map(shown).filter((d) => !after.has(d)),
      [],
      'early diagnostics taken back by the build',
    );
    // What the build settles: the upstream is defined in conf.d, nginx.conf loads headers-more, the Dockerfile's
    // nginx 1.24 still has `ssl on;`. None of it was ever shown; every check ran (proxy_params sets the headers).
    const codes = final.map((d) => d.code);
    for (const rule of ['nginx-unknown-upstream', 'nginx-module-directive', 'nginx-directive-version']) {
      assert.ok(!codes.includes(rule), `${rule}: ${JSON.stringify(final)}`);
    }
    assert.ok(codes.includes('nginx-alias-traversal'), JSON.stringify(final));
  });
});

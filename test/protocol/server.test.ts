// The bundled server over stdio, as an editor runs it, with a minimal and a full client capability set.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type PublishDiagnosticsParams,
  type ClientCapabilities,
  type CodeAction,
  type Hover,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Session, URI } from '../helpers/lspSession';

const root = join(__dirname, '..', '..', '..');

const FULL: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: {
      relatedInformation: true,
      codeDescriptionSupport: true,
      dataSupport: true,
      tagSupport: { valueSet: [1, 2] },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
  workspace: { configuration: true },
};

describe('language server over stdio', function () {
  before(() => execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root }));

  it('publishes diagnostics with rule codes and fix data, and exits cleanly (minimal client)', async () => {
    const session = new Session();
    const init = await session.start({});
    // Incremental changes; saves are announced (they refresh the nginx include index).
    assert.deepEqual(init.capabilities.textDocumentSync, {
      openClose: true,
      change: 2,
      save: { includeText: false },
    });
    const { diagnostics } = await session.open('worker = 4\nworkers = "four"\n');
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['unknown-setting', 'invalid-value'],
    );
    assert.ok(diagnostics.every((d) => d.source === 'gunicorn-config' && d.codeDescription === undefined));
    const hover = (await session.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 1, character: 2 },
    })) as Hover;
    assert.equal((hover.contents as { kind: string }).kind, 'plaintext');
    assert.match((hover.contents as { value: string }).value, /worker processes/);
    assert.equal(
      await session.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: 'file:///nope.py' },
        position: { line: 0, character: 0 },
      }),
      null,
    );
    assert.equal(await session.stop(), 0);
  });

  it('follows incremental edits, serves completion, and applies a quick fix (full client)', async () => {
    const session = new Session((section) =>
      section === 'gunicornConfig'
        ? { gunicornVersion: '24.1.0', severity: { 'unknown-setting': 'error' } }
        : null,
    );
    await session.start(FULL);
    const text = 'worker = 4\nhttp_protocols = "h1"\n';
    const first = await session.open(text);
    const settled = first.diagnostics.some((d) => d.code === 'setting-not-in-version')
      ? first
      : await session.diagnostics(URI, (p) => p.diagnostics.some((d) => d.code === 'setting-not-in-version'));
    const unknown = settled.diagnostics.find((d) => d.code === 'unknown-setting')!;
    assert.equal(unknown.severity, 1, 'the severity override from workspace/configuration applies');
    assert.ok(unknown.codeDescription?.href.includes('#unknown-setting'));

    const actions = (await session.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: unknown.range,
      context: { diagnostics: [unknown] },
    })) as CodeAction[];
    const rename = actions.find((a) => a.title === "Change to 'workers'")!;
    const document = TextDocument.create(URI, 'python', 1, text);
    assert.equal(
      TextDocument.applyEdits(document, rename.edit!.changes![URI]!),
      'workers = 4\nhttp_protocols = "h1"\n',
    );

    const fixed = session.diagnostics(URI, (p) => p.version === 2);
    void session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [
        { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: 's' },
      ],
    });
    assert.deepEqual(
      (await fixed).diagnostics.map((d) => d.code),
      ['setting-not-in-version'],
    );

    const items = (await session.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: URI },
      position: { line: 2, character: 0 },
    })) as CompletionItem[];
    const labels = items.map((i) => i.label);
    assert.ok(
      labels.includes('worker_class') && !labels.includes('http_protocols'),
      'only settings of the target version',
    );
    assert.equal(items.find((i) => i.label === 'timeout')!.insertTextFormat, 2);
    assert.equal(await session.stop(), 0);
  });

  it('makes a verdict of an assumed Gunicorn version a warning that says so; a pin or the setting makes it an error', async () => {
    const text = 'worker_class = "eventlet"\n';
    const workerClass = (p: PublishDiagnosticsParams) =>
      p.diagnostics.find((d) => d.code === 'unknown-worker-class');
    /** Opens the config and waits for its finding with `severity` (diagnostics may come again once settings arrive). */
    const severityOf = async (session: Session, severity: number, uri = URI): Promise<string> => {
      const wanted = session.diagnostics(uri, (p) => workerClass(p)?.severity === severity);
      await session.open(text, uri);
      return String(workerClass(await wanted)!.message);
    };
    const assumed = new Session(() => ({}));
    await assumed.start(FULL);
    assert.match(await severityOf(assumed, 2), /your project pins no version/);
    const hover = (await assumed.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 0, character: 2 },
    })) as Hover;
    assert.match(
      (hover.contents as { value: string }).value,
      /only assumed.*requirements\.txt or pyproject\.toml/,
    );
    assert.equal(await assumed.stop(), 0);

    const set = new Session((section) =>
      section === 'gunicornConfig' ? { gunicornVersion: '26.1.0' } : null,
    );
    await set.start(FULL);
    assert.match(await severityOf(set, 1), /from the gunicornVersion setting/);
    assert.equal(await set.stop(), 0);

    const folder = mkdtempSync(join(tmpdir(), 'gunicorn-config-pin-'));
    try {
      writeFileSync(join(folder, 'requirements.txt'), 'gunicorn==26.1.0\n');
      const pinned = new Session(() => ({}));
      await pinned.start(FULL, folder);
      const uri = pathToFileURL(join(folder, 'gunicorn.conf.py')).href;
      assert.match(await severityOf(pinned, 1, uri), /pinned in requirements\.txt/);
      assert.equal(await pinned.stop(), 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('judges unit files at the systemdVersion setting; without it, at the newest release', async () => {
    const uri = 'file:///tmp/project/app.service';
    const text = '[Service]\nExecStart=/usr/bin/gunicorn app:app\nRestartSteps=3\n';
    const verdicts = async (settings: object | null) => {
      const session = new Session((section) => (section === 'gunicornConfig' ? settings : null));
      await session.start(FULL);
      const { diagnostics } = await session.open(text, uri, 'systemd-unit-file');
      await session.stop();
      return diagnostics
        .filter((d) => d.code === 'directive-not-in-version')
        .map((d) => [d.severity, d.message]);
    };
    const set = await verdicts({ systemdVersion: '252' });
    assert.equal(set.length, 1);
    assert.equal(set[0]![0], 1, 'an error when the setting chose the release');
    assert.match(String(set[0]![1]), /the target is systemd 252 \(from the systemdVersion setting\)/);
    assert.deepEqual(await verdicts({ systemdVersion: 'auto' }), []);
  });

  it('sends one replace range for a completion list to clients that take itemDefaults.editRange', async () => {
    const uri = 'file:///tmp/project/site.conf';
    const text = 'http {\n    server {\n        gzi\n    }\n}\n';
    const position = { line: 2, character: 11 };
    const typed = { start: { line: 2, character: 8 }, end: position };
    /** The list at the cursor, and the `gzip` item as completionItem/resolve completes it (defaults applied first). */
    const complete = async (completion: NonNullable<ClientCapabilities['textDocument']>['completion']) => {
      const session = new Session();
      await session.start({ textDocument: { completion } });
      await session.open(text, uri, 'nginx');
      const result = (await session.connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position,
      })) as CompletionList | CompletionItem[];
      const gzip = (Array.isArray(result) ? result : result.items).find((i) => i.label === 'gzip')!;
      const defaultData = Array.isArray(result) ? undefined : result.itemDefaults?.data;
      const resolved = (await session.connection.sendRequest('completionItem/resolve', {
        ...gzip,
        data: gzip.data ?? defaultData,
      })) as CompletionItem;
      assert.equal(await session.stop(), 0);
      return { result, resolved };
    };
    /** The document after accepting `label`, whichever way the server said where its text goes. */
    const accept = (result: CompletionList | CompletionItem[], label: string): string => {
      const items = Array.isArray(result) ? result : result.items;
      const item = items.find((i) => i.label === label)!;
      const range = Array.isArray(result)
        ? (item.textEdit as { range: Range }).range
        : (result.itemDefaults!.editRange as Range);
      const newText = Array.isArray(result) ? item.textEdit!.newText : (item.textEditText ?? item.label);
      const document = TextDocument.create(uri, 'nginx', 1, text);
      return TextDocument.applyEdits(document, [{ range, newText }]);
    };

    const { result: shared, resolved: sharedGzip } = await complete({
      completionItem: { snippetSupport: false },
      completionList: { itemDefaults: ['editRange', 'data'] },
    });
    assert.ok(!Array.isArray(shared), 'a CompletionList');
    assert.deepEqual(shared.itemDefaults?.editRange, typed);
    assert.ok(shared.items.every((item) => item.textEdit === undefined && item.insertText === undefined));
    assert.ok(
      shared.items.every((item) => item.documentation === undefined && item.data === undefined),
      'a long list: documentation on resolve, one data for all',
    );
    const { result: perItem, resolved: perItemGzip } = await complete({
      completionItem: { snippetSupport: false },
    });
    assert.ok(Array.isArray(perItem), 'a plain item array for clients without itemDefaults');
    assert.deepEqual((perItem.find((i) => i.label === 'gzip')!.textEdit as { range: Range }).range, typed);
    // Both shapes insert the same text over the same word.
    assert.equal(accept(shared, 'gzip'), accept(perItem, 'gzip'));
    assert.match(accept(shared, 'gzip'), /^http \{\n {4}server \{\n {8}gzip o(n|ff);\n/);
    // Snippet-capable clients that take a default format get "snippet" once; only plain items say otherwise.
    const { result: snippets } = await complete({
      completionItem: { snippetSupport: true },
      completionList: { itemDefaults: ['editRange', 'data', 'insertTextFormat'] },
    });
    assert.ok(!Array.isArray(snippets));
    assert.equal(snippets.itemDefaults?.insertTextFormat, 2);
    assert.match(snippets.items.find((i) => i.label === 'gzip')!.textEditText!, /\$\{1\|on,off\|\}/);
    assert.ok(snippets.items.every((i) => i.insertTextFormat === undefined || i.insertTextFormat === 1));
    // Resolve finds the entry by label through the shared data, as through the per-item one.
    assert.match(JSON.stringify(sharedGzip.documentation), /compress/i);
    assert.deepEqual(sharedGzip.documentation, perItemGzip.documentation);
  });

  it('checks a big file a slice at a time: a small file opened after it is not kept waiting', async () => {
    const session = new Session(() => ({}));
    await session.start(FULL);
    // 12,000 lines: its rules take far longer than one slice of the server's checking (a few milliseconds).
    const helpers = Array.from({ length: 12_000 }, (_, i) => `helper_${i} = ${i}\n`).join('');
    const big = { uri: 'file:///srv/big/gunicorn.conf.py', text: `workers = 2\nworker = 4\n${helpers}` };
    const small = { uri: 'file:///srv/small/gunicorn.conf.py', text: 'worker = 4\n' };
    const order: string[] = [];
    const published = [big, small].map(({ uri }) =>
      session.diagnostics(uri).then((p) => {
        order.push(uri === big.uri ? 'big' : 'small');
        return p;
      }),
    );
    // Both checks are due at once (in this order); the big one's slices let the small one through.
    for (const { uri, text } of [big, small]) {
      void session.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'python', version: 1, text },
      });
    }
    const [bigResult, smallResult] = await Promise.all(published);
    assert.deepEqual(
      bigResult!.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['unknown-setting', 1]],
    );
    assert.deepEqual(
      smallResult!.diagnostics.map((d) => d.code),
      ['unknown-setting'],
    );
    assert.deepEqual(order, ['small', 'big']);
    assert.equal(await session.stop(), 0);
  });

  it('still diagnoses when the client never answers workspace/configuration', async () => {
    const session = new Session();
    await session.start({ workspace: { configuration: true } });
    const { diagnostics } = await session.open('workers = (\n');
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['syntax-error'],
    );
    assert.equal(await session.stop(), 0);
  });

  it('serves systemd unit files by file name, whatever language id the client sends', async () => {
    const session = new Session();
    await session.start(FULL);
    const unit = 'file:///tmp/project/deploy/app.service';
    const text =
      '[Unit]\nDescription=App\n\n[Service]\nExecStart=/srv/venv/bin/gunicorn --wokers 3 app:app\nRestrat=always\n';
    const { diagnostics } = await session.open(text, unit, 'systemd');
    const codes = diagnostics.map((d) => d.code);
    assert.ok(
      codes.includes('unknown-directive') && codes.includes('gunicorn-command-line'),
      codes.join(','),
    );
    const flag = diagnostics.find((d) => d.code === 'gunicorn-command-line')!;
    assert.deepEqual(flag.range.start, { line: 4, character: 33 });
    const hover = (await session.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: unit },
      position: { line: 5, character: 2 },
    })) as Hover | null;
    assert.equal(hover, null, 'an unknown key has no documentation');
    const items = (await session.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: unit },
      position: { line: 5, character: 0 },
    })) as CompletionItem[];
    assert.ok(items.some((i) => i.label === 'KillMode'));
    assert.ok(!items.some((i) => i.label === 'workers'), 'no Gunicorn settings in a unit file');
    const folds = (await session.connection.sendRequest('textDocument/foldingRange', {
      textDocument: { uri: unit },
    })) as { startLine: number; endLine: number }[];
    assert.deepEqual(
      folds.map((f) => [f.startLine, f.endLine]),
      [
        [0, 1],
        [3, 5],
      ],
    );
    assert.equal(await session.stop(), 0);
  });

  it('checks an nginx site with the workspace around it, and re-reads the workspace when files change', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-nginx-'));
    try {
      mkdirSync(join(workspace, 'nginx', 'conf.d'), { recursive: true });
      writeFileSync(
        join(workspace, 'nginx', 'nginx.conf'),
        'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
      );
      const upstreams = join(workspace, 'nginx', 'conf.d', 'upstreams.conf');
      writeFileSync(upstreams, 'upstream shop {\n    server unix:/run/shop.sock fail_timeout=0;\n}\n');
      const sitePath = join(workspace, 'nginx', 'conf.d', 'shop.conf');
      const site =
        'server {\n    listen 80;\n    location / {\n        proxy_pass http://shop;\n        proxy_read_timout 5s;\n\n    }\n    more_set_headers "X-A: b";\n}\n';
      writeFileSync(sitePath, site);
      const session = new Session();
      await session.start(FULL, workspace);
      const uri = pathToFileURL(sitePath).href;
      const { diagnostics } = await session.openAfterModel(site, uri, 'nginx');
      const codes = diagnostics.map((d) => d.code);
      assert.ok(codes.includes('nginx-unknown-directive'), codes.join(','));
      assert.ok(!codes.includes('nginx-unknown-upstream'), 'the upstream is defined in a sibling file');
      // The worker's build tells the site that the workspace's nginx.conf loads no headers-more module.
      const moduleFinding = diagnostics.find((d) => d.code === 'nginx-module-directive');
      assert.equal(moduleFinding?.severity, 1, JSON.stringify(moduleFinding));
      assert.equal(moduleFinding?.range.start.line, 7);
      assert.deepEqual(diagnostics.find((d) => d.code === 'nginx-unknown-directive')!.range.start, {
        line: 4,
        character: 8,
      });

      const hover = (await session.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: 3, character: 10 },
      })) as Hover | null;
      assert.match(JSON.stringify(hover?.contents ?? ''), /proxy_pass/);
      const items = (await session.connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: { line: 5, character: 8 },
      })) as CompletionItem[];
      const labels = items.map((i) => i.label);
      assert.ok(labels.includes('proxy_set_header'), 'location directives are offered');
      // A long list leaves documentation to completionItem/resolve.
      const header = items.find((i) => i.label === 'proxy_set_header')!;
      assert.equal(header.documentation, undefined);
      const resolved = (await session.connection.sendRequest(
        'completionItem/resolve',
        header,
      )) as CompletionItem;
      assert.match(JSON.stringify(resolved.documentation), /header/i);
      assert.ok(!labels.includes('worker_connections'), 'events directives are not');

      // The upstream is renamed on disk: after the watched-file event the site's proxy_pass names nothing.
      writeFileSync(upstreams, 'upstream store {\n    server unix:/run/shop.sock fail_timeout=0;\n}\n');
      const changed = session.diagnostics(uri, (p) =>
        p.diagnostics.some((d) => d.code === 'nginx-unknown-upstream'),
      );
      await session.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: pathToFileURL(upstreams).href, type: 2 }],
      });
      const after = await changed;
      assert.equal(after.diagnostics.find((d) => d.code === 'nginx-unknown-upstream')!.range.start.line, 3);
      assert.equal(await session.stop(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('judges nginx files by the nginx image of the workspace, or by the nginxVersion setting', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-nginx-version-'));
    try {
      mkdirSync(join(workspace, 'docker'));
      mkdirSync(join(workspace, 'nginx', 'conf.d'), { recursive: true });
      writeFileSync(
        join(workspace, 'docker', 'Dockerfile'),
        'FROM nginx:1.24-alpine\nCOPY nginx /etc/nginx\n',
      );
      const sitePath = join(workspace, 'nginx', 'conf.d', 'site.conf');
      const site = 'server {\n    listen 443 ssl;\n    http2 on;\n}\n';
      writeFileSync(sitePath, site);
      const uri = pathToFileURL(sitePath).href;
      const versionFinding = async (session: Session) => {
        await session.start(FULL, workspace);
        const first = await session.openAfterModel(site, uri, 'nginx');
        const found = first.diagnostics.find((d) => d.code === 'nginx-directive-version');
        await session.stop();
        return { found, codes: first.diagnostics.map((d) => d.code) };
      };
      const fromImage = await versionFinding(new Session(() => null));
      assert.ok(fromImage.found, fromImage.codes.join(','));
      assert.equal(fromImage.found.severity, 1);
      assert.match(
        JSON.stringify(fromImage.found.message),
        /added in nginx 1\.25\.1; the target is 1\.24\.0 \(found in docker\/Dockerfile:1\)/,
      );
      const fromSetting = await versionFinding(
        new Session((section) => (section === 'gunicornConfig' ? { nginxVersion: '1.26' } : null)),
      );
      assert.equal(fromSetting.found, undefined, fromSetting.codes.join(','));
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('adds cross-file findings with related information, and effective values to hovers', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-deploy-'));
    try {
      mkdirSync(join(workspace, 'deploy'));
      const configPath = join(workspace, 'gunicorn.conf.py');
      const config = 'bind = "127.0.0.1:8000"\nworkers = 2\n';
      writeFileSync(configPath, config);
      writeFileSync(
        join(workspace, 'deploy', 'app.service'),
        '[Unit]\nDescription=app\nRequires=app.socket\n\n[Service]\nType=notify\nWorkingDirectory=/srv/app\n' +
          'ExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py --workers 4 app:app\n' +
          'ExecReload=/bin/kill -s HUP $MAINPID\nKillMode=mixed\n\n[Install]\nWantedBy=multi-user.target\n',
      );
      writeFileSync(
        join(workspace, 'deploy', 'app.socket'),
        '[Unit]\nDescription=app socket\n\n[Socket]\nListenStream=/run/app.sock\nSocketUser=www-data\n\n' +
          '[Install]\nWantedBy=sockets.target\n',
      );
      const session = new Session();
      const logs: string[] = [];
      session.connection.onNotification('window/logMessage', (p: { message: string }) => {
        logs.push(p.message);
      });
      await session.start(FULL, workspace);
      const uri = pathToFileURL(configPath).href;
      const waiting = session.diagnostics(uri, (p) =>
        p.diagnostics.some((d) => d.code === 'bind-ignored-by-socket-activation'),
      );
      void session.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'python', version: 1, text: config },
      });
      const { diagnostics } = await waiting;
      const ignored = diagnostics.find((d) => d.code === 'bind-ignored-by-socket-activation')!;
      assert.equal(ignored.range.start.line, 0);
      assert.ok(
        ignored.relatedInformation?.some((r) => r.location.uri.endsWith('/deploy/app.socket')),
        JSON.stringify(ignored.relatedInformation),
      );
      const hover = (await session.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: 1, character: 2 },
      })) as Hover | null;
      const text = JSON.stringify(hover?.contents ?? '');
      assert.match(text, /Effective in this deployment/);
      assert.match(text, /`4`, from the command line \(app\.service:8\)/);
      assert.match(text, /overrides `2`/);
      // The model was built by the worker thread (dist/worker.js), not by the in-process fallback.
      assert.deepEqual(
        logs.filter((line) => /deployment worker/.test(line)),
        [],
      );
      assert.equal(await session.stop(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
  it('publishes app findings on a launch from the module it names, and describes the app on hover', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-app-'));
    try {
      writeFileSync(join(workspace, 'main.py'), 'from flask import Flask\n\napp = Flask(__name__)\n');
      const procfile = 'web: gunicorn main:application\n';
      const procfilePath = join(workspace, 'Procfile');
      writeFileSync(procfilePath, procfile);
      const session = new Session();
      await session.start(FULL, workspace);
      const uri = pathToFileURL(procfilePath).href;
      const waiting = session.diagnostics(uri, (p) =>
        p.diagnostics.some((d) => d.code === 'app-attribute-missing'),
      );
      void session.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'plaintext', version: 1, text: procfile },
      });
      const { diagnostics } = await waiting;
      const missing = diagnostics.find((d) => d.code === 'app-attribute-missing')!;
      assert.deepEqual(missing.range.start, { line: 0, character: 14 });
      assert.match(String(missing.message), /Did you mean 'app'/);
      assert.ok(
        missing.relatedInformation?.some((r) => r.location.uri.endsWith('/main.py')),
        JSON.stringify(missing.relatedInformation),
      );
      const hover = (await session.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: 0, character: 18 },
      })) as Hover | null;
      const text = JSON.stringify(hover?.contents ?? '');
      assert.match(text, /main\.py/);
      assert.match(text, /not found at the module's top level/);
      assert.equal(await session.stop(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

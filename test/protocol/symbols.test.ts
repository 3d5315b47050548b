// documentSymbol (nested and flat) and workspace/symbol, asked of the bundled server over stdio as an editor does.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-protocol/node';
import { Session } from '../helpers/lspSession';

const root = join(__dirname, '..', '..', '..');

const SITE = [
  'upstream catalog_app {',
  '    server unix:/run/catalog.sock fail_timeout=0;',
  '}',
  'server {',
  '    listen 80;',
  '    server_name catalog.example.org;',
  '    location /static/ {',
  '        alias /srv/catalog/static/;',
  '    }',
  '    location / {',
  '        proxy_pass http://catalog_app;',
  '    }',
  '}',
  '',
].join('\n');

const shape = (symbols: readonly DocumentSymbol[], indent = ''): string[] =>
  symbols.flatMap((s) => [`${indent}${s.name}`, ...shape(s.children ?? [], `${indent}  `)]);

describe('document and workspace symbols over stdio', function () {
  before(() => execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root }));

  it('answers nested DocumentSymbols to a client with hierarchical support', async () => {
    const client = new Session(() => null);
    const { capabilities } = await client.start({
      textDocument: {
        documentSymbol: {
          hierarchicalDocumentSymbolSupport: true,
          symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as SymbolKind) },
        },
      },
    });
    assert.ok(capabilities.documentSymbolProvider);
    assert.equal(capabilities.workspaceSymbolProvider, true);
    const uri = 'file:///tmp/gc-symbols/sites-available/catalog';
    await client.open(SITE, uri, 'nginx');
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.deepEqual(shape(symbols), [
      'upstream catalog_app',
      '  server unix:/run/catalog.sock',
      'server catalog.example.org',
      '  location /static/',
      '  location /',
    ]);
    const server = symbols[1]!;
    assert.equal(server.detail, '80');
    assert.equal(server.kind, SymbolKind.Class);
    assert.equal(server.children![0]!.kind, SymbolKind.Object);
    assert.deepEqual(server.range, { start: { line: 3, character: 0 }, end: { line: 12, character: 1 } });
    const unitUri = 'file:///tmp/gc-symbols/catalog.service';
    await client.open(
      '[Service]\nExecStart=/srv/venv/bin/gunicorn catalog.wsgi\n[Install]\nWantedBy=multi-user.target\n',
      unitUri,
      'systemd-unit-file',
    );
    const unit = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: unitUri },
    })) as DocumentSymbol[];
    assert.deepEqual(shape(unit), ['[Service]', '  ExecStart=', '[Install]', '  WantedBy=']);
    assert.equal(unit[0]!.children![0]!.kind, SymbolKind.Event, 'the Gunicorn launch stands out');
    assert.equal(unit[0]!.children![0]!.detail, 'gunicorn catalog.wsgi');
    assert.deepEqual(
      await client.connection.sendRequest('textDocument/documentSymbol', {
        textDocument: { uri: 'file:///nope' },
      }),
      [],
    );
    assert.equal(await client.stop(), 0);
  });

  it('answers flat SymbolInformation with containers, in LSP 3.0 kinds, to a client without it', async () => {
    const client = new Session(() => null);
    await client.start({});
    const uri = 'file:///tmp/gc-symbols/conf.d/catalog.conf';
    await client.open(SITE, uri, 'nginx');
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as SymbolInformation[];
    assert.deepEqual(
      symbols.map((s) => [s.name, s.containerName ?? '']),
      [
        ['upstream catalog_app', ''],
        ['server unix:/run/catalog.sock', 'upstream catalog_app'],
        ['server catalog.example.org', ''],
        ['location /static/', 'server catalog.example.org'],
        ['location /', 'server catalog.example.org'],
      ],
    );
    assert.ok(symbols.every((s) => s.location.uri === uri && s.kind >= 1 && s.kind <= 18));
    assert.equal(symbols[3]!.kind, SymbolKind.Namespace, 'Object is newer than 3.0: a known kind instead');
    await assert.rejects(
      client.connection.sendRequest('workspace/symbol', { query: 42 }),
      /query must be a string/,
    );
    await assert.rejects(
      client.connection.sendRequest('textDocument/documentSymbol', { textDocument: {} }),
      /textDocument.uri must be a string/,
    );
    assert.deepEqual(await client.connection.sendRequest('workspace/symbol', { query: '' }), []);
    assert.equal(await client.stop(), 0);
  });

  // With --early-worker (the VS Code client's, with folders open) the worker is started before `initialize`.
  for (const args of [[], ['--early-worker']]) {
    it(`answers workspace/symbol from the deployment build: launches, units, upstreams, server names (${args.join(' ') || 'worker at initialize'})`, async () => {
      const workspace = mkdtempSync(join(tmpdir(), 'gc-symbols-'));
      try {
        mkdirSync(join(workspace, 'deploy'));
        mkdirSync(join(workspace, 'nginx', 'conf.d'), { recursive: true });
        writeFileSync(join(workspace, 'gunicorn.conf.py'), 'workers = 3\n');
        writeFileSync(
          join(workspace, 'deploy', 'catalog.service'),
          '[Unit]\nRequires=catalog.socket\n[Service]\nExecStart=/srv/venv/bin/gunicorn catalog.wsgi:application\n',
        );
        writeFileSync(
          join(workspace, 'deploy', 'catalog.socket'),
          '[Socket]\nListenStream=/run/catalog.sock\n',
        );
        const sitePath = join(workspace, 'nginx', 'conf.d', 'catalog.conf');
        writeFileSync(sitePath, SITE);
        const client = new Session(() => null, args);
        await client.start({}, workspace);
        // The workspace's symbols come with the first build, which the server announces.
        await client.open(SITE, pathToFileURL(sitePath).href, 'nginx');
        await client.modelled;
        const found = (await client.connection.sendRequest('workspace/symbol', {
          query: 'catalog',
        })) as SymbolInformation[];
        const byName = new Map(found.map((s) => [s.name, s]));
        assert.deepEqual([...byName.keys()].sort(), [
          'catalog.example.org',
          'catalog.service',
          'catalog.socket',
          'catalog_app',
          'gunicorn catalog.wsgi:application',
        ]);
        assert.equal(byName.get('catalog_app')!.location.uri, pathToFileURL(sitePath).href);
        assert.equal(byName.get('gunicorn catalog.wsgi:application')!.containerName, 'catalog.service');
        assert.equal(byName.get('gunicorn catalog.wsgi:application')!.location.range.start.line, 3);
        const configs = (await client.connection.sendRequest('workspace/symbol', {
          query: 'gunicorn.conf',
        })) as SymbolInformation[];
        assert.deepEqual(
          configs.map((s) => s.location.uri),
          [pathToFileURL(join(workspace, 'gunicorn.conf.py')).href],
        );
        assert.equal(await client.stop(), 0);
      } finally {
        rmSync(workspace, { recursive: true, force: true });
      }
    });
  }
});

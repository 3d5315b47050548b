import { strict as assert } from 'node:assert';
import { boundOutline, MAX_OUTLINE_DEPTH, type OutlineSymbol } from '../../server/src/core/outline';
import { latestGunicornVersion } from '../../server/src/languages/gunicorn/catalog';
import {
  parseDocument,
  type DocumentContext,
  type LanguageId,
  type ParseHints,
} from '../../server/src/languages/registry';
import type { CommandSourceKind } from '../../server/src/languages/commands/index';

const ctx = (path: string): DocumentContext => ({
  uri: `file://${path}`,
  path,
  version: latestGunicornVersion(),
  versionLabel: 'test',
});

const outline = (language: LanguageId, text: string, path = '/srv/x', hints: ParseHints = {}) =>
  parseDocument(language, text, { path, ...hints }).outline(ctx(path));
const commands = (kind: CommandSourceKind, text: string, path = '/srv/x') =>
  outline('commands', text, path, { commandSourceKind: kind });

/** `kind name [detail]` per symbol, children indented: the shape a reader sees in the Outline view. */
function tree(symbols: readonly OutlineSymbol[], indent = ''): string[] {
  return symbols.flatMap((s) => [
    `${indent}${s.kind} ${s.name}${s.detail ? ` [${s.detail}]` : ''}`,
    ...tree(s.children ?? [], `${indent}  `),
  ]);
}

/** Every symbol's selection lies inside its range, and children inside their parent's (VS Code insists on the first). */
function assertWellFormed(symbols: readonly OutlineSymbol[], parent?: OutlineSymbol): void {
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (const s of symbols) {
    assert.ok(
      before(s.range.start, s.selectionRange.start) && before(s.selectionRange.end, s.range.end),
      s.name,
    );
    if (parent) {
      assert.ok(before(parent.range.start, s.range.start) && before(s.range.end, parent.range.end), s.name);
    }
    assertWellFormed(s.children ?? [], s);
  }
}

describe('document outline', () => {
  it('nests an nginx site: upstream with its servers, map, server named by server_name with listen as detail', () => {
    const site = [
      'upstream catalog_app {',
      '    server unix:/run/catalog/gunicorn.sock fail_timeout=0;',
      '    server 10.0.0.7:8000 backup;',
      '}',
      'map $http_upgrade $connection_upgrade {',
      '    default upgrade;',
      "    ''      close;",
      '}',
      'server {',
      '    listen 443 ssl;',
      '    listen [::]:443 ssl;',
      '    server_name catalog.example.org;',
      '    include snippets/tls.conf;',
      '    location /media/ {',
      '        alias /srv/catalog/media/;',
      '    }',
      '    location / {',
      '        if ($request_method = POST) { return 405; }',
      '        proxy_pass http://catalog_app;',
      '    }',
      '}',
      '',
    ].join('\n');
    const symbols = outline('nginx', site, '/etc/nginx/sites-available/catalog');
    assert.deepEqual(tree(symbols), [
      'upstream upstream catalog_app',
      '  directive server unix:/run/catalog/gunicorn.sock [fail_timeout=0]',
      '  directive server 10.0.0.7:8000 [backup]',
      'map map $http_upgrade $connection_upgrade',
      'server server catalog.example.org [443, [::]:443]',
      '  include include snippets/tls.conf',
      '  location location /media/',
      '  location location /',
      '    block if ($request_method = POST)',
    ]);
    assertWellFormed(symbols);
    const server = symbols[2]!;
    assert.deepEqual(server.range, { start: { line: 8, character: 0 }, end: { line: 20, character: 1 } });
    assert.deepEqual(server.selectionRange, {
      start: { line: 8, character: 0 },
      end: { line: 8, character: 6 },
    });
  });

  it('nests http > server > location in a main nginx.conf, and an unnamed server is just "server"', () => {
    const conf =
      'events {}\nhttp {\n  server {\n    listen 80 default_server;\n    location /static/ {}\n  }\n}\n';
    assert.deepEqual(tree(outline('nginx', conf, '/etc/nginx/nginx.conf')), [
      'block events',
      'block http',
      '  server server [80]',
      '    location location /static/',
    ]);
  });

  it('lists unit sections with their directives and marks the ExecStart= that runs Gunicorn', () => {
    const unit = [
      '[Unit]',
      'Description=Catalog web app',
      'Requires=catalog.socket',
      '',
      '[Service]',
      'User=catalog',
      'ExecStartPre=/usr/bin/install -d /run/catalog',
      'ExecStart=/srv/catalog/venv/bin/gunicorn \\',
      '    --config /srv/catalog/gunicorn.conf.py catalog.wsgi:application',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
    const symbols = outline('systemd', unit, '/etc/systemd/system/catalog.service');
    assert.deepEqual(tree(symbols), [
      'section [Unit]',
      '  directive Description= [Catalog web app]',
      '  directive Requires= [catalog.socket]',
      'section [Service]',
      '  directive User= [catalog]',
      '  directive ExecStartPre= [/usr/bin/install -d /run/catalog]',
      '  launch ExecStart= [gunicorn catalog.wsgi:application]',
      'section [Install]',
      '  directive WantedBy= [multi-user.target]',
    ]);
    assertWellFormed(symbols);
    // The continued ExecStart= spans both its lines; the [Service] section ends at its last directive, not the blank.
    // A misspelt flag leaves its value as the first positional word: the app shown is still the module.
    const misspelt = outline('systemd', '[Service]\nExecStart=/usr/bin/gunicorn --worker 3 catalog.wsgi\n');
    assert.equal(misspelt[0]!.children![0]!.detail, 'gunicorn catalog.wsgi');
    const service = symbols[1]!;
    assert.equal(service.children![2]!.range.end.line, 8);
    assert.equal(service.range.end.line, 8);
  });

  it('groups Gunicorn settings and hooks by the sections of the settings reference, others last', () => {
    const config = [
      'import multiprocessing',
      'import os',
      '',
      'bind = os.environ.get("BIND", "unix:/run/catalog/gunicorn.sock")',
      'workers = multiprocessing.cpu_count() * 2 + 1',
      'worker_class = "gthread"',
      'accesslog = "-"',
      'RELEASE = "2024.1"',
      '',
      'def post_fork(server, worker):',
      '    server.log.info("worker %s up", worker.pid)',
      '',
      'def _helper():',
      '    return 1',
      '',
      'timeout: int = 60',
      '',
    ].join('\n');
    const symbols = outline('gunicorn', config, '/srv/catalog/gunicorn.conf.py');
    assert.deepEqual(tree(symbols), [
      'section Server Socket',
      '  setting bind [os.environ.get("BIND", "unix:/run/catalog/gunicorn.sock")]',
      'section Worker Processes',
      '  setting workers [multiprocessing.cpu_count() * 2 + 1]',
      '  setting worker_class ["gthread"]',
      '  setting timeout [60]',
      'section Logging',
      '  setting accesslog ["-"]',
      'section Server Hooks',
      '  hook post_fork [(server, worker)]',
      'section Other',
      '  other RELEASE ["2024.1"]',
      '  other _helper [()]',
    ]);
    const hook = symbols[3]!.children![0]!;
    assert.deepEqual([hook.range.start.line, hook.range.end.line], [9, 10], 'the hook ends with its body');
  });

  it('gives Dockerfile stages with their instructions and marks the Gunicorn launch', () => {
    const dockerfile = [
      '# syntax=docker/dockerfile:1',
      'ARG PYTHON=3.12',
      'FROM python:${PYTHON}-slim AS deps',
      'RUN pip install --no-cache-dir \\',
      '    gunicorn==23.0.0',
      '',
      'FROM python:${PYTHON}-slim',
      'COPY --from=deps /usr/local /usr/local',
      'WORKDIR /app',
      'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "catalog.wsgi"]',
      '',
    ].join('\n');
    const symbols = commands('dockerfile', dockerfile, '/srv/Dockerfile');
    assert.deepEqual(tree(symbols), [
      'instruction ARG [PYTHON=3.12]',
      'section FROM deps [python:${PYTHON}-slim]',
      '  instruction RUN [pip install --no-cache-dir gunicorn==23.0.0]',
      'section FROM stage 1 [python:${PYTHON}-slim]',
      '  instruction COPY [--from=deps /usr/local /usr/local]',
      '  instruction WORKDIR [/app]',
      '  launch CMD [gunicorn catalog.wsgi]',
    ]);
    assertWellFormed(symbols);
  });

  it('keeps the lines of a Dockerfile heredoc inside its instruction', () => {
    const dockerfile = [
      'FROM python:3.12-slim',
      'RUN <<EOF',
      'apt-get update',
      'USER nobody',
      'EOF',
      'COPY <<-"CONF" /etc/app/gunicorn.conf.py',
      '\tworkers = 2',
      '\tCONF',
      'CMD gunicorn app:app',
      '',
    ].join('\n');
    const symbols = commands('dockerfile', dockerfile);
    assert.deepEqual(tree(symbols), [
      'section FROM stage 0 [python:3.12-slim]',
      '  instruction RUN [<<EOF]',
      '  instruction COPY [<<-"CONF" /etc/app/gunicorn.conf.py]',
      '  launch CMD [gunicorn app:app]',
    ]);
    assert.deepEqual(
      symbols[0]!.children!.map((s) => [s.range.start.line, s.range.end.line]),
      [
        [1, 4],
        [5, 7],
        [8, 8],
      ],
    );
  });

  it('lists Procfile process types, compose services (with their command) and the Gunicorn lines of a script', () => {
    assert.deepEqual(
      tree(
        commands(
          'procfile',
          'web: gunicorn catalog.wsgi --workers 3\nqueue: celery -A catalog worker\n',
          '/srv/Procfile',
        ),
      ),
      ['launch web [gunicorn catalog.wsgi]', 'process queue [celery -A catalog worker]'],
    );
    const compose = [
      'services:',
      '  web:',
      '    build: .',
      '    command: ["gunicorn", "-b", "0.0.0.0:8000", "catalog.wsgi"]',
      '  cache:',
      '    image: redis:7',
      '    command: redis-server --save ""',
      '',
    ].join('\n');
    assert.deepEqual(tree(commands('compose', compose, '/srv/compose.yaml')), [
      'service web [gunicorn catalog.wsgi]',
      '  launch command [gunicorn -b 0.0.0.0:8000 catalog.wsgi]',
      'service cache',
      '  directive command [redis-server --save ""]',
    ]);
    const script = '#!/bin/sh\nset -eu\npython manage.py migrate\nexec gunicorn --workers 2 catalog.wsgi\n';
    const symbols = commands('shell', script, '/srv/start.sh');
    assert.deepEqual(tree(symbols), [
      'launch gunicorn catalog.wsgi [exec gunicorn --workers 2 catalog.wsgi]',
    ]);
    assert.equal(symbols[0]!.range.start.line, 3);
  });

  it('reads CRLF and a byte order mark like LF, and the blanked view of a template', () => {
    const lf = '[Unit]\nDescription=x\n[Service]\nExecStart=/usr/bin/gunicorn app:app\n';
    const crlf = '\ufeff' + lf.replace(/\n/g, '\r\n');
    assert.deepEqual(tree(outline('systemd', crlf)), tree(outline('systemd', lf)));
    assert.deepEqual(tree(commands('dockerfile', '\ufeffFROM python:3.12\r\nCMD gunicorn app:app\r\n')), [
      'section FROM stage 0 [python:3.12]',
      '  launch CMD [gunicorn app:app]',
    ]);
    const template =
      'server {\n    listen {{ port }};\n    server_name {{ domain }};\n    location / {}\n}\n';
    const symbols = outline('nginx', template, '/srv/roles/web/templates/site.conf.j2');
    assert.deepEqual(tree(symbols), ['server server {{\u2026}} [{{\u2026}}]', '  location location /']);
  });

  it('never throws on junk, and stays bounded on a huge file', () => {
    const junk = ['{{{ ;;; }', '[', '\u0000\u0001', 'FROM', 'services: [1, 2', 'def (', '\\\n\\'];
    for (const text of junk) {
      for (const language of ['gunicorn', 'systemd', 'nginx'] as const) outline(language, text);
      for (const kind of ['dockerfile', 'procfile', 'compose', 'shell'] as const) commands(kind, text);
    }
    // 20,000 nested blocks: the outline stops at MAX_OUTLINE_DEPTH levels (no walk recurses deeper).
    let depth = 0;
    for (
      let level = outline('nginx', 'location / {'.repeat(20_000));
      level.length;
      level = level[0]!.children ?? []
    ) {
      depth++;
    }
    assert.equal(depth, MAX_OUTLINE_DEPTH);
    const many = 'upstream u {\n' + '    server 10.0.0.1:8000;\n'.repeat(20_000) + '}\n';
    const symbols = outline('nginx', many);
    const count = (list: readonly OutlineSymbol[]): number =>
      list.reduce((n, s) => n + 1 + count(s.children ?? []), 0);
    assert.equal(count(symbols), 5_000);
    assert.equal(symbols[0]!.name, 'upstream u', 'the parent of the kept symbols stays');
  });

  it('boundOutline keeps the first symbols in document order', () => {
    const leaf = (name: string): OutlineSymbol => {
      const r = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
      return { name, kind: 'directive', range: r, selectionRange: r };
    };
    const parent = { ...leaf('p'), children: [leaf('a'), leaf('b')] };
    assert.deepEqual(tree(boundOutline([parent, leaf('c')], 2)), ['directive p', '  directive a']);
    assert.deepEqual(tree(boundOutline([parent, leaf('c')], 1)), ['directive p']);
  });
});

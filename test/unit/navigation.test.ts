// Navigation from a deployment model built in memory: definitions, references, rename and links across files.

import { strict as assert } from 'node:assert';
import {
  definitionTargets,
  linksIn,
  prepareRenameAt,
  referencesOf,
  renameAt,
  siteAt,
  type NavigationIndex,
} from '../../server/src/core/navigation';
import { applyEdits, LineIndex, type Position } from '../../server/src/core/text';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import { navigationIndex } from '../../server/src/deployment/navigationSites';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { effectiveDefinitions } from '../../server/src/lsp/navigation';

const WORKSPACE: Record<string, string> = {
  '/w/nginx/nginx.conf': 'events {}\nhttp {\n    include sites/*.conf;\n}\n',
  '/w/nginx/sites/shop.conf':
    'upstream shop {\n    server unix:/run/shop.sock;\n}\nserver {\n    ssl_certificate /etc/ssl/shop.pem;\n' +
    '    location / {\n        proxy_pass http://shop;\n    }\n    location /b/ {\n' +
    '        proxy_pass http://127.0.0.1:8001;\n    }\n}\n',
  '/w/nginx/sites/api.conf':
    'server {\n    location /api/ {\n        proxy_pass http://shop/api/;\n    }\n}\n',
  '/w/deploy/shop.socket': '[Socket]\nListenStream=/run/shop.sock\n',
  '/w/deploy/shop.service':
    '[Unit]\nRequires=shop.socket\nAfter=network.target shop.socket\n\n[Service]\n' +
    'EnvironmentFile=-/etc/shop/shop.env\nWorkingDirectory=/srv/shop\n' +
    'ExecStart=/srv/shop/.venv/bin/gunicorn -c /srv/shop/gunicorn.conf.py shop.wsgi:application\n',
  '/w/deploy/api.service':
    '[Service]\nExecStart=/usr/bin/gunicorn --bind 127.0.0.1:8001 --workers 4 api:app\n',
  '/w/gunicorn.conf.py': 'bind = "unix:/run/shop.sock"\nworkers = 2\n',
};
/** Files that exist in the workspace but are no deployment source. */
const OTHER_PATHS = ['/w/etc/shop/shop.env', '/w/ssl/shop.pem'];

const uri = (path: string): string => `file://${path}`;

function indexOf(files: Record<string, string>): NavigationIndex {
  const sources: WorkspaceSource[] = Object.entries(files).map(([path, text]) => ({
    uri: uri(path),
    path,
    kind: sourceKindOf(path) ?? 'gunicorn',
    text,
  }));
  const allPaths = [...Object.keys(files), ...OTHER_PATHS];
  const model = buildDeploymentModel(
    sources,
    { version: [23, 0, 0], versionLabel: '23.0.0' },
    { paths: allPaths },
  );
  return navigationIndex({ model, sources, allPaths, uriOf: uri });
}

/** The position of `needle` (plus `delta` characters) in a file of `files`. */
function at(files: Record<string, string>, path: string, needle: string, delta = 0, nth = 0): Position {
  const text = files[path]!;
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} in ${path}`);
  return new LineIndex(text).positionAt(offset + delta);
}

function site(
  index: NavigationIndex,
  files: Record<string, string>,
  path: string,
  needle: string,
  delta = 0,
  nth = 0,
) {
  const position = at(files, path, needle, delta, nth);
  return siteAt(index, uri(path), position.line, position.character);
}

/** "path@line:character" of each location, for readable comparisons. */
const places = (locations: { uri: string; range: { start: Position } }[]): string[] =>
  locations
    .map((l) => `${l.uri.slice('file://'.length)}@${l.range.start.line}:${l.range.start.character}`)
    .sort();

const place = (files: Record<string, string>, path: string, needle: string, delta = 0, nth = 0): string => {
  const p = at(files, path, needle, delta, nth);
  return `${path}@${p.line}:${p.character}`;
};

describe('navigation across a deployment', () => {
  const index = indexOf(WORKSPACE);
  const W = WORKSPACE;

  it('leads from proxy_pass to the upstream block in another file of the include graph', () => {
    for (const [path, needle] of [
      ['/w/nginx/sites/shop.conf', 'http://shop;'],
      ['/w/nginx/sites/api.conf', 'http://shop/api/'],
    ] as const) {
      const from = site(index, W, path, needle, 'http://'.length + 1)!;
      assert.ok(from, needle);
      assert.deepEqual(places(definitionTargets(index, from)), [
        place(W, '/w/nginx/sites/shop.conf', 'shop {'),
      ]);
    }
  });

  it('leads from paths to the files they name: include globs to each match, -c, EnvironmentFile=, certificates', () => {
    const targets = (path: string, needle: string): string[] =>
      definitionTargets(index, site(index, W, path, needle, 2)!).map((l) => l.uri);
    assert.deepEqual(targets('/w/nginx/nginx.conf', 'sites/*.conf'), [
      uri('/w/nginx/sites/api.conf'),
      uri('/w/nginx/sites/shop.conf'),
    ]);
    assert.deepEqual(targets('/w/deploy/shop.service', '/srv/shop/gunicorn.conf.py'), [
      uri('/w/gunicorn.conf.py'),
    ]);
    assert.deepEqual(targets('/w/deploy/shop.service', '/etc/shop/shop.env'), [uri('/w/etc/shop/shop.env')]);
    assert.deepEqual(targets('/w/nginx/sites/shop.conf', '/etc/ssl/shop.pem'), [uri('/w/ssl/shop.pem')]);
    assert.deepEqual(
      linksIn(index, uri('/w/nginx/nginx.conf')).map((l) => l.target),
      [uri('/w/nginx/sites/api.conf'), uri('/w/nginx/sites/shop.conf')],
    );
  });

  it('leads from a unit name to the unit file, and finds every directive naming it', () => {
    const requires = site(index, W, '/w/deploy/shop.service', 'shop.socket', 3)!;
    assert.deepEqual(
      definitionTargets(index, requires).map((l) => l.uri),
      [uri('/w/deploy/shop.socket')],
    );
    assert.deepEqual(places(referencesOf(index, requires, false)), [
      place(W, '/w/deploy/shop.service', 'shop.socket'),
      place(W, '/w/deploy/shop.service', 'shop.socket', 0, 1),
    ]);
    // A unit the workspace does not have (network.target) has uses but nowhere to go.
    const network = site(index, W, '/w/deploy/shop.service', 'network.target')!;
    assert.deepEqual(definitionTargets(index, network), []);
  });

  it('leads from where nginx connects to where Gunicorn listens, and back', () => {
    const server = site(index, W, '/w/nginx/sites/shop.conf', '/run/shop.sock', 2)!;
    const listens = [
      place(W, '/w/deploy/shop.socket', '/run/shop.sock'),
      place(W, '/w/gunicorn.conf.py', '/run/shop.sock'),
    ].sort();
    assert.deepEqual(places(definitionTargets(index, server)), listens);
    const listenStream = site(index, W, '/w/deploy/shop.socket', '/run/shop.sock', 1)!;
    assert.deepEqual(places(definitionTargets(index, listenStream)), [
      place(W, '/w/nginx/sites/shop.conf', '/run/shop.sock'),
    ]);
    // A TCP address: nginx's 127.0.0.1:8001 reaches the unit's --bind.
    const tcp = site(index, W, '/w/nginx/sites/shop.conf', '127.0.0.1:8001', 3)!;
    assert.deepEqual(places(definitionTargets(index, tcp)), [
      place(W, '/w/deploy/api.service', '127.0.0.1:8001'),
    ]);
    assert.equal(
      referencesOf(index, server, true).length,
      3,
      'the upstream server, ListenStream= and the config bind',
    );
  });

  it('finds an upstream and every pass that uses it, with or without its declaration', () => {
    const use = site(index, W, '/w/nginx/sites/api.conf', 'shop/api', 1)!;
    const uses = [
      place(W, '/w/nginx/sites/shop.conf', 'shop;'),
      place(W, '/w/nginx/sites/api.conf', 'shop/api'),
    ];
    assert.deepEqual(places(referencesOf(index, use, false)), uses.sort());
    assert.deepEqual(
      places(referencesOf(index, use, true)),
      [...uses, place(W, '/w/nginx/sites/shop.conf', 'shop {')].sort(),
    );
  });

  it('renames an upstream in its definition and every use, across files', () => {
    const result = renameAt(index, site(index, W, '/w/nginx/sites/shop.conf', 'shop {', 1), 'store');
    assert.ok('edits' in result, JSON.stringify(result));
    const shop = applyEdits(
      W['/w/nginx/sites/shop.conf']!,
      result.edits.get(uri('/w/nginx/sites/shop.conf'))!,
    );
    const api = applyEdits(W['/w/nginx/sites/api.conf']!, result.edits.get(uri('/w/nginx/sites/api.conf'))!);
    assert.match(shop, /upstream store \{/);
    assert.match(shop, /proxy_pass http:\/\/store;/);
    assert.match(api, /proxy_pass http:\/\/store\/api\/;/);
    assert.equal(result.edits.size, 2);
  });

  it('renames a unix socket path in every file that writes it', () => {
    const result = renameAt(
      index,
      site(index, W, '/w/deploy/shop.socket', '/run/shop.sock', 4),
      '/run/store.sock',
    );
    assert.ok('edits' in result, JSON.stringify(result));
    const renamed = (path: string): string => applyEdits(W[path]!, result.edits.get(uri(path)) ?? []);
    assert.match(renamed('/w/deploy/shop.socket'), /ListenStream=\/run\/store\.sock\n/);
    assert.match(renamed('/w/gunicorn.conf.py'), /bind = "unix:\/run\/store\.sock"/);
    assert.match(renamed('/w/nginx/sites/shop.conf'), /server unix:\/run\/store\.sock;/);
    assert.equal(result.edits.size, 3);
  });

  it('refuses renames it cannot do safely, saying why', () => {
    const refusal = (result: ReturnType<typeof renameAt> | ReturnType<typeof prepareRenameAt>): string =>
      'refused' in result ? result.refused : '';
    const unit = site(index, W, '/w/deploy/shop.service', 'shop.socket', 1);
    assert.match(refusal(prepareRenameAt(index, unit)), /Only upstream names and unix socket paths/);
    assert.match(refusal(prepareRenameAt(index, undefined)), /Only upstream names and unix socket paths/);
    const upstream = site(index, W, '/w/nginx/sites/shop.conf', 'shop {', 1);
    assert.match(refusal(renameAt(index, upstream, 'two words')), /not a name an upstream can have/);
    const socket = site(index, W, '/w/deploy/shop.socket', '/run/shop.sock', 1);
    assert.match(refusal(renameAt(index, socket, 'run/x.sock')), /must be absolute/);
    assert.match(refusal(renameAt(index, socket, '/run/$APP.sock')), /characters/);
  });

  it('refuses to merge two upstreams by renaming one to the other', () => {
    const files = { ...W, '/w/nginx/sites/api.conf': 'upstream api {\n    server 127.0.0.1:9000;\n}\n' };
    const two = indexOf(files);
    const result = renameAt(two, site(two, files, '/w/nginx/sites/shop.conf', 'shop {', 1), 'API');
    assert.match('refused' in result ? result.refused : '', /already exists/);
  });

  it('refuses a socket rename when the path is also written where we cannot rewrite it', () => {
    const files = { ...W, '/w/Dockerfile': 'FROM python:3.12\nRUN mkdir -p /run && touch /run/shop.sock\n' };
    const stray = indexOf(files);
    const result = renameAt(
      stray,
      site(stray, files, '/w/deploy/shop.socket', '/run/shop.sock', 1),
      '/run/x.sock',
    );
    assert.match('refused' in result ? result.refused : '', /also written in Dockerfile:2/);
  });

  it('refuses a socket rename when a bind writes it relative to the working directory', () => {
    const files = {
      ...W,
      '/w/deploy/shop.service': W['/w/deploy/shop.service']!.replace(
        ' shop.wsgi',
        ' --bind unix:run/shop.sock shop.wsgi',
      ),
      '/w/nginx/sites/shop.conf': W['/w/nginx/sites/shop.conf']!.replace(
        '/run/shop.sock',
        '/srv/shop/run/shop.sock',
      ),
    };
    const relative = indexOf(files);
    const from = site(relative, files, '/w/nginx/sites/shop.conf', '/srv/shop/run/shop.sock', 1)!;
    assert.ok(from);
    assert.match(
      (prepareRenameAt(relative, from) as { refused: string }).refused,
      /relative to the working directory/,
    );
  });

  it('takes no site from template syntax', () => {
    const files = {
      ...W,
      '/w/nginx/sites/shop.conf': 'upstream {{ app }} {\n    server unix:/run/{{ app }}.sock;\n}\n',
    };
    const template = indexOf(files);
    assert.equal(site(template, files, '/w/nginx/sites/shop.conf', 'app }} {', 0), undefined);
    assert.equal(site(template, files, '/w/nginx/sites/shop.conf', '/run/{{', 1), undefined);
    // A placeholder port: neither `127` nor `127.0.0.1` is an address Gunicorn listens on.
    const placeholder = {
      ...W,
      '/w/deploy/api.service': '[Service]\nExecStart=/usr/bin/gunicorn --bind 127.0.0.1:__PORT__ api:app\n',
    };
    const unknown = indexOf(placeholder);
    for (const delta of [0, 1, 5, 10]) {
      assert.equal(
        site(unknown, placeholder, '/w/deploy/api.service', '127.0.0.1', delta),
        undefined,
        String(delta),
      );
    }
  });

  it('survives junk', () => {
    const junk = indexOf({
      '/w/nginx/nginx.conf': 'http { include [; upstream ; proxy_pass http://; server unix:; }}}{{',
      '/w/deploy/x.service': '[Unit]\nRequires=\\\nAfter= . .. ...\n[Socket]\nListenStream=\n',
    });
    assert.ok(Array.isArray(junk.sites));
  });
});

describe('from a setting to where its effective value comes from', () => {
  it('leads from workers in the config to the --workers that overrides it, and nowhere from the winner', () => {
    const files: Record<string, string> = {
      '/w/gunicorn.conf.py': 'bind = "127.0.0.1:8000"\nworkers = 2\n',
      '/w/deploy/shop.service':
        '[Service]\nWorkingDirectory=/srv/shop\n' +
        'ExecStart=/usr/bin/gunicorn -c /srv/shop/gunicorn.conf.py --workers 4 shop.wsgi:application\n',
    };
    const sources: WorkspaceSource[] = Object.entries(files).map(([path, text]) => ({
      uri: uri(path),
      path,
      kind: sourceKindOf(path) ?? 'gunicorn',
      text,
    }));
    const model = buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });
    const config = new LineIndex(files['/w/gunicorn.conf.py']!);
    const provider = effectiveDefinitions(model.effectiveSites(uri('/w/gunicorn.conf.py')), (o) =>
      config.positionAt(o),
    );
    const found = provider(uri('/w/gunicorn.conf.py'), files['/w/gunicorn.conf.py']!.indexOf('workers') + 2);
    assert.ok(found, 'a definition');
    assert.equal(found.targets[0]!.uri, uri('/w/deploy/shop.service'));
    const unit = new LineIndex(files['/w/deploy/shop.service']!);
    const flag = unit.positionAt(files['/w/deploy/shop.service']!.indexOf('4 shop'));
    assert.ok(
      found.targets[0]!.range.start.line === flag.line &&
        found.targets[0]!.range.start.character <= flag.character &&
        found.targets[0]!.range.end.character >= flag.character,
      JSON.stringify(found.targets[0]),
    );
    // bind is written only in the config: it is its own source, no definition elsewhere.
    assert.equal(provider(uri('/w/gunicorn.conf.py'), 2), undefined);
  });
});

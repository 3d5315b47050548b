import { strict as assert } from 'node:assert';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import {
  matchScore,
  queryWorkspaceSymbols,
  workspaceSymbols,
  type WorkspaceSymbolEntry,
} from '../../server/src/deployment/workspaceSymbols';

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

const SOURCES = [
  source('/w/gunicorn.conf.py', 'workers = 3\n'),
  source(
    '/w/deploy/catalog.service',
    '[Unit]\nRequires=catalog.socket\n[Service]\nExecStart=/srv/venv/bin/gunicorn -c /w/gunicorn.conf.py catalog.wsgi:application\n',
  ),
  source('/w/deploy/catalog.socket', '[Socket]\nListenStream=/run/catalog.sock\n'),
  source('/w/deploy/backup.timer', '[Timer]\nOnCalendar=daily\n'),
  source(
    '/w/nginx/conf.d/catalog.conf',
    'upstream catalog_app {\n    server unix:/run/catalog.sock;\n}\nserver {\n    listen 80;\n' +
      '    server_name catalog.example.org www.catalog.example.org _;\n    location / { proxy_pass http://catalog_app; }\n}\n',
  ),
  source('/w/Procfile', 'web: gunicorn catalog.wsgi\n'),
];

const names = (entries: readonly WorkspaceSymbolEntry[]) => entries.map((e) => `${e.kind} ${e.name}`);

describe('workspace symbols', () => {
  const model = buildDeploymentModel(SOURCES, { version: [23, 0, 0], versionLabel: '23.0.0' });
  const entries = workspaceSymbols(model, SOURCES);

  it('names every launch, unit, upstream, server name and Gunicorn config of the workspace', () => {
    assert.deepEqual(names(entries).sort(), [
      'config gunicorn.conf.py',
      'deployment gunicorn catalog.wsgi',
      'deployment gunicorn catalog.wsgi:application',
      'server-name catalog.example.org',
      'server-name www.catalog.example.org',
      'service catalog.service',
      'socket catalog.socket',
      'unit backup.timer',
      'upstream catalog_app',
    ]);
    const upstream = entries.find((e) => e.kind === 'upstream')!;
    assert.equal(upstream.uri, 'file:///w/nginx/conf.d/catalog.conf');
    assert.equal(upstream.range.start.line, 0);
    const launch = entries.find((e) => e.name === 'gunicorn catalog.wsgi:application')!;
    assert.equal(launch.container, 'catalog.service');
    assert.equal(launch.range.start.line, 3);
    const serverName = entries.find((e) => e.name === 'www.catalog.example.org')!;
    assert.deepEqual(serverName.range.start, { line: 5, character: 36 });
  });

  it('answers a query by prefix, then substring, then letters in order; case-insensitive and bounded', () => {
    // Prefixes first (by name), then substrings by where they start (www. before gunicorn ).
    assert.deepEqual(names(queryWorkspaceSymbols(entries, 'CATALOG', 10)), [
      'server-name catalog.example.org',
      'service catalog.service',
      'socket catalog.socket',
      'upstream catalog_app',
      'server-name www.catalog.example.org',
      'deployment gunicorn catalog.wsgi',
      'deployment gunicorn catalog.wsgi:application',
    ]);
    assert.deepEqual(names(queryWorkspaceSymbols(entries, 'ctsock', 10)), ['socket catalog.socket']);
    assert.equal(queryWorkspaceSymbols(entries, '', 3).length, 3);
    assert.deepEqual(queryWorkspaceSymbols(entries, 'nothing-like-this', 10), []);
    assert.equal(matchScore('abc', 'abcd'), undefined);
  });

  it('never throws on junk sources and keeps template stand-ins out of the names', () => {
    const junk = [
      source('/w/nginx/conf.d/broken.conf', 'server { server_name {{ domain }} ; upstream { ;;; \u0000'),
      source('/w/deploy/x.service.j2', '[Service]\nExecStart={{ gunicorn }} app:app\n'),
      source('/w/gunicorn.conf.py', 'def (:\n'),
    ];
    const junkModel = buildDeploymentModel(junk, { version: [23, 0, 0], versionLabel: '23.0.0' });
    const found = workspaceSymbols(junkModel, junk);
    assert.ok(!found.some((e) => e.name.includes('__X')), JSON.stringify(found));
    assert.ok(
      found.some((e) => e.name === 'x.service'),
      'a unit template is listed under the name it renders to',
    );
  });
});

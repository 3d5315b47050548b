// Navigation through the real server over stdio, in a throwaway workspace: definition (links or plain locations),
// references, prepareRename/rename (versioned documentChanges or plain changes) and document links, each under the
// client capabilities that decide the shape of the answer.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  ClientCapabilities,
  DocumentLink,
  Location,
  LocationLink,
  TextDocumentEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { positionIn, REPO_ROOT } from '../helpers/appFixtures';
import { Session } from '../helpers/lspSession';

const FILES: Record<string, string> = {
  'nginx/nginx.conf': 'events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n',
  'nginx/sites-enabled/shop.conf':
    'upstream shop {\n    server unix:/run/shop.sock;\n}\nserver {\n    listen 80;\n    location / {\n' +
    '        proxy_pass http://shop;\n    }\n}\n',
  'nginx/sites-enabled/api.conf':
    'server {\n    listen 8080;\n    location /api/ {\n        proxy_pass http://shop/api/;\n    }\n}\n',
  'deploy/shop.socket': '[Unit]\nDescription=Shop socket\n\n[Socket]\nListenStream=/run/shop.sock\n',
  'deploy/shop.service':
    '[Unit]\nDescription=Shop\nRequires=shop.socket\nAfter=network.target\n\n[Service]\nWorkingDirectory=/srv/shop\n' +
    'ExecStart=/srv/shop/.venv/bin/gunicorn -c /srv/shop/gunicorn.conf.py shop.wsgi:application\n',
  'gunicorn.conf.py': 'bind = "unix:/run/shop.sock"\nworkers = 2\n',
};

const FULL: ClientCapabilities = {
  textDocument: { definition: { linkSupport: true }, rename: { prepareSupport: true } },
  workspace: { workspaceEdit: { documentChanges: true } },
};

describe('navigation in an editor (server over stdio)', function () {
  this.timeout(30_000);
  let workspace: string;
  const path = (relative: string): string => join(workspace, relative);
  const uri = (relative: string): string => pathToFileURL(path(relative)).href;
  const at = (relative: string, needle: string, delta = 0) => {
    const position = positionIn(path(relative), needle);
    return {
      textDocument: { uri: uri(relative) },
      position: { ...position, character: position.character + delta },
    };
  };

  before(() => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT });
    workspace = mkdtempSync(join(tmpdir(), 'gc-navigation-'));
    for (const [relative, text] of Object.entries(FILES)) {
      mkdirSync(dirname(path(relative)), { recursive: true });
      writeFileSync(path(relative), text);
    }
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  /** Opens files, then asks `request` again after each published build until it answers (the build is in then). */
  async function openAndAsk<T>(
    session: Session,
    relatives: string[],
    request: () => Promise<T | null>,
  ): Promise<T> {
    const last = uri(relatives[relatives.length - 1]!);
    for (const relative of relatives) {
      void session.connection.sendNotification('textDocument/didOpen', {
        textDocument: {
          uri: uri(relative),
          languageId: languageOf(relative),
          version: 1,
          text: FILES[relative],
        },
      });
    }
    for (let round = 0; round < 10; round++) {
      await session.diagnostics(last);
      const answer = await request();
      if (answer !== null && !(Array.isArray(answer) && answer.length === 0)) return answer;
    }
    throw new Error('no answer after 10 builds');
  }

  const languageOf = (relative: string): string =>
    relative.endsWith('.py') ? 'python' : relative.includes('nginx') ? 'nginx' : 'systemd';

  it('answers definition with links, references, prepareRename and a versioned rename', async () => {
    const session = new Session();
    const init = await session.start(FULL, workspace);
    assert.equal(init.capabilities.referencesProvider, true);
    assert.deepEqual(init.capabilities.renameProvider, { prepareProvider: true });
    assert.ok(init.capabilities.documentLinkProvider);

    const use = at('nginx/sites-enabled/api.conf', 'shop/api', 1);
    const links = await openAndAsk(
      session,
      ['nginx/sites-enabled/shop.conf', 'nginx/sites-enabled/api.conf'],
      () => session.connection.sendRequest('textDocument/definition', use) as Promise<LocationLink[] | null>,
    );
    assert.equal(links.length, 1);
    assert.equal(links[0]!.targetUri, uri('nginx/sites-enabled/shop.conf'));
    assert.deepEqual(
      links[0]!.targetSelectionRange.start,
      positionIn(path('nginx/sites-enabled/shop.conf'), 'shop {'),
    );
    const origin = positionIn(path('nginx/sites-enabled/api.conf'), 'shop/api');
    assert.deepEqual(links[0]!.originSelectionRange, {
      start: origin,
      end: { line: origin.line, character: origin.character + 4 },
    });

    const refs = (includeDeclaration: boolean) =>
      session.connection.sendRequest('textDocument/references', {
        ...use,
        context: { includeDeclaration },
      }) as Promise<Location[]>;
    assert.equal((await refs(false)).length, 2);
    const withDeclaration = await refs(true);
    assert.equal(withDeclaration.length, 3);
    assert.ok(withDeclaration.some((l) => l.uri === uri('nginx/sites-enabled/shop.conf')));

    const prepared = (await session.connection.sendRequest('textDocument/prepareRename', use)) as {
      range: unknown;
      placeholder: string;
    };
    assert.equal(prepared.placeholder, 'shop');
    await assert.rejects(
      session.connection.sendRequest(
        'textDocument/prepareRename',
        at('nginx/sites-enabled/api.conf', 'listen'),
      ),
      /Only upstream names and unix socket paths/,
    );

    const edit = (await session.connection.sendRequest('textDocument/rename', {
      ...use,
      newName: 'store',
    })) as WorkspaceEdit;
    const changes = edit.documentChanges as TextDocumentEdit[];
    assert.equal(changes.length, 2);
    for (const change of changes) {
      // Both files are open: their edits carry the editor's version.
      assert.equal(change.textDocument.version, 1);
      for (const e of change.edits) assert.equal((e as { newText: string }).newText, 'store');
    }
    assert.equal(changes.flatMap((c) => c.edits).length, 3);
    await assert.rejects(
      session.connection.sendRequest('textDocument/rename', { ...use, newName: 'two words' }),
      /not a name an upstream can have/,
    );
    assert.equal(await session.stop(), 0);
  });

  it('answers plain locations and plain changes to a client without linkSupport, prepareSupport or documentChanges', async () => {
    const session = new Session();
    const init = await session.start({}, workspace);
    assert.equal(init.capabilities.renameProvider, true);
    const listen = at('deploy/shop.socket', '/run/shop.sock', 2);
    const locations = await openAndAsk(
      session,
      ['deploy/shop.socket'],
      () => session.connection.sendRequest('textDocument/definition', listen) as Promise<Location[] | null>,
    );
    // From where Gunicorn listens back to where nginx connects.
    assert.deepEqual(locations, [
      {
        uri: uri('nginx/sites-enabled/shop.conf'),
        range: {
          start: positionIn(path('nginx/sites-enabled/shop.conf'), '/run/shop.sock'),
          end: {
            line: positionIn(path('nginx/sites-enabled/shop.conf'), '/run/shop.sock').line,
            character: positionIn(path('nginx/sites-enabled/shop.conf'), '/run/shop.sock').character + 14,
          },
        },
      },
    ]);
    const edit = (await session.connection.sendRequest('textDocument/rename', {
      ...listen,
      newName: '/run/store.sock',
    })) as WorkspaceEdit;
    assert.equal(edit.documentChanges, undefined);
    assert.deepEqual(Object.keys(edit.changes!).sort(), [
      uri('deploy/shop.socket'),
      uri('gunicorn.conf.py'),
      uri('nginx/sites-enabled/shop.conf'),
    ]);
    // Nothing was written: the edit is the editor's to apply.
    assert.equal(readFileSync(path('deploy/shop.socket'), 'utf8'), FILES['deploy/shop.socket']);
    assert.equal(await session.stop(), 0);
  });

  it('answers bad params with InvalidParams and never dies', async () => {
    const session = new Session();
    await session.start(FULL, workspace);
    const code = (method: string, params: unknown): Promise<number | undefined> =>
      session.connection.sendRequest(method, params).then(
        () => undefined,
        (error: { code?: number }) => error.code,
      );
    const site = at('nginx/sites-enabled/shop.conf', 'shop {', 1);
    for (const method of [
      'textDocument/references',
      'textDocument/prepareRename',
      'textDocument/rename',
      'textDocument/documentLink',
    ]) {
      assert.equal(await code(method, null), -32602, `${method} null`);
      assert.equal(await code(method, { textDocument: { uri: 42 } }), -32602, `${method} uri`);
    }
    assert.equal(await code('textDocument/references', { textDocument: site.textDocument }), -32602);
    assert.equal(await code('textDocument/rename', { ...site, newName: 42 }), -32602);
    // A file the editor never opened: nothing, not an error.
    const closed = { textDocument: { uri: uri('nowhere.conf') }, position: { line: 0, character: 0 } };
    assert.equal(
      await session.connection.sendRequest('textDocument/references', { ...closed, context: {} }),
      null,
    );
    assert.equal(await session.stop(), 0);
  });

  it('links include globs and -c files to the files, and leads from a unit name to its file', async () => {
    const session = new Session();
    await session.start(FULL, workspace);
    const links = await openAndAsk(
      session,
      ['nginx/nginx.conf'],
      () =>
        session.connection.sendRequest('textDocument/documentLink', {
          textDocument: { uri: uri('nginx/nginx.conf') },
        }) as Promise<DocumentLink[] | null>,
    );
    assert.deepEqual(links.map((l) => l.target).sort(), [
      uri('nginx/sites-enabled/api.conf'),
      uri('nginx/sites-enabled/shop.conf'),
    ]);
    const service = await openAndAsk(
      session,
      ['deploy/shop.service'],
      () =>
        session.connection.sendRequest('textDocument/documentLink', {
          textDocument: { uri: uri('deploy/shop.service') },
        }) as Promise<DocumentLink[] | null>,
    );
    assert.deepEqual(
      service.map((l) => l.target),
      [uri('gunicorn.conf.py')],
    );
    const unit = (await session.connection.sendRequest(
      'textDocument/definition',
      at('deploy/shop.service', 'shop.socket', 2),
    )) as LocationLink[];
    assert.equal(unit[0]!.targetUri, uri('deploy/shop.socket'));
    assert.equal(await session.stop(), 0);
  });
});

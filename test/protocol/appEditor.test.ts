// The app spec through the real server over stdio, on a throwaway copy of the fixture projects (test/fixtures/apps):
// Go to Definition (links with their origin, or plain locations), completion of `module:attr`, the hover, and the
// Django settings diagnostic with its related information.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  ClientCapabilities,
  CompletionItem,
  CompletionList,
  Hover,
  Location,
  LocationLink,
} from 'vscode-languageserver-protocol/node';
import { copyAppFixtures, positionIn, REPO_ROOT } from '../helpers/appFixtures';
import { Session } from '../helpers/lspSession';

const CLIENT: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true },
    hover: { contentFormat: ['markdown'] },
    completion: { completionItem: { snippetSupport: true } },
    definition: { linkSupport: true },
  },
};

describe('the app spec in an editor (server over stdio, fixture projects)', function () {
  this.timeout(30_000);
  let workspace: string;
  before(() => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT });
    workspace = copyAppFixtures();
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  /** Opens a file of the copy and waits for diagnostics that satisfy `accept` (the model's build is in by then). */
  async function open(session: Session, relative: string, languageId: string, rule: string) {
    const path = join(workspace, relative);
    const uri = pathToFileURL(path).href;
    const text = readFileSync(path, 'utf8');
    const waiting = session.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === rule));
    void session.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
    return { path, uri, text, diagnostics: (await waiting).diagnostics };
  }

  it('reports the Django settings module, leads from the spec to its binding, and describes the app', async () => {
    const session = new Session();
    const init = await session.start(CLIENT, workspace);
    assert.equal(init.capabilities.definitionProvider, true);
    const docker = await open(
      session,
      'django/broken/Dockerfile',
      'dockerfile',
      'django-settings-module-missing',
    );
    const settings = docker.diagnostics.find((d) => d.code === 'django-settings-module-missing')!;
    assert.equal(settings.severity, 1);
    assert.deepEqual(settings.range.start, positionIn(docker.path, 'bookshop.settings.production'));
    assert.match(String(settings.message), /Did you mean 'bookshop\.settings'/);
    assert.ok(
      settings.relatedInformation?.some((r) => r.location.uri.endsWith('/django/broken/bookshop/wsgi.py')),
      JSON.stringify(settings.relatedInformation),
    );

    const spec = positionIn(docker.path, 'bookshop.wsgi:application');
    const at = { textDocument: { uri: docker.uri }, position: { ...spec, character: spec.character + 3 } };
    const links = (await session.connection.sendRequest('textDocument/definition', at)) as LocationLink[];
    assert.equal(links.length, 1);
    const wsgi = join(workspace, 'django', 'broken', 'bookshop', 'wsgi.py');
    assert.equal(links[0]!.targetUri, pathToFileURL(wsgi).href);
    assert.deepEqual(links[0]!.targetSelectionRange.start, positionIn(wsgi, 'application ='));
    assert.deepEqual(links[0]!.originSelectionRange, {
      start: spec,
      end: { line: spec.line, character: spec.character + 'bookshop.wsgi:application'.length },
    });
    const nowhere = await session.connection.sendRequest('textDocument/definition', {
      textDocument: { uri: docker.uri },
      position: { line: 0, character: 1 },
    });
    assert.equal(nowhere, null);

    const hover = (await session.connection.sendRequest('textDocument/hover', at)) as Hover;
    const text = JSON.stringify(hover.contents);
    assert.match(text, /bookshop\/wsgi\.py/);
    assert.match(text, /WSGI app, Django/);
    assert.equal(await session.stop(), 0);
  });

  it('completes module names and the module’s app names in a compose command', async () => {
    const session = new Session();
    await session.start(CLIENT, workspace);
    const compose = await open(
      session,
      'factory/broken/compose.yaml',
      'dockercompose',
      'app-factory-not-called',
    );
    const spec = positionIn(compose.path, 'blog:create_app');
    // The user retypes the spec: completion answers from the last build while the text differs from it.
    const lines = compose.text.split('\n');
    const typed = (word: string) => {
      const line = lines[spec.line]!;
      const edited =
        line.slice(0, spec.character) + word + line.slice(spec.character + 'blog:create_app'.length);
      return [...lines.slice(0, spec.line), edited, ...lines.slice(spec.line + 1)].join('\n');
    };
    let version = 1;
    const complete = async (word: string): Promise<CompletionItem[]> => {
      await session.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: compose.uri, version: ++version },
        contentChanges: [{ text: typed(word) }],
      });
      const result = (await session.connection.sendRequest('textDocument/completion', {
        textDocument: { uri: compose.uri },
        position: { line: spec.line, character: spec.character + word.length },
      })) as CompletionItem[] | CompletionList;
      return Array.isArray(result) ? result : result.items;
    };
    const modules = await complete('bl');
    const labels = modules.map((i) => i.label);
    assert.ok(labels.includes('blog') && labels.includes('blog.views'), labels.join(' '));
    const names = await complete('blog:');
    const factory = names.find((i) => i.label === 'create_app()');
    assert.ok(factory, names.map((i) => i.label).join(' '));
    assert.equal((factory.textEdit as { newText: string }).newText, 'blog:create_app()');
    assert.deepEqual((factory.textEdit as { range: { start: unknown } }).range.start, spec);
    assert.equal(await session.stop(), 0);
  });

  it('answers plain locations to a client without link support', async () => {
    const session = new Session();
    await session.start({ textDocument: { publishDiagnostics: {} } }, workspace);
    const procfile = await open(session, 'flask/broken/Procfile', 'plaintext', 'app-attribute-missing');
    // The broken spec names no binding: Go to Definition opens the module file.
    const spec = positionIn(procfile.path, 'notes:application');
    const locations = (await session.connection.sendRequest('textDocument/definition', {
      textDocument: { uri: procfile.uri },
      position: spec,
    })) as Location[];
    assert.deepEqual(
      locations.map((l) => [l.uri.endsWith('/flask/broken/notes.py'), l.range.start.line]),
      [[true, 0]],
    );
    assert.equal(await session.stop(), 0);
  });
});

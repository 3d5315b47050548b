// Fix-all and inlay hints through the real server over stdio: `source.fixAll.gunicornConfig` as codeActionsOnSave asks
// for it, and the effective value another file sets shown next to the overridden setting (after the build's refresh).

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientCapabilities, CodeAction, InlayHint } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Session, URI } from '../helpers/lspSession';

const root = join(__dirname, '..', '..', '..');

const CLIENT: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: { dataSupport: true },
    hover: { contentFormat: ['markdown'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
    },
    inlayHint: {},
  },
  workspace: { inlayHint: { refreshSupport: true }, configuration: true },
};

const CONFIG = [
  'keep_alive = 5', // unknown-setting, one candidate: safe
  'loglevel = "warn"', // the alias of warning: safe
  'max_requests = 1000', // max-requests-without-jitter: adding a jitter changes behaviour, never applied
  'preload_app = "yes"', // invalid-value: the one reading is True, safe
  '',
].join('\n');

const FIXED = ['keepalive = 5', 'loglevel = "warning"', 'max_requests = 1000', 'preload_app = True', ''].join(
  '\n',
);

describe('fix-all and inlay hints (server over stdio)', function () {
  this.timeout(30_000);
  before(() => execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root }));

  it('advertises source.fixAll.gunicornConfig and applies only the safe fixes, as one edit', async () => {
    const session = new Session();
    const init = await session.start(CLIENT);
    assert.deepEqual(
      (init.capabilities.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds,
      ['quickfix', 'source.fixAll.gunicornConfig'],
    );
    assert.equal(init.capabilities.inlayHintProvider, true);
    const { diagnostics } = await session.open(CONFIG);
    assert.ok(diagnostics.some((d) => d.code === 'max-requests-without-jitter'));

    // What VS Code sends for `editor.codeActionsOnSave: { "source.fixAll": "explicit" }`.
    const onSave = (await session.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } },
      context: { diagnostics, only: ['source.fixAll'], triggerKind: 2 },
    })) as CodeAction[];
    assert.equal(onSave.length, 1, JSON.stringify(onSave));
    const action = onSave[0]!;
    assert.equal(action.kind, 'source.fixAll.gunicornConfig');
    const edits = action.edit!.changes![URI]!;
    assert.deepEqual(Object.keys(action.edit!.changes!), [URI], 'fix-all edits the saved document only');
    assert.equal(TextDocument.applyEdits(TextDocument.create(URI, 'python', 1, CONFIG), edits), FIXED);

    // The light bulb (no `only`) gets quick fixes, not fix-all; `only: ['quickfix']` likewise.
    for (const only of [undefined, ['quickfix']]) {
      const actions = (await session.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: diagnostics[0]!.range,
        context: { diagnostics, ...(only ? { only } : {}) },
      })) as CodeAction[];
      assert.ok(actions.length > 0 && actions.every((a) => a.kind === 'quickfix'), JSON.stringify(only));
    }
    assert.equal(await session.stop(), 0);
  });

  it('offers no fix-all when nothing safe is left', async () => {
    const session = new Session();
    await session.start(CLIENT);
    const { diagnostics } = await session.open(FIXED);
    const actions = (await session.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics, only: ['source'] },
    })) as CodeAction[];
    assert.deepEqual(actions, []);
    assert.equal(await session.stop(), 0);
  });

  it('shows the value another file sets next to the overridden setting, after refreshing', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-inlay-'));
    try {
      mkdirSync(join(workspace, 'deploy'));
      const config = 'workers = 2\ntimeout = 30\n';
      writeFileSync(join(workspace, 'gunicorn.conf.py'), config);
      writeFileSync(
        join(workspace, 'deploy', 'shop.service'),
        [
          '[Service]',
          'Type=notify',
          'ExecStart=/srv/shop/.venv/bin/gunicorn -c /srv/shop/gunicorn.conf.py --workers 4 shop.wsgi:application',
          '',
        ].join('\n'),
      );
      const session = new Session((section) =>
        section === 'gunicornConfig' ? { inlayHints: { defaults: true } } : null,
      );
      const uri = pathToFileURL(join(workspace, 'gunicorn.conf.py')).href;
      const hintsOf = async (end: { line: number; character: number }) =>
        (await session.connection.sendRequest('textDocument/inlayHint', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end },
        })) as InlayHint[];
      // Each refresh (the settings, then the build) asks again, as an editor would, until the build's hint is in.
      let found!: (hints: InlayHint[]) => void;
      const built = new Promise<InlayHint[]>((resolve) => (found = resolve));
      session.connection.onRequest('workspace/inlayHint/refresh', async () => {
        const now = await hintsOf({ line: 2, character: 0 });
        if (now.some((h) => String(h.label).includes('shop.service'))) found(now);
        return null;
      });
      await session.start(CLIENT, workspace);
      await session.open(config, uri);
      const hints = await built;
      const labels = hints.map((h) => `${h.position.line}:${h.position.character} ${String(h.label)}`);
      assert.ok(labels.includes('0:11 \u2192 4 from shop.service:3'), labels.join(' | '));
      // The defaults option is on: timeout = 30 is Gunicorn's default, workers = 2 is not.
      assert.ok(labels.includes('1:12 (default)'), labels.join(' | '));
      assert.ok(labels.includes('0:11 default: 1'), labels.join(' | '));
      // A range that ends before line 1 leaves line 1's hint out.
      const first = await hintsOf({ line: 0, character: 11 });
      assert.ok(first.length > 0 && first.every((h) => h.position.line === 0));
      assert.equal(await session.stop(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

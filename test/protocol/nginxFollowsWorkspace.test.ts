// An open nginx file's own findings read what the workspace says of Gunicorn (its addresses, its worker class): an
// edit of another file that changes that must change them, and one that changes nothing must keep them.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientCapabilities, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { Session } from '../helpers/lspSession';

const CAPABILITIES: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true } },
};

const FILES: Record<string, string> = {
  'deploy/app.service':
    '[Service]\nWorkingDirectory=/srv/app\nExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app:app\n',
  'gunicorn.conf.py': 'bind = "127.0.0.1:8000"\nworker_class = "sync"\n',
  'deploy/site.conf':
    'server {\n    listen 80;\n    location / {\n        proxy_buffering off;\n' +
    '        proxy_pass http://127.0.0.1:8000;\n    }\n}\n',
};

describe('an open nginx file and the workspace (language server)', function () {
  this.timeout(30_000);

  it('finds again when another file changes what its rules read, and keeps its findings when it does not', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-nginx-follows-'));
    try {
      for (const [path, text] of Object.entries(FILES)) {
        mkdirSync(dirname(join(workspace, path)), { recursive: true });
        writeFileSync(join(workspace, path), text);
      }
      const session = new Session();
      await session.start(CAPABILITIES, workspace);
      await session.modelled;
      const site = pathToFileURL(join(workspace, 'deploy/site.conf')).href;
      const config = pathToFileURL(join(workspace, 'gunicorn.conf.py')).href;
      const buffering = (p: PublishDiagnosticsParams) =>
        p.diagnostics.filter((d) => d.code === 'nginx-proxy-buffering-off').map((d) => d.message);
      // Sync workers: proxy_buffering off lets a slow client hold one.
      const first = await session.openAfterModel(
        readFileSync(join(workspace, 'deploy/site.conf'), 'utf8'),
        site,
        'nginx',
      );
      assert.equal(buffering(first).length, 1, JSON.stringify(first.diagnostics));
      await session.open(FILES['gunicorn.conf.py']!, config);
      let version = 1;
      /**
       * Edits the config and resolves with the site's diagnostics once the build that edit started is in: the first
       * publication that `wanted` accepts (a check that an earlier open or edit started may still publish the site
       * before it; a site that never follows the edit times the test out).
       */
      const editConfig = async (
        text: string,
        wanted: (p: PublishDiagnosticsParams) => boolean = () => true,
      ) => {
        version++;
        const built = session.diagnostics(
          config,
          (p) => p.version === version && p.diagnostics !== undefined,
        );
        const siteAfter = session.diagnostics(site, wanted);
        void session.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri: config, version },
          contentChanges: [{ text }],
        });
        await built;
        return siteAfter;
      };
      // Async workers: the finding goes.
      const asyncWorkers = await editConfig(
        'bind = "127.0.0.1:8000"\nworker_class = "gevent"\n',
        (p) => buffering(p).length === 0,
      );
      assert.deepEqual(buffering(asyncWorkers), [], JSON.stringify(asyncWorkers.diagnostics));
      // Back to sync: it comes back, with the same message as at first.
      const syncAgain = await editConfig(
        'bind = "127.0.0.1:8000"\nworker_class = "sync"\n',
        (p) => buffering(p).length > 0,
      );
      assert.deepEqual(buffering(syncAgain), buffering(first));
      // A comment changes nothing the site's rules read: the same findings.
      const comment = await editConfig('# a comment\nbind = "127.0.0.1:8000"\nworker_class = "sync"\n');
      assert.deepEqual(comment.diagnostics, syncAgain.diagnostics);
      assert.equal(await session.stop(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

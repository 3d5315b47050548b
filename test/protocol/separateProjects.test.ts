// A workspace of several projects with files of the same names, through the language server: each open file gets the
// cross-file findings of its own project, including those an nginx file holds for the sites it includes.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientCapabilities } from 'vscode-languageserver-protocol/node';
import { Session } from '../helpers/lspSession';

const CAPABILITIES: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true } },
};

/** One project: a socket-activated service with its config, and an nginx whose http block sets the read timeout. */
function writeProject(root: string, stop: string, config: string): void {
  const files: Record<string, string> = {
    'deploy/app.service':
      '[Unit]\nRequires=app.socket\n\n[Service]\nType=notify\nWorkingDirectory=/srv/app\n' +
      `ExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app:app\nTimeoutStopSec=${stop}\n`,
    'deploy/app.socket': '[Socket]\nListenStream=/run/app.sock\n',
    'gunicorn.conf.py': config,
    'deploy/nginx/nginx.conf':
      'events {}\nhttp {\n    proxy_read_timeout 20s;\n    include sites/*.conf;\n}\n',
    'deploy/nginx/sites/app.conf':
      'server {\n    listen 80;\n    location / {\n        proxy_pass http://unix:/run/app.sock;\n    }\n}\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('several projects in one workspace (language server)', function () {
  this.timeout(30_000);

  it("gives each open file its own project's cross-file findings", async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gc-projects-'));
    try {
      // alpha's systemd stops after 10 s, before its 30 s graceful_timeout; beta's allows 120 s.
      writeProject(join(workspace, 'alpha'), '10s', 'graceful_timeout = 30\ntimeout = 60\n');
      writeProject(
        join(workspace, 'beta'),
        '120s',
        'graceful_timeout = 30\ntimeout = 60\nbind = "127.0.0.1:8000"\n',
      );
      const session = new Session();
      await session.start(CAPABILITIES, workspace);
      await session.modelled;
      const open = async (path: string, languageId: string, code: string) => {
        const uri = pathToFileURL(join(workspace, path)).href;
        const text = readFileSync(join(workspace, path), 'utf8');
        const waiting = session.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === code));
        void session.connection.sendNotification('textDocument/didOpen', {
          textDocument: { uri, languageId, version: 1, text },
        });
        return (await waiting).diagnostics.map((d) => String(d.code));
      };
      // The timeout is written in nginx.conf, the pass in the site it includes (not open): the finding is in nginx.conf.
      assert.ok((await open('beta/deploy/nginx/nginx.conf', 'nginx', 'proxy-read-timeout-short')).length);
      assert.ok(
        (await open('alpha/gunicorn.conf.py', 'python', 'stop-timeout-below-graceful')).includes(
          'stop-timeout-below-graceful',
        ),
      );
      // beta's own cross-file finding arrives, and alpha's stop timeout is not beta's.
      const beta = await open('beta/gunicorn.conf.py', 'python', 'bind-ignored-by-socket-activation');
      assert.ok(!beta.includes('stop-timeout-below-graceful'), beta.join(','));
      assert.equal(await session.stop(), 0);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

// Show Effective Configuration through the real server over stdio: workspace/executeCommand answers the page and its
// data for a throwaway workspace, with the editor's unsaved text winning over the disk.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExplainReport } from '../../server/src/deployment/explain';
import { REPO_ROOT } from '../helpers/appFixtures';
import { Session } from '../helpers/lspSession';

const FILES: Record<string, string> = {
  'deploy/shop.service':
    '[Unit]\nDescription=Shop\n\n[Service]\nWorkingDirectory=/srv/shop\n' +
    'ExecStart=/srv/shop/.venv/bin/gunicorn -c /srv/shop/gunicorn.conf.py --timeout 60 shop.wsgi:application\n',
  'gunicorn.conf.py': 'bind = "unix:/run/shop.sock"\ntimeout = 20\nworkers = 2\n',
};

type Answer = { markdown: string; report: ExplainReport } | { error: string };

describe('Show Effective Configuration (server over stdio)', function () {
  this.timeout(30_000);
  let workspace: string;

  before(() => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'esbuild.mjs')], { cwd: REPO_ROOT });
    workspace = mkdtempSync(join(tmpdir(), 'gc-explain-'));
    for (const [relative, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(workspace, relative)), { recursive: true });
      writeFileSync(join(workspace, relative), text);
    }
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  it('advertises the command and answers the table with its sources, the editor text winning', async () => {
    const session = new Session();
    const init = await session.start({}, workspace);
    const provider = init.capabilities.executeCommandProvider as { commands: string[] };
    assert.ok(provider.commands.includes('gunicornConfig.server.explain'));
    const config = pathToFileURL(join(workspace, 'gunicorn.conf.py')).href;
    // Unsaved in the editor: workers 7 (the disk says 2).
    await session.open('bind = "unix:/run/shop.sock"\ntimeout = 20\nworkers = 7\n', config);
    const answer = (await session.connection.sendRequest('workspace/executeCommand', {
      command: 'gunicornConfig.server.explain',
    })) as Answer;
    assert.ok(!('error' in answer), JSON.stringify(answer));
    const [deployment] = answer.report.deployments;
    assert.equal(deployment?.service?.name, 'shop.service');
    const workers = deployment.settings.find((s) => s.setting === 'workers');
    assert.equal(workers?.value, '7');
    const timeout = deployment.settings.find((s) => s.setting === 'timeout');
    assert.deepEqual(
      [timeout?.value, timeout?.origin, timeout?.overrides.map((o) => o.value)],
      ['60', 'command-line', ['20']],
    );
    const row = answer.markdown.split('\n').find((line) => line.startsWith('| `timeout`'));
    assert.ok(row?.includes('[deploy/shop.service:6]'), row);
    assert.equal(await session.stop(), 0);
  });

  it('says what to do without a workspace folder', async () => {
    const session = new Session();
    await session.start({});
    const answer = (await session.connection.sendRequest('workspace/executeCommand', {
      command: 'gunicornConfig.server.explain',
    })) as Answer;
    assert.match('error' in answer ? answer.error : '', /workspace folder/);
    assert.equal(await session.stop(), 0);
  });
});

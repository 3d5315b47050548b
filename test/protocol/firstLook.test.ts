// A big workspace's first model: the open files show what the files nearest them say before the whole workspace is
// modelled, and nginx files keep their early checks until the whole model's facts arrive.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { FIRST_LOOK_SOURCES } from '../../server/src/lsp/deploymentBuild';
import { Session } from '../helpers/lspSession';

const root = join(__dirname, '..', '..', '..');
const EXAMPLE = join(root, 'examples', 'deployment');
const CROSS_FILE = 'bind-ignored-by-socket-activation';
/** Withheld from nginx files until the whole model (its include context may make the name a map key). */
const WITHHELD = 'nginx-unknown-directive';

const codes = (p: PublishDiagnosticsParams): unknown[] => p.diagnostics.map((d) => d.code);
/** Copies of the example deployment (5 files each), several times the first look's size. */
const COPIES = Math.ceil(FIRST_LOOK_SOURCES / 5) * 4;

describe('first look at a big workspace over stdio', function () {
  this.timeout(60_000);
  let folder: string;
  before(() => {
    execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root });
    folder = mkdtempSync(join(tmpdir(), 'gc-first-look-'));
    for (let i = 0; i < COPIES; i++) cpSync(EXAMPLE, join(folder, `svc${i}`), { recursive: true });
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('publishes the open config’s cross-file finding before the whole model, and keeps it after', async () => {
    const session = new Session(() => null, ['--early-worker']);
    await session.start({}, folder);
    const last = join(folder, `svc${COPIES - 1}`);
    const config = pathToFileURL(join(last, 'gunicorn.conf.py')).href;
    const site = pathToFileURL(join(last, 'deploy', 'shop.nginx')).href;
    const early = session.diagnostics(config, (p) => codes(p).includes(CROSS_FILE));
    const siteBeforeModel: unknown[][] = [];
    const siteAfterModel = session.diagnostics(site, (p) => {
      if (!session.modelBuilt) siteBeforeModel.push(codes(p));
      return session.modelBuilt;
    });
    void session.open(readFileSync(join(last, 'gunicorn.conf.py'), 'utf8'), config, 'python');
    void session.open(readFileSync(join(last, 'deploy', 'shop.nginx'), 'utf8'), site, 'nginx');
    await early;
    assert.equal(session.modelBuilt, false, 'the finding came from the first look, before the whole model');
    // The whole model says the same of the open config, and only then do nginx files get the withheld rules.
    const after = session.diagnostics(config, () => session.modelBuilt);
    await session.modelled;
    assert.ok(codes(await after).includes(CROSS_FILE));
    assert.ok(codes(await siteAfterModel).includes(WITHHELD));
    assert.ok(siteBeforeModel.length > 0, 'the site had its early diagnostics');
    assert.ok(
      siteBeforeModel.every((list) => !list.includes(WITHHELD)),
      JSON.stringify(siteBeforeModel),
    );
    assert.equal(await session.stop(), 0);
  });
});

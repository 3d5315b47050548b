// Oracle: the real nginx (Debian 12's and Debian 13's) judges our renames. nginx -t resolves a proxy_pass host that is
// no upstream through DNS and refuses the configuration when it cannot: a rename that missed one use of an upstream
// fails here, and so does one that wrote a name or a socket path nginx cannot read.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renameAt, siteAt } from '../../server/src/core/navigation';
import { applyEdits, LineIndex } from '../../server/src/core/text';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import { navigationIndex } from '../../server/src/deployment/navigationSites';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { JUDGE_SETS, requireJudge } from '../helpers/judges';
import { nginxSiteTest } from '../helpers/nginxSite';

const SITE = [
  'upstream shop_backend {',
  '    server unix:/run/shop/app.sock fail_timeout=0;',
  '}',
  'server {',
  '    listen 127.0.0.1:18081;',
  '    location / { proxy_pass http://shop_backend; }',
  '    location /api/ { proxy_pass http://shop_backend/v1/; }',
  '    location /uwsgi/ { uwsgi_pass shop_backend; }',
  '    location /grpc/ { grpc_pass grpc://shop_backend; }',
  '    location /direct/ { proxy_pass http://unix:/run/shop/app.sock:/; }',
  '}',
  '',
].join('\n');

const PATH = '/srv/nginx/sites-enabled/shop.conf';
const URI = `file://${PATH}`;

/** Our rename of the name at `needle` (+2 characters) in the site, applied. */
function renamed(needle: string, newName: string): string {
  const sources: WorkspaceSource[] = [{ uri: URI, path: PATH, kind: 'nginx', text: SITE }];
  const model = buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });
  const index = navigationIndex({ model, sources, allPaths: [PATH], uriOf: (p) => `file://${p}` });
  const position = new LineIndex(SITE).positionAt(SITE.indexOf(needle) + 2);
  const result = renameAt(index, siteAt(index, URI, position.line, position.character), newName);
  assert.ok('edits' in result, JSON.stringify(result));
  return applyEdits(SITE, result.edits.get(URI) ?? []);
}

for (const set of JUDGE_SETS) {
  describe(`oracle: renames judged by nginx -t (${set.debian})`, function () {
    this.timeout(60_000);
    let dir = '';
    before(function () {
      requireJudge(this, set, 'nginx');
      dir = mkdtempSync(join(tmpdir(), 'nginx-rename-'));
      mkdirSync(join(dir, 'logs'));
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('accepts the original, and the site with its upstream renamed everywhere', () => {
      const original = nginxSiteTest(set, dir, SITE);
      assert.ok(original.ok, original.output);
      const text = renamed('shop_backend {', 'store-backend.v2');
      assert.equal(text.split('store-backend.v2').length - 1, 5, text);
      assert.ok(!text.includes('shop_backend'), text);
      const after = nginxSiteTest(set, dir, text);
      assert.ok(after.ok, `${after.output}\n${text}`);
    });

    it('refuses the site when one use keeps the old name (the judge sees what a missed use would do)', () => {
      const text = renamed('shop_backend {', 'store_backend').replace(
        'proxy_pass http://store_backend/v1/',
        'proxy_pass http://shop_backend/v1/',
      );
      const judged = nginxSiteTest(set, dir, text);
      assert.equal(judged.ok, false, text);
      assert.match(judged.output, /host not found in upstream "shop_backend"/);
    });

    it('accepts the site with its socket path renamed in the upstream and in the pass', () => {
      const text = renamed('/run/shop/app.sock fail', '/run/store/web.sock');
      assert.equal(text.split('/run/store/web.sock').length - 1, 2, text);
      const after = nginxSiteTest(set, dir, text);
      assert.ok(after.ok, `${after.output}\n${text}`);
    });
  });
}

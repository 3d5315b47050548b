// The server's two scan listings (a directory per turn on the main thread, all at once in the worker) list the same
// files in the same order: the order decides which files a bounded model holds.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listWorkspaceFilesAsync, listWorkspaceFilesAtOnce } from '../../server/src/workspaceFiles';

/** A tree with files at several depths, a vendored folder, a hidden one and a folder name that sorts first. */
function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'gc-listing-'));
  const files = [
    'gunicorn.conf.py',
    'deploy/app.service',
    'deploy/nginx/sites/app.conf',
    'deploy/nginx/nginx.conf',
    'a/b/c/d/deep.conf',
    'node_modules/pkg/app.service',
    '.git/config',
    '.hidden/app.service',
    'svc1/gunicorn.conf.py',
    'svc1/deploy/app.socket',
    'svc2/Procfile',
  ];
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '# listed\n');
  }
  return root;
}

describe('workspace listings', () => {
  let root: string;
  before(() => (root = tree()));
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const options of [{}, { maxDepth: 2 }, { maxFiles: 4 }, { maxDepth: 1, maxFiles: 3 }]) {
    it(`lists the same files in the same order at once and a directory per turn (${JSON.stringify(options)})`, async () => {
      const atOnce = listWorkspaceFilesAtOnce([root], options);
      assert.deepEqual(atOnce, await listWorkspaceFilesAsync([root], options));
      assert.ok(atOnce.length > 0);
    });
  }

  it('lists nearer files first, and never vendored or hidden folders', () => {
    const listed = listWorkspaceFilesAtOnce([root]).map((path) =>
      path.slice(root.length + 1).replace(/\\/g, '/'),
    );
    assert.equal(listed[0], 'gunicorn.conf.py');
    assert.ok(listed.indexOf('deploy/app.service') < listed.indexOf('deploy/nginx/nginx.conf'));
    assert.ok(listed.indexOf('deploy/nginx/nginx.conf') < listed.indexOf('a/b/c/d/deep.conf'));
    assert.ok(!listed.some((path) => /node_modules|\.git|\.hidden/.test(path)), listed.join(', '));
    assert.equal(listed.length, 8);
  });

  it('skips a root that cannot be read and lists the others', async () => {
    const missing = join(root, 'no-such-folder');
    const atOnce = listWorkspaceFilesAtOnce([missing, join(root, 'svc1')]);
    assert.deepEqual(atOnce, await listWorkspaceFilesAsync([missing, join(root, 'svc1')]));
    assert.equal(atOnce.length, 2);
  });
});

import { strict as assert } from 'node:assert';
import { FolderIndex, foldersOf } from '../../server/src/core/folderIndex';

describe('folder index', () => {
  const files = ['/srv/a/app.service', '/srv/b/app.service', '/srv/b/x/app.service', '/opt/app.service'];
  const index = new FolderIndex(files, foldersOf);

  it('finds the items sharing the most leading folders with a file', () => {
    assert.deepEqual(index.nearest(foldersOf('/srv/b/x/y/app.socket')), ['/srv/b/x/app.service']);
    assert.deepEqual(index.nearest(foldersOf('/srv/a/deep/er/app.socket')), ['/srv/a/app.service']);
    assert.deepEqual(index.nearest(foldersOf('/opt/app.socket')), ['/opt/app.service']);
  });

  it('gives every item tied for nearest, in the order given', () => {
    assert.deepEqual(index.nearest(foldersOf('/srv/c/app.socket')), [
      '/srv/a/app.service',
      '/srv/b/app.service',
      '/srv/b/x/app.service',
    ]);
    assert.deepEqual(index.nearest(foldersOf('/home/app.socket')), files);
  });

  it('does not take a folder for another that merely starts alike', () => {
    const alike = new FolderIndex(['/srv/app/x.conf', '/srv/application/y.conf'], foldersOf);
    assert.deepEqual(alike.nearest(foldersOf('/srv/application/z/q.conf')), ['/srv/application/y.conf']);
  });

  it('says how many leading folders the nearest share, and -1 for an empty index', () => {
    assert.deepEqual(index.nearestShared(foldersOf('/srv/b/x/y/app.socket')), {
      items: ['/srv/b/x/app.service'],
      shared: 4,
    });
    // Only the root folder ("" before the first slash) in common: every item.
    assert.deepEqual(index.nearestShared(foldersOf('/home/app.socket')), { items: files, shared: 1 });
    // A relative path shares not even the root with absolute ones.
    assert.deepEqual(index.nearestShared(foldersOf('home/app.socket')), { items: files, shared: 0 });
    assert.deepEqual(new FolderIndex([], foldersOf).nearestShared(foldersOf('/srv/app.socket')), {
      items: [],
      shared: -1,
    });
  });
});

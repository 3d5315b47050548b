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

  it('answers as a comparison with every item does, in chains, branches and folders holding items themselves', () => {
    // Random trees over few folder names, so chains (a folder with one subfolder), items beside subfolders and
    // shared prefixes all occur; the index shares one list down a chain, which must not change an answer.
    let seed = 17;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pathOf = (): string =>
      '/' + Array.from({ length: 1 + random(5) }, () => 'abc'[random(3)]).join('/') + `/f${random(4)}`;
    const startsWith = (folders: readonly string[], prefix: readonly string[]): boolean =>
      prefix.every((folder, i) => folders[i] === folder);
    for (let round = 0; round < 300; round++) {
      const items = Array.from({ length: 1 + random(8) }, pathOf);
      const index = new FolderIndex(items, foldersOf);
      for (let query = 0; query < 10; query++) {
        const folders = foldersOf(pathOf());
        let shared = folders.length;
        while (!items.some((item) => startsWith(foldersOf(item), folders.slice(0, shared)))) shared--;
        const expected = items.filter((item) => startsWith(foldersOf(item), folders.slice(0, shared)));
        assert.deepEqual(index.nearestShared(folders), { items: expected, shared }, `${items} / ${folders}`);
      }
    }
  });
});

// Server paths joined the way a shell, Docker or Python resolves them (core/paths.ts).

import { strict as assert } from 'node:assert';
import { joinDirPath, joinPath } from '../../server/src/core/paths';

describe('core paths', () => {
  it('joins relative paths onto a folder, drops . and .., and lets an absolute path stand alone', () => {
    assert.equal(joinPath('/srv/app', 'src/../shop/wsgi.py'), '/srv/app/shop/wsgi.py');
    assert.equal(joinPath('/srv/app/', './x'), '/srv/app/x');
    assert.equal(joinPath('/srv/app', '/opt/x/../y'), '/opt/y');
    assert.equal(joinPath('/srv', '../../..'), '/');
    assert.equal(joinPath('/srv', 'a\\b'), '/srv/a/b');
  });

  it('keeps a folder a folder when the path says so (COPY . /srv/)', () => {
    assert.equal(joinDirPath('/srv', '.'), '/srv/');
    assert.equal(joinDirPath('/srv', './'), '/srv/');
    assert.equal(joinDirPath('/', 'app/'), '/app/');
    assert.equal(joinDirPath('/srv', 'requirements.txt'), '/srv/requirements.txt');
    assert.equal(joinDirPath('/srv', '../'), '/');
  });
});

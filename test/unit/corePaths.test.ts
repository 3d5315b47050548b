// Server paths joined the way a shell, Docker or Python resolves them (core/paths.ts).

import { strict as assert } from 'node:assert';
import { dirname, forwardSlashes, joinDirPath, joinPath } from '../../server/src/core/paths';

describe('core paths', () => {
  it('turns Windows separators into forward slashes, and leaves other paths as they are', () => {
    assert.equal(forwardSlashes('C:\\srv\\app\\gunicorn.conf.py'), 'C:/srv/app/gunicorn.conf.py');
    assert.equal(forwardSlashes('deploy\\nginx/site.conf'), 'deploy/nginx/site.conf');
    assert.equal(forwardSlashes('/srv/app/gunicorn.conf.py'), '/srv/app/gunicorn.conf.py');
    assert.equal(forwardSlashes(''), '');
  });

  it('gives the folder of a path, the root for a file at the root or a bare name', () => {
    assert.equal(dirname('/srv/app/gunicorn.conf.py'), '/srv/app');
    assert.equal(dirname('C:\\work\\app\\Procfile'), 'C:/work/app');
    assert.equal(dirname('/gunicorn.conf.py'), '/');
    assert.equal(dirname('gunicorn.conf.py'), '/');
  });

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

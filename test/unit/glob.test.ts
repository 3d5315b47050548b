import { strict as assert } from 'node:assert';
import { matchesGlob } from '../../server/src/core/glob';

describe('glob patterns from settings', () => {
  const cases: [string, string, boolean][] = [
    ['**/gunicorn*.py', '/srv/app/gunicorn_prod.py', true],
    ['**/gunicorn*.py', '/srv/app/gunicorn/x.py', false],
    ['**/deploy/*.conf.py', '/w/deploy/web.conf.py', true],
    ['**/deploy/*.conf.py', '/w/deploy/sub/web.conf.py', false],
    ['**/deploy/**/*.py', '/w/deploy/a/b/c.py', true],
    ['**/deploy/**/*.py', '/w/deploy/c.py', true],
    ['**/{prod,staging}_settings.py', '/w/staging_settings.py', true],
    ['**/{prod,staging}_settings.py', '/w/dev_settings.py', false],
    ['deploy/*.py', '/w/deploy/x.py', true],
    ['/w/exact.py', '/w/exact.py', true],
    ['/w/exact.py', '/v/w/exact.py', false],
    ['**/conf?.py', '/w/conf1.py', true],
    ['**/conf[0-9].py', '/w/confa.py', false],
    ['**/weird[.py', '/w/weird[.py', true],
    ['**/*.py', 'C:\\w\\x.py', true],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(matchesGlob(glob, path), expected);
    });
  }
});

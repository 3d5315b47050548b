import { strict as assert } from 'node:assert';
import { gunicornCatalog } from '../../server/src/languages/gunicorn/catalog';
import { detectGunicornVersion, resolveSpec } from '../../server/src/languages/gunicorn/versionPin';

const known = gunicornCatalog().versions;

describe('version pins', () => {
  it('reads exact pins from requirements files, with extras', () => {
    assert.equal(
      detectGunicornVersion(
        [{ path: 'requirements.txt', text: 'django==5\ngunicorn[gevent]==22.0.0\n' }],
        known,
      )?.version,
      '22.0.0',
    );
    assert.equal(
      detectGunicornVersion([{ path: 'requirements.txt', text: 'gunicorn==20.1\n' }], known)?.version,
      '20.1.0',
    );
  });

  it('resolves ranges to the newest known version they allow', () => {
    assert.equal(resolveSpec('>=21,<23', known), '22.0.0');
    assert.equal(resolveSpec('~=23.0', known), '23.0.0');
    assert.equal(resolveSpec('^21.2', known), '21.2.0');
  });

  it('prefers lock files over ranges', () => {
    const pin = detectGunicornVersion(
      [
        { path: 'pyproject.toml', text: '[project]\ndependencies = ["gunicorn>=20"]\n' },
        { path: 'poetry.lock', text: '[[package]]\nname = "gunicorn"\nversion = "21.2.0"\n' },
      ],
      known,
    );
    assert.deepEqual(pin, { version: '21.2.0', source: 'poetry.lock (gunicorn 21.2.0)' });
  });

  it('finds nothing when gunicorn is not mentioned', () => {
    assert.equal(
      detectGunicornVersion([{ path: 'requirements.txt', text: 'django==5.0\n' }], known),
      undefined,
    );
  });
});

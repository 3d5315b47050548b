import { strict as assert } from 'node:assert';
import { gunicornCatalog } from '../../server/src/languages/gunicorn/catalog';
import {
  detectGunicornVersion,
  isPinFilePath,
  resolveSpec,
} from '../../server/src/languages/gunicorn/versionPin';

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

  it('reads a requirements folder and a Dockerfile pip install, not a Dockerfile CMD', () => {
    assert.deepEqual(
      detectGunicornVersion(
        [{ path: 'requirements/deploy.txt', text: '-r base.txt\ngunicorn==23.0.0\n' }],
        known,
      ),
      { version: '23.0.0', source: 'requirements/deploy.txt:2 (gunicorn==23.0.0)' },
    );
    const dockerfile = [
      'FROM python:3.8',
      'RUN pip install --no-cache-dir \\',
      '        flask \\',
      '        gunicorn==20.0.4',
      'CMD ["gunicorn3", "-w", "4", "app:app"]',
      '',
    ].join('\n');
    assert.deepEqual(detectGunicornVersion([{ path: 'Dockerfile', text: dockerfile }], known), {
      version: '20.0.4',
      source: 'Dockerfile:4 (gunicorn==20.0.4)',
    });
    // An exact pin in the Dockerfile wins over a range in requirements.txt.
    const both = [
      { path: 'requirements.txt', text: 'gunicorn>=20\n' },
      { path: 'Dockerfile', text: 'FROM python:3.12\nRUN pip3 install gunicorn==21.2.0\n' },
    ];
    assert.equal(detectGunicornVersion(both, known)?.version, '21.2.0');
    assert.equal(
      detectGunicornVersion(
        [{ path: 'Dockerfile', text: 'FROM python:3.12\nCMD gunicorn3 app:app\n' }],
        known,
      ),
      undefined,
    );
  });

  it('knows which files may pin', () => {
    for (const path of [
      'requirements.txt',
      'app/requirements-prod.txt',
      'requirements/production.txt',
      'Dockerfile',
    ]) {
      assert.ok(isPinFilePath(path), path);
    }
    for (const path of ['docs/notes.txt', 'README.md', 'requirements/README.md']) {
      assert.ok(!isPinFilePath(path), path);
    }
  });

  it('finds nothing when gunicorn is not mentioned', () => {
    assert.equal(
      detectGunicornVersion([{ path: 'requirements.txt', text: 'django==5.0\n' }], known),
      undefined,
    );
  });
});

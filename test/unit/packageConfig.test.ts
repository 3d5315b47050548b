import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../server/src/rules';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('rule registry and package.json', () => {
  it('offers a severity setting for exactly the registered rules (run scripts/gen-package-config.mjs when this fails)', () => {
    const properties = manifest.contributes.configuration.properties['gunicornConfig.severity'].properties;
    assert.deepEqual(Object.keys(properties).sort(), allRules.map((meta) => meta.id).sort());
    assert.equal(
      new Set(allRules.map((meta) => meta.id)).size,
      allRules.length,
      'rule ids are unique across languages',
    );
  });

  it('gives every rule a kebab-case id, a description and a docs anchor that exists in docs/rules.md', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'rules.md'), 'utf8');
    for (const meta of allRules) {
      assert.match(meta.id, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(meta.description.length > 20, meta.id);
      assert.ok(meta.docsUrl.endsWith(`#${meta.id}`), meta.id);
      assert.ok(doc.includes(`\n## ${meta.id}\n`), `docs/rules.md has no section for ${meta.id}`);
    }
  });
});

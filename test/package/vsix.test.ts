// What the .vsix would hold: `vsce ls` (the list `npm run package` packs, from package.json's `files`) has the
// bundles, catalogues, grammars, snippets and icon, and no sources, tests, tools or node_modules.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, ensureBundles, ROOT } from './helpers';

describe('.vsix contents (vsce ls)', function () {
  this.timeout(60_000);

  it('lists what the extension needs and nothing else', function () {
    ensureBundles();
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const run = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], {
      cwd: ROOT,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const files = run.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      icon: string;
      main: string;
    };
    for (const needed of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      manifest.icon,
      manifest.main.replace(/^\.\//, ''),
      'dist/server.js',
      'dist/worker.js',
      'dist/cli.js',
      'dist/data/gunicorn/catalog.json',
      'syntaxes/nginx.tmLanguage.json',
      'language-configuration/systemd.json',
    ]) {
      assert.ok(files.includes(needed), `${needed} missing: ${files.join(', ')}`);
    }
    const unwanted = files.filter((path) =>
      /(^|\/)(node_modules|test|src|scripts|examples|docs|bench|\.tools|\.ci)\/|\.ts$|\.map$|\.vsix$/.test(
        path,
      ),
    );
    assert.deepEqual(unwanted, []);
  });
});

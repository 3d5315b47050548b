// `gunicorn-config format`: rewrites nginx configs and unit files in place, --check only reports, bad use exits 2.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCommand } from '../../server/src/cliFormat';

describe('gunicorn-config format', () => {
  let dir = '';
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`ERR ${line}`) };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gc-cli-format-'));
    lines.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reformats nginx and unit files in place; --check writes nothing and exits 1 when something would change', () => {
    mkdirSync(join(dir, 'sites-available'));
    const site = join(dir, 'sites-available', 'shop');
    const unit = join(dir, 'shop.service');
    writeFileSync(site, 'server {\nlisten 80;}\n');
    writeFileSync(unit, '[Service]\nUser = app\n');
    assert.equal(formatCommand(['--check', site, unit], io), 1);
    assert.equal(readFileSync(site, 'utf8'), 'server {\nlisten 80;}\n', '--check leaves the file alone');
    assert.equal(formatCommand(['--indent', '2', site, unit], io), 0);
    assert.equal(readFileSync(site, 'utf8'), 'server {\n  listen 80;\n}\n');
    assert.equal(readFileSync(unit, 'utf8'), '[Service]\nUser=app\n');
    assert.equal(formatCommand(['--check', '--indent', '2', site, unit], io), 0, 'nothing left to change');
  });

  it('takes the language from --language for a name that does not tell, and exits 2 on bad use', () => {
    const file = join(dir, 'shop.txt');
    writeFileSync(file, 'user  www-data;\n');
    assert.equal(formatCommand([file], io), 2);
    assert.equal(readFileSync(file, 'utf8'), 'user  www-data;\n');
    assert.equal(formatCommand(['--language', 'nginx', file], io), 0);
    assert.equal(readFileSync(file, 'utf8'), 'user www-data;\n');
    assert.equal(formatCommand(['--indent', 'x', file], io), 2);
    assert.equal(formatCommand([], io), 2);
    assert.equal(formatCommand([join(dir, 'missing.service')], io), 2);
  });
});

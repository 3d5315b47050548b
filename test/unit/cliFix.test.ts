// `gunicorn-config check --fix` and `--diff` on a throwaway copy of examples/deployment: what is fixed, what is left,
// idempotence, files outside the checked paths, CRLF and BOM; and fixFiles' own guard and passes.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixFiles, unifiedDiff, type CheckedFile } from '../../server/src/cliFix';
import type { Finding } from '../../server/src/core/findings';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'out', 'server', 'src', 'cli.js');

interface Row {
  file: string;
  line: number;
  rule: string;
  severity: string;
  message: string;
  fixes: string[];
  fixable: boolean;
}

function cli(args: string[], cwd: string): { code: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout };
}

const rows = (dir: string): Row[] =>
  JSON.parse(cli(['check', '.', '--format', 'json', '--gunicorn-version', '23.0.0'], dir).stdout) as Row[];

describe('gunicorn-config check --fix', function () {
  this.timeout(60_000);
  let base: string;
  let dir: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'gc-fix-'));
    dir = join(base, 'project');
    cpSync(join(REPO, 'examples', 'deployment'), dir, { recursive: true });
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('applies every safe fix, reports the unsafe ones unapplied, and is idempotent', () => {
    const before = rows(dir);
    const fixable = before.filter((r) => r.fixable);
    const unsafe = before.filter((r) => r.fixes.length && !r.fixable);
    assert.ok(fixable.length >= 2 && unsafe.length >= 2, JSON.stringify(before, null, 1));

    const first = cli(['check', '.', '--fix', '--gunicorn-version', '23.0.0'], dir);
    assert.match(first.stdout, new RegExp(`Fixed ${fixable.length} problems\\.`));
    // The exit code reflects what is left: the example keeps errors that no safe fix can repair.
    const after = rows(dir);
    assert.equal(first.code, after.some((r) => r.severity === 'error') ? 1 : 0);
    assert.deepEqual(
      after.filter((r) => r.fixable),
      [],
    );
    for (const row of unsafe) {
      assert.ok(
        after.some((r) => r.rule === row.rule && r.file === row.file && r.message === row.message),
        `${row.rule} (${row.fixes.join(', ')}) is still reported`,
      );
    }
    for (const row of fixable) {
      assert.ok(!after.some((r) => r.rule === row.rule && r.message === row.message), `${row.rule} is fixed`);
    }

    const texts = ['gunicorn.conf.py', 'deploy/shop.service', 'deploy/shop.nginx'].map((f) =>
      readFileSync(join(dir, f), 'utf8'),
    );
    const second = cli(['check', '.', '--fix', '--gunicorn-version', '23.0.0'], dir);
    assert.match(second.stdout, /Fixed 0 problems\./);
    assert.deepEqual(
      ['gunicorn.conf.py', 'deploy/shop.service', 'deploy/shop.nginx'].map((f) =>
        readFileSync(join(dir, f), 'utf8'),
      ),
      texts,
    );
    assert.equal(cli(['check', '.', '--diff'], dir).stdout, '', '--diff has nothing left to show');
  });

  it('--diff shows the fixes and writes nothing', () => {
    const config = readFileSync(join(dir, 'gunicorn.conf.py'), 'utf8');
    const diff = cli(['check', '.', '--diff', '--gunicorn-version', '23.0.0'], dir);
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /^--- a\/gunicorn\.conf\.py\n\+\+\+ b\/gunicorn\.conf\.py\n@@ /);
    assert.match(diff.stdout, /^-keep_alive = 5$/m);
    assert.match(diff.stdout, /^\+keepalive = 5$/m);
    assert.equal(readFileSync(join(dir, 'gunicorn.conf.py'), 'utf8'), config);
    assert.equal(cli(['check', '.', '--fix', '--diff'], dir).code, 2, 'the two exclude each other');
  });

  it('keeps CRLF line breaks and a byte order mark, and leaves files outside the checked paths alone', () => {
    const path = join(dir, 'gunicorn.conf.py');
    const crlf = '\uFEFF' + readFileSync(path, 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(path, crlf);
    // A config beside the checked folder, with the same fixable mistake.
    const outside = join(base, 'gunicorn.conf.py');
    writeFileSync(outside, 'keep_alive = 5\n');
    const outsideTime = statSync(outside).mtimeMs;

    cli(['check', 'project', '--fix'], base);
    const fixed = readFileSync(path, 'utf8');
    assert.notEqual(fixed, crlf, 'something was fixed');
    assert.ok(fixed.startsWith('\uFEFF'), 'the byte order mark stays');
    assert.ok(!/[^\r]\n/.test(fixed), 'every line break is still CRLF');
    assert.match(fixed, /^keepalive = 5\r$/m);
    assert.equal(readFileSync(outside, 'utf8'), 'keep_alive = 5\n');
    assert.equal(statSync(outside).mtimeMs, outsideTime);
  });
});

describe('fixFiles and unifiedDiff', () => {
  const safeRename = (text: string, from: string, to: string): Finding[] => {
    const at = text.indexOf(from);
    if (at < 0) return [];
    const line = text.slice(0, at).split('\n').length - 1;
    const character = at - text.lastIndexOf('\n', at - 1) - 1;
    return [
      {
        rule: 'r',
        severity: 'warning',
        range: { start: { line, character }, end: { line, character: character + from.length } },
        message: 'm',
        fixes: [
          {
            title: `${from} -> ${to}`,
            edits: [
              {
                range: { start: { line, character }, end: { line, character: character + from.length } },
                newText: to,
              },
            ],
            safe: true,
          },
        ],
      },
    ];
  };
  const checked = (path: string, text: string): CheckedFile => ({
    path,
    file: path,
    text,
    findings: safeRename(text, 'aa', 'a'),
  });

  it('changes files inside the roots only, re-checking until nothing is left', () => {
    const inside = checked('/w/project/a.conf', 'aaaa\n');
    const outside = checked('/w/elsewhere/b.conf', 'aa\n');
    let rechecks = 0;
    const result = fixFiles([inside, outside], ['/w/project'], (overlay) => {
      rechecks++;
      return [checked(inside.path, overlay.get(inside.path) ?? inside.text), outside];
    });
    assert.deepEqual([...result.changed], [['/w/project/a.conf', 'a\n']]);
    assert.equal(result.applied, 3);
    assert.equal(rechecks, 3);
    assert.equal(result.originals.get('/w/project/a.conf'), 'aaaa\n');
  });

  it('writes a diff that patch tools read: removals first, context, no-newline markers', () => {
    assert.equal(unifiedDiff('f', 'same\n', 'same\n'), '');
    assert.equal(
      unifiedDiff('f', 'a\nb\nc\n', 'a\nB\nc\n'),
      '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n',
    );
    assert.equal(
      unifiedDiff('f', 'x', 'y'),
      '--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n',
    );
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}\n`);
    const changed = [...long];
    changed[2] = 'two\n';
    changed[25] = 'twenty-five\n';
    const hunks = unifiedDiff('f', long.join(''), changed.join('')).match(/^@@ .* @@$/gm);
    assert.deepEqual(hunks, ['@@ -1,6 +1,6 @@', '@@ -23,7 +23,7 @@']);
  });
});

// gunicorn-config check on a folder of many deployments: the text output is written in chunks, and is the same
// findings as the JSON output, line for line.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'out', 'server', 'src', 'cli.js');

interface Row {
  file: string;
  line: number;
  column: number;
  severity: string;
  rule: string;
  message: string;
}

function run(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, 'check', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('gunicorn-config check on many deployments', () => {
  let dir = '';
  before(function () {
    if (!existsSync(CLI)) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'gc-cli-scale-'));
    // Copies of the example deployment, one folder each, as the bench's scale workspaces are made.
    for (let i = 0; i < 60; i++) {
      cpSync(join(REPO, 'examples', 'deployment'), join(dir, `svc${i}`), { recursive: true });
    }
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints every finding of the JSON output as one whole text line, in the same order, across chunks', () => {
    const json = run(['.', '--format', 'json'], dir);
    const rows = JSON.parse(json.stdout) as Row[];
    const text = run(['.'], dir);
    assert.equal(text.status, json.status);
    const expected = rows.map((r) => `${r.file}:${r.line}:${r.column} ${r.severity} ${r.rule} ${r.message}`);
    // More than one 64 KB write, so a line split between two writes would show.
    assert.ok(expected.join('\n').length > 128 * 1024, `only ${expected.join('\n').length} characters`);
    const lines = text.stdout.split('\n');
    const findingLines = lines.filter((line) => /^svc\d+\//.test(line));
    assert.deepEqual(findingLines, expected);
    // The summary follows the findings and counts every copy's checked files.
    const summary = lines.findIndex((line) => /^\d+ files checked: /.test(line));
    assert.equal(summary, lines.indexOf(findingLines.at(-1)!) + 1);
    const alone = run(['examples/deployment'], REPO).stdout.match(/^(\d+) files checked: /m);
    assert.ok(alone);
    assert.equal(lines[summary]!.split(' ')[0], String(60 * Number(alone[1])));
  });

  it('finds in each copy what it finds in the example alone', () => {
    const alone = (JSON.parse(run(['examples/deployment', '--format', 'json'], REPO).stdout) as Row[]).map(
      (r) => `${r.file.slice('examples/deployment/'.length)}:${r.line}:${r.column} ${r.rule}`,
    );
    const rows = JSON.parse(run(['.', '--format', 'json'], dir).stdout) as Row[];
    for (const copy of ['svc0', 'svc37', 'svc59']) {
      const found = rows
        .filter((r) => r.file.startsWith(`${copy}/`))
        .map((r) => `${r.file.slice(copy.length + 1)}:${r.line}:${r.column} ${r.rule}`);
      assert.deepEqual(found, alone, copy);
    }
  });
});

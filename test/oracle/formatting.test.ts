// Oracle: a formatted nginx config or unit file means to the real programs what the original meant. nginx -t and
// systemd-analyze verify judge both copies and must say the same (line numbers aside, since lines move), and the
// token streams (directives, arguments as nginx unquotes them, comments) and unit assignments are compared too.
// Inputs: our real-shaped fixtures, plus files of the fetched mirrors (/work/.mirror) copied to a temp folder at test
// time when present (never committed; without the mirrors the test runs on the fixtures alone).

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { applyOffsetEdits, type FormatOptions } from '../../server/src/core/formatting';
import { formatEdits } from '../../server/src/languages/format';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { parseUnitFile } from '../../server/src/languages/systemd/parse';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';
import { nginxSiteTest } from '../helpers/nginxSite';

const REPO = join(__dirname, '..', '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures');
const MIRRORS = process.env.MIRROR_DIR ?? '/work/.mirror';
const OPTIONS: FormatOptions = { tabSize: 4, insertSpaces: true };

interface Sample {
  name: string;
  text: string;
}

/** Up to `limit` files of a fetched mirror whose path matches `pattern`, read with git (bare repositories). */
function mirrorFiles(mirror: string, pattern: RegExp, limit: number): Sample[] {
  const repo = join(MIRRORS, mirror, 'repo');
  if (!existsSync(repo)) return [];
  try {
    const paths = execFileSync('git', ['-C', repo, 'ls-tree', '-r', '--name-only', 'HEAD'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((path) => pattern.test(path))
      .slice(0, limit);
    return paths.map((path) => ({
      name: `${mirror}:${path}`,
      text: execFileSync('git', ['-C', repo, 'show', `HEAD:${path}`], { encoding: 'utf8' }),
    }));
  } catch {
    return [];
  }
}

function fixtures(folder: string, pattern: RegExp): Sample[] {
  return readdirSync(folder)
    .filter((name) => pattern.test(name))
    .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));
}

function formatted(language: 'nginx' | 'systemd', text: string): string {
  return applyOffsetEdits(text, formatEdits(language, text, OPTIONS));
}

function nginxTokens(text: string): string {
  const model = parseNginxConfig(text);
  return JSON.stringify({
    directives: model.all.map((d) => [d.name, ...d.args.map((a) => `${a.quote ?? ''}${a.value}`), d.end]),
    comments: model.comments.map((c) => text.slice(c.span.from, c.span.to).trimEnd()),
  });
}

/** What the judges say, without what formatting may move: folder names and line numbers. */
function normalized(output: string, dir: string): string {
  return (
    output
      .split(dir)
      .join('DIR')
      .replace(/(\.conf|\.service|\.socket|\.timer|\.path|DIR\/[^\s:]*):\d+/g, '$1:N')
      // nginx's log prefix: time and process ids.
      .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (\[\w+\]) \d+#\d+: /gm, '$1 ')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .join('\n')
  );
}

/** `nginx -t` of a file, included where its top level belongs (main, http, server or location). */
function nginxVerdict(set: JudgeSet, dir: string, text: string): { ok: boolean; output: string } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'under-test.conf');
  writeFileSync(file, text);
  const context = parseNginxConfig(text).rootContext;
  let verdict: { ok: boolean; output: string };
  if (context === 'main') {
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const r = set.nginx.run(['-t', '-p', `${dir}/`, '-c', file, '-g', `pid ${join(dir, 'nginx.pid')};`]);
    verdict = { ok: r.status === 0, output: `${r.stderr}${r.stdout}` };
  } else {
    const site =
      context === 'server'
        ? `server {\n    listen 127.0.0.1:8099;\n    include ${file};\n}\n`
        : context === 'location'
          ? `server {\n    listen 127.0.0.1:8099;\n    location /x/ {\n        include ${file};\n    }\n}\n`
          : `include ${file};\n`;
    verdict = nginxSiteTest(set, dir, site);
  }
  return { ok: verdict.ok, output: normalized(verdict.output, dir) };
}

/**
 * The same unit with indented assignments, spaces around `=`, trailing spaces and doubled blank lines: all of it
 * whitespace systemd strips. Lines that end in a backslash and the lines they continue stay as they are.
 */
function messy(text: string): string {
  let continued = false;
  return text
    .split('\n')
    .map((line) => {
      const wasContinued = continued;
      continued = /\\\s*$/.test(line);
      if (wasContinued || continued || /^\s*[#;[]/.test(line)) return line;
      if (line.trim() === '') return `${line}\n`;
      const equals = line.indexOf('=');
      if (equals < 0) return line;
      return `  ${line.slice(0, equals)} = ${line.slice(equals + 1)} `;
    })
    .join('\n');
}

let workDir = '';

describe('formatting keeps what nginx and systemd read', function () {
  this.timeout(300_000);
  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'gc-format-oracle-'));
  });
  after(() => rmSync(workDir, { recursive: true, force: true }));

  const nginxSamples = [
    ...fixtures(join(FIXTURES, 'format'), /\.conf$/),
    ...fixtures(join(FIXTURES, 'nginx'), /\.conf$/),
    ...mirrorFiles('h5bp+server-configs-nginx', /\.conf$/, 30),
    ...mirrorFiles('nginx+nginx', /^conf\/(nginx\.conf|mime\.types|fastcgi\.conf)$/, 5),
    ...mirrorFiles('linuxserver+reverse-proxy-confs', /\.conf\.sample$/, 30),
  ];
  const systemdFixtures = fixtures(join(FIXTURES, 'systemd'), /\.(service|socket|timer|path)$/);
  const unitSamples = [
    ...fixtures(join(FIXTURES, 'format'), /\.(service|socket)$/),
    ...systemdFixtures,
    // The repo's units are mostly laid out already: messy copies (spaces systemd strips anyway) give the formatter
    // and the judge something to do.
    ...systemdFixtures.map((sample) => ({ name: sample.name, text: messy(sample.text) })),
  ];

  for (const set of JUDGE_SETS) {
    it(`nginx -t (${set.debian}) reads formatted configs as the originals`, function () {
      requireJudge(this, set, 'nginx');
      let changed = 0;
      const accepted: string[] = [];
      for (const [index, sample] of nginxSamples.entries()) {
        const after = formatted('nginx', sample.text);
        if (after === sample.text) continue;
        changed++;
        assert.equal(nginxTokens(after), nginxTokens(sample.text), `${sample.name}: tokens`);
        assert.equal(formatted('nginx', after), after, `${sample.name}: idempotent`);
        const original = nginxVerdict(set, join(workDir, `${set.name}-n${index}-a`), sample.text);
        const result = nginxVerdict(set, join(workDir, `${set.name}-n${index}-b`), after);
        assert.deepEqual(result, original, `${sample.name}: nginx -t`);
        if (original.ok) accepted.push(sample.name);
      }
      console.log(`      ${changed} configs reformatted, ${accepted.length} of them accepted by nginx -t`);
      // Our messy site must be among those nginx accepts: a verdict on its whole content, not a first error.
      assert.ok(accepted.includes('messy-site.conf'), accepted.join(', '));
      // Our own messy fixtures at least must have been reformatted and judged.
      assert.ok(changed >= 4, `only ${changed} configs changed`);
    });

    it(`systemd-analyze verify (${set.debian}) reads formatted units as the originals`, function () {
      requireJudge(this, set, 'systemd');
      let changed = 0;
      const accepted: string[] = [];
      for (const [index, sample] of unitSamples.entries()) {
        const after = formatted('systemd', sample.text);
        if (after === sample.text) continue;
        changed++;
        const meaning = (text: string): string =>
          JSON.stringify(parseUnitFile(text).directives.map((d) => [d.section?.name, d.key, d.value]));
        assert.equal(meaning(after), meaning(sample.text), `${sample.name}: assignments`);
        const verdicts = [sample.text, after].map((text, side) => {
          const dir = join(workDir, `${set.name}-u${index}-${side}`);
          mkdirSync(dir, { recursive: true });
          const path = join(dir, basename(sample.name));
          writeFileSync(path, text);
          const r = set.systemd.verify(['--man=no', '--generators=no', path]);
          return { status: r.status, output: normalized(`${r.stdout}\n${r.stderr}`, dir) };
        });
        assert.deepEqual(verdicts[1], verdicts[0], `${sample.name}: systemd-analyze verify`);
        if (verdicts[0]!.status === 0) accepted.push(sample.name);
      }
      console.log(
        `      ${changed} units reformatted, ${accepted.length} of them accepted by systemd-analyze verify`,
      );
      assert.ok(changed >= 2, `only ${changed} units changed`);
    });
  }
});

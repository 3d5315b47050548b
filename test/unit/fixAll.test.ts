// Fix-all: which fixes the rules mark safe, how fixes are applied when they overlap, and the bounded passes.

import { strict as assert } from 'node:assert';
import type { Finding, Fix } from '../../server/src/core/findings';
import { applyFixes, changedSpan, fixAll, safeFixOf } from '../../server/src/core/fixAll';
import { LineIndex } from '../../server/src/core/text';
import { parseVersion } from '../../server/src/core/version';
import { parseDocument, type LanguageId } from '../../server/src/languages/registry';
import { check } from '../helpers/check';

/** A fix replacing [from, to) of `text` (offsets) with `newText`. */
function fix(text: string, from: number, to: number, newText: string, extra: Partial<Fix> = {}): Fix {
  const lines = new LineIndex(text);
  return {
    title: `replace ${from}-${to} with ${newText}`,
    edits: [{ range: { start: lines.positionAt(from), end: lines.positionAt(to) }, newText }],
    safe: true,
    ...extra,
  };
}

const finding = (fixes: Fix[]): Finding => ({
  rule: 'r',
  severity: 'warning',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  message: 'm',
  fixes,
});

/** The findings of a file of any language, with the version we check against. */
function analyze(language: LanguageId, text: string, path: string): Finding[] {
  return parseDocument(language, text, { path }).analyze({
    uri: `file://${path}`,
    path,
    version: parseVersion('23.0.0')!,
    versionLabel: '23.0.0',
  });
}

/** The titles of the safe fixes fix-all would take, per rule. */
const safeTitles = (findings: Finding[]): string[] =>
  findings.flatMap((f) => {
    const safe = safeFixOf(f);
    return safe ? [`${f.rule}: ${safe.title}`] : [];
  });

describe('fix-all: applying fixes', () => {
  it('applies fixes that do not touch, and skips the later of two that overlap or meet', () => {
    const text = 'abcdef';
    const result = applyFixes(text, [
      fix(text, 4, 5, 'E'),
      fix(text, 0, 2, 'AB'),
      fix(text, 1, 3, 'xx'), // overlaps 0-2
      fix(text, 5, 5, '!'), // meets 4-5 at offset 5
    ]);
    assert.equal(result.text, 'ABcdEf');
    assert.deepEqual(
      result.applied.map((f) => f.title),
      ['replace 0-2 with AB', 'replace 4-5 with E'],
    );
  });

  it('ignores fixes whose edits are malformed or overlap each other', () => {
    const text = 'abc';
    const backwards: Fix = {
      title: 'backwards',
      edits: [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 1 } }, newText: 'x' }],
      safe: true,
    };
    const selfOverlap: Fix = {
      title: 'self',
      edits: [...fix(text, 0, 2, 'x').edits, ...fix(text, 1, 3, 'y').edits],
      safe: true,
    };
    assert.deepEqual(applyFixes(text, [backwards, selfOverlap]), { text, applied: [] });
  });

  it('re-analyses after each pass, so overlapping fixes are applied one after the other', () => {
    // Each "aa" is a finding whose fix makes it "a": the fixes overlap, so one pass cannot take them all.
    const analyzeText = (text: string): Finding[] => {
      const found: Finding[] = [];
      for (let i = text.indexOf('aa'); i >= 0; i = text.indexOf('aa', i + 1)) {
        found.push(finding([fix(text, i, i + 2, 'a')]));
      }
      return found;
    };
    const result = fixAll('xaaaaaaaax', analyzeText);
    assert.equal(result.text, 'xax');
    assert.equal(result.applied, 7);
  });

  it('stops when fixes undo each other, and after the last allowed pass', () => {
    let calls = 0;
    const flip = (text: string): Finding[] => {
      calls++;
      return [finding([fix(text, 0, 1, text.startsWith('x') ? 'y' : 'x')])];
    };
    assert.equal(fixAll('x', flip).text, 'y');
    assert.equal(calls, 2, 'the second pass would bring back a text already seen');
    let grows = 0;
    const grow = (text: string): Finding[] => {
      grows++;
      return [finding([fix(text, text.length, text.length, '+')])];
    };
    assert.equal(fixAll('', grow, 3).text, '+++');
    assert.equal(grows, 3);
  });

  it('takes a finding only with exactly one safe fix that edits this document alone', () => {
    const text = 'abc';
    const safe = fix(text, 0, 1, 'A');
    assert.equal(safeFixOf(finding([safe, fix(text, 0, 1, 'B', { safe: false })])), safe);
    assert.equal(safeFixOf(finding([safe, fix(text, 0, 1, 'B')])), undefined, 'two safe choices: none');
    assert.equal(
      safeFixOf(finding([{ ...safe, otherFiles: [{ uri: 'file:///other', edits: safe.edits }] }])),
      undefined,
    );
    assert.equal(safeFixOf(finding([{ ...safe, safe: undefined }])), undefined);
  });

  it('turns two texts into one edit that never splits a CRLF or a surrogate pair', () => {
    assert.equal(changedSpan('same', 'same'), undefined);
    assert.deepEqual(changedSpan('a = 1\r\nb = 2\r\n', 'a = 1\r\nb = 3\r\n'), {
      from: 11,
      to: 12,
      newText: '3',
    });
    // Removing a line: the common start would end between \r and \n.
    const removed = changedSpan('x\r\ny\r\nz', 'x\r\nz');
    assert.ok(removed);
    const before = 'x\r\ny\r\nz';
    assert.notEqual(before[removed.from - 1], '\r');
    assert.equal(before.slice(0, removed.from) + removed.newText + before.slice(removed.to), 'x\r\nz');
    const emoji = changedSpan('\u{1F600}', '\u{1F601}');
    assert.deepEqual(emoji, { from: 0, to: 2, newText: '\u{1F601}' });
  });
});

describe('fix-all: which fixes are safe', () => {
  it('Gunicorn: a misspelt setting with one candidate, but not a hook or a name set already', () => {
    assert.deepEqual(safeTitles(check('keep_alive = 5\n')), ["unknown-setting: Change to 'keepalive'"]);
    assert.deepEqual(safeTitles(check('keep_alive = 5\nkeepalive = 2\n')), []);
    assert.deepEqual(safeTitles(check('def worker_init(worker):\n    pass\n')), []);
  });

  it('Gunicorn: a dead duplicate only when nothing reads it and its value is plain data', () => {
    assert.deepEqual(safeTitles(check('workers = 2\nworkers = 4\n')), [
      'duplicate-setting: Remove this assignment of workers',
    ]);
    assert.deepEqual(safeTitles(check('workers = 2\nthreads = workers\nworkers = 4\n')), []);
    assert.deepEqual(safeTitles(check('import os\nworkers = os.cpu_count()\nworkers = 4\n')), []);
    assert.deepEqual(
      safeTitles(check('import os\nworkers = 2\nif os.environ.get("X"):\n    workers = 4\n')),
      [],
    );
  });

  it('Gunicorn: values re-spelt with the same meaning, never values we would choose', () => {
    assert.deepEqual(safeTitles(check('preload_app = "yes"\n')), ['invalid-value: Change to True']);
    assert.deepEqual(safeTitles(check('workers = 4.0\n')), ['invalid-value: Change to 4']);
    assert.deepEqual(safeTitles(check('loglevel = "warn"\n')), ['unknown-loglevel: Change to "warning"']);
    // A rounded number, a log level picked by spelling, a new jitter, daemon off, a new hook: all choices.
    for (const text of [
      'workers = 4.5\n',
      'loglevel = "degub"\n',
      'max_requests = 1000\n',
      'daemon = True\n',
      'threads = 4\n',
      'import sqlalchemy\nengine = sqlalchemy.create_engine("x")\npreload_app = True\n',
    ]) {
      const findings = check(text);
      assert.ok(
        findings.some((f) => f.fixes?.length),
        `${text} has a fix`,
      );
      assert.deepEqual(safeTitles(findings), [], text);
    }
  });

  it('systemd: dead duplicates, one-candidate typos, signal case; never new directives', () => {
    const path = '/srv/shop.service';
    const unit = (service: string) =>
      `[Unit]\nDescription=x\n\n[Service]\n${service}\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n`;
    assert.deepEqual(safeTitles(analyze('systemd', unit('Restart=no\nRestart=always'), path)), [
      'duplicate-directive: Remove this Restart=',
    ]);
    // systemd keeps the earlier value when it cannot parse the last one: that earlier line is not dead.
    assert.deepEqual(
      safeTitles(analyze('systemd', unit('Restart=always\nRestart=alway'), path)).filter((t) =>
        t.startsWith('duplicate'),
      ),
      [],
    );
    assert.deepEqual(safeTitles(analyze('systemd', unit('KillSignal=sigterm'), path)), [
      'invalid-directive-value: Change to SIGTERM',
    ]);
    assert.deepEqual(safeTitles(analyze('systemd', unit('Restat=always'), path)), [
      'unknown-directive: Change to Restart=',
    ]);
    assert.deepEqual(safeTitles(analyze('systemd', unit('Restat=always\nRestart=no'), path)), []);
    const gunicorn = analyze(
      'systemd',
      '[Service]\nExecStart=/srv/venv/bin/gunicorn app:app\n',
      '/srv/shop.service',
    );
    assert.ok(gunicorn.some((f) => f.fixes?.length));
    assert.deepEqual(safeTitles(gunicorn), []);
  });

  it('nginx: unmistakable flags, word-for-word duplicates, stray semicolons; never new headers', () => {
    const path = '/etc/nginx/sites-available/shop';
    const server = (body: string) => `server {\n    listen 80;\n${body}\n}\n`;
    assert.deepEqual(safeTitles(analyze('nginx', server('    gzip yes;'), path)), [
      'nginx-invalid-flag: Change to on',
    ]);
    assert.deepEqual(safeTitles(analyze('nginx', server('    root /srv;\n    root /srv;'), path)), [
      'nginx-duplicate-directive: Remove this root',
    ]);
    assert.deepEqual(safeTitles(analyze('nginx', server('    root /srv;\n    root /var;'), path)), []);
    const proxied = analyze(
      'nginx',
      server('    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }'),
      path,
    );
    assert.ok(proxied.some((f) => f.rule === 'nginx-missing-proxy-headers' && f.fixes?.length));
    assert.deepEqual(safeTitles(proxied), []);
  });

  it('never marks a suppression comment safe', () => {
    for (const findings of [
      check('keep_alive = 5\nmax_requests = 1000\n'),
      analyze('nginx', 'server {\n    gzip yes;\n}\n', '/etc/nginx/conf.d/a.conf'),
    ]) {
      const ignores = findings.flatMap((f) => f.fixes ?? []).filter((f) => f.title.startsWith('Ignore'));
      assert.ok(ignores.length > 0);
      assert.ok(ignores.every((f) => !f.safe));
    }
  });

  it('fixes a whole config in passes and leaves the unsafe findings', () => {
    const text = 'keep_alive = 5\nworkers = 2\nworkers = 4.0\nmax_requests = 1000\n';
    const result = fixAll(text, (t) => check(t));
    assert.equal(result.text, 'keepalive = 5\nworkers = 4\nmax_requests = 1000\n');
    assert.ok(check(result.text).some((f) => f.rule === 'max-requests-without-jitter'));
    assert.equal(fixAll(result.text, (t) => check(t)).applied, 0, 'a second run changes nothing');
  });
});

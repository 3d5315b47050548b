import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import { analyzeUnitFile } from '../../server/src/languages/systemd/analyze';
import { isNginxPath } from '../../server/src/languages/nginx/paths';
import { detectLanguage, parseDocument } from '../../server/src/languages/registry';
import { isDropIn, unitTypeOf } from '../../server/src/languages/systemd/catalog';
import { parseUnitFile, valueOffsetAt, valueSubSpan } from '../../server/src/languages/systemd/parse';
import { parseSize, parseTimespan } from '../../server/src/languages/systemd/values';
import { unitRules } from '../../server/src/languages/systemd/rules/index';
import { resolveSystemdVersion } from '../../server/src/languages/systemd/version';

// The unit-file rules that know nothing about Gunicorn (those are tested in systemdGunicorn.test.ts).
const GENERIC_RULES = unitRules.filter((r) => !/^(gunicorn-|socket-unit-missing)/.test(r.meta.id));

function unitFindings(text: string, path = '/srv/deploy/app.service', units?: string[]): Finding[] {
  return analyzeUnitFile(parseUnitFile(text), {
    uri: `file://${path}`,
    path,
    gunicornVersion: [23, 0, 0],
    versionLabel: '23.0.0',
    // Debian 13's systemd: these tests are about the rules, not about the newest release's removals.
    systemd: resolveSystemdVersion('257'),
    rules: GENERIC_RULES,
    ...(units ? { workspaceUnits: new Set(units) } : {}),
  });
}

const ids = (text: string, path?: string, units?: string[]): string[] =>
  unitFindings(text, path, units).map((f) => f.rule);

function fix(text: string, rule: string, title: string, path?: string): string {
  const findings = unitFindings(text, path).filter((f) => f.rule === rule);
  const chosen = findings.flatMap((f) => f.fixes ?? []).find((f) => f.title.includes(title));
  if (!chosen) throw new Error(`no fix '${title}' for ${rule}: ${JSON.stringify(findings)}`);
  return applyEdits(text, chosen.edits);
}

const GOOD = `[Unit]
Description=App
After=network.target

[Service]
Type=notify
ExecStart=/srv/app/venv/bin/gunicorn app:app
KillMode=mixed

[Install]
WantedBy=multi-user.target
`;

describe('systemd unit parser', () => {
  it('reads sections, directives, comments and keeps offsets exact', () => {
    const text = '# top\n[Unit]\nDescription = My app \n; note\n[Service]\nExecStart=/bin/true\n';
    const model = parseUnitFile(text);
    assert.deepEqual(
      model.sections.map((s) => s.name),
      ['Unit', 'Service'],
    );
    const description = model.directives[0]!;
    assert.equal(description.key, 'Description');
    assert.equal(description.value, 'My app');
    assert.equal(text.slice(description.valueSpan.from, description.valueSpan.to), 'My app');
    assert.equal(description.section?.name, 'Unit');
    assert.equal(model.comments.length, 2);
    assert.deepEqual(model.problems, []);
  });

  it('joins continuation lines and maps value characters back to the document', () => {
    const text =
      '[Service]\nExecStart=/usr/bin/gunicorn \\\n    --workers 3 \\\n# a comment inside\n    app:app\n';
    const model = parseUnitFile(text);
    const exec = model.directives[0]!;
    assert.match(exec.value, /^\/usr\/bin\/gunicorn\s+--workers 3\s+app:app$/);
    const at = exec.value.indexOf('--workers');
    const span = valueSubSpan(exec, at, at + '--workers'.length);
    assert.equal(text.slice(span.from, span.to), '--workers');
    assert.equal(model.lines.positionAt(span.from).line, 2);
    assert.equal(model.comments.length, 1);
  });

  it('maps every value character to the document, with a table only for continued values', () => {
    const text = '[Service]\nUser=app\nExecStart=/usr/bin/gunicorn \\\n  -w 3 app:app\n';
    const model = parseUnitFile(text);
    const [user, exec] = model.directives;
    // A value written in one run needs no table: its characters follow its start.
    assert.equal(user!.valueRuns, undefined);
    assert.deepEqual(
      [...user!.value].map((_, i) => text[valueOffsetAt(user!, i)!]),
      [...user!.value],
    );
    assert.equal(valueOffsetAt(user!, user!.value.length), undefined);
    assert.equal(valueOffsetAt(user!, -1), undefined);
    // A continued value keeps one: the joining space maps to the backslash, the rest to themselves.
    assert.ok(exec!.valueRuns);
    const mapped = [...exec!.value].map((ch, i) => (ch === ' ' ? ' ' : text[valueOffsetAt(exec!, i)!]));
    assert.deepEqual(mapped, [...exec!.value]);
    const at = exec!.value.indexOf('-w');
    assert.equal(text.slice(valueOffsetAt(exec!, at)!, valueOffsetAt(exec!, at)! + 2), '-w');
    const whole = valueSubSpan(exec!, 0, exec!.value.length);
    assert.equal(text.slice(whole.from, whole.to), '/usr/bin/gunicorn \\\n  -w 3 app:app');
  });

  it('maps the characters of a value continued over several lines, past comments and indents, to themselves', () => {
    const text =
      '[Service]\r\nExecStart=/usr/bin/gunicorn \\\r\n    --bind unix:/run/a.sock \\\r\n# a comment\r\n' +
      '\t-w 3 \\\r\n  app:app\r\n';
    const exec = parseUnitFile(text).directives[0]!;
    assert.match(exec.value, /^\/usr\/bin\/gunicorn +--bind unix:\/run\/a\.sock +\t-w 3 +app:app$/);
    assert.ok(exec.valueRuns && exec.valueRuns.length >= 8, 'a run per line');
    [...exec.value].forEach((ch, i) => {
      const at = valueOffsetAt(exec, i)!;
      // A joining space stands where the line's backslash was.
      assert.equal(text[at], ch === ' ' && text[at] === '\\' ? '\\' : ch, `character ${i}`);
    });
    assert.equal(valueOffsetAt(exec, exec.value.length), undefined);
  });

  it('reads empty and blank one-line values, and a backslash on the last line, where they stand', () => {
    const text = '[Service]\nEnvironment=\nUser=  \t\nGroup= web \nExecStart=/bin/true \\';
    const [environment, user, group, exec] = parseUnitFile(text).directives;
    const after = (key: string): number => text.indexOf(`${key}=`) + key.length + 1;
    for (const [directive, key] of [
      [environment, 'Environment'],
      [user, 'User'],
    ] as const) {
      assert.equal(directive!.value, '');
      assert.deepEqual(directive!.valueSpan, { from: after(key), to: after(key) });
    }
    assert.equal(group!.value, 'web');
    assert.equal(text.slice(group!.valueSpan.from, group!.valueSpan.to), 'web');
    assert.equal(group!.span.to, text.indexOf(' \nExecStart'));
    // Nothing follows the backslash, so it continues nothing and stays in the value.
    assert.equal(exec!.value, '/bin/true \\');
    assert.equal(exec!.valueRuns, undefined);
    assert.equal(exec!.span.to, text.length);
  });
  it('never throws on junk, CRLF, BOM, tabs and half-typed lines', () => {
    const inputs = [
      '',
      '\uFEFF[Unit]\r\nDescription=x\r\n',
      '[Unit\nfoo\n=bar\n[]\n\tExecStart\t=\t/bin/x\t\n\\',
      '\u0000\u0001\u0002[\u00ff=\n'.repeat(50),
      'Exec',
      '[Service]\nExecStart=/bin/a \\',
    ];
    for (const input of inputs) {
      const model = parseUnitFile(input);
      for (const d of model.directives) {
        assert.ok(d.span.from >= 0 && d.span.to <= input.length && d.valueSpan.to <= input.length);
      }
      assert.doesNotThrow(() => unitFindings(input));
    }
    const bom = parseUnitFile('\uFEFF[Unit]\nDescription=x\n');
    assert.equal(bom.sections[0]!.name, 'Unit');
    assert.equal(parseUnitFile('[Service]\r\nType=notify\r\n').directives[0]!.value, 'notify');
  });

  it('reports lines systemd cannot read', () => {
    assert.deepEqual(ids('Description=x\n[Unit]\nDescription\n[Service\nExecStart=/bin/true\n'), [
      'unit-syntax',
      'missing-install',
      'unit-syntax',
      'unit-syntax',
    ]);
  });

  it('knows unit types from names and drop-in folders', () => {
    assert.equal(unitTypeOf('/etc/systemd/system/app.socket'), 'socket');
    assert.equal(unitTypeOf('/etc/systemd/system/app.service.d/override.conf'), 'service');
    assert.equal(unitTypeOf('/x/nginx.conf'), undefined);
    assert.ok(isDropIn('/etc/systemd/system/app.service.d/10-limits.conf'));
    assert.ok(
      !isDropIn('/etc/nginx/conf.d/app.conf') && unitTypeOf('/etc/nginx/conf.d/app.conf') === undefined,
    );
  });

  it('takes files named as overrides for drop-ins, also outside a unit.d folder (Ansible roles keep them so)', () => {
    for (const path of [
      'roles/web/templates/nginx_override.conf.j2',
      'deploy/gunicorn-override.service',
      'deploy/app.override.conf',
      'override.conf',
    ]) {
      assert.ok(isDropIn(path), path);
    }
    assert.equal(unitTypeOf('deploy/gunicorn-override.service'), 'service');
    // A name that merely contains the word is no override; an nginx site stays nginx's.
    for (const path of ['deploy/nooverride.service', 'nginx/overrides.conf', 'sites-enabled/override-site']) {
      assert.ok(!isDropIn(path), path);
    }
    assert.equal(detectLanguage('roles/web/templates/nginx_override.conf.j2'), 'systemd');
    assert.equal(detectLanguage('roles/web/templates/nginx_override.conf.j2', 'nginx'), 'systemd');
    assert.ok(!isNginxPath('roles/web/templates/nginx_override.conf.j2'));
    assert.ok(isNginxPath('roles/web/templates/nginx.conf.j2'));
    assert.deepEqual(
      parseDocument('systemd', '[Service]\nUser=www-data\n', {})
        .analyze({
          uri: 'file:///r/templates/gunicorn_override.service',
          path: '/r/templates/gunicorn_override.service',
          version: [23, 0, 0],
          versionLabel: '23.0.0',
        })
        .filter((f) => f.severity === 'error')
        .map((f) => f.rule),
      [],
    );
  });

  it('parses time spans as systemd does', () => {
    assert.equal(parseTimespan('90'), 90);
    assert.equal(parseTimespan('1min 30s'), 90);
    assert.equal(parseTimespan('5 minutes'), 300);
    assert.equal(parseTimespan('500ms'), 0.5);
    assert.equal(parseTimespan('infinity'), Infinity);
    assert.equal(parseTimespan('5 mins'), undefined);
    assert.equal(parseTimespan('soon'), undefined);
  });
});

describe('systemd unit rules', () => {
  it('accept a good Gunicorn service without a single generic finding', () => {
    assert.deepEqual(unitFindings(GOOD), []);
  });

  it('unknown-directive suggests the closest key and fixes case', () => {
    const text = GOOD.replace('KillMode=mixed', 'KillMdoe=mixed\nrestart=always');
    const found = unitFindings(text).filter((f) => f.rule === 'unknown-directive');
    assert.deepEqual(
      found.map((f) => f.range.start.line),
      [7, 8],
    );
    assert.match(fix(text, 'unknown-directive', 'KillMode'), /\nKillMode=mixed\n/);
    assert.match(found[1]!.message, /case-sensitive: Restart=/);
    assert.deepEqual(ids('[Service]\nX-Custom=1\nExecStart=/bin/true\n'), ['missing-install']);
  });

  it('directive-wrong-section moves the line to the right section', () => {
    const text = GOOD.replace('KillMode=mixed', 'KillMode=mixed\nWants=network-online.target');
    assert.deepEqual(ids(text), ['directive-wrong-section']);
    const moved = fix(text, 'directive-wrong-section', 'Move to [Unit]');
    assert.match(moved, /After=network\.target\nWants=network-online\.target\n/);
    assert.ok(!/KillMode=mixed\nWants/.test(moved));
    assert.deepEqual(ids(moved), []);
  });

  it('directive-wrong-section on the last line without a line break: the fix stays inside the file (fuzz)', () => {
    // The removal used to end at { line: lastLine + 1, character: 0 }, past the end of the document.
    const text =
      '[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\nExecReload=/bin/true';
    const finding = unitFindings(text).find((f) => f.rule === 'directive-wrong-section')!;
    const lineCount = text.split('\n').length;
    for (const edit of finding.fixes![0]!.edits) assert.ok(edit.range.end.line < lineCount);
    assert.equal(
      fix(text, 'directive-wrong-section', 'Move to [Service]'),
      '[Service]\nExecStart=/bin/true\nExecReload=/bin/true\n\n[Install]\nWantedBy=multi-user.target',
    );
    assert.equal(
      fix('[Service]\nWantedBy=multi-user.target', 'directive-wrong-section', 'Move to a new [Install]'),
      '[Service]\n\n[Install]\nWantedBy=multi-user.target\n',
    );
  });

  it('unknown-section names the closest section; sections of other unit types are flagged too', () => {
    const text = GOOD.replace('[Install]', '[Instal]');
    assert.ok(ids(text).includes('unknown-section'));
    assert.match(fix(text, 'unknown-section', '[Install]'), /\n\[Install\]\n/);
    assert.deepEqual(ids('[Socket]\nListenStream=80\n', '/x/app.service'), [
      'unknown-section',
      'missing-install',
      'missing-exec-start',
    ]);
    assert.deepEqual(ids('[X-Mine]\nAnything=1\n[Service]\nExecStart=/bin/true\n'), ['missing-install']);
  });

  it('invalid-directive-value follows the value type', () => {
    const bad = (line: string, path?: string) =>
      ids(
        `[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n${line}\n[Install]\nWantedBy=multi-user.target\n`,
        path,
      );
    assert.deepEqual(bad('Restart=sometimes'), ['invalid-directive-value']);
    assert.deepEqual(bad('Restart=on-failure'), []);
    assert.deepEqual(bad('PrivateTmp=maybe'), ['invalid-directive-value']);
    assert.deepEqual(bad('PrivateTmp=yes'), []);
    assert.deepEqual(bad('TimeoutStopSec=5 mins'), ['invalid-directive-value']);
    assert.deepEqual(bad('TimeoutStopSec=1min 30s'), []);
    assert.deepEqual(bad('TimeoutStopSec=%i'), [], 'specifiers are not judged');
    assert.deepEqual(bad('RuntimeDirectoryMode=00755'), [], 'leading zeros are fine in a mode');
    assert.deepEqual(bad('UMask=0999'), ['invalid-directive-value']);
    assert.equal(
      fix('[Service]\nType=notiffy\nExecStart=/bin/true\n', 'invalid-directive-value', 'notify').split(
        '\n',
      )[1],
      'Type=notify',
    );
  });

  it('deprecated-directive offers the replacement', () => {
    const text = GOOD.replace('KillMode=mixed', 'KillMode=none\nMemoryLimit=1G');
    assert.deepEqual(ids(text), ['deprecated-directive', 'deprecated-directive']);
    assert.match(fix(text, 'deprecated-directive', 'MemoryMax'), /\nMemoryMax=1G\n/);
  });

  it('duplicate-directive only for single-value keys', () => {
    const text = GOOD.replace(
      'KillMode=mixed',
      'KillMode=mixed\nKillMode=process\nEnvironment=A=1\nEnvironment=B=2',
    );
    const found = unitFindings(text).filter((f) => f.rule === 'duplicate-directive');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.range.start.line, 7);
    assert.equal(found[0]!.related?.[0]?.range.start.line, 8);
  });

  it('missing-install adds the usual target, except for drop-ins and socket-activated services', () => {
    const text = GOOD.slice(0, GOOD.indexOf('\n[Install]') + 1);
    assert.deepEqual(ids(text), ['missing-install']);
    assert.match(fix(text, 'missing-install', 'WantedBy'), /\n\[Install\]\nWantedBy=multi-user\.target\n$/);
    assert.deepEqual(ids(text, '/srv/deploy/app.service', ['app.socket']), []);
    assert.deepEqual(
      ids('[Service]\nLimitNOFILE=65536\n', '/etc/systemd/system/app.service.d/limits.conf'),
      [],
    );
  });

  it('missing-exec-start for a service with nothing to run', () => {
    assert.deepEqual(
      ids('[Unit]\nDescription=x\n[Service]\nType=simple\n[Install]\nWantedBy=multi-user.target\n'),
      ['missing-exec-start'],
    );
  });

  it('suppression comments go on the line above', () => {
    const text = GOOD.replace('KillMode=mixed', 'KillMdoe=mixed');
    const suppressed = fix(text, 'unknown-directive', 'Ignore');
    assert.match(suppressed, /\n# gunicorn-config: disable=unknown-directive\nKillMdoe=mixed\n/);
    assert.deepEqual(ids(suppressed), []);
  });
});

describe('systemd sizes and limits as systemd 252 reads them', () => {
  it('reads sizes: bare numbers are bytes, suffixes are powers of 1024, parts add up in falling order', () => {
    const cases: [string, number | undefined][] = [
      ['512', 512],
      ['512B', 512],
      ['1K', 1024],
      ['1.5G', 1.5 * 1024 ** 3],
      ['1G 512M', 1.5 * 1024 ** 3],
      ['1G512M', 1.5 * 1024 ** 3],
      ['1K 5', 1029],
      ['512 M', 512 * 1024 ** 2],
      ['1G 1G', undefined],
      ['5 1K', undefined],
      ['G', undefined],
      ['512MB', undefined],
      ['512m', undefined],
      ['', undefined],
    ];
    for (const [text, bytes] of cases) assert.equal(parseSize(text), bytes, text);
  });
});

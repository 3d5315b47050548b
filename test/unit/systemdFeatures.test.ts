import { resolveSystemdVersion } from '../../server/src/languages/systemd/version';
import { strict as assert } from 'node:assert';
import { describeEntry } from '../../server/src/core/features';
import { parseVersion } from '../../server/src/core/version';
import type { UnitType } from '../../server/src/languages/systemd/catalog';
import { systemdCompletions } from '../../server/src/languages/systemd/completion';
import { systemdHover, type UnitFeatureContext } from '../../server/src/languages/systemd/hover';
import { parseUnitFile } from '../../server/src/languages/systemd/parse';
import { cursor } from '../helpers/check';

/** The feature context for a unit type (null: unknown) and a target Gunicorn version. */
const ctx = (unitType: UnitType | null = 'service', version = '23.0.0'): UnitFeatureContext => ({
  unitType: unitType ?? undefined,
  gunicornVersion: parseVersion(version)!,
  versionLabel: `${version} (test)`,
  // Debian 13's systemd: these tests are about the features, not about the newest release's removals.
  systemd: resolveSystemdVersion('257'),
});

/** A Gunicorn service as people write them: continued ExecStart=, a misplaced key, a deprecated one. */
const SERVICE = [
  '[Unit]',
  'Description=My app (Gunicorn)',
  'After=network-online.target',
  'Wants=network-online.target',
  '',
  '[Service]',
  'Type=notify',
  'User=app',
  'WorkingDirectory=/srv/app',
  'ExecStart=/srv/app/.venv/bin/gunicorn \\',
  '    -w 4 \\',
  '    --bind=unix:/run/app.sock \\',
  '    app.main:app',
  'ExecReload=/bin/kill -s HUP $MAINPID',
  'KillMode=mixed',
  'Restart=on-failure',
  'MemoryLimit=1G',
  'StartLimitBurst=5',
  'Before=nginx.service',
  '',
  '[Install]',
  'WantedBy=multi-user.target',
  '',
].join('\n');

/** SERVICE with `$0` inserted at the first occurrence of `marker` (the marker's text stays, the cursor lands on it). */
function at(marker: string, delta = 1, text = SERVICE): { text: string; offset: number } {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`no '${marker}' in fixture`);
  return { text, offset: index + delta };
}

function hover(fixture: { text: string; offset: number }, context = ctx()) {
  return systemdHover(parseUnitFile(fixture.text), fixture.offset, context);
}

function complete(
  fixture: { text: string; offset: number },
  context: UnitFeatureContext & { workspaceUnits?: ReadonlySet<string> } = ctx(),
) {
  // Described as an editor sees an item it shows (directive entries describe themselves on demand).
  return systemdCompletions(parseUnitFile(fixture.text), fixture.offset, context).map((entry) => ({
    ...entry,
    ...describeEntry(entry),
  }));
}

const labels = (entries: { label: string }[]) => entries.map((e) => e.label);

describe('systemd hover', () => {
  it('documents a directive key: sections, type, values, doc and man page link', () => {
    const result = hover(at('Restart='))!;
    assert.match(result.markdown, /^\*\*Restart=\*\* — \[Service\]/);
    assert.match(result.markdown, /one of `no`, `on-success`, `on-failure`/);
    assert.match(result.markdown, /When to restart the service/);
    assert.match(
      result.markdown,
      /\(https:\/\/www\.freedesktop\.org\/software\/systemd\/man\/latest\/systemd\.service\.html#Restart%3D\)/,
    );
    assert.deepEqual(result.range, { start: { line: 15, character: 0 }, end: { line: 15, character: 7 } });
    assert.doesNotMatch(result.markdown, /Not valid/);
  });

  it('warns on a key in the wrong section and names where it belongs', () => {
    const result = hover(at('Before='))!;
    assert.match(result.markdown, /\*\*Before=\*\*/);
    assert.match(result.markdown, /Not valid in \[Service\].*It belongs in \[Unit\]/);
    // The list note comes from the catalogue: Before= accumulates and resets.
    assert.match(result.markdown, /an empty `Before=` resets the list/);
  });

  it('notes deprecations with their replacement, and keys that moved section', () => {
    const memory = hover(at('MemoryLimit='))!;
    assert.match(memory.markdown, /⚠ Deprecated: .*MemoryMax=/);
    const burst = hover(at('StartLimitBurst='))!;
    assert.match(burst.markdown, /Deprecated in \[Service\].*Move it to \[Unit\]/);
    assert.doesNotMatch(burst.markdown, /Not valid/);
  });

  it('gives the systemd version of newer directives', () => {
    const { text, offset } = cursor('[Service]\nExit$0Type=cgroup\n');
    assert.match(hover({ text, offset })!.markdown, /Since systemd 250/);
  });

  it('documents section headers and the unit types that take them', () => {
    const service = hover(at('[Service]', 3))!;
    assert.match(service.markdown, /\*\*\[Service\]\*\* — section/);
    assert.match(service.markdown, /`\.service`/);
    assert.doesNotMatch(service.markdown, /Not valid/);
    assert.match(hover(at('[Service]', 3), ctx('socket'))!.markdown, /Not valid in a \.socket unit/);
    const extension = cursor('[X-Fo$0o]\nBar=1\n');
    assert.match(hover(extension)!.markdown, /extension section/);
    assert.equal(hover(cursor('[Nonsen$0se]\n')), null);
  });

  it('says which enum value is under the cursor, and flags deprecated values', () => {
    const value = hover(at('on-failure', 3))!;
    assert.match(value.markdown, /\*\*on-failure\*\* — a value of `Restart=`/);
    assert.deepEqual(value.range, { start: { line: 15, character: 8 }, end: { line: 15, character: 18 } });
    const none = hover(cursor('[Service]\nKillMode=no$0ne\n'))!;
    assert.match(none.markdown, /Deprecated value: .*mixed/);
    const wrong = hover(cursor('[Service]\nRestart=sometim$0es\n'))!;
    assert.match(wrong.markdown, /not a value `Restart=` accepts/);
  });

  it('shows the Gunicorn setting for -w on a continued ExecStart= line', () => {
    const result = hover(at('-w 4'))!;
    assert.match(result.markdown, /\*\*workers\*\*/);
    assert.match(result.markdown, /`-w`, `--workers`/);
    assert.match(result.markdown, /Checked against Gunicorn 23\.0\.0 \(test\)/);
    assert.deepEqual(result.range, { start: { line: 10, character: 4 }, end: { line: 10, character: 6 } });
    // The value of the option documents the option too.
    assert.match(hover(at('-w 4', 3))!.markdown, /\*\*workers\*\*/);
  });

  it('shows the Gunicorn setting for --bind=… and for its value', () => {
    assert.match(hover(at('--bind=', 4))!.markdown, /\*\*bind\*\*/);
    assert.match(hover(at('unix:/run', 2))!.markdown, /\*\*bind\*\*/);
  });

  it('recognises the gunicorn executable and says which version the checks assume', () => {
    const result = hover(at('gunicorn \\', 3), ctx('service', '21.2.0'))!;
    assert.match(result.markdown, /recognised as Gunicorn/);
    assert.match(result.markdown, /Gunicorn 21\.2\.0 \(test\)/);
    const viaPython = hover(cursor('[Service]\nExecStart=/usr/bin/python3 -m guni$0corn app:app\n'))!;
    assert.match(viaPython.markdown, /recognised as Gunicorn/);
  });

  it('says nothing inside commands that are not Gunicorn', () => {
    assert.equal(hover(at('/bin/kill', 3)), null);
    assert.equal(hover(cursor('[Service]\nExecStart=/usr/bin/uvicorn --work$0ers 4 app:app\n')), null);
  });

  it('reads BOM and CRLF files', () => {
    const bom = cursor('\uFEFF[Service]\r\nRest$0art=always\r\n');
    assert.match(hover(bom)!.markdown, /\*\*Restart=\*\*/);
    const crlf = SERVICE.replace(/\n/g, '\r\n');
    const result = hover(at('-w 4', 1, crlf))!;
    assert.match(result.markdown, /\*\*workers\*\*/);
    assert.deepEqual(result.range, { start: { line: 10, character: 4 }, end: { line: 10, character: 6 } });
  });
});

describe('systemd completion', () => {
  it('completes Restart= values', () => {
    const entries = complete(cursor('[Service]\nRestart=$0\n'));
    assert.deepEqual(labels(entries), [
      'no',
      'on-success',
      'on-failure',
      'on-abnormal',
      'on-watchdog',
      'on-abort',
      'always',
    ]);
    assert.ok(entries.every((e) => e.kind === 'value' && !e.isSnippet));
    // Half-typed values get the same list (the client filters).
    assert.ok(labels(complete(cursor('[Service]\nRestart=on-$0\n'))).includes('on-failure'));
  });

  it('flags deprecated enum values and adds newer ones with their systemd version', () => {
    const kill = complete(cursor('[Service]\nKillMode=$0\n'));
    const none = kill.find((e) => e.label === 'none')!;
    assert.equal(none.deprecated, true);
    assert.ok(none.sortText! > kill.find((e) => e.label === 'mixed')!.sortText!);
    const type = complete(cursor('[Service]\nType=$0\n'));
    assert.equal(type.find((e) => e.label === 'notify-reload')?.detail, 'systemd 253+');
  });

  it('completes booleans, unit names and signals', () => {
    assert.deepEqual(labels(complete(cursor('[Service]\nNoNewPrivileges=$0\n'))), ['yes', 'no']);
    const units = complete(cursor('[Unit]\nAfter=network.target $0\n'), {
      ...ctx(),
      workspaceUnits: new Set(['app.socket']),
    });
    assert.ok(
      ['app.socket', 'multi-user.target', 'network-online.target', 'sockets.target'].every((u) =>
        labels(units).includes(u),
      ),
    );
    assert.ok(
      units.find((e) => e.label === 'app.socket')!.sortText! <
        units.find((e) => e.label === 'multi-user.target')!.sortText!,
    );
    assert.ok(labels(complete(cursor('[Install]\nWantedBy=$0'))).includes('multi-user.target'));
    const signals = labels(complete(cursor('[Service]\nKillSignal=$0\n')));
    assert.equal(signals[0], 'SIGTERM');
    assert.ok(signals.includes('SIGHUP') && signals.includes('SIGQUIT'));
  });

  it('completes section names after [, without repeating the bracket', () => {
    const entries = complete(cursor('[Unit]\nDescription=x\n\n[$0\n'));
    const service = entries.find((e) => e.label === '[Service]')!;
    assert.equal(service.kind, 'section');
    assert.equal(service.insertText, 'Service]');
    assert.match(service.documentation!, /\*\*\[Service\]\*\*/);
    assert.ok(labels(entries).includes('[Install]') && !labels(entries).includes('[Socket]'));
    // An auto-closed bracket is already there.
    assert.equal(complete(cursor('[Se$0]\n')).find((e) => e.label === '[Service]')!.insertText, 'Service');
    // Section names follow the unit type.
    const socket = labels(complete(cursor('[$0'), ctx('socket')));
    assert.ok(socket.includes('[Socket]') && !socket.includes('[Service]'));
    // Unknown unit type: every section.
    assert.ok(labels(complete(cursor('[$0'), ctx(null))).includes('[Timer]'));
  });

  it('offers whole section headers at a line start too, after the directives', () => {
    const entries = complete(cursor('[Service]\nType=simple\n$0\n'));
    const install = entries.find((e) => e.label === '[Install]')!;
    assert.equal(install.insertText, '[Install]');
    assert.ok(install.sortText! > entries.find((e) => e.label === 'ExecStart')!.sortText!);
  });

  it('completes directives of the section, with the catalogue example as a snippet', () => {
    const entries = complete(cursor(SERVICE.replace('KillMode=mixed', '$0\nKillMode=mixed')));
    const execStart = entries.find((e) => e.label === 'ExecStart')!;
    assert.equal(execStart.kind, 'directive');
    assert.equal(execStart.insertText, 'ExecStart=${1:/usr/bin/true}');
    assert.equal(execStart.plainInsertText, 'ExecStart=');
    assert.equal(execStart.isSnippet, true);
    assert.match(execStart.documentation!, /\*\*ExecStart=\*\*/);
    // The list itself carries no descriptions: they are made for the items an editor shows.
    const raw = systemdCompletions(parseUnitFile(SERVICE), SERVICE.indexOf('KillMode'), ctx());
    assert.ok(raw.some((e) => e.label === 'ExecStart'));
    assert.ok(
      raw.filter((e) => e.kind === 'directive').every((e) => e.documentation === undefined && e.describe),
    );
    assert.ok(!labels(entries).includes('After'), '[Unit] keys are not offered in [Service]');
    const memory = entries.find((e) => e.label === 'MemoryLimit')!;
    assert.equal(memory.deprecated, true);
    assert.ok(memory.sortText!.startsWith('2'));
    assert.ok(execStart.sortText!.startsWith('0'));
  });

  it('filters directives by section: [Socket] offers ListenStream, not ExecStart', () => {
    const entries = labels(
      complete(cursor('[Unit]\nDescription=s\n\n[Socket]\nListenStream=/run/app.sock\n$0\n'), ctx('socket')),
    );
    assert.ok(entries.includes('ListenStream') && entries.includes('SocketUser'));
    assert.ok(!entries.includes('ExecStart') && !entries.includes('Restart'));
    assert.ok(entries.includes('ExecStartPre'), 'ExecStartPre= is a [Socket] key too');
  });

  it('completes half-typed keys, and inserts the key alone when = is already there', () => {
    const half = complete(cursor('[Service]\nExecSt$0\n'));
    assert.equal(half.find((e) => e.label === 'ExecStart')?.insertText, 'ExecStart=${1:/usr/bin/true}');
    const middle = complete(cursor('[Service]\nExec$0Start=/usr/bin/true\n'));
    const key = middle.find((e) => e.label === 'ExecStart')!;
    assert.equal(key.insertText, 'ExecStart');
    assert.equal(key.isSnippet, false);
  });

  it('escapes snippet characters in examples', () => {
    const env = complete(cursor('[Service]\n$0'))
      .filter((e) => e.isSnippet && e.kind === 'directive')
      .map((e) => e.insertText);
    for (const text of env) assert.doesNotMatch(text.replace(/\$\{1:/, ''), /(^|[^\\])\$(?!\{)/);
  });

  it('completes Gunicorn flags after a space in a continued ExecStart=', () => {
    const text = SERVICE.replace('    app.main:app', '    $0 \\\n    app.main:app');
    const fixture = cursor(text);
    const entries = complete(fixture);
    const workers = entries.find((e) => e.label === '--workers')!;
    assert.equal(workers.insertText, '--workers ');
    assert.match(workers.documentation!, /\*\*workers\*\*/);
    assert.match(workers.documentation!, /Checked against Gunicorn 23\.0\.0 \(test\)/);
    assert.ok(labels(entries).includes('-w') && labels(entries).includes('--bind'));
    // Flags follow the target version.
    assert.ok(!labels(entries).includes('--http-protocols'));
    assert.ok(labels(complete(fixture, ctx('service', '25.0.0'))).includes('--http-protocols'));
  });

  it('completes a half-typed flag without repeating the dashes, and stays quiet where a value goes', () => {
    const half = complete(cursor('[Service]\nExecStart=/usr/bin/gunicorn --wor$0 app:app\n'));
    const workers = half.find((e) => e.label === '--workers')!;
    assert.equal(workers.insertText, 'workers ');
    assert.ok(!labels(half).includes('-w'), 'short flags do not match --');
    const dash = complete(cursor('[Service]\nExecStart=/usr/bin/gunicorn -$0\n'));
    assert.equal(dash.find((e) => e.label === '-w')?.insertText, 'w ');
    assert.equal(dash.find((e) => e.label === '--workers')?.insertText, '-workers ');
    assert.deepEqual(complete(cursor('[Service]\nExecStart=/usr/bin/gunicorn -w $0\n')), []);
    assert.deepEqual(complete(cursor('[Service]\nExecStart=/usr/bin/gunicorn -w 4 app:a$0\n')), []);
    assert.deepEqual(complete(cursor('[Service]\nExecStart=/usr/bin/gunic$0\n')), []);
    assert.deepEqual(complete(cursor('[Service]\nExecStart=/usr/bin/python3 app.py $0\n')), []);
    assert.deepEqual(complete(cursor('[Service]\nExecStart=$0\n')), []);
    // Behind exec prefixes and python -m too.
    assert.ok(
      labels(complete(cursor('[Service]\nExecStartPre=-/usr/bin/python3 -m gunicorn $0\n'))).includes(
        '--check-config',
      ),
    );
  });

  it('offers the unit snippets at the start of an empty file', () => {
    const empty = complete({ text: '', offset: 0 });
    const service = empty.find((e) => e.label === 'gunicorn-service')!;
    assert.equal(service.kind, 'snippet');
    assert.match(service.insertText, /^\[Unit\]/);
    assert.doesNotMatch(service.plainInsertText!, /\$\{/);
    assert.ok(labels(empty).includes('gunicorn-socket') && labels(empty).includes('[Service]'));
    assert.ok(!labels(empty).includes('systemd-hardening'), 'fragments need a [Service] section');
    assert.ok(labels(complete(cursor('gun$0'))).includes('gunicorn-service'));
    assert.ok(labels(complete(cursor('\uFEFF$0'))).includes('gunicorn-service'));
    assert.ok(!labels(complete(cursor('[Unit]\n$0'))).includes('gunicorn-service'));
    assert.ok(labels(complete(cursor('[Service]\n$0'))).includes('systemd-hardening'));
  });

  it('reads BOM and CRLF files', () => {
    assert.deepEqual(labels(complete(cursor('\uFEFF[Service]\r\nRestart=$0\r\n'))).slice(0, 2), [
      'no',
      'on-success',
    ]);
    const crlf = cursor('\uFEFF[Service]\r\nExecStart=/usr/bin/gunicorn \\\r\n    -w 4 \\\r\n    $0\r\n');
    assert.ok(labels(complete(crlf)).includes('--bind'));
    assert.ok(labels(complete(cursor('\uFEFF[$0'))).includes('[Unit]'));
  });

  it('returns nothing in comments, headers and garbage', () => {
    assert.deepEqual(complete(cursor('[Service]\n# Exec$0\n')), []);
    assert.deepEqual(complete(cursor('[Service]\n; Exec$0\n')), []);
    assert.deepEqual(complete(cursor('[Service]$0\n')), []);
    assert.deepEqual(complete(cursor('[Service]\n%%% !!$0\n')), []);
    assert.deepEqual(complete(cursor('[Bogus]\nFoo=$0\n')), []);
    assert.deepEqual(complete(cursor('[Service]\nNoSuchKey=$0\n')), []);
    assert.deepEqual(
      labels(complete(cursor('[Bogus]\n$0\n'))).filter((l) => !l.startsWith('[')),
      [],
      'no directives in an unknown section',
    );
  });
});

describe('systemd features on odd input', () => {
  const inputs = [
    '',
    '\uFEFF',
    '\r\n\r\n',
    '[',
    ']',
    '=',
    '[Service',
    '[Service]]]\nExecStart=\\',
    'ExecStart=/usr/bin/gunicorn -w\n[Service]\n=\n==\n',
    '[Service]\nExecStart=/usr/bin/gunicorn \\\n# comment\n  -w 2 \\\n',
    '[Service]\r\nExecStart="/usr/bin/gunicorn" \'--bind=\\x\' "unterminated\r\n',
    '\uFEFF[Unit]\r\nAfter=\\\r\n\\\r\n\\',
    '\u0000\u0001[\u00ff]\n\ud800=\udc00\n',
    SERVICE,
    SERVICE.replace(/\n/g, '\r\n'),
  ];

  it('never throws, at any offset', () => {
    for (const text of inputs) {
      const model = parseUnitFile(text);
      for (let offset = 0; offset <= text.length + 1; offset++) {
        for (const context of [ctx(), ctx(null), ctx('socket', '19.9.0')]) {
          systemdHover(model, offset, context);
          systemdCompletions(model, offset, { ...context, workspaceUnits: new Set(['a.service']) });
        }
      }
    }
  });

  it('has no hover on empty input or garbage', () => {
    for (const text of ['', '\uFEFF', '\r\n', '%%%\n!!!', '\u0000\u0001', 'just words here']) {
      const model = parseUnitFile(text);
      for (let offset = 0; offset <= text.length; offset++) {
        assert.equal(systemdHover(model, offset, ctx()), null);
      }
    }
  });
});

import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { applyEdits, type Range } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { analyzeUnitFile } from '../../server/src/languages/systemd/analyze';
import { parseUnitFile } from '../../server/src/languages/systemd/parse';

const GUNICORN_RULES = new Set([
  'gunicorn-command-line',
  'gunicorn-daemon-under-systemd',
  'gunicorn-reload-in-unit',
  'gunicorn-service-type',
  'gunicorn-exec-reload',
  'gunicorn-kill-mode',
  'gunicorn-stop-timeout',
  'gunicorn-private-tmp-socket',
  'socket-unit-missing',
  'gunicorn-limit-nofile',
]);

interface Options {
  path?: string;
  version?: Version;
  workspaceUnits?: string[];
}

/** The findings of this file's rules for a unit file. */
function analyze(text: string, options: Options = {}): Finding[] {
  const path = options.path ?? '/srv/app/deploy/app.service';
  const version = options.version ?? [23, 0, 0];
  return analyzeUnitFile(parseUnitFile(text), {
    uri: `file://${path}`,
    path,
    gunicornVersion: version,
    versionLabel: version.join('.'),
    ...(options.workspaceUnits ? { workspaceUnits: new Set(options.workspaceUnits) } : {}),
  }).filter((finding) => GUNICORN_RULES.has(finding.rule));
}

function rules(text: string, options?: Options): string[] {
  return analyze(text, options).map((finding) => finding.rule);
}

function only(text: string, rule: string, options?: Options): Finding {
  const found = analyze(text, options).filter((finding) => finding.rule === rule);
  assert.equal(found.length, 1, `expected one ${rule}, got ${found.length}`);
  return found[0]!;
}

/** Applies the first fix of the only finding of `rule`. */
function fixed(text: string, rule: string, options?: Options): string {
  const fix = only(text, rule, options).fixes?.[0];
  assert.ok(fix, `${rule} has no fix`);
  assert.doesNotMatch(fix.title, /^Ignore /);
  return applyEdits(text, fix.edits);
}

function range(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** A [Service] section holding `lines`, after a [Unit] section and before [Install]. */
function service(...lines: string[]): string {
  return [
    '[Unit]',
    'Description=Example app',
    'After=network.target',
    '',
    '[Service]',
    ...lines,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Directives that keep the unit-level rules quiet, so a test sees only what it is about. */
const QUIET = ['Type=notify', 'ExecReload=/bin/kill -s HUP $MAINPID', 'KillMode=mixed'];

const GOOD_UNIT = service(
  'Type=notify',
  'User=app',
  'Group=app',
  'RuntimeDirectory=app',
  'WorkingDirectory=/srv/app',
  'ExecStart=/srv/app/venv/bin/gunicorn \\',
  '    --workers 3 \\',
  '    --graceful-timeout 20 \\',
  '    --bind unix:/run/app/app.sock \\',
  '    main:app',
  'ExecReload=/bin/kill -s HUP $MAINPID',
  'KillMode=mixed',
  'TimeoutStopSec=30',
  'PrivateTmp=true',
);

describe('systemd units running Gunicorn', () => {
  describe('no false positives', () => {
    it('accepts a good production unit', () => {
      assert.deepEqual(analyze(GOOD_UNIT, { workspaceUnits: ['app.service'] }), []);
    });

    it('accepts a socket-activated service whose socket is in the workspace', () => {
      const text = GOOD_UNIT.replace(
        'After=network.target',
        'Requires=app.socket\nAfter=network.target app.socket',
      );
      assert.deepEqual(rules(text, { workspaceUnits: ['app.service', 'app.socket'] }), []);
    });

    it('leaves units that do not run Gunicorn alone', () => {
      const nginx = service(
        'Type=forking',
        'PIDFile=/run/nginx.pid',
        'ExecStartPre=/usr/sbin/nginx -t -q -g "daemon on; master_process on;"',
        'ExecStart=/usr/sbin/nginx -g "daemon on; master_process on;"',
        'ExecReload=/usr/sbin/nginx -g "daemon on; master_process on;" -s reload',
        'TimeoutStopSec=5',
        'KillMode=mixed',
        'PrivateTmp=true',
      );
      assert.deepEqual(analyze(nginx, { path: '/etc/systemd/system/nginx.service', workspaceUnits: [] }), []);
      const uvicorn = service('ExecStart=/srv/app/venv/bin/uvicorn --reload main:app', 'TimeoutStopSec=5');
      assert.deepEqual(analyze(uvicorn), []);
    });

    it('only judges service units', () => {
      const socket = '[Socket]\nListenStream=/run/app.sock\n\n[Install]\nWantedBy=sockets.target\n';
      assert.deepEqual(analyze(socket, { path: '/srv/app/deploy/app.socket', workspaceUnits: [] }), []);
    });
  });

  describe('gunicorn-command-line', () => {
    it('reports an unknown flag on a continuation line of ExecStart= and fixes it there', () => {
      const text = service(
        ...QUIET,
        'ExecStart=/srv/app/venv/bin/gunicorn \\',
        '    --workers 3 \\',
        '    --worker-conections 100 \\',
        '    main:app',
      );
      const finding = only(text, 'gunicorn-command-line');
      assert.equal(finding.severity, 'error');
      assert.deepEqual(finding.range, range(10, 4, 10, 23));
      assert.match(finding.message, /Gunicorn 23\.0\.0 has no option --worker-conections/);
      assert.match(finding.message, /Did you mean --worker-connections\?/);
      assert.match(fixed(text, 'gunicorn-command-line'), /\n {4}--worker-connections 100 \\\n {4}main:app\n/);
    });

    it('turns a file path into a module path for python -m gunicorn in a virtualenv', () => {
      const text = service(...QUIET, 'ExecStart=/srv/app/.venv/bin/python -m gunicorn -w 2 app/main.py:app');
      const finding = only(text, 'gunicorn-command-line');
      assert.match(finding.message, /'app\/main\.py:app' is a file path/);
      assert.deepEqual(finding.range, range(8, 53, 8, 68));
      assert.match(fixed(text, 'gunicorn-command-line'), /-w 2 app\.main:app\n/);
      const plain = service(...QUIET, 'ExecStart=/usr/bin/gunicorn main.py:app');
      assert.match(fixed(plain, 'gunicorn-command-line'), /ExecStart=\/usr\/bin\/gunicorn main:app\n/);
    });

    it('reports missing and invalid values', () => {
      const missing = only(
        service(...QUIET, 'ExecStart=/usr/bin/gunicorn main:app --bind'),
        'gunicorn-command-line',
      );
      assert.match(missing.message, /--bind needs a value/);
      const invalid = service(...QUIET, 'ExecStart=/usr/bin/gunicorn -w 4.0 main:app');
      assert.match(only(invalid, 'gunicorn-command-line').message, /-w needs a whole number/);
      assert.match(fixed(invalid, 'gunicorn-command-line'), /gunicorn -w 4 main:app/);
    });

    it('checks flags against the target Gunicorn version', () => {
      const text = service(...QUIET, 'ExecStart=/usr/bin/gunicorn --dirty-workers 2 main:app');
      assert.match(only(text, 'gunicorn-command-line').message, /was added in Gunicorn 25\.0\.0/);
      assert.deepEqual(rules(text, { version: [25, 0, 0] }), []);
    });

    it('finds Gunicorn behind a shell, env and systemd prefixes', () => {
      const shell = service(
        ...QUIET,
        "ExecStart=/bin/sh -c 'cd /srv/app && exec gunicorn --wokers 2 main:app'",
      );
      const finding = only(shell, 'gunicorn-command-line');
      assert.deepEqual(finding.range, range(8, 51, 8, 59));
      assert.match(fixed(shell, 'gunicorn-command-line'), /exec gunicorn --workers 2 main:app'\n/);
      const env = service(
        ...QUIET,
        'ExecStart=-/usr/bin/env PYTHONUNBUFFERED=1 /srv/venv/bin/gunicorn --wokers 2 main:app',
      );
      assert.deepEqual(rules(env), ['gunicorn-command-line']);
    });
  });

  describe('gunicorn-daemon-under-systemd', () => {
    it('reports --daemon and removes it, continuation line included', () => {
      const text = service(
        ...QUIET,
        'ExecStart=/srv/venv/bin/gunicorn \\',
        '    --daemon \\',
        '    main:app',
      );
      const finding = only(text, 'gunicorn-daemon-under-systemd');
      assert.equal(finding.severity, 'error');
      assert.deepEqual(finding.range, range(9, 4, 9, 12));
      assert.match(finding.message, /fork into the background/);
      assert.match(
        fixed(text, 'gunicorn-daemon-under-systemd'),
        /ExecStart=\/srv\/venv\/bin\/gunicorn \\\n {4}main:app\n/,
      );
      const inline = service(...QUIET, 'ExecStart=/srv/venv/bin/gunicorn -D -w 2 main:app');
      assert.match(fixed(inline, 'gunicorn-daemon-under-systemd'), /gunicorn -w 2 main:app\n/);
    });

    it('is advice with Type=forking, whose fix also switches to Type=notify', () => {
      const text = service(
        'Type=forking',
        'ExecStart=/srv/venv/bin/gunicorn --daemon --pid /run/app/app.pid main:app',
        'ExecReload=/bin/kill -s HUP $MAINPID',
        'KillMode=mixed',
      );
      const finding = only(text, 'gunicorn-daemon-under-systemd');
      assert.equal(finding.severity, 'info');
      const result = fixed(text, 'gunicorn-daemon-under-systemd');
      assert.match(
        result,
        /Type=notify\nExecStart=\/srv\/venv\/bin\/gunicorn --pid \/run\/app\/app\.pid main:app\n/,
      );
      assert.ok(!rules(text).includes('gunicorn-service-type'));
    });
  });

  describe('gunicorn-reload-in-unit', () => {
    it('warns about --reload and removes it', () => {
      const text = service(...QUIET, 'ExecStart=/srv/venv/bin/gunicorn --reload --workers 2 main:app');
      const finding = only(text, 'gunicorn-reload-in-unit');
      assert.equal(finding.severity, 'warning');
      assert.deepEqual(finding.range, range(8, 33, 8, 41));
      assert.match(fixed(text, 'gunicorn-reload-in-unit'), /gunicorn --workers 2 main:app\n/);
    });
  });

  describe('gunicorn-service-type', () => {
    const rest = ['ExecReload=/bin/kill -s HUP $MAINPID', 'KillMode=mixed'];

    it('suggests Type=notify when Type= is missing, simple or exec', () => {
      const missing = service('ExecStart=/srv/venv/bin/gunicorn main:app', ...rest);
      const finding = only(missing, 'gunicorn-service-type');
      assert.equal(finding.severity, 'info');
      assert.deepEqual(finding.range, range(5, 0, 5, 9));
      assert.match(fixed(missing, 'gunicorn-service-type'), /\[Service\]\nType=notify\nExecStart=/);
      const simple = service('Type=simple', 'ExecStart=/srv/venv/bin/gunicorn main:app', ...rest);
      assert.deepEqual(only(simple, 'gunicorn-service-type').range, range(5, 5, 5, 11));
      assert.match(fixed(simple, 'gunicorn-service-type'), /\nType=notify\n/);
      assert.deepEqual(rules(simple.replace('Type=simple', 'Type=exec')), ['gunicorn-service-type']);
    });

    it('warns that Type=forking without --daemon and Type=oneshot hang the start', () => {
      const forking = service('Type=forking', 'ExecStart=/srv/venv/bin/gunicorn main:app', ...rest);
      const finding = only(forking, 'gunicorn-service-type');
      assert.equal(finding.severity, 'warning');
      assert.match(finding.message, /Type=forking waits for the started process to fork and exit/);
      assert.match(fixed(forking, 'gunicorn-service-type'), /\nType=notify\n/);
      const oneshot = service('Type=oneshot', 'ExecStart=/srv/venv/bin/gunicorn main:app', ...rest);
      assert.equal(only(oneshot, 'gunicorn-service-type').severity, 'warning');
    });

    it('knows Gunicorn before 20.0 never notifies systemd', () => {
      const notify = service('Type=notify', 'ExecStart=/srv/venv/bin/gunicorn main:app', ...rest);
      const finding = only(notify, 'gunicorn-service-type', { version: [19, 9, 0] });
      assert.equal(finding.severity, 'warning');
      assert.match(finding.message, /Gunicorn 19\.9\.0 never notifies systemd/);
      const simple = service('ExecStart=/srv/venv/bin/gunicorn main:app', ...rest);
      assert.deepEqual(rules(simple, { version: [19, 9, 0] }), []);
    });

    it('does not suggest notify when a runner or a shell stays the main process', () => {
      const uv = service('ExecStart=/usr/local/bin/uv run gunicorn main:app');
      assert.deepEqual(rules(uv), []);
      const shell = service("ExecStart=/bin/bash -c 'source venv/bin/activate && gunicorn main:app'");
      assert.deepEqual(rules(shell), []);
      const exec = service(
        "ExecStart=/bin/bash -c 'source venv/bin/activate && exec gunicorn main:app'",
        ...rest,
      );
      assert.deepEqual(rules(exec), ['gunicorn-service-type']);
    });

    it('lets a drop-in without Type= inherit it from the unit', () => {
      const dropIn = '[Service]\nExecStart=\nExecStart=/srv/venv/bin/gunicorn -w 4 main:app\n';
      assert.deepEqual(rules(dropIn, { path: '/etc/systemd/system/app.service.d/override.conf' }), []);
    });
  });

  describe('gunicorn-exec-reload', () => {
    it('adds ExecReload= sending HUP after a continued ExecStart=', () => {
      const text = service(
        'Type=notify',
        'KillMode=mixed',
        'ExecStart=/srv/venv/bin/gunicorn \\',
        '    main:app',
        'User=app',
      );
      const finding = only(text, 'gunicorn-exec-reload');
      assert.equal(finding.severity, 'info');
      assert.deepEqual(finding.range, range(7, 0, 7, 9));
      assert.match(
        fixed(text, 'gunicorn-exec-reload'),
        /\n {4}main:app\nExecReload=\/bin\/kill -s HUP \$MAINPID\nUser=app\n/,
      );
    });

    it('reports an ExecReload= that stops Gunicorn instead', () => {
      const text = service(
        'Type=notify',
        'KillMode=mixed',
        'ExecStart=/srv/venv/bin/gunicorn main:app',
        'ExecReload=/bin/kill -s TERM $MAINPID',
      );
      const finding = only(text, 'gunicorn-exec-reload');
      assert.match(finding.message, /sends SIGTERM, which stops Gunicorn/);
      assert.deepEqual(finding.range, range(8, 11, 8, 37));
      assert.match(fixed(text, 'gunicorn-exec-reload'), /\nExecReload=\/bin\/kill -s HUP \$MAINPID\n/);
      assert.deepEqual(rules(text.replace('-s TERM', '-HUP')), []);
      assert.deepEqual(rules(text.replace('/bin/kill -s TERM $MAINPID', '/bin/systemctl restart app')), [
        'gunicorn-exec-reload',
      ]);
    });
  });

  describe('gunicorn-kill-mode', () => {
    it('suggests KillMode=mixed when it is missing or control-group', () => {
      const missing = service(
        'Type=notify',
        'ExecStart=/srv/venv/bin/gunicorn main:app',
        'ExecReload=/bin/kill -s HUP $MAINPID',
      );
      const finding = only(missing, 'gunicorn-kill-mode');
      assert.equal(finding.severity, 'info');
      assert.match(
        fixed(missing, 'gunicorn-kill-mode'),
        /ExecStart=\/srv\/venv\/bin\/gunicorn main:app\nKillMode=mixed\n/,
      );
      const cgroup = missing.replace('Type=notify', 'Type=notify\nKillMode=control-group');
      assert.deepEqual(only(cgroup, 'gunicorn-kill-mode').range, range(6, 9, 6, 22));
      assert.match(fixed(cgroup, 'gunicorn-kill-mode'), /\nKillMode=mixed\n/);
      assert.deepEqual(rules(missing.replace('Type=notify', 'Type=notify\nKillMode=process')), []);
    });
  });

  describe('gunicorn-stop-timeout', () => {
    it("compares TimeoutStopSec= with Gunicorn's default graceful timeout", () => {
      const text = service(...QUIET, 'ExecStart=/srv/venv/bin/gunicorn main:app', 'TimeoutStopSec=5');
      const finding = only(text, 'gunicorn-stop-timeout');
      assert.equal(finding.severity, 'warning');
      assert.deepEqual(finding.range, range(9, 15, 9, 16));
      assert.match(
        finding.message,
        /TimeoutStopSec=5 gives Gunicorn 5 s to stop, but its workers may take 30 s/,
      );
      assert.match(fixed(text, 'gunicorn-stop-timeout'), /\nTimeoutStopSec=35s\n/);
      assert.deepEqual(rules(text.replace('TimeoutStopSec=5', 'TimeoutStopSec=1min')), []);
      assert.deepEqual(rules(text.replace('TimeoutStopSec=5', 'TimeoutStopSec=infinity')), []);
      assert.deepEqual(rules(text.replace('\nTimeoutStopSec=5', '')), []);
      assert.deepEqual(rules(text.replace('TimeoutStopSec=5', 'TimeoutStopSec=5\nKillSignal=SIGQUIT')), []);
    });

    it('reads --graceful-timeout from the command line and TimeoutSec=', () => {
      const text = service(
        ...QUIET,
        'ExecStart=/srv/venv/bin/gunicorn --graceful-timeout 60 main:app',
        'TimeoutStopSec=45',
      );
      const finding = only(text, 'gunicorn-stop-timeout');
      assert.match(finding.message, /60 s to finish their requests \(--graceful-timeout 60\)/);
      assert.deepEqual(finding.related?.[0]?.range, range(8, 52, 8, 54));
      assert.match(fixed(text, 'gunicorn-stop-timeout'), /\nTimeoutStopSec=65s\n/);
      const both = service(...QUIET, 'ExecStart=/srv/venv/bin/gunicorn -w 2 main:app', 'TimeoutSec=10');
      assert.match(fixed(both, 'gunicorn-stop-timeout'), /\nTimeoutSec=10\nTimeoutStopSec=35s\n/);
    });
  });

  describe('gunicorn-private-tmp-socket', () => {
    it('reports a socket in the private /tmp and moves it to a runtime directory', () => {
      const text = service(
        ...QUIET,
        'PrivateTmp=yes',
        'ExecStart=/srv/venv/bin/gunicorn --bind unix:/tmp/app.sock main:app',
      );
      const finding = only(text, 'gunicorn-private-tmp-socket');
      assert.equal(finding.severity, 'warning');
      assert.deepEqual(finding.range, range(9, 40, 9, 58));
      assert.match(finding.message, /own \/tmp, so the socket \/tmp\/app\.sock is created where nginx/);
      assert.match(
        fixed(text, 'gunicorn-private-tmp-socket'),
        /\nRuntimeDirectory=app\nExecStart=\/srv\/venv\/bin\/gunicorn --bind unix:\/run\/app\/app\.sock main:app\n/,
      );
      assert.deepEqual(rules(text.replace('PrivateTmp=yes', 'PrivateTmp=no')), []);
      assert.deepEqual(rules(text.replace('unix:/tmp/app.sock', 'unix:/run/app/app.sock')), []);
    });
  });

  describe('socket-unit-missing', () => {
    const text = GOOD_UNIT.replace(
      'After=network.target',
      'Requires=app.socket\nAfter=network.target app.socket',
    );

    it('reports a .socket dependency missing from the workspace', () => {
      const found = analyze(text, { workspaceUnits: ['app.service'] });
      assert.deepEqual(
        found.map((f) => [f.rule, f.severity, f.range]),
        [
          ['socket-unit-missing', 'warning', range(2, 9, 2, 19)],
          ['socket-unit-missing', 'warning', range(3, 21, 3, 31)],
        ],
      );
      assert.match(found[0]!.message, /systemd refuses to start this unit/);
      assert.match(found[1]!.message, /silently ignores the dependency/);
    });

    it('offers the workspace socket with a close name, and stays quiet without a workspace', () => {
      const typo = text.replace('Requires=app.socket', 'Requires=ap.socket');
      const found = analyze(typo, { workspaceUnits: ['app.service', 'app.socket'] });
      assert.equal(found.length, 1);
      assert.match(found[0]!.message, /Did you mean app\.socket\?/);
      assert.match(applyEdits(typo, found[0]!.fixes![0]!.edits), /\nRequires=app\.socket\n/);
      assert.deepEqual(rules(text), []);
      assert.deepEqual(rules(text.replace(/app\.socket/g, 'dbus.socket'), { workspaceUnits: [] }), []);
    });
  });

  describe('gunicorn-limit-nofile', () => {
    it('reports async workers near the default open-file limit', () => {
      const text = service(...QUIET, 'ExecStart=/srv/venv/bin/gunicorn -k gevent main:app');
      const finding = only(text, 'gunicorn-limit-nofile');
      assert.equal(finding.severity, 'info');
      assert.deepEqual(finding.range, range(8, 36, 8, 42));
      assert.match(finding.message, /Each gevent worker may hold 1000 client connections/);
      assert.match(fixed(text, 'gunicorn-limit-nofile'), /main:app\nLimitNOFILE=65536\n/);
      const many = service(
        ...QUIET,
        'ExecStart=/srv/venv/bin/gunicorn --worker-class eventlet --worker-connections 4000 main:app',
      );
      assert.deepEqual(only(many, 'gunicorn-limit-nofile').range, range(8, 78, 8, 82));
    });

    it('stays quiet with few connections, a sync worker or LimitNOFILE=', () => {
      const few = service(
        ...QUIET,
        'ExecStart=/srv/venv/bin/gunicorn -k gevent --worker-connections 500 main:app',
      );
      assert.deepEqual(rules(few), []);
      assert.deepEqual(rules(service(...QUIET, 'ExecStart=/srv/venv/bin/gunicorn -k sync main:app')), []);
      const limited = service(
        ...QUIET,
        'LimitNOFILE=8192',
        'ExecStart=/srv/venv/bin/gunicorn -k gevent main:app',
      );
      assert.deepEqual(rules(limited), []);
    });
  });
});

import { strict as assert } from 'node:assert';
import { LineIndex, type Range } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { launchesIn, readLaunches, type LaunchDetails } from '../../server/src/deployment/launches';
import { isGunicornConfigName, sourceKindOf } from '../../server/src/languages/sourceKinds';
import type { GunicornLaunch, SourceKind } from '../../server/src/deployment/types';

const V23: Version = [23, 0, 0];

function launches(
  kind: SourceKind,
  text: string,
  version: Version = V23,
  path = '/srv/app/x',
): LaunchDetails[] {
  return launchesIn({ uri: 'file:///srv/app/x', path, kind, text }, version) as LaunchDetails[];
}

function one(kind: SourceKind, text: string, version?: Version, path?: string): LaunchDetails {
  const found = launches(kind, text, version, path);
  assert.equal(found.length, 1, `expected one launch, got ${found.length}`);
  return found[0]!;
}

/** The document text a range covers. */
function at(text: string, range: Range): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

function cli(launch: GunicornLaunch, setting: string): string | true | undefined {
  return launch.commandLine.get(setting)?.value;
}

describe('sourceKindOf', () => {
  it('recognises command sources by name', () => {
    const cases: [string, SourceKind | undefined][] = [
      ['/w/Dockerfile', 'dockerfile'],
      ['/w/Dockerfile.prod', 'dockerfile'],
      ['/w/docker/Dockerfile-mozcloud', 'dockerfile'],
      ['/w/Dockerfile_web', 'dockerfile'],
      ['/w/tools/dockerfile_utils.py', undefined],
      ['/w/Dockerfile-lint.json', undefined],
      ['/w/docker/web.dockerfile', 'dockerfile'],
      ['/w/Containerfile', 'dockerfile'],
      ['/w/Procfile', 'procfile'],
      ['/w/Procfile.dev', 'procfile'],
      ['/w/docker-compose.yml', 'compose'],
      ['/w/docker-compose.prod.yaml', 'compose'],
      ['/w/compose.yaml', 'compose'],
      ['/w/compose.override.yml', 'compose'],
      ['/w/scripts/start.sh', 'shell'],
      ['C:\\w\\bin\\run.sh', 'shell'],
      ['/etc/systemd/system/app.service', 'systemd'],
      ['/etc/systemd/system/app.service.d/override.conf', 'systemd'],
      ['/etc/nginx/nginx.conf', 'nginx'],
      ['/etc/nginx/conf.d/app.conf', 'nginx'],
      ['/w/etc/supervisor/conf.d/web.conf', undefined],
      ['/w/roles/apache/templates/apache2/sites-available/app.conf', undefined],
      ['/w/docker/nginx/apache2/sites-enabled/app', 'nginx'],
      ['/w/gunicorn.conf.py', 'gunicorn'],
      ['/w/config/gunicorn_prod.py', 'gunicorn'],
      ['/w/app.py', undefined],
      ['/w/README.md', undefined],
      ['/w/compose.json', undefined],
      ['/w/entrypoint', undefined],
    ];
    for (const [path, kind] of cases) assert.equal(sourceKindOf(path), kind, path);
  });

  it('takes extensionless scripts only with a shell shebang and an entry-point name or folder', () => {
    assert.equal(sourceKindOf('/w/docker-entrypoint', { firstLine: '#!/bin/sh' }), 'shell');
    assert.equal(sourceKindOf('/w/start', { firstLine: '#!/usr/bin/env bash' }), 'shell');
    assert.equal(sourceKindOf('/w/bin/web', { firstLine: '#!/bin/bash -e' }), 'shell');
    assert.equal(sourceKindOf('/w/bin/web', { firstLine: '#!/usr/bin/env python3' }), undefined);
    assert.equal(sourceKindOf('/w/tools/web', { firstLine: '#!/bin/sh' }), undefined);
  });

  it('matches gunicorn config names like the CLI', () => {
    assert.ok(isGunicornConfigName('/w/gunicorn.conf.py'));
    assert.ok(isGunicornConfigName('/w/deploy/gunicorn/prod.py'));
    assert.ok(!isGunicornConfigName('/w/settings.py'));
  });
});

describe('launchesIn: systemd', () => {
  const unit = [
    '[Unit]',
    'Description=app',
    '[Service]',
    'Environment="GUNICORN_CMD_ARGS=--workers 3 --timeout 60" WEB_CONCURRENCY=4',
    "Environment='PORT=8000'",
    'EnvironmentFile=-/etc/app.env',
    'WorkingDirectory=/srv/app',
    'ExecStart=/srv/venv/bin/gunicorn \\',
    '    --bind 127.0.0.1:8000 -c /etc/app/gunicorn.conf.py \\',
    '    shop.wsgi:application',
    'ExecStartPost=/usr/bin/gunicorn --never',
    '',
  ].join('\n');

  it('reads ExecStart= of [Service] with env, working directory and unit name', () => {
    const launch = one('systemd', unit, V23, '/etc/systemd/system/shop.service');
    assert.equal(launch.kind, 'systemd');
    assert.equal(launch.unit, 'shop.service');
    assert.equal(launch.app?.value, 'shop.wsgi:application');
    assert.equal(at(unit, launch.app!.range), 'shop.wsgi:application');
    assert.equal(launch.configFile?.value, '/etc/app/gunicorn.conf.py');
    assert.equal(at(unit, launch.configFile!.range), '/etc/app/gunicorn.conf.py');
    assert.equal(launch.workingDirectory?.value, '/srv/app');
    assert.equal(at(unit, launch.workingDirectory!.range), '/srv/app');
    assert.deepEqual([...launch.env.keys()], ['GUNICORN_CMD_ARGS', 'WEB_CONCURRENCY', 'PORT']);
    assert.equal(launch.env.get('PORT')?.value, '8000');
    assert.equal(at(unit, launch.env.get('PORT')!.range), '8000');
    assert.equal(at(unit, launch.env.get('WEB_CONCURRENCY')!.range), '4');
    assert.equal(at(unit, launch.env.get('GUNICORN_CMD_ARGS')!.range), '--workers 3 --timeout 60');
    assert.equal(launch.environmentFiles?.[0]?.value, '/etc/app.env');
    const bind = launch.commandLine.get('bind')!;
    assert.deepEqual(bind.values, ['127.0.0.1:8000']);
    assert.equal(at(unit, bind.range), '127.0.0.1:8000');
    assert.equal(launch.cmdArgs.get('workers')?.value, '3');
    assert.equal(at(unit, launch.cmdArgs.get('workers')!.range), '3');
    assert.equal(at(unit, launch.cmdArgs.get('timeout')!.range), '60');
    assert.ok(at(unit, launch.range).startsWith('/srv/venv/bin/gunicorn'));
    assert.ok(at(unit, launch.range).endsWith('shop.wsgi:application'));
    // The invocation's tokens point into the document too.
    const option = launch.invocation.options.find((o) => o.setting === 'config')!;
    assert.equal(unit.slice(option.flagToken.from, option.flagToken.to), '-c');
  });

  it('ignores GUNICORN_CMD_ARGS before 19.7.0 and -c in it before 19.8.0', () => {
    const text =
      '[Service]\nEnvironment="GUNICORN_CMD_ARGS=-c env.py -w 2"\nExecStart=/usr/bin/gunicorn app:app\n';
    assert.equal(one('systemd', text, [19, 6, 0]).cmdArgs.size, 0);
    const old = one('systemd', text, [19, 7, 0]);
    assert.equal(old.cmdArgs.get('workers')?.value, '2');
    assert.equal(old.configFile, undefined);
    const recent = one('systemd', text, [19, 8, 0]);
    assert.equal(recent.configFile?.value, 'env.py');
    assert.equal(at(text, recent.configFile!.range), 'env.py');
  });

  it('prefers the command line -c over the one in GUNICORN_CMD_ARGS', () => {
    const text =
      '[Service]\nEnvironment="GUNICORN_CMD_ARGS=-c env.py"\nExecStart=/usr/bin/gunicorn -c cli.py app:app\n';
    const launch = one('systemd', text);
    assert.equal(launch.configFile?.value, 'cli.py');
    assert.equal(launch.cmdArgs.get('config')?.value, 'env.py');
  });

  it('resets Environment= on an empty assignment and finds nothing outside [Service]', () => {
    const text = '[Service]\nEnvironment=A=1\nEnvironment=\nEnvironment=B=2\nExecStart=gunicorn app:app\n';
    assert.deepEqual([...one('systemd', text).env.keys()], ['B']);
    assert.equal(launches('systemd', '[Unit]\nExecStart=gunicorn app:app\n').length, 0);
  });
});

describe('launchesIn: Dockerfile', () => {
  it('reads exec form with continuations, ENV (both forms), WORKDIR', () => {
    const text = [
      'FROM python:3.12-slim',
      'ENV PYTHONUNBUFFERED=1 GUNICORN_CMD_ARGS="--threads 4"',
      'ENV LEGACY some value',
      'ARG PORT=9999',
      'WORKDIR /app',
      'WORKDIR src',
      'CMD ["gunicorn", "--bind", "0.0.0.0:8000", \\',
      '     "--workers=2", "app.main:app"]',
      '',
    ].join('\n');
    const launch = one('dockerfile', text);
    assert.equal(launch.kind, 'dockerfile');
    assert.equal(launch.workingDirectory?.value, '/app/src');
    assert.equal(at(text, launch.workingDirectory!.range), 'src');
    assert.equal(launch.env.get('LEGACY')?.value, 'some value');
    assert.equal(at(text, launch.env.get('LEGACY')!.range), 'some value');
    assert.equal(launch.env.has('PORT'), false);
    assert.equal(launch.cmdArgs.get('threads')?.value, '4');
    assert.equal(at(text, launch.cmdArgs.get('threads')!.range), '4');
    assert.equal(cli(launch, 'workers'), '2');
    assert.equal(at(text, launch.commandLine.get('workers')!.range), '2');
    assert.equal(at(text, launch.commandLine.get('bind')!.range), '"0.0.0.0:8000"');
    assert.equal(at(text, launch.app!.range), '"app.main:app"');
    assert.equal(launch.app?.value, 'app.main:app');
    assert.ok(at(text, launch.range).startsWith('"gunicorn"'));
  });

  it('reads shell form with cd, continuations and comment lines', () => {
    const text = 'FROM python\nCMD cd /srv && exec gunicorn \\\n  # a comment\n  -w 4 --reload wsgi:app\n';
    const launch = one('dockerfile', text);
    assert.equal(launch.workingDirectory?.value, '/srv');
    assert.equal(cli(launch, 'workers'), '4');
    assert.equal(cli(launch, 'reload'), true);
    assert.equal(at(text, launch.commandLine.get('reload')!.range), '--reload');
    assert.equal(at(text, launch.app!.range), 'wsgi:app');
  });

  it('combines an exec-form ENTRYPOINT with CMD as Docker does', () => {
    const text = 'FROM python\nENTRYPOINT ["gunicorn"]\nCMD ["-w", "3", "app:app"]\n';
    const launch = one('dockerfile', text);
    assert.equal(cli(launch, 'workers'), '3');
    assert.equal(launch.app?.value, 'app:app');
    assert.equal(at(text, launch.range), '"gunicorn"');
  });

  it('runs CMD through an entry-point script, and drops an inherited CMD when ENTRYPOINT is set', () => {
    const script = 'FROM python\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n';
    assert.equal(one('dockerfile', script).app?.value, 'app:app');
    const inherited =
      'FROM python AS base\nCMD ["gunicorn", "old:app"]\nFROM base\nENTRYPOINT ["python", "x.py"]\n';
    assert.equal(launches('dockerfile', inherited).length, 0);
    const kept = 'FROM python AS base\nCMD ["gunicorn", "old:app"]\nFROM base\nENV A=1\n';
    assert.equal(one('dockerfile', kept).app?.value, 'old:app');
  });

  it('reports only the last stage, last CMD winning', () => {
    const text = [
      'FROM python AS build',
      'CMD ["gunicorn", "build:app"]',
      'FROM python:3.12 AS final',
      'CMD ["gunicorn", "first:app"]',
      'CMD ["gunicorn", "-b", ":80", "final:app"]',
    ].join('\n');
    const launch = one('dockerfile', text);
    assert.equal(launch.app?.value, 'final:app');
    assert.equal(cli(launch, 'bind'), ':80');
  });

  it('reads sh -c scripts in exec form, $PORT dynamic there', () => {
    const text = 'FROM python\nCMD ["sh", "-c", "exec gunicorn -b 0.0.0.0:$PORT app:app"]\n';
    const launch = one('dockerfile', text);
    assert.equal(at(text, launch.commandLine.get('bind')!.range), '0.0.0.0:$PORT');
    const option = launch.invocation.options.find((o) => o.setting === 'bind')!;
    assert.equal(option.valueDynamic, true);
  });

  it('handles CRLF, a BOM and tabs', () => {
    const text =
      '\uFEFFFROM python\r\nENV\tA=1\r\nWORKDIR\t/app\r\nCMD\tgunicorn \\\r\n\t-w 2 \\\r\n\tapp:app\r\n';
    const launch = one('dockerfile', text);
    assert.equal(at(text, launch.commandLine.get('workers')!.range), '2');
    assert.equal(launch.commandLine.get('workers')!.range.start.line, 4);
    assert.equal(at(text, launch.app!.range), 'app:app');
    assert.equal(at(text, launch.env.get('A')!.range), '1');
    assert.equal(launch.workingDirectory?.value, '/app');
  });

  it('honours the escape parser directive', () => {
    const text = '# escape=`\nFROM python\nCMD gunicorn `\n  -w 5 app:app\n';
    assert.equal(cli(one('dockerfile', text), 'workers'), '5');
  });
});

describe('launchesIn: Procfile', () => {
  it('finds one launch per gunicorn process type, $PORT left dynamic', () => {
    const text =
      'web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT --log-file -\nworker: celery -A shop worker\n# web2: gunicorn x:y\nrelease: python manage.py migrate && gunicorn --check-config shop.wsgi\n';
    const found = launches('procfile', text);
    assert.equal(found.length, 2);
    const web = found[0]!;
    assert.equal(web.unit, 'web');
    assert.equal(web.kind, 'procfile');
    assert.equal(web.commandLine.get('bind')!.value, '0.0.0.0:$PORT');
    assert.equal(web.invocation.options.find((o) => o.setting === 'bind')!.valueDynamic, true);
    assert.equal(at(text, web.range), 'gunicorn shop.wsgi --bind 0.0.0.0:$PORT --log-file -');
    assert.equal(found[1]!.unit, 'release');
  });

  it('reads inline assignments as environment', () => {
    const text = 'web: GUNICORN_CMD_ARGS="--workers 5" WEB_CONCURRENCY=2 gunicorn app:app\n';
    const launch = one('procfile', text);
    assert.equal(launch.env.get('WEB_CONCURRENCY')?.value, '2');
    assert.equal(launch.cmdArgs.get('workers')?.value, '5');
    assert.equal(at(text, launch.cmdArgs.get('workers')!.range), '5');
  });
});

describe('launchesIn: compose', () => {
  const compose = [
    'services:',
    '  web:',
    '    build: .',
    '    command: gunicorn -b 0.0.0.0:8000 --workers=3 app:app  # serve',
    '    environment:',
    '      - GUNICORN_CMD_ARGS=--threads 2',
    '      - "PORT=8000"',
    '    working_dir: /code',
    '    env_file: .env',
    '  api:',
    '    entrypoint: ["gunicorn", "-b", ":9000",',
    '      "api:app"]',
    '    environment:',
    '      GUNICORN_CMD_ARGS: "--timeout 60"',
    '      WEB_CONCURRENCY: 4',
    '  folded:',
    '    command: >',
    '      gunicorn',
    '      -k gthread',
    '      main:app',
    '  literal:',
    '    command: |',
    '      gunicorn -w 2',
    '      lit:app',
    '  list:',
    '    command:',
    '    - gunicorn',
    '    - --bind=0.0.0.0:8000',
    '    - "wsgi:application"',
    '  db:',
    '    image: postgres',
    'volumes:',
    '  data:',
    '    command: gunicorn not:aservice',
  ].join('\n');

  it('reads command strings, environment lists and maps, working_dir and env_file', () => {
    const found = launches('compose', compose);
    assert.deepEqual(
      found.map((l) => l.unit),
      ['web', 'api', 'folded', 'literal', 'list'],
    );
    const web = found[0]!;
    assert.equal(at(compose, web.range), 'gunicorn -b 0.0.0.0:8000 --workers=3 app:app');
    assert.equal(at(compose, web.commandLine.get('workers')!.range), '3');
    assert.equal(web.env.get('PORT')?.value, '8000');
    assert.equal(at(compose, web.env.get('PORT')!.range), '8000');
    assert.equal(at(compose, web.cmdArgs.get('threads')!.range), '2');
    assert.equal(web.workingDirectory?.value, '/code');
    assert.equal(web.environmentFiles?.[0]?.value, '.env');
    const api = found[1]!;
    assert.equal(api.app?.value, 'api:app');
    assert.equal(at(compose, api.cmdArgs.get('timeout')!.range), '60');
    assert.equal(api.env.get('WEB_CONCURRENCY')?.value, '4');
  });

  it('reads block scalars and block lists', () => {
    const found = launches('compose', compose);
    const folded = found[2]!;
    assert.equal(folded.commandLine.get('worker_class')?.value, 'gthread');
    assert.equal(at(compose, folded.app!.range), 'main:app');
    assert.equal(found[3]!.commandLine.get('workers')?.value, '2');
    const list = found[4]!;
    assert.equal(list.commandLine.get('bind')?.value, '0.0.0.0:8000');
    assert.equal(at(compose, list.commandLine.get('bind')!.range), '0.0.0.0:8000');
    assert.equal(list.app?.value, 'wsgi:application');
  });

  it("follows anchors and merge keys, a service's own keys winning", () => {
    const text = [
      'x-app: &app',
      '  command: gunicorn -w 2 base:app',
      '  environment: &env',
      '    GUNICORN_CMD_ARGS: "--timeout 90"',
      'services:',
      '  web:',
      '    <<: *app',
      '  api:',
      '    <<: [*app]',
      '    command: gunicorn -w 4 api:app',
      '    environment: *env',
    ].join('\n');
    const [web, api] = launches('compose', text);
    assert.equal(web?.unit, 'web');
    assert.equal(web?.app?.value, 'base:app');
    assert.equal(at(text, web!.commandLine.get('workers')!.range), '2');
    assert.equal(at(text, web!.cmdArgs.get('timeout')!.range), '90');
    assert.equal(api?.app?.value, 'api:app');
    assert.equal(api?.commandLine.get('workers')?.value, '4');
    assert.equal(api?.cmdArgs.get('timeout')?.value, '90');
  });

  it('reads flow maps, escapes and every document of the file', () => {
    const text = [
      'services:',
      '  a:',
      '    command: "gunicorn\\t-b :80 a:app"',
      '    environment: {PORT: 80, "X": \'y\'}',
      '---',
      'services:',
      '  b:',
      '    command: gunicorn b:app',
    ].join('\n');
    const [a, b] = launches('compose', text);
    assert.equal(a?.commandLine.get('bind')?.value, ':80');
    assert.equal(a?.env.get('PORT')?.value, '80');
    assert.equal(a?.env.get('X')?.value, 'y');
    assert.equal(b?.app?.value, 'b:app');
  });

  it('combines entrypoint with command, falling back to command behind a script', () => {
    const text =
      'services:\n  a:\n    entrypoint: gunicorn\n    command: ["-w", "2", "a:app"]\n  b:\n    entrypoint: ./entrypoint.sh\n    command: gunicorn b:app\n';
    const [a, b] = launches('compose', text);
    assert.equal(a?.commandLine.get('workers')?.value, '2');
    assert.equal(b?.app?.value, 'b:app');
  });
});

describe('launchesIn: shell scripts', () => {
  it('follows export, cd and exec across lines and continuations', () => {
    const text = [
      '#!/bin/sh',
      'set -e',
      'export GUNICORN_CMD_ARGS="--bind=:9000 --workers 2"',
      'cd /srv/app',
      'python manage.py migrate',
      'exec gunicorn \\',
      '  --timeout 30 \\',
      '  app.wsgi',
    ].join('\n');
    const launch = one('shell', text);
    assert.equal(launch.workingDirectory?.value, '/srv/app');
    assert.equal(at(text, launch.workingDirectory!.range), '/srv/app');
    assert.equal(launch.cmdArgs.get('bind')?.value, ':9000');
    assert.equal(at(text, launch.cmdArgs.get('bind')!.range), ':9000');
    assert.equal(at(text, launch.commandLine.get('timeout')!.range), '30');
    assert.equal(at(text, launch.range), 'exec gunicorn \\\n  --timeout 30 \\\n  app.wsgi');
  });

  it('skips comments and heredocs, and finds several launches', () => {
    const text =
      'cat <<EOF\ngunicorn in:heredoc\nEOF\n# gunicorn commented:out\ngunicorn a:app &\npython -m gunicorn b:app\n';
    assert.deepEqual(
      launches('shell', text).map((l) => l.app?.value),
      ['a:app', 'b:app'],
    );
  });
});

describe('launchesIn: robustness', () => {
  it('never throws on junk', () => {
    const junk = [
      '',
      '\uFEFF',
      '[',
      'CMD ["gunicorn", ',
      'CMD ["gunicorn", "-b"',
      'services:\n  web:\n    command: [\n',
      'services:\n  web:\n    command: "unterminated',
      'services:\n  web:\n    command: |\n',
      'web:',
      ':',
      'gunicorn "unterminated',
      'ENV',
      'FROM',
      'WORKDIR',
      'exec gunicorn \\',
      '\\\n\\\r\n',
      'Environment="GUNICORN_CMD_ARGS=\'\n[Service]\nExecStart=gunicorn',
      '\u0000\uffff\ud800',
    ];
    const kinds: SourceKind[] = [
      'systemd',
      'dockerfile',
      'procfile',
      'compose',
      'shell',
      'gunicorn',
      'nginx',
    ];
    for (const text of junk) {
      for (const kind of kinds) {
        assert.doesNotThrow(() => launches(kind, text), `${kind}: ${JSON.stringify(text)}`);
        assert.doesNotThrow(() => readLaunches({ uri: '', path: '', kind, text }, V23));
      }
    }
    assert.deepEqual(launches('gunicorn', 'workers = 2'), []);
  });

  it('keeps GUNICORN_CMD_ARGS with escapes usable, pointing at the whole value', () => {
    const text =
      'services:\n  web:\n    command: gunicorn app:app\n    environment:\n      GUNICORN_CMD_ARGS: "--workers \\"3\\""\n';
    const launch = one('compose', text);
    assert.equal(launch.cmdArgs.get('workers')?.value, '3');
    assert.equal(at(text, launch.cmdArgs.get('workers')!.range), '--workers \\"3\\"');
  });
});

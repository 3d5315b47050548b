// Templates and placeholders in every language: realistic template files give one info and nothing else,
// placeholder values are unknown while real mistakes next to them are still found, the deployment model treats
// placeholder addresses as unknown, and the CLI exits 0 on folders of templates.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { detectLanguage, parseDocument } from '../../server/src/languages/registry';
import { allRules } from '../../server/src/rules';
import { analyze, filesUnder, FIXTURES, summary } from './templateHelpers';

describe('templates: realistic files give one info and nothing else', () => {
  const files = filesUnder(FIXTURES);

  it('has fixtures of every kind', () => {
    const languages = new Set(files.map((f) => detectLanguage(f)));
    assert.deepEqual([...languages].sort(), ['commands', 'gunicorn', 'nginx', 'systemd']);
  });

  for (const file of files) {
    const name = relative(FIXTURES, file);
    it(name, () => {
      const findings = analyze(file, readFileSync(file, 'utf8'));
      assert.deepEqual(
        findings.map((f) => `${f.severity} ${f.rule}`),
        ['info template-placeholder'],
        summary(findings).join('\n'),
      );
      assert.match(
        findings[0]!.message,
        /^This file has \d+ placeholders? that (is|are) filled in later \(first: `/,
      );
    });
  }

  it('the info counts placeholders and points at the first one', () => {
    const text = '# {{ not_counted }}\nbind = "{{ host }}:{{ port }}"\nworkers = __WORKERS__\n';
    const [info] = analyze('/srv/templates/gunicorn.conf.py.j2', text);
    assert.equal(info?.rule, 'template-placeholder');
    assert.match(info!.message, /has 3 placeholders .*first: `\{\{ host \}\}` at line 2/);
    assert.deepEqual(info!.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 18 } });
  });

  it('can be silenced per file and by severity', () => {
    const text = '# gunicorn-config: disable-file=template-placeholder\nbind = "127.0.0.1:__PORT__"\n';
    assert.deepEqual(analyze('/srv/gunicorn.conf.py', text), []);
    const findings = parseDocument('gunicorn', 'bind = "127.0.0.1:__PORT__"\n').analyze({
      uri: 'file:///srv/gunicorn.conf.py',
      path: '/srv/gunicorn.conf.py',
      version: [23, 0, 0],
      versionLabel: '23.0.0',
      severity: { 'template-placeholder': 'ignore' },
    });
    assert.deepEqual(findings, []);
  });

  it('is registered once, as an info', () => {
    const metas = allRules.filter((r) => r.id === 'template-placeholder');
    assert.equal(metas.length, 1);
    assert.equal(metas[0]!.defaultSeverity, 'info');
  });

  it('a file without placeholders gets no info', () => {
    assert.deepEqual(analyze('/srv/gunicorn.conf.py', 'bind = "127.0.0.1:8000"\nworkers = 3\n'), []);
  });
});

describe('templates: placeholder values are unknown, real mistakes are still found', () => {
  it('gunicorn.conf.py: a placeholder string is not judged; a misspelt setting still is', () => {
    const text = [
      'bind = "127.0.0.1:__PORT__"',
      'worker_class = "<worker_class>"',
      'loglevel = "${LOG_LEVEL}"',
      'timeout = __TIMEOUT__',
      'wokers = 3',
      'worker_class = "nonsense"',
      '',
    ].join('\n');
    const findings = analyze('/srv/gunicorn.conf.py', text);
    const rules = findings.map((f) => `${f.range.start.line + 1} ${f.severity} ${f.rule}`);
    assert.ok(rules.includes('5 warning unknown-setting'), rules.join('\n'));
    assert.ok(rules.includes('6 error unknown-worker-class'), rules.join('\n'));
    assert.deepEqual(
      findings.filter((f) => f.range.start.line < 4 && f.severity !== 'info'),
      [],
      'no finding on the placeholder lines',
    );
  });

  it('gunicorn.conf.py: a $PORT in the docstring is prose, not a placeholder; in a value it is one', () => {
    const doc = '"""Settings for production.\n\nbind: formatted as \'0.0.0.0:$PORT\'.\n"""\nworkers = 3\n';
    assert.deepEqual(
      analyze('/srv/gunicorn.conf.py', doc).filter((f) => f.rule === 'template-placeholder'),
      [],
    );
    const value = `${doc}bind = "0.0.0.0:$PORT"\n`;
    assert.equal(
      analyze('/srv/gunicorn.conf.py', value).filter((f) => f.rule === 'template-placeholder').length,
      1,
    );
  });

  it('the same placeholders were errors when written as plain values (the checks are live)', () => {
    const findings = analyze(
      '/srv/gunicorn.conf.py',
      'bind = "127.0.0.1:port"\nworker_class = "worker_class"\n',
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['invalid-bind', 'unknown-worker-class'],
    );
  });

  it('a unit file: placeholder paths and flags pass, a misspelt directive is still reported', () => {
    const text = [
      '[Service]',
      'Type=notify',
      'WorkingDirectory=<PROJECT_DIR>',
      'ExecStart=__INSTALL_DIR__/venv/bin/gunicorn --workers __WORKERS__ --bind unix:<path_to_app>/app.sock app:app',
      'ExecReload=/bin/kill -s HUP $MAINPID',
      'KillMode=mixed',
      'Restrat=always',
      '',
    ].join('\n');
    const problems = analyze('/etc/systemd/system/app.service', text).filter((f) => f.severity !== 'info');
    assert.deepEqual(summary(problems), ['7:1 warning unknown-directive']);
  });

  it('a unit template: a line-wide syntax error that contains placeholders is still an error', () => {
    // A continuation line that lost its backslash (seen in a public Ansible role): systemd reads the next line alone.
    const text = [
      '[Service]',
      'Type=notify',
      "ExecStart=/bin/sh -c '{{ venv }}/bin/gunicorn \\",
      '          -p {{ run_dir }}/app.pid',
      "          --pythonpath {{ app_dir }} {{ wsgi_module }}'",
      '',
    ].join('\n');
    const errors = analyze('/srv/templates/app.service.j2', text).filter((f) => f.severity === 'error');
    assert.deepEqual(summary(errors), ['5:11 error unit-syntax']);
  });

  it('a unit template: a value continued across a tag-only line or a branch not rendered stays one value', () => {
    // As a public Ansible role writes it: Jinja drops the tag lines (trim_blocks), so the value runs on.
    const text = [
      '[Service]',
      "{% if version is version('3.33', '>=') -%}",
      'ExecStart={{ bin }}/pulpcore-api \\',
      '{% else %}',
      'ExecStart={{ bin }}/gunicorn app.wsgi:application \\',
      '{%- endif %}',
      '          --name api \\',
      "          --bind '{{ bind }}' \\",
      '          --timeout {{ timeout }}',
      '',
    ].join('\n');
    const problems = analyze('/srv/templates/api.service.j2', text).filter((f) => f.severity !== 'info');
    assert.deepEqual(summary(problems), []);
    // Without the backslash before the tag line, the lines after it still stand alone (the check is live).
    const broken = text.replace('pulpcore-api \\\n{% else %}', 'pulpcore-api\n{% else %}');
    assert.deepEqual(
      summary(analyze('/srv/templates/api.service.j2', broken).filter((f) => f.severity === 'error')),
      ['7:11 error unit-syntax', '8:11 error unit-syntax', '9:11 error unit-syntax'],
    );
  });

  it('a unit template: an expression alone on the last line of a continued value is its last argument', () => {
    // As a public role writes it: the app spec closes the ExecStart= value; ExecReload= is a directive of its own.
    const text = [
      '[Service]',
      'ExecStart=gunicorn \\',
      '          -w {{ workers }} \\',
      '          {{ app_wsgi }}',
      'ExecReload=/bin/kill -s HUP $MAINPID',
      '',
    ].join('\n');
    const found = analyze('/srv/templates/app.service.j2', text).filter((f) => f.severity !== 'info');
    assert.deepEqual(summary(found), []);
    assert.ok(!analyze('/srv/templates/app.service.j2', text).some((f) => /no option -s/.test(f.message)));
  });

  it('a unit file: the same values without placeholders are errors (the checks are live)', () => {
    const text = '[Service]\nWorkingDirectory=project\nExecStart=/venv/bin/gunicorn --workers many app:app\n';
    const rules = analyze('/etc/systemd/system/app.service', text)
      .filter((f) => f.severity === 'error')
      .map((f) => f.rule);
    assert.deepEqual(rules, ['invalid-directive-value', 'gunicorn-command-line']);
  });

  it('nginx: placeholder arguments pass, a misspelt directive on another line is still an error', () => {
    const text = [
      'server {',
      '    listen __PORT__;',
      '    server_name <your_domain>;',
      '    gzip __GZIP__;',
      '    location / {',
      '        include proxy_params;',
      '        proxy_pas http://unix:<path_to_app>/gunicorn.sock;',
      '    }',
      '}',
      '',
    ].join('\n');
    const errors = analyze('/etc/nginx/sites-available/app', text).filter((f) => f.severity === 'error');
    assert.deepEqual(summary(errors), ['7:9 error nginx-unknown-directive']);
    const live = analyze('/etc/nginx/sites-available/app', 'server {\n    gzip maybe;\n}\n');
    assert.deepEqual(
      live.map((f) => f.rule),
      ['nginx-invalid-flag'],
    );
  });

  it('nginx: a line that is only a placeholder inserts directives and does not swallow the next one', () => {
    const text = [
      'server {',
      '    listen 443 ssl;',
      '    __SSL_OPTIONS__',
      '    ssl_certificate_ky __KEYFILE__;',
      '}',
      '',
    ].join('\n');
    // The misspelt directive after the inserted line is still its own directive, and still an error.
    assert.deepEqual(
      summary(analyze('/etc/nginx/sites-available/app', text).filter((f) => f.severity === 'error')),
      ['4:5 error nginx-unknown-directive'],
    );
  });

  it('nginx template: capitals in a trailing comment fill in nothing', () => {
    const text = 'server {\n    server_name example.com;  # CUSTOMIZE\n    root {{ root }};\n}\n';
    const info = analyze('/srv/conf-templates/nginx.conf.j2', text).find(
      (f) => f.rule === 'template-placeholder',
    );
    assert.match(info!.message, /has 1 placeholder .*first: `\{\{ root \}\}`/);
  });

  it('nginx template: sed-style capitals are placeholders; the same words in a plain file are still judged', () => {
    const text = [
      'server {',
      '    listen SITE_PORT ssl;',
      '    listen [::]:SITE_PORT ssl HTTP_OPTIONS;',
      '    server_name SITE_DOMAIN;',
      '    ssl_certificate     CERT_FILE;',
      '    TLS_SETTINGS',
      '    ssl_certificate_ky KEY_FILE;',
      '    location / {',
      '        limit_except GET POST {',
      '            deny all;',
      '        }',
      '        include proxy_params;',
      '        proxy_pass http://unix:/run/app/gunicorn.sock;',
      '    }',
      '}',
      '',
    ].join('\n');
    const findings = analyze('/srv/docker/nginx/site.conf.template', text);
    // The misspelt directive below the inserted line is still an error; every capital word is a placeholder.
    assert.deepEqual(summary(findings), [
      '2:12 info template-placeholder',
      '7:5 error nginx-unknown-directive',
    ]);
    assert.match(findings[0]!.message, /This file has 7 placeholders .*first: `SITE_PORT`/);
    const plain = analyze('/etc/nginx/sites-available/site', text).filter((f) => f.severity === 'error');
    assert.deepEqual(
      summary(plain).map((line) => line.split(' ')[0]),
      // The port and the parameter of line 3; line 6 as a directive that runs on into the next line.
      ['3:12', '3:31', '6:5'],
      summary(plain).join('\n'),
    );
  });

  it('nginx template: braces and semicolons inside tags do not break the parse', () => {
    const text = [
      'server {',
      '    listen {{ port | default(80) }};',
      "    {% set names = {'a': 1}; %}",
      "    server_name {{ names | join('; ') }};",
      '    location / {',
      '        include proxy_params;',
      '        proxy_pass http://unix:{{ socket }};',
      '    }',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(summary(analyze('/srv/templates/nginx.conf.j2', text)), [
      '2:12 info template-placeholder',
    ]);
  });

  it('nginx: a placeholder may stand for several arguments, so the count is not judged', () => {
    const text =
      'http {\n    gzip_buffers {{ nginx_gzip_buffers }};\n    large_client_header_buffers __BUFFERS__;\n}\n';
    assert.deepEqual(summary(analyze('/srv/templates/nginx.conf.j2', text)), [
      '2:18 info template-placeholder',
    ]);
    // With a real single value the count is an error.
    assert.deepEqual(
      analyze('/srv/nginx.conf', 'http {\n    gzip_buffers 16;\n}\n').map((f) => f.rule),
      ['nginx-argument-count'],
    );
  });

  it('nginx sample: a tutorial placeholder written with spaces is several words, so the count is not judged', () => {
    // linuxserver's proxy samples: `set $upstream_proto <http or https>;`, in a file the user copies and fills in.
    const text =
      'server {\n    listen 443 ssl;\n    location / {\n        set $upstream_proto <http or https>;\n        proxy_pass $upstream_proto://app:8000;\n    }\n}\n';
    assert.deepEqual(summary(analyze('/srv/nginx/site.subdomain.conf.sample', text)), [
      '4:29 info template-placeholder',
    ]);
    // Written as real words, the same line is an error nginx gives too ("invalid number of arguments").
    assert.deepEqual(
      analyze('/srv/nginx/site.conf', text.replace('<http or https>', 'http or https')).map((f) => f.rule),
      ['nginx-argument-count'],
    );
  });

  it('nginx template: both branches of an if set the same directive, which is no duplicate', () => {
    const text = [
      'server {',
      '{% if big_uploads %}',
      '    client_max_body_size 100m;',
      '{% else %}',
      '    client_max_body_size 1m;',
      '{% endif %}',
      '    listen {{ port }};',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(summary(analyze('/srv/templates/nginx.conf.j2', text)), [
      '7:12 info template-placeholder',
    ]);
    // The same lines without the template tags are a real duplicate.
    const plain = text.replace(/\{%.*%\}/g, '').replace('{{ port }}', '80');
    assert.deepEqual(
      analyze('/srv/nginx.conf', plain).map((f) => f.rule),
      ['nginx-duplicate-directive'],
    );
  });

  it('gunicorn template: a setting in both branches is no duplicate', () => {
    const text =
      '{% if gevent %}\nworker_class = "gevent"\n{% else %}\nworker_class = "sync"\n{% endif %}\nworkers = {{ n }}\n';
    assert.deepEqual(summary(analyze('/srv/gunicorn.conf.py.j2', text)), ['6:11 info template-placeholder']);
  });

  it('gunicorn template: an expression alone on its line is a statement, e.g. the whole body of a hook', () => {
    const text =
      'def post_fork(server, worker):\n    {{ post_fork_body }}\n\ndef when_ready(server):\n    pass\n';
    assert.deepEqual(summary(analyze('/srv/gunicorn.conf.py.j2', text)), ['2:5 info template-placeholder']);
    // The same file with the body missing is a syntax error: the check is live.
    const empty = 'def post_fork(server, worker):\n\ndef when_ready(server):\n    pass\n';
    assert.ok(analyze('/srv/gunicorn.conf.py', empty).some((f) => f.rule === 'syntax-error'));
  });

  it('systemd: ${VAR} stays systemd’s own expansion, not a placeholder', () => {
    const text =
      '[Service]\nEnvironment=PORT=8000\nExecStart=/usr/bin/gunicorn --bind 0.0.0.0:${PORT} app:app\n';
    assert.ok(
      !analyze('/etc/systemd/system/app.service', text).some((f) => f.rule === 'template-placeholder'),
    );
  });

  it('shell scripts and Dockerfiles keep their braces: docker --format is no template', () => {
    const text = "#!/bin/sh\ndocker ps --format '{{.Names}}'\nexec gunicorn --workers 2 app:app\n";
    assert.deepEqual(analyze('/srv/start.sh', text), []);
    const dockerfile =
      'FROM python:3.12\nRUN docker version --format \'{{.Server.Version}}\' || true\nCMD ["gunicorn", "app:app"]\n';
    assert.deepEqual(analyze('/srv/Dockerfile', dockerfile), []);
    // Under a template name the same braces are a placeholder.
    assert.deepEqual(
      analyze('/srv/Dockerfile.j2', dockerfile).map((f) => f.rule),
      ['template-placeholder'],
    );
  });

  it('command sources: a tutorial <placeholder> is a value, not a shell redirection', () => {
    const dockerfile =
      'FROM python:3.12\nCMD gunicorn --bind 0.0.0.0:<port> --workers <workers> <project_name>.wsgi:application\n';
    assert.deepEqual(summary(analyze('/srv/Dockerfile', dockerfile)), ['2:29 info template-placeholder']);
    const script = '#!/bin/sh\nexec gunicorn --bind unix:<path_to_app>/app.sock --workers 2 app:app\n';
    assert.deepEqual(summary(analyze('/srv/start.sh', script)), ['2:27 info template-placeholder']);
    // A real mistake on the same line is still found.
    const typo = '#!/bin/sh\nexec gunicorn --bind unix:<path_to_app>/app.sock --wokers 2 app:app\n';
    assert.ok(
      analyze('/srv/start.sh', typo).some((f) => f.severity === 'error' && /--wokers/.test(f.message)),
    );
  });

  it('a unit or nginx file with Jinja under its plain name is a template', () => {
    const unit = '[Service]\nType=notify\nExecStart=/srv/venv/bin/gunicorn --workers {{ workers }} app:app\n';
    assert.ok(
      analyze('/srv/roles/web/templates/app.service', unit).some((f) => f.rule === 'template-placeholder'),
    );
    assert.ok(!analyze('/srv/roles/web/templates/app.service', unit).some((f) => f.severity === 'error'));
  });

  it('bad input never throws', () => {
    for (const text of [
      '{%',
      '{{',
      '{% if %}{% elif %}{% else %}',
      '<%',
      '__X__'.repeat(1000),
      '{{\n}}\n{#',
    ]) {
      for (const path of [
        '/a/gunicorn.conf.py.j2',
        '/a/app.service.j2',
        '/a/nginx.conf.j2',
        '/a/Dockerfile.j2',
      ]) {
        analyze(path, text);
      }
    }
  });
});

describe('templates: the deployment model', () => {
  function source(path: string, text: string): WorkspaceSource {
    return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
  }
  function rules(sources: WorkspaceSource[]): string[] {
    const model = buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });
    return [...model.findings.values()].flat().map((f) => f.rule);
  }
  const unit = (bind: string) =>
    source(
      '/srv/deploy/app.service',
      `[Service]\nType=notify\nExecStart=/srv/venv/bin/gunicorn --bind ${bind} app.wsgi:application\n`,
    );
  const site = (target: string) =>
    source(
      '/srv/deploy/nginx/app.conf',
      `server {\n    listen 80;\n    location / {\n        include proxy_params;\n        proxy_pass http://${target};\n    }\n}\n`,
    );

  it('a placeholder address mismatches nothing', () => {
    assert.ok(
      !rules([unit('unix:/run/app/app.sock'), site('unix:__INSTALL_DIR__/app.sock')]).includes(
        'bind-address-mismatch',
      ),
    );
    assert.ok(
      !rules([unit('unix:<path_to_app>/app.sock'), site('unix:/run/app/app.sock')]).includes(
        'bind-address-mismatch',
      ),
    );
    assert.ok(!rules([unit('127.0.0.1:__PORT__'), site('127.0.0.1:8000')]).includes('bind-address-mismatch'));
  });

  it('a real mismatch is still found (the check is live)', () => {
    assert.ok(
      rules([unit('unix:/run/app/app.sock'), site('unix:/run/other/app.sock')]).includes(
        'bind-address-mismatch',
      ),
    );
  });

  it('a template service and socket pair up under their rendered names', () => {
    const service = source(
      '/srv/roles/app/templates/app.service.j2',
      '[Service]\nType=notify\nExecStart=/srv/venv/bin/gunicorn --bind unix:/run/app/other.sock --workers {{ n }} app.wsgi:application\n',
    );
    const socket = source(
      '/srv/roles/app/templates/app.socket.j2',
      '[Socket]\nListenStream=/run/{{ name }}/app.sock\n',
    );
    // The bind is ignored because the socket activates the service: only known when the two are paired.
    assert.ok(rules([service, socket]).includes('bind-ignored-by-socket-activation'));
    assert.ok(!rules([service]).includes('bind-ignored-by-socket-activation'));
  });

  it('a message about a templated value shows the placeholder, not the stand-in the rules read', () => {
    const service = source(
      '/srv/roles/app/templates/app.service.j2',
      '[Service]\nType=notify\nExecStart=/srv/venv/bin/gunicorn --bind unix:/run/{{ app_name }}/app.sock app.wsgi:application\n',
    );
    const socket = source(
      '/srv/roles/app/templates/app.socket.j2',
      '[Socket]\nListenStream=/run/app/app.sock\n',
    );
    const model = buildDeploymentModel([service, socket], { version: [23, 0, 0], versionLabel: '23.0.0' });
    const ignored = [...model.findings.values()]
      .flat()
      .find((f) => f.rule === 'bind-ignored-by-socket-activation');
    assert.ok(ignored);
    assert.match(ignored.message, /unix:\/run\/\{\{\u2026\}\}\/app\.sock/);
    assert.doesNotMatch(ignored.message, /__X+__/);
    // A placeholder leaves the addresses unknown: the bind does nothing, but nothing says it misleads (an info).
    assert.equal(ignored.severity, 'info');
    const known = buildDeploymentModel(
      [
        source('/srv/deploy/app.service', service.text.replace('{{ app_name }}', 'other')),
        source('/srv/deploy/app.socket', socket.text),
      ],
      { version: [23, 0, 0], versionLabel: '23.0.0' },
    );
    const mismatch = [...known.findings.values()]
      .flat()
      .find((f) => f.rule === 'bind-ignored-by-socket-activation');
    assert.equal(mismatch?.severity, 'warning');
  });

  it('template files take part with their syntax skipped', () => {
    const service = source(
      '/srv/roles/app/templates/app.service.j2',
      '[Service]\nType=notify\n{% if x %}\nUser=app\n{% endif %}\nExecStart=/srv/venv/bin/gunicorn --bind unix:/run/app/app.sock --workers {{ n }} app.wsgi:application\n',
    );
    const mismatched = rules([service, site('unix:/run/other/app.sock')]);
    assert.ok(mismatched.includes('bind-address-mismatch'), mismatched.join(', '));
    assert.ok(!rules([service, site('unix:/run/app/app.sock')]).includes('bind-address-mismatch'));
  });
});

describe('gunicorn-config check on folders of templates', () => {
  const REPO = resolve(__dirname, '../../..');
  const CLI = join(REPO, 'out', 'server', 'src', 'cli.js');

  for (const folder of ['ansible', 'yunohost', 'tutorial', 'docker']) {
    it(`${folder}: exits 0 with one info per file and nothing else`, () => {
      const result = spawnSync(process.execPath, [CLI, 'check', join(FIXTURES, folder), '--format', 'json'], {
        cwd: REPO,
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      const rows = JSON.parse(result.stdout) as { file: string; rule: string; severity: string }[];
      const expected = filesUnder(join(FIXTURES, folder))
        .map((f) => relative(REPO, f))
        .sort();
      assert.deepEqual(
        rows.map((r) => `${r.file} ${r.severity} ${r.rule}`).sort(),
        expected.map((f) => `${f} info template-placeholder`),
      );
    });
  }
});

describe('templates: rendered under their plain names', () => {
  it('a Salt or Ansible gunicorn.conf.py with {{ name }} values or {% %} lines is a template; f-strings are not', () => {
    const salt = 'bind = "{{ ip }}:{{ port }}"\nworkers = {{ workers }}\n';
    assert.deepEqual(
      summary(analyze('/srv/salt/gunicorn.conf.py', salt).filter((f) => f.severity !== 'info')),
      [],
    );
    const fstring = 'name = "web"\nproc_name = f"{{{name}}}"\nbind = "0.0.0.0:80000"\n';
    assert.deepEqual(
      summary(analyze('/srv/gunicorn.conf.py', fstring).filter((f) => f.severity === 'error')),
      ['3:8 error invalid-bind'],
    );
  });

  it('a Jinja child template ({% extends %}) is only blocks its parent places: nothing of it is checked', () => {
    const child = [
      '{% extends "service-base.j2" %}',
      '{% block exec_start %}',
      '{{ venv }}/bin/gunicorn --bind unix:/run/{{ name }}/socket \\',
      '          {{ wsgi_module }}',
      '{% endblock %}',
      '',
    ].join('\n');
    assert.deepEqual(analyze('/srv/templates/gunicorn.service.j2', child), []);
    const standalone = child.replace('{% extends "service-base.j2" %}', '{# no parent #}');
    assert.ok(
      analyze('/srv/templates/gunicorn.service.j2', standalone).some((f) => f.rule === 'unit-syntax'),
    );
  });
});

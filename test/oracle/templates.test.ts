// Oracle: templates rendered with real values pass the real judges (nginx -t, systemd-analyze verify, those of Debian 12
// and of Debian 13), while on the templates themselves, checked at that judge's versions, we report nothing but the one
// template-placeholder info. The rendering is a tiny substitution
// written here (variables, filters ignored, `if` on a variable, `for` dropped, one known include), enough for the
// fixtures; each judge is first shown a broken copy, to prove it reads the files.

import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { detectLanguage, parseDocument } from '../../server/src/languages/registry';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';
import { nginxSiteTest } from '../helpers/nginxSite';
import { gunicornTarget, nginxTarget, systemdTarget } from '../helpers/targets';

const FIXTURES = resolve(__dirname, '../../../test/fixtures/templates');

type Values = Record<string, string | boolean>;

const PROXY_HEADERS = [
  '        proxy_set_header Host $host;',
  '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  '        proxy_set_header X-Forwarded-Proto $scheme;',
].join('\n');

/** Just enough Jinja for the fixtures: `{# #}`, non-nested `if/else`, `for` (dropped), one include, `{{ name | … }}`. */
function renderJinja(template: string, values: Values): string {
  return template
    .replace(/\{#[\s\S]*?#\}\n?/g, '')
    .replace(/\{% for [\s\S]*?\{% endfor %\}\n?/g, '')
    .replace(
      /\{% if (\w+) %\}\n?([\s\S]*?)(?:\{% else %\}\n?([\s\S]*?))?\{% endif %\}\n?/g,
      (_, name: string, then: string, otherwise?: string) => (values[name] ? then : (otherwise ?? '')),
    )
    .replace(/\{% include '[^']*' %\}/g, PROXY_HEADERS.trimStart())
    .replace(/\{\{\s*(\w+)[^}]*\}\}/g, (_, name: string) => {
      const value = values[name];
      if (typeof value !== 'string') throw new Error(`no value for ${name}`);
      return value;
    });
}

/** YunoHost's own substitution: `__NAME__` → value. */
function renderYunohost(template: string, values: Values): string {
  return template.replace(/__([A-Z_]+)__/g, (whole, name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : whole;
  });
}

function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/** Our verdict on a template, checked at the versions of the judge set's programs: its findings as `severity rule`. */
function ourVerdict(set: JudgeSet, path: string): string[] {
  const file = join(FIXTURES, path);
  const gunicorn = gunicornTarget(set);
  return parseDocument(detectLanguage(file), fixture(path), { path: file })
    .analyze({
      uri: `file://${file}`,
      path: file,
      version: gunicorn.gunicornVersion,
      versionLabel: gunicorn.versionLabel,
      ...nginxTarget(set),
      ...systemdTarget(set),
    })
    .map((f) => `${f.severity} ${f.rule}`);
}

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx -t ${set.nginx.version} accepts rendered templates we report only the info on`, function () {
    this.timeout(30_000);
    let dir = '';

    before(function () {
      requireJudge(this, set, 'nginx');
      dir = mkdtempSync(join(tmpdir(), 'templates-nginx-'));
      mkdirSync(join(dir, 'temp'));
      mkdirSync(join(dir, 'logs'));
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const nginxTest = (body: string) => nginxSiteTest(set, dir, body);

    const ansibleValues: Values = {
      ansible_managed: 'managed by Ansible',
      app_name: 'shop',
      app_dir: '/srv/shop',
      nginx_ssl: false,
      nginx_server_names: 'shop.example.com',
    };

    it('the judge rejects a broken copy', () => {
      const rendered = renderJinja(fixture('ansible/templates/nginx-site.conf.j2'), ansibleValues);
      const verdict = nginxTest(rendered.replace('keepalive_timeout', 'keepalive_timout'));
      assert.equal(verdict.ok, false);
      assert.match(verdict.output, /unknown directive "keepalive_timout"/);
    });

    it('Ansible nginx-site.conf.j2', () => {
      assert.deepEqual(ourVerdict(set, 'ansible/templates/nginx-site.conf.j2'), [
        'info template-placeholder',
      ]);
      const verdict = nginxTest(renderJinja(fixture('ansible/templates/nginx-site.conf.j2'), ansibleValues));
      assert.ok(verdict.ok, verdict.output);
    });

    it('YunoHost conf/nginx.conf (a location snippet, rendered inside a server)', () => {
      assert.deepEqual(ourVerdict(set, 'yunohost/conf/nginx.conf'), ['info template-placeholder']);
      const rendered = renderYunohost(fixture('yunohost/conf/nginx.conf'), {
        PATH: '/shop',
        PORT: '8095',
        INSTALL_DIR: '/var/www/shop',
      }).replace(/^\s*include conf\.d\/yunohost_panel\.conf\.inc;$/m, '');
      const verdict = nginxTest(`server {\n    listen 8080;\n${rendered}\n}\n`);
      assert.ok(verdict.ok, verdict.output);
    });

    it('a tutorial site with <placeholders>', () => {
      assert.deepEqual(ourVerdict(set, 'tutorial/sites-available/myproject'), ['info template-placeholder']);
      const rendered = fixture('tutorial/sites-available/myproject')
        .replace(/<your_domain>/g, 'shop.example.com')
        .replace(/<path_to_app>/g, '/srv/shop')
        .replace('include proxy_params;', PROXY_HEADERS.trim());
      const verdict = nginxTest(rendered);
      assert.ok(verdict.ok, verdict.output);
    });
  });

  describe(`oracle: ${set.debian}'s systemd-analyze verify ${set.systemd.version} accepts rendered unit templates we report only the info on`, function () {
    this.timeout(60_000);
    let dir = '';

    before(function () {
      requireJudge(this, set, 'systemd');
      dir = mkdtempSync(join(tmpdir(), 'templates-systemd-'));
      // systemd checks that ExecStart='s program exists and is executable: give it a stand-in Gunicorn.
      mkdirSync(join(dir, 'venv', 'bin'), { recursive: true });
      const gunicorn = join(dir, 'venv', 'bin', 'gunicorn');
      writeFileSync(gunicorn, '#!/bin/sh\nexit 0\n');
      chmodSync(gunicorn, 0o755);
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Writes the units into a fresh folder and returns systemd's complaints about them. */
    function verify(units: Record<string, string>): { status: number | null; complaints: string[] } {
      const unitDir = mkdtempSync(join(dir, 'units-'));
      const paths = Object.entries(units).map(([name, text]) => {
        const path = join(unitDir, name);
        writeFileSync(path, text);
        return path;
      });
      const r = set.systemd.verify(['--man=no', '--generators=no', ...paths]);
      const names = Object.keys(units);
      const complaints = `${r.stdout}\n${r.stderr}`
        .split('\n')
        .filter((line) => line.trim() !== '')
        .filter((line) => line.includes(unitDir) || names.some((name) => line.includes(name)));
      return { status: r.status, complaints };
    }

    const ansibleUnits = (): Record<string, string> => {
      const values: Values = {
        app_name: 'shop',
        app_user: 'www-data',
        app_group: 'www-data',
        app_dir: '/srv/shop',
        app_venv: join(dir, 'venv'),
        app_module: 'shop.wsgi',
        app_restart_always: true,
        nginx_user: 'www-data',
      };
      return {
        'shop.service': renderJinja(fixture('ansible/templates/gunicorn.service.j2'), values),
        'shop.socket': renderJinja(fixture('ansible/templates/gunicorn.socket.j2'), values),
      };
    };

    it('the judge rejects a broken copy', () => {
      const units = ansibleUnits();
      units['shop.service'] = units['shop.service']!.replace('KillMode=mixed', 'KillMode=mixd');
      // systemd logs the bad value and ignores the line (the exit status stays 0): the complaint is the verdict.
      const verdict = verify(units);
      assert.ok(
        verdict.complaints.some((c) => /mixd/.test(c)),
        verdict.complaints.join('\n'),
      );
    });

    it('Ansible gunicorn.service.j2 and gunicorn.socket.j2', () => {
      assert.deepEqual(ourVerdict(set, 'ansible/templates/gunicorn.service.j2'), [
        'info template-placeholder',
      ]);
      assert.deepEqual(ourVerdict(set, 'ansible/templates/gunicorn.socket.j2'), [
        'info template-placeholder',
      ]);
      const verdict = verify(ansibleUnits());
      assert.deepEqual(verdict.complaints, []);
      assert.equal(verdict.status, 0);
    });

    it('YunoHost conf/systemd.service', () => {
      assert.deepEqual(ourVerdict(set, 'yunohost/conf/systemd.service'), ['info template-placeholder']);
      const rendered = renderYunohost(fixture('yunohost/conf/systemd.service'), {
        APP: 'shop',
        INSTALL_DIR: dir,
        PORT: '8095',
      }).replace(/^User=.*$|^Group=.*$/gm, 'User=www-data');
      const verdict = verify({ 'shop.service': rendered });
      assert.deepEqual(verdict.complaints, []);
      assert.equal(verdict.status, 0);
    });

    it('a tutorial service and socket with <placeholders>', () => {
      assert.deepEqual(ourVerdict(set, 'tutorial/gunicorn.service'), ['info template-placeholder']);
      assert.deepEqual(ourVerdict(set, 'tutorial/gunicorn.socket'), ['info template-placeholder']);
      const fill = (text: string) =>
        text
          .replace(/<PROJECT_DIR>/g, dir)
          .replace(/<path_to_app>/g, '/run/shop')
          .replace(/<your_user>/g, 'www-data')
          .replace(/<project_name>/g, 'shop');
      const verdict = verify({
        'gunicorn.service': fill(fixture('tutorial/gunicorn.service')),
        'gunicorn.socket': fill(fixture('tutorial/gunicorn.socket')),
      });
      assert.deepEqual(verdict.complaints, []);
      assert.equal(verdict.status, 0);
    });
  });
}

// Templates: file names, template syntax masked with every offset kept, placeholder forms, and bounded work on
// hostile input. What the languages and the deployment model make of templates is in templateChecks.test.ts.

import { strict as assert } from 'node:assert';
import {
  findPlaceholders,
  hasPlaceholder,
  isTemplatePath,
  maskTemplate,
  untemplatedPath,
} from '../../server/src/core/templates';
import { isGunicornConfigName, sourceKindOf } from '../../server/src/languages/sourceKinds';
import { commandSourceKindOf, detectLanguage, isNginxPath } from '../../server/src/languages/registry';
import { unitTypeOf } from '../../server/src/languages/systemd/catalog';
import { templateView } from '../../server/src/languages/templates/view';

describe('templates: file names', () => {
  it('strips template suffixes and infixes to the rendered name', () => {
    assert.equal(
      untemplatedPath('roles/app/templates/gunicorn.service.j2'),
      'roles/app/templates/gunicorn.service',
    );
    assert.equal(untemplatedPath('conf/site.conf.tpl'), 'conf/site.conf');
    assert.equal(untemplatedPath('Dockerfile.template'), 'Dockerfile');
    assert.equal(untemplatedPath('units/app.socket.in'), 'units/app.socket');
    assert.equal(untemplatedPath('proxy-confs/app.subdomain.conf.sample'), 'proxy-confs/app.subdomain.conf');
    assert.equal(untemplatedPath('deploy/nginx.conf.example'), 'deploy/nginx.conf');
    assert.equal(untemplatedPath('deploy/gunicorn.template.py'), 'deploy/gunicorn.py');
    assert.equal(
      untemplatedPath('modules/nginx/templates/site.nginx.erb'),
      'modules/nginx/templates/site.nginx',
    );
    assert.equal(untemplatedPath('gunicorn.conf.py'), 'gunicorn.conf.py');
    assert.equal(untemplatedPath('templates/.j2'), 'templates/.j2');
    assert.equal(isTemplatePath('app.service.jinja2'), true);
    // Everything under a cookiecutter or copier project folder is rendered, whatever its own name.
    assert.equal(isTemplatePath('{{cookiecutter.project_slug}}/src/gunicorn.conf.py'), true);
    assert.equal(isTemplatePath('project/{{ project_name }}/deploy/app.service'), true);
    assert.equal(isTemplatePath('project/src/gunicorn.conf.py'), false);
    assert.equal(isTemplatePath('app.service'), false);
  });

  it('gives each template the language of the file it renders to', () => {
    assert.equal(detectLanguage('roles/web/templates/app.service.j2'), 'systemd');
    assert.equal(unitTypeOf('roles/web/templates/app.socket.j2'), 'socket');
    assert.equal(detectLanguage('templates/nginx.conf.j2'), 'nginx');
    assert.equal(detectLanguage('templates/nginx-site.conf.j2'), 'nginx');
    assert.equal(detectLanguage('deploy/conf.d/app.conf.tpl'), 'nginx');
    assert.equal(detectLanguage('templates/gunicorn.conf.py.j2'), 'gunicorn');
    assert.equal(commandSourceKindOf('templates/docker-compose.yml.j2'), 'compose');
    assert.equal(commandSourceKindOf('templates/start.sh.j2'), 'shell');
    assert.equal(sourceKindOf('roles/web/templates/app.service.j2'), 'systemd');
    assert.equal(sourceKindOf('templates/gunicorn.conf.py.j2'), 'gunicorn');
    assert.equal(isGunicornConfigName('templates/gunicorn.conf.py.j2'), true);
  });

  it('does not take templates of other kinds', () => {
    for (const path of [
      'roles/web/templates/settings.yml.j2',
      'roles/web/templates/vhost.conf.j2', // may as well be Apache's
      'roles/web/templates/supervisor.conf.j2',
      'roles/web/templates/local_settings.py.j2',
    ]) {
      assert.equal(sourceKindOf(path), undefined, path);
      assert.equal(isNginxPath(path), false, path);
    }
    // pip-tools' input file is a dependency file of its own, not a template of requirements.txt.
    assert.equal(sourceKindOf('requirements.in'), 'dependencies');
    assert.equal(isNginxPath('requirements.in'), false);
  });
});

describe('templates: masking template syntax', () => {
  const text = [
    '{# managed #}',
    'bind = "127.0.0.1:{{ port }}"',
    '{% if gevent %}',
    'worker_class = "gevent"',
    '{% else %}',
    'worker_class = "sync"',
    '{% endif %}',
    '{% raw %}x = "{{ kept }}"{% endraw %}',
    '{{ extra_settings }}',
    '',
  ].join('\n');
  const masked = maskTemplate(text);

  it('keeps every offset and line break', () => {
    assert.equal(masked.text.length, text.length);
    assert.deepEqual(
      [...masked.text].flatMap((c, i) => (c === '\n' ? [i] : [])),
      [...text].flatMap((c, i) => (c === '\n' ? [i] : [])),
    );
  });

  it('blanks statements and comments, keeps the first branch only, keeps raw blocks literally', () => {
    const lines = masked.text.split('\n');
    assert.equal(lines[0]!.trim(), '');
    assert.equal(lines[3], 'worker_class = "gevent"');
    assert.equal(lines[5]!.trim(), '', 'the else branch is skipped');
    assert.equal(lines[7]!.trim(), 'x = "{{ kept }}"');
  });

  it('turns an inline expression into a placeholder and blanks one that stands alone on its line', () => {
    const lines = masked.text.split('\n');
    assert.match(lines[1]!, /^bind = "127\.0\.0\.1:__X+__"$/);
    assert.equal(lines[8]!.trim(), '');
    assert.deepEqual(
      masked.expressions.map((e) => e.text),
      ['{{ port }}', '{{ extra_settings }}'],
    );
  });

  it('knows Go/Helm actions and ERB tags', () => {
    const go = maskTemplate(
      '{{- if .Values.tls }}\nlisten 443 ssl;\n{{- else }}\nlisten 80;\n{{- end }}\nport {{ .Values.port }};\n',
    );
    assert.deepEqual(
      go.text.split('\n').map((l) => l.trim()),
      ['', 'listen 443 ssl;', '', '', '', `port __${'X'.repeat('{{ .Values.port }}'.length - 4)}__;`, ''],
    );
    const erb = maskTemplate('server 127.0.0.1:<%= @port %>;\n<% if @ssl -%>\nlisten 443;\n<% end -%>\n');
    assert.deepEqual(
      erb.text.split('\n').map((l) => l.trim()),
      [`server 127.0.0.1:__${'X'.repeat('<%= @port %>'.length - 4)}__;`, '', 'listen 443;', '', ''],
    );
  });

  it('survives unbalanced and unterminated tags', () => {
    for (const broken of [
      '{% endif %}{% else %}x',
      '{% if a %}{% if b %}',
      '{{ open',
      '{% raw %}{{ x }}',
      '{{}}',
    ]) {
      const result = maskTemplate(broken);
      assert.equal(result.text.length, broken.length, broken);
    }
  });
});

describe('templates: placeholder forms', () => {
  it('recognises YunoHost, tutorial and (where asked) envsubst placeholders', () => {
    assert.ok(hasPlaceholder('127.0.0.1:__PORT__'));
    assert.ok(hasPlaceholder('__FINALPATH__/app.sock'));
    assert.ok(hasPlaceholder('<path_to_app>/gunicorn.sock'));
    assert.ok(hasPlaceholder('<PROJECT_DIR>'));
    assert.ok(!hasPlaceholder('0.0.0.0:${PORT}'));
    assert.ok(hasPlaceholder('0.0.0.0:${PORT}', { dollar: true }));
  });

  it('leaves Python dunders, HTML, nginx named captures and plain text alone', () => {
    for (const text of [
      '__init__',
      '__name__',
      '<html><body>',
      '~ ^/(?<slug>[a-z]+)$',
      'r"(?P<host>\\S+) (?P<user>\\S+)"',
      'a < b > c',
      'x_y_z',
    ]) {
      assert.deepEqual(findPlaceholders(text), [], text);
    }
  });
});

describe('templates: bounded work on hostile input', () => {
  // Each of these took minutes while tags or placeholders were found by rescanning the rest of the text (or line).
  const hostile = {
    'unclosed {{': '{{'.repeat(500_000),
    'one long line of expressions': '{{ x }}'.repeat(140_000),
    'expressions on comment lines': '# {{ x }}\n'.repeat(100_000),
    'raw without endraw': '{% raw %}'.repeat(100_000),
    branches: '{% if a %}{% elif b %}{% else %}{% endif %}\n'.repeat(22_000),
    'envsubst lines': '${A}\n'.repeat(200_000),
    'ERB expressions': '<%= x %>'.repeat(120_000),
  };
  for (const [label, text] of Object.entries(hostile)) {
    it(label, () => {
      const started = Date.now();
      analyzeTemplateOnly(text);
      assert.ok(Date.now() - started < 5_000, `${label}: ${Date.now() - started} ms`);
    });
  }
});

/** The template handling alone (masking and placeholders), as every language runs it first. */
function analyzeTemplateOnly(text: string): void {
  templateView('nginx', text, '/srv/templates/nginx.conf.template');
  templateView('gunicorn', text, '/srv/gunicorn.conf.py');
}

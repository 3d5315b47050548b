// A language's catalogues load a step at a time on first use (the server answers requests between the steps), and
// nginx's third-party modules' catalogue only for a file that names a directive the release lacks.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const out = join(__dirname, '..', '..', 'server', 'src', 'languages');

/** Runs a script in a fresh Node process (catalogues are loaded once per process) and parses what it prints. */
function fresh<T>(script: string): T {
  const text = execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, OUT: out },
  });
  return JSON.parse(text) as T;
}

describe('language catalogues loaded in steps', () => {
  it('loads nginx’s catalogue in two steps the first time, and in none after', () => {
    const result = fresh<{ first: number; again: number; gunicorn: number; directives: number }>(`
      const { languageLoadSteps } = require(process.env.OUT + '/registry');
      const { nginxCatalog } = require(process.env.OUT + '/nginx/catalog');
      const count = (steps) => { let n = 1; while (!steps.next().done) n++; return n; };
      const first = count(languageLoadSteps('nginx'));
      const again = count(languageLoadSteps('nginx'));
      const gunicorn = count(languageLoadSteps('gunicorn'));
      console.log(JSON.stringify({ first, again, gunicorn, directives: nginxCatalog().directives.length }));
    `);
    assert.deepEqual(
      { first: result.first, again: result.again, gunicorn: result.gunicorn },
      { first: 2, again: 1, gunicorn: 1 },
    );
    assert.ok(result.directives > 500, 'the steps left the catalogue loaded');
  });

  it('loads the modules’ catalogue in a step of its own, only for a file naming a directive the release lacks', () => {
    const result = fresh<{ known: boolean; loadedBetween: boolean; same: boolean; rule: boolean }>(`
      const { parseNginxFile } = require(process.env.OUT + '/nginx/parse');
      const { analyzeNginxConfig, analyzeNginxConfigSteps } = require(process.env.OUT + '/nginx/analyze');
      const modules = require(process.env.OUT + '/nginx/modules');
      const options = { uri: 'file:///etc/nginx/sites/app', path: '/etc/nginx/sites/app' };
      const plain = parseNginxFile(options.path, 'server {\\n  listen 80;\\n  location / { return 204; }\\n}\\n');
      analyzeNginxConfig(plain, options);
      const known = modules.isModuleCatalogLoaded();
      const text = 'server {\\n  listen 80;\\n  more_set_headers "X-Served-By: app";\\n}\\n';
      const model = parseNginxFile(options.path, text);
      // Each rule says when it runs: the catalogue must be loaded in a step in which no rule runs.
      const ran = [];
      const { nginxRules } = require(process.env.OUT + '/nginx/rules/index');
      const rules = nginxRules.map((rule) => ({ ...rule, check: (ctx) => (ran.push(rule.meta.id), rule.check(ctx)) }));
      const steps = analyzeNginxConfigSteps(model, { ...options, rules });
      let loadedBetween = false;
      let next;
      do {
        const before = { loaded: modules.isModuleCatalogLoaded(), ran: ran.length };
        next = steps.next();
        if (!before.loaded && modules.isModuleCatalogLoaded()) loadedBetween = before.ran === 0 && ran.length === 0;
      } while (!next.done);
      const findings = next.value.map((f) => f.rule);
      const same = JSON.stringify(findings) === JSON.stringify(analyzeNginxConfig(model, options).map((f) => f.rule));
      console.log(JSON.stringify({ known, loadedBetween, same, rule: findings.includes('nginx-module-directive') }));
    `);
    assert.equal(result.known, false, 'a file whose names nginx knows does not load it');
    assert.ok(result.loadedBetween, 'loaded in a step of its own, before any rule ran');
    assert.ok(result.same, 'the same findings in steps as at once');
    assert.ok(result.rule, 'the module directive is recognised');
  });
});

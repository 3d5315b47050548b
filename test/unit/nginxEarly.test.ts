// What an nginx file shows before the workspace's first build (rules/early.ts) is never taken back by what the build
// brings: whatever include context, nginx target and other files' facts the build finds, the early findings are among
// the final ones. And each rule held back has a case where showing it early would have been wrong.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/findings';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { nginxCatalogVersions } from '../../server/src/languages/nginx/catalog';
import { NGINX_CONTEXTS, type NginxContext } from '../../server/src/languages/nginx/catalogTypes';
import { nginxModuleCatalog } from '../../server/src/languages/nginx/modules';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { nginxRulesBeforeBuild, WITHHELD_BEFORE_BUILD } from '../../server/src/languages/nginx/rules/early';
import { nginxRules } from '../../server/src/languages/nginx/rules/index';
import type { NginxWorkspaceFacts } from '../../server/src/languages/nginx/rules/types';
import { resolveNginxTarget, type NginxTarget } from '../../server/src/languages/nginx/target';

const ROOT = join(__dirname, '..', '..', '..');
const PATH = '/srv/site/nginx/sites-enabled/app.conf';

/** Every context an `include` can stand in, so every top level the build may give a file. */
const CONTEXTS: readonly NginxContext[] = NGINX_CONTEXTS;

const headersMore = nginxModuleCatalog().entries('more_set_headers')[0]!.module.file;

/** Facts a build may bring about the other files. */
const FACTS: readonly NginxWorkspaceFacts[] = [
  {},
  { upstreams: new Set(['app', 'unix', 'backend', 'app_server', 'shop']) },
  { gunicornAddresses: new Set(['127.0.0.1:8000', 'unix:/run/gunicorn.sock']), gunicornWorkerClass: 'sync' },
  { gunicornWorkerClass: 'gevent' },
  { gunicornWorkerClass: 'gthread' },
  {
    modules: {
      mainConfig: '/srv/site/nginx/nginx.conf',
      loaded: [headersMore, 'ndk_http_module.so'],
      unresolvedIncludes: false,
    },
  },
  { modules: { mainConfig: '/srv/site/nginx/nginx.conf', loaded: [], unresolvedIncludes: false } },
  { staticModules: 'openresty' },
  { includeCycles: [{ line: 0, target: '/srv/site/nginx/nginx.conf' }] },
];

const versions = nginxCatalogVersions();
const ASSUMED = resolveNginxTarget('auto', [], versions);
/** Targets the build may find in Dockerfiles and compose files. */
const FOUND: readonly NginxTarget[] = ['1.18', '1.24', '1.25.0', 'stable', 'latest'].map((version) =>
  resolveNginxTarget('auto', [{ version, source: 'Dockerfile:1' }], versions),
);

interface Final {
  root?: NginxContext;
  facts?: NginxWorkspaceFacts;
  target?: NginxTarget;
}

function analyze(text: string, final: Final, pending: boolean, path = PATH): Finding[] {
  const model = parseNginxConfig(text, final.root ? { rootContext: final.root } : {});
  return analyzeNginxConfig(model, {
    uri: `file://${path}`,
    path,
    gunicornVersion: [23, 0, 0],
    versionLabel: '23.0.0',
    workspace: final.facts ?? {},
    nginxTarget: final.target ?? ASSUMED,
    ...(pending ? { workspacePending: true } : {}),
  });
}

/** A finding as the editor shows it: where, which rule, how severe, what it says. */
const shown = (f: Finding): string =>
  `${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.rule} ${f.severity} ${f.message}`;

/** The early findings (before the build) that the final analysis under `final` does not show. */
function takenBack(text: string, final: Final, path = PATH): string[] {
  const after = new Set(analyze(text, final, false, path).map(shown));
  return analyze(text, {}, true, path)
    .map(shown)
    .filter((f) => !after.has(f));
}

/** Texts where a rule held back would have reported early, and what the build brings that takes it back. */
const TAKEN_BACK: readonly { rule: string; text: string; final: Final }[] = [
  { rule: 'nginx-unknown-directive', text: 'default 0;\nbad_bot 1;\n', final: { root: 'map' } },
  {
    rule: 'nginx-module-directive',
    text: 'more_set_headers "X-Frame-Options: DENY";\n',
    final: { root: 'http', facts: FACTS[5]! },
  },
  { rule: 'nginx-directive-version', text: 'ssl on;\n', final: { target: FOUND[1]! } },
  {
    rule: 'nginx-directive-context',
    text: 'upstream app {\n    server 127.0.0.1:8000;\n}\nhttp {\n}\n',
    final: { root: 'http' },
  },
  { rule: 'nginx-block-mismatch', text: 'location /;\n', final: { root: 'map' } },
  { rule: 'nginx-argument-count', text: 'gzip on off;\n', final: { root: 'map' } },
  { rule: 'nginx-invalid-flag', text: 'gzip yes;\n', final: { root: 'geo' } },
  { rule: 'nginx-invalid-value', text: 'client_max_body_size 10q;\n', final: { root: 'types' } },
  {
    rule: 'nginx-duplicate-directive',
    text: 'client_max_body_size 1m;\nclient_max_body_size 2m;\n',
    final: { root: 'split_clients' },
  },
  { rule: 'nginx-empty-upstream', text: 'upstream app {\n}\n', final: { root: 'map' } },
  {
    rule: 'nginx-unknown-upstream',
    text: 'server {\n    location / {\n        proxy_pass http://app;\n    }\n}\n',
    final: { root: 'http', facts: FACTS[1]! },
  },
  {
    rule: 'nginx-proxy-pass-unix',
    text: 'server {\n    location / {\n        proxy_pass http://unix/run/app.sock;\n    }\n}\n',
    final: { root: 'http', facts: FACTS[1]! },
  },
  {
    rule: 'nginx-missing-proxy-headers',
    text: 'server {\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n',
    final: { root: 'map' },
  },
  {
    rule: 'nginx-wrong-pass-for-gunicorn',
    text: 'server {\n    location / {\n        uwsgi_pass unix:/run/gunicorn.sock;\n    }\n}\n',
    final: { root: 'map' },
  },
  {
    rule: 'nginx-proxy-buffering-off',
    text: 'server {\n    location / {\n        proxy_buffering off;\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n',
    final: { root: 'http', facts: FACTS[3]! },
  },
  {
    rule: 'nginx-websocket-upgrade',
    text: 'server {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n',
    final: { root: 'http', facts: FACTS[2]! },
  },
  {
    rule: 'nginx-upstream-keepalive',
    text:
      'upstream app {\n    server 127.0.0.1:8000;\n    keepalive 8;\n}\n' +
      'server {\n    location / {\n        proxy_pass http://app;\n    }\n}\n',
    final: { root: 'http', facts: FACTS[2]! },
  },
  {
    rule: 'nginx-alias-traversal',
    text: 'server {\n    location /static {\n        alias /srv/static/;\n    }\n}\n',
    final: { root: 'map' },
  },
  {
    rule: 'nginx-fail-timeout',
    text: 'upstream app {\n    server 127.0.0.1:8000;\n    server 127.0.0.1:8001;\n}\n',
    final: { root: 'map' },
  },
];

/** Real and hand-made configurations: the fixtures of the nginx rules and oracles, the examples, the cases above. */
function corpus(): { name: string; text: string }[] {
  const fixtures = join(ROOT, 'test', 'fixtures', 'nginx');
  return [
    ...readdirSync(fixtures).map((name) => ({ name, text: readFileSync(join(fixtures, name), 'utf8') })),
    {
      name: 'examples/deployment/deploy/shop.nginx',
      text: readFileSync(join(ROOT, 'examples', 'deployment', 'deploy', 'shop.nginx'), 'utf8'),
    },
    ...TAKEN_BACK.map((c) => ({ name: `case of ${c.rule}`, text: c.text })),
    {
      name: 'load order within the file',
      text: 'load_module modules/ngx_http_lua_module.so;\nload_module modules/ndk_http_module.so;\n',
    },
  ];
}

describe('nginx findings before the workspace build', () => {
  it('every nginx rule says whether it may speak before the build', () => {
    const ids = nginxRules.map((rule) => rule.meta.id).sort();
    assert.deepEqual(Object.keys(WITHHELD_BEFORE_BUILD).sort(), ids);
    assert.ok(nginxRulesBeforeBuild.length > 0 && nginxRulesBeforeBuild.length < nginxRules.length);
  });

  it('runs only the rules that stand before the build', () => {
    const text = 'gzip yes;\nserver {\n    listen 80\n    location / { proxy_pass http://app; }\n}\n';
    const early = analyze(text, {}, true).map((f) => f.rule);
    const full = analyze(text, {}, false).map((f) => f.rule);
    assert.deepEqual([...new Set(early)], ['nginx-syntax']);
    assert.ok(full.includes('nginx-invalid-flag') && full.includes('nginx-unknown-upstream'), full.join());
  });

  it('keeps what the file alone decides: a module loaded before the module it needs', () => {
    const text = 'load_module modules/ngx_http_lua_module.so;\nload_module modules/ndk_http_module.so;\n';
    const early = analyze(text, {}, true, '/srv/site/nginx/nginx.conf').map((f) => f.rule);
    assert.deepEqual(early, ['nginx-module-load-order']);
  });

  it('the early findings are among the final ones, whatever context, target and facts the build finds', function () {
    this.timeout(60_000);
    const problems: string[] = [];
    for (const { name, text } of corpus()) {
      const finals: Final[] = [
        ...[undefined, ...CONTEXTS].flatMap((root) =>
          FACTS.map((facts) => ({ ...(root ? { root } : {}), facts })),
        ),
        ...FOUND.map((target) => ({ target })),
        ...FOUND.map((target) => ({ root: 'http' as const, target, facts: FACTS[2]! })),
      ];
      for (const final of finals) {
        for (const lost of takenBack(text, final)) {
          problems.push(`${name} (${JSON.stringify({ ...final, facts: undefined })}): ${lost}`);
        }
      }
    }
    assert.deepEqual(problems.slice(0, 10), []);
  });

  for (const { rule, text, final } of TAKEN_BACK) {
    it(`holds back ${rule}: the build can take its finding back`, () => {
      const before = analyze(text, {}, false).filter((f) => f.rule === rule);
      assert.ok(before.length, `no ${rule} finding without the build's facts`);
      const after = new Set(analyze(text, final, false).map(shown));
      assert.ok(
        before.some((f) => !after.has(shown(f))),
        `${rule}: the build keeps every finding, so it need not be held back`,
      );
      assert.ok(!analyze(text, {}, true).some((f) => f.rule === rule));
    });
  }
});

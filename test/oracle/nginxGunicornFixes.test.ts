// Oracle: the real nginx (Debian 12's 1.22.1 and Debian 13's 1.26.3) judges the Gunicorn-aware nginx rules. Where a rule says nginx refuses to
// start, `nginx -t` must fail on the original; every quick fix must leave a configuration `nginx -t` accepts.

import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits } from '../../server/src/core/text';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { gunicornNginxRules } from '../../server/src/languages/nginx/rules/gunicornRules';
import type { NginxWorkspaceFacts } from '../../server/src/languages/nginx/rules/types';
import { JUDGE_SETS, requireJudge } from '../helpers/judges';
import { nginxSiteTest } from '../helpers/nginxSite';
import { gunicornTarget, nginxTarget } from '../helpers/targets';

const PROXY_PARAMS = '/etc/nginx/proxy_params';

interface Case {
  name: string;
  rule: string;
  /** A site file (http context). */
  text: string;
  /** True when nginx must refuse the original. */
  refused?: boolean;
  workspace?: NginxWorkspaceFacts;
}

const SERVER = (body: string, http = ''): string =>
  `${http}\nserver {\n    listen 127.0.0.1:18080;\n    include proxy_params;\n${body}\n}\n`;

const CASES: Case[] = [
  {
    name: 'misspelt upstream',
    rule: 'nginx-unknown-upstream',
    text: SERVER(
      '    location / { proxy_pass http://app_sever; }',
      'upstream app_server { server unix:/run/app.sock; }',
    ),
    refused: true,
  },
  {
    name: 'misspelt uwsgi upstream',
    rule: 'nginx-unknown-upstream',
    text: SERVER('    location / { uwsgi_pass djangoap; }', 'upstream djangoapp { server 127.0.0.1:3031; }'),
    refused: true,
  },
  {
    name: 'socket without http://',
    rule: 'nginx-proxy-pass-unix',
    text: SERVER('    location / { proxy_pass unix:/run/app.sock; }'),
    refused: true,
  },
  {
    name: 'http://unix/…',
    rule: 'nginx-proxy-pass-unix',
    text: SERVER('    location / { proxy_pass http://unix/run/app.sock; }'),
    refused: true,
  },
  {
    name: 'URI glued to the socket',
    rule: 'nginx-proxy-pass-unix',
    text: SERVER('    location /api/ { proxy_pass http://unix:/run/app.sock/api/; }'),
  },
  {
    name: 'unix:// with extra slashes',
    rule: 'nginx-proxy-pass-unix',
    text: SERVER('    location / { proxy_pass http://unix://run/app.sock; }'),
  },
  {
    name: 'URL in an upstream server line',
    rule: 'nginx-proxy-pass-unix',
    text: SERVER(
      '    location / { proxy_pass http://app; }',
      'upstream app { server http://unix:/run/app.sock fail_timeout=0; }',
    ),
    refused: true,
  },
  {
    name: 'no proxy headers',
    rule: 'nginx-missing-proxy-headers',
    text: `server {\n    listen 127.0.0.1:18080;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`,
  },
  {
    name: 'own proxy_set_header cuts the inherited ones',
    rule: 'nginx-missing-proxy-headers',
    text: `server {\n    listen 127.0.0.1:18080;\n    proxy_set_header Host $host;\n    location / { proxy_set_header X-Request-Id $request_id; proxy_pass http://127.0.0.1:8000; }\n}\n`,
  },
  {
    name: 'inherited Host only',
    rule: 'nginx-missing-proxy-headers',
    text: `server {\n    listen 127.0.0.1:18080;\n    proxy_set_header Host $host;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`,
  },
  {
    name: 'uwsgi_pass to Gunicorn',
    rule: 'nginx-wrong-pass-for-gunicorn',
    text: SERVER(
      '    location / {\n        include uwsgi_params;\n        uwsgi_pass unix:/run/gunicorn.sock;\n    }',
    ),
  },
  {
    name: 'fastcgi_pass to a Gunicorn upstream',
    rule: 'nginx-wrong-pass-for-gunicorn',
    text: SERVER('    location / { fastcgi_pass app; }', 'upstream app { server 127.0.0.1:8000; }'),
    workspace: { gunicornAddresses: new Set(['127.0.0.1:8000']) },
  },
  {
    name: 'proxy_buffering off',
    rule: 'nginx-proxy-buffering-off',
    text: SERVER('    proxy_buffering off;\n    location / { proxy_pass http://127.0.0.1:8000; }'),
    workspace: { gunicornWorkerClass: 'sync' },
  },
  {
    name: 'WebSocket location without upgrade',
    rule: 'nginx-websocket-upgrade',
    text: SERVER('    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n    }'),
  },
  {
    name: 'WebSocket location with HTTP/1.0 and Upgrade only',
    rule: 'nginx-websocket-upgrade',
    text: SERVER(
      '    location /ws/ {\n        proxy_http_version 1.0;\n        include proxy_params;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_pass http://127.0.0.1:8000;\n    }',
    ),
  },
  {
    name: 'keepalive without HTTP/1.1',
    rule: 'nginx-upstream-keepalive',
    text: SERVER(
      '    location / {\n        proxy_pass http://app;\n    }',
      'upstream app {\n    server 127.0.0.1:8000;\n    keepalive 8;\n}',
    ),
  },
  {
    name: 'alias traversal',
    rule: 'nginx-alias-traversal',
    text: SERVER('    location /static {\n        alias /srv/app/static/;\n    }'),
  },
  {
    name: 'several local servers without fail_timeout',
    rule: 'nginx-fail-timeout',
    text: SERVER(
      '    location / { proxy_pass http://app; }',
      'upstream app {\n    server unix:/run/app1.sock;\n    server unix:/run/app2.sock;\n}',
    ),
  },
];

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx ${set.nginx.version} judges the Gunicorn-aware nginx rules and their fixes`, function () {
    this.timeout(60_000);
    let dir = '';

    before(function () {
      requireJudge(this, set, 'nginx');
      dir = mkdtempSync(join(tmpdir(), 'nginx-gunicorn-'));
      mkdirSync(join(dir, 'temp'));
      mkdirSync(join(dir, 'logs'));
      const proxyParams = set.hostPath(PROXY_PARAMS);
      if (existsSync(proxyParams)) copyFileSync(proxyParams, join(dir, 'proxy_params'));
      else writeFileSync(join(dir, 'proxy_params'), 'proxy_set_header Host $host;\n');
      writeFileSync(join(dir, 'uwsgi_params'), 'uwsgi_param QUERY_STRING $query_string;\n');
    });

    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const check = (site: string) => nginxSiteTest(set, dir, site);

    for (const testCase of CASES) {
      it(`${testCase.rule}: ${testCase.name}`, () => {
        const analyze = (text: string) =>
          analyzeNginxConfig(parseNginxConfig(text), {
            uri: 'file:///srv/site.conf',
            path: '/srv/site.conf',
            ...gunicornTarget(set),
            workspace: testCase.workspace ?? {},
            rules: gunicornNginxRules,
            ...nginxTarget(set),
          }).filter((finding) => finding.rule === testCase.rule);
        const found = analyze(testCase.text);
        assert.ok(found.length > 0, `${testCase.rule} not reported`);
        const original = check(testCase.text);
        assert.equal(!original.ok, !!testCase.refused, `nginx -t on the original: ${original.output}`);
        for (const finding of found) {
          for (const fix of finding.fixes ?? []) {
            if (fix.title.startsWith('Ignore ')) continue;
            const result = applyEdits(testCase.text, fix.edits);
            const verdict = check(result);
            assert.ok(verdict.ok, `after "${fix.title}":\n${result}\n${verdict.output}`);
          }
        }
      });
    }

    it("Gunicorn's example deployment passes nginx -t", () => {
      const verdict = check(
        SERVER(
          [
            '    location / { try_files $uri @proxy_to_app; }',
            '    location /static/ { alias /srv/app/static/; }',
            '    location @proxy_to_app { proxy_redirect off; proxy_pass http://app_server; }',
          ].join('\n'),
          'upstream app_server { server unix:/run/gunicorn.sock fail_timeout=0; }',
        ),
      );
      assert.ok(verdict.ok, verdict.output);
    });
  });
}

// Oracle: the real nginx (Debian 12's and Debian 13's) judges fix-all. Sites that nginx -t refuses only for defects
// with a safe fix must be accepted once fix-all has run, and fix-all must leave a site nginx accepts unchanged.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixAll } from '../../server/src/core/fixAll';
import { parseDocument } from '../../server/src/languages/registry';
import { JUDGE_SETS, requireJudge } from '../helpers/judges';
import { nginxSiteTest } from '../helpers/nginxSite';
import { gunicornTarget, nginxTarget } from '../helpers/targets';

const PATH = '/etc/nginx/conf.d/site.conf';

const SITES: { name: string; text: string; refused: boolean }[] = [
  {
    name: 'flags written as yes/false, a word-for-word duplicate and a stray semicolon',
    text: [
      'server {',
      '    listen 127.0.0.1:18080;',
      '    gzip yes;',
      '    root /srv/www;',
      '    root /srv/www;',
      '    location /static/ {',
      '        proxy_request_buffering false;;',
      '    }',
      '}',
      '',
    ].join('\n'),
    refused: true,
  },
  {
    name: 'a byte order mark',
    text: '\uFEFFserver {\n    listen 127.0.0.1:18080;\n}\n',
    refused: true,
  },
  {
    name: 'a site nginx accepts',
    text: 'server {\n    listen 127.0.0.1:18080;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n',
    refused: false,
  },
];

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx ${set.nginx.version} accepts what fix-all leaves`, function () {
    this.timeout(60_000);
    let dir = '';
    before(function () {
      requireJudge(this, set, 'nginx');
      dir = mkdtempSync(join(tmpdir(), 'nginx-fixall-'));
      mkdirSync(join(dir, 'temp'));
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const site of SITES) {
      it(site.name, () => {
        const target = gunicornTarget(set);
        const analyze = (text: string) =>
          parseDocument('nginx', text, { path: PATH, nginxRootContext: 'http' }).analyze({
            uri: `file://${PATH}`,
            path: PATH,
            version: target.gunicornVersion,
            versionLabel: target.versionLabel,
            versionAssumed: target.versionAssumed,
            ...nginxTarget(set),
          });
        const original = nginxSiteTest(set, dir, site.text);
        assert.equal(original.ok, !site.refused, `nginx -t on the original: ${original.output}`);
        const fixed = fixAll(site.text, analyze).text;
        if (!site.refused) assert.equal(fixed, site.text, 'nothing to fix in a site nginx accepts');
        else assert.notEqual(fixed, site.text);
        const verdict = nginxSiteTest(set, dir, fixed);
        assert.ok(verdict.ok, `after fix-all:\n${fixed}\n${verdict.output}`);
      });
    }
  });
}

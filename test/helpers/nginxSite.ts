// One `nginx -t` sandbox for oracle tests that judge a site file: the site included inside `http {}` of a minimal main
// configuration whose every writable path lies in the test's own temporary folder.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JudgeSet } from './judges';

/** `nginx -t` of `set` on `site` (the body of `http {}`: servers, upstreams…), written into `dir`. */
export function nginxSiteTest(set: JudgeSet, dir: string, site: string): { ok: boolean; output: string } {
  const temp = join(dir, 'temp');
  mkdirSync(temp, { recursive: true });
  const sitePath = join(dir, 'site.conf');
  writeFileSync(sitePath, site);
  const conf = [
    'events {}',
    'http {',
    '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${temp}/${t};`),
    `    include ${sitePath};`,
    '}',
    '',
  ].join('\n');
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, conf);
  const globals = `daemon off; pid ${join(dir, 'nginx.pid')}; error_log stderr;`;
  const r = set.nginx.run(['-t', '-p', `${dir}/`, '-c', confPath, '-g', globals]);
  return { ok: r.status === 0, output: `${r.stderr}${r.stdout}`.trim() };
}

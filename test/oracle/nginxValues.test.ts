// Oracle: the real nginx (Debian 12's 1.22.1 and Debian 13's 1.26.3) judges a table of argument values, good and bad,
// per value kind and per custom handler, written after what public configs contain; nginx-invalid-value, targeted at
// the judge's version, must report an error exactly when `nginx -t` fails, on the line nginx names.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { createInvalidValueRule } from '../../server/src/languages/nginx/rules/nginxInvalidValue';
import { JUDGE_SETS, requireJudge } from '../helpers/judges';
import { gunicornTarget, nginxTarget } from '../helpers/targets';

type Where = 'http' | 'server' | 'location' | 'upstream';

interface Case {
  /** What the line exercises: a value kind or a custom handler. */
  group: string;
  where: Where;
  line: string;
}

const c = (group: string, where: Where, lines: readonly string[]): Case[] =>
  lines.map((line) => ({ group, where, line }));

/**
 * The table. Good values are what public configs write (gzip and proxy tuning, listen lines of Let's Encrypt sites,
 * JSON access logs, rate limits); bad ones are the mistakes seen there or one step from them.
 */
const CASES: Case[] = [
  ...c('size', 'server', [
    'client_body_buffer_size 128k;',
    'client_body_buffer_size 16K;',
    'client_body_buffer_size 1m;',
    'client_body_buffer_size 65536;',
    'client_body_buffer_size 1g;',
    'client_body_buffer_size 16KB;',
    'client_body_buffer_size -1;',
    'client_body_buffer_size 1.5m;',
    "client_body_buffer_size '16 k';",
    'client_header_buffer_size 1k;',
    "client_header_buffer_size '1 k';",
  ]),
  ...c('size', 'location', [
    'proxy_buffer_size 8k;',
    'proxy_busy_buffers_size 16k;',
    'proxy_buffer_size 4KiB;',
    'proxy_max_temp_file_size 0;',
    'proxy_max_temp_file_size 2048m;',
    'proxy_max_temp_file_size 1g;',
  ]),
  ...c('off', 'server', [
    'client_max_body_size 100M;',
    'client_max_body_size 0;',
    'client_max_body_size 4G;',
    'client_max_body_size 1g;',
    'client_max_body_size 50MB;',
    'client_max_body_size 1T;',
    "client_max_body_size '20 M';",
    'client_max_body_size 1.5G;',
  ]),
  ...c('msec', 'location', [
    'proxy_read_timeout 300;',
    'proxy_read_timeout 300s;',
    'proxy_read_timeout 5m;',
    'proxy_read_timeout 1h30m;',
    "proxy_read_timeout '1h 30m';",
    'proxy_connect_timeout 500ms;',
    'proxy_connect_timeout 75s;',
    'proxy_send_timeout 1d;',
    'proxy_send_timeout 2w;',
    'proxy_read_timeout 1y;',
    'proxy_read_timeout 1M;',
    'proxy_read_timeout 10S;',
    "proxy_read_timeout '10 s';",
    'proxy_read_timeout -1;',
    'proxy_read_timeout 1.5s;',
    'proxy_read_timeout 30sec;',
    'proxy_read_timeout 30m1h;',
    'proxy_read_timeout 60ss;',
    'proxy_read_timeout off;',
    'send_timeout 2m;',
    'client_body_timeout 12;',
  ]),
  ...c('msec', 'server', [
    'client_header_timeout 10s5ms;',
    "client_header_timeout '1m 30s';",
    'client_header_timeout 60;',
  ]),
  ...c('sec', 'http', [
    'ssl_session_timeout 1d;',
    'ssl_session_timeout 10m;',
    'ssl_session_timeout 1y;',
    'ssl_session_timeout 1M;',
    'ssl_session_timeout 500ms;',
    "ssl_session_timeout '1 day';",
  ]),
  ...c('num', 'server', [
    'keepalive_requests 1000;',
    'keepalive_requests 0;',
    'keepalive_requests -1;',
    'keepalive_requests 1k;',
    'keepalive_requests 1e3;',
  ]),
  ...c('num', 'location', ['gzip_comp_level 6;', 'gzip_comp_level 1;', 'gzip_comp_level six;']),
  ...c('enum', 'location', [
    'proxy_http_version 1.1;',
    'proxy_http_version 1.0;',
    'proxy_http_version 2;',
    'proxy_http_version 1;',
    'proxy_http_version 2.0;',
  ]),
  ...c('bitmask', 'location', [
    'gzip_proxied any;',
    'gzip_proxied expired no-cache no-store private auth;',
    'gzip_proxied no-cache no-store private expired auth;',
    'gzip_proxied expired no-cache no-store private no_last_modified no_etag auth;',
    'gzip_proxied ANY;',
    'gzip_proxied expired no-cache no-store private must-revalidate auth;',
    'gzip_proxied no_cache;',
    'gzip_proxied all;',
    'gzip_proxied on;',
    'proxy_next_upstream error timeout invalid_header http_500 http_502 http_503 http_504;',
    'proxy_next_upstream error timeout http_404 non_idempotent;',
    'proxy_next_upstream off;',
    'proxy_next_upstream error timeout http_501;',
    'proxy_next_upstream error timeout http_500 http_502 http_503 http_504 http_505;',
    'proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;',
    'proxy_cache_use_stale error timeout invalid_header updating;',
    'proxy_cache_use_stale updating;',
    'proxy_cache_use_stale error timeout stale;',
    'proxy_cache_use_stale error timeout http_429 http_403;',
    'proxy_cache_use_stale error timeout updating http_5xx;',
  ]),
  ...c('bitmask', 'http', [
    'ssl_protocols TLSv1.2 TLSv1.3;',
    'ssl_protocols TLSv1 TLSv1.1 TLSv1.2;',
    'ssl_protocols tlsv1.2 tlsv1.3;',
    'ssl_protocols TLSv1.2 TLSv1.3 TLSv1.4;',
    'ssl_protocols TLS1.2;',
    'ssl_protocols TLSv1.2,TLSv1.3;',
  ]),
  ...c('listen', 'server', [
    'listen 80 default_server;',
    'listen [::]:80 default_server;',
    'listen 8040 http2;',
    'listen [::]:8041 http2 default_server;',
    'listen 127.0.0.1:8080;',
    'listen *:8000;',
    'listen localhost:8001;',
    'listen unix:/tmp/nginx-oracle.sock;',
    'listen 8002-8004;',
    'listen [::1]:8005 ipv6only=on;',
    'listen 8006 reuseport backlog=4096;',
    'listen 8007 deferred rcvbuf=64k sndbuf=128k;',
    'listen 8008 so_keepalive=on;',
    'listen 8009 so_keepalive=30m::10;',
    'listen 8010 fastopen=256;',
    'listen 8011 proxy_protocol;',
    'listen 8012 default;',
    'listen 8013 bind;',
    'listen 8033 so_keepalive=60s:10s:6 backlog=2048;',
    'listen 8034 http2 proxy_protocol so_keepalive=on reuseport;',
    'listen 0;',
    'listen 65536;',
    'listen 127.0.0.1:0;',
    'listen :8014;',
    'listen 8016-8015;',
    'listen [::1:8017;',
    'listen [::1]8018;',
    'listen [fe80::zz]:8019;',
    'listen http://127.0.0.1:8020;',
    'listen unix:;',
    'listen 8021 DEFAULT_SERVER;',
    'listen 8022 defualt_server;',
    'listen 8023 ipv6only=yes;',
    'listen 8024 backlog=0;',
    'listen 8025 backlog=-1;',
    'listen 8026 rcvbuf=1g;',
    'listen 8027 so_keepalive=0:0:0;',
    'listen 8028 so_keepalive=1:2:3:4;',
    'listen 8029 fastopen=on;',
    'listen 443 quic reuseport;',
    'listen 443 http3 reuseport;',
    'listen 8030 ssl=on;',
    'listen 8031 spdy;',
  ]),
  ...c('log_format', 'http', [
    'log_format json_combined escape=json \'{"time":"$time_iso8601","status":"$status"}\';',
    "log_format plain escape=none '$remote_addr $request';",
    "log_format legacy escape=default '$remote_addr';",
    "log_format bad escape=JSON '$remote_addr';",
    "log_format bad2 escape=xml '$remote_addr';",
  ]),
  ...c('limit_req_zone', 'http', [
    'limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;',
    'limit_req_zone $binary_remote_addr zone=login:10m rate=5r/m;',
    'limit_req_zone $server_name zone=perserver:10m rate=100;',
    'limit_req_zone $binary_remote_addr zone=z1:10m rate=10r/h;',
    'limit_req_zone $binary_remote_addr zone=z2:10MB rate=1r/s;',
    'limit_req_zone $binary_remote_addr zone=z3:16k rate=1r/s;',
    'limit_req_zone $binary_remote_addr zone=z4 rate=1r/s;',
    'limit_req_zone $binary_remote_addr zone=z5:10m rate=0r/s;',
    'limit_req_zone $binary_remote_addr zone=z6:10m rate=1.5r/s;',
  ]),
  ...c('limit_req', 'location', [
    'limit_req zone=one burst=20 nodelay;',
    'limit_req zone=one burst=12 delay=8;',
    'limit_req zone=one;',
    'limit_req zone=one burst=0;',
    'limit_req zone=one burst=-5;',
    'limit_req zone=one no_delay;',
    'limit_req zone=one delay=0;',
  ]),
  ...c('limit_conn_zone', 'http', [
    'limit_conn_zone $binary_remote_addr zone=addr:10m;',
    'limit_conn_zone $server_name zone=perserver:10m;',
    'limit_conn_zone $binary_remote_addr zone=small:16k;',
    'limit_conn_zone $binary_remote_addr zone=nosize;',
    'limit_conn_zone $binary_remote_addr zone=big:10MB;',
  ]),
  ...c('limit_conn', 'location', [
    'limit_conn perip 10;',
    'limit_conn perip 0;',
    'limit_conn perip 70000;',
    'limit_conn perip ten;',
  ]),
  ...c('ssl_session_cache', 'http', [
    'ssl_session_cache shared:SSL:10m;',
    'ssl_session_cache shared:MozSSL:10m;',
    'ssl_session_cache builtin:1000 shared:SSL2:50m;',
    'ssl_session_cache none;',
    'ssl_session_cache shared:SSL3:10MB;',
    'ssl_session_cache shared:SSL4;',
    'ssl_session_cache shared:SSL5:16k;',
    'ssl_session_cache Off;',
    'ssl_session_cache builtin:lots;',
  ]),
  ...c('keepalive_timeout', 'server', [
    'keepalive_timeout 65;',
    'keepalive_timeout 5;',
    'keepalive_timeout 0;',
    'keepalive_timeout 75s 60s;',
    'keepalive_timeout 65 500ms;',
    'keepalive_timeout 1y;',
    'keepalive_timeout 65 1M;',
  ]),
  ...c('expires', 'location', [
    'expires 30d;',
    'expires 1y;',
    'expires max;',
    'expires epoch;',
    'expires off;',
    'expires -1;',
    'expires @15h30m;',
    'expires modified +24h;',
    'expires modified +1w;',
    'expires modified 1d;',
    'expires modified 120s;',
    'expires $arg_expires;',
    'expires 30 days;',
    'expires 1.5h;',
    'expires @25h;',
    'expires modified max;',
    'expires modified @1h;',
    'expires MAX;',
    'expires never;',
  ]),
  ...c('return', 'location', [
    'return 301 https://$host$request_uri;',
    'return 204;',
    'return 444;',
    'return https://example.com/;',
    'return $scheme://example.com$request_uri;',
    "return 200 'ok';",
    'return 1000;',
    'return /login;',
    'return 30l https://example.com;',
  ]),
  ...c('error_page', 'server', [
    'error_page 404 /404.html;',
    'error_page 500 502 503 504 /50x.html;',
    'error_page 404 =200 /empty.gif;',
    'error_page 404 = /fallback;',
    'error_page 403 https://example.com/forbidden.html;',
    'error_page 497 https://$host$request_uri;',
    'error_page 497 =301 https://$host$request_uri;',
    'error_page 497 =307 https://$host:$server_port$request_uri;',
    'error_page 200 /ok.html;',
    'error_page 499 /x.html;',
    'error_page 600 /x.html;',
    'error_page 50x /50x.html;',
    'error_page =404 /x.html;',
    'error_page 404 =abc /x.html;',
  ]),
  ...c('cache_path', 'http', [
    'proxy_cache_path CACHE/a levels=1:2 keys_zone=app_cache:10m max_size=10g inactive=60m use_temp_path=off;',
    'proxy_cache_path CACHE/b levels=1:2 keys_zone=static:100m inactive=7d;',
    'proxy_cache_path CACHE/t/ levels=1:2 keys_zone=t:10m max_size=10g inactive=60m use_temp_path=off;',
    'fastcgi_cache_path CACHE/c levels=1:2:2 keys_zone=fcgi:16m inactive=1d min_free=100m;',
    'uwsgi_cache_path CACHE/d keys_zone=uw:1m loader_sleep=50ms loader_threshold=300ms manager_files=200;',
    'scgi_cache_path CACHE/e levels= keys_zone=sc:1m;',
    'proxy_cache_path CACHE/f levels=1:3 keys_zone=f:10m;',
    'proxy_cache_path CACHE/g levels=1:2:2:2 keys_zone=g:10m;',
    'proxy_cache_path CACHE/h levels=1: keys_zone=h:10m;',
    'proxy_cache_path CACHE/i keys_zone=i:10MB;',
    'proxy_cache_path CACHE/j keys_zone=j:4k;',
    'proxy_cache_path CACHE/k keys_zone=k;',
    'proxy_cache_path CACHE/l keys_zone=l:10m inactive=1.5h;',
    'proxy_cache_path CACHE/m keys_zone=m:10m max_size=1t;',
    'proxy_cache_path CACHE/n keys_zone=n:10m use_temp_path=no;',
    'proxy_cache_path CACHE/o keys_zone=o:10m inactve=10m;',
    'proxy_cache_path CACHE/p levels=1:2;',
    'proxy_cache_path CACHE/q keys_zone=q:10m loader_sleep=1y;',
    'proxy_cache_path CACHE/r keys_zone=r:10m manager_files=-1;',
  ]),
  ...c('upstream keepalive_timeout', 'upstream', [
    'keepalive_timeout 60s;',
    'keepalive_timeout 1h;',
    'keepalive_timeout 1M;',
  ]),
  ...c('add_header', 'server', [
    'add_header X-Frame-Options SAMEORIGIN always;',
    'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
    'add_header X-Content-Type-Options nosniff;',
    'add_header X-Frame-Options DENY allways;',
    'add_header X-Frame-Options DENY ALWAYS;',
  ]),
];

/**
 * Lines where we differ from nginx on purpose, each with its reason. A value with a variable in a directive whose
 * reader expands none is refused by nginx, but in real files it is far more often a template placeholder.
 */
const ALLOWED: { line: string; reason: string }[] = [
  { line: 'client_max_body_size $max_body;', reason: 'a `$` value is treated as a template placeholder' },
  {
    line: 'listen 8032 setfib=1;',
    reason: 'setfib= is FreeBSD only: a warning, since the platform is unknown',
  },
  {
    line: 'proxy_cache_path CACHE/s keys_zone=s:8k;',
    reason:
      "nginx's reader takes 8k; setting up the shared memory then fails, a limit that depends on the platform",
  },
];
CASES.push(...c('placeholders', 'server', ['client_max_body_size $max_body;']));
CASES.push(...c('platform', 'server', ['listen 8032 setfib=1;']));
CASES.push(...c('platform', 'http', ['proxy_cache_path CACHE/s keys_zone=s:8k;']));

interface Verdict {
  ok: boolean;
  message: string;
  line: number | undefined;
}

/**
 * A whole nginx.conf with the case's line where it belongs; every line of the frame is valid on its own. A `quic`
 * listener (nginx 1.25+) refuses to start without a certificate ('no "ssl_certificate" is defined for the "listen ...
 * quic" directive'), so its server gets one: the case judges the parameters, not the missing certificate.
 */
function configFor(dir: string, test: Case): { text: string; line: number } {
  const temp = join(dir, 'temp');
  const tls = /^listen\s.*\squic[\s;]/.test(test.line)
    ? [`        ssl_certificate ${dir}/cert.pem;`, `        ssl_certificate_key ${dir}/key.pem;`]
    : [];
  const frame = [
    'events {',
    '}',
    'http {',
    `    access_log ${dir}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${temp}/${t};`),
    '    limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;',
    '    limit_conn_zone $binary_remote_addr zone=perip:10m;',
    test.where === 'http' ? `    ${test.line.replace('CACHE/', `${dir}/cache/`)}` : '',
    '    upstream app {',
    '        server 127.0.0.1:8000;',
    test.where === 'upstream' ? `        ${test.line}` : '',
    '    }',
    '    server {',
    test.line.startsWith('listen') ? '' : '        listen 127.0.0.1:18080;',
    test.where === 'server' ? `        ${test.line}` : '',
    ...tls,
    '        location / {',
    test.where === 'location' ? `            ${test.line}` : '',
    '        }',
    '    }',
    '}',
    '',
  ];
  const line = frame.findIndex((l) => l.trim() === test.line.replace('CACHE/', `${dir}/cache/`)) + 1;
  return { text: frame.join('\n'), line };
}

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx -t ${set.nginx.version} against nginx-invalid-value on a table of values`, function () {
    this.timeout(120000);
    let dir: string;

    before(function () {
      requireJudge(this, set, 'nginx');
      dir = mkdtempSync(join(tmpdir(), 'nginx-values-oracle-'));
      mkdirSync(join(dir, 'temp'));
      mkdirSync(join(dir, 'cache'));
      const cert = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
          '-keyout',
          'key.pem',
          '-out',
          'cert.pem',
          '-days',
          '3650',
          '-subj',
          '/CN=localhost',
        ]),
        { cwd: dir, encoding: 'utf8' },
      );
      if (cert.status !== 0) throw new Error(`openssl: ${cert.stderr}`);
    });

    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    function judge(text: string): Verdict {
      const file = join(dir, 'nginx.conf');
      writeFileSync(file, text);
      const globals = `pid ${join(dir, 'nginx.pid')}; error_log stderr;`;
      const r = set.nginx.run(['-t', '-q', '-p', `${dir}/`, '-c', file, '-g', globals]);
      const output = `${r.stderr}${r.stdout}`;
      const message = output.split('\n').find((l) => l.includes('[emerg]')) ?? output.trim();
      const at = / in \S+nginx\.conf:(\d+)$/.exec(message);
      return { ok: r.status === 0, message, line: at ? Number(at[1]) : undefined };
    }

    it("errs exactly when nginx fails, on nginx's line, for every case", () => {
      const rule = createInvalidValueRule();
      const disagreements: string[] = [];
      const tally = new Map<string, { good: number; bad: number }>();
      for (const test of CASES) {
        const { text, line } = configFor(dir, test);
        const verdict = judge(text);
        const findings = analyzeNginxConfig(parseNginxConfig(text), {
          uri: 'file:///etc/nginx/nginx.conf',
          path: '/etc/nginx/nginx.conf',
          ...gunicornTarget(set),
          rules: [rule],
          ...nginxTarget(set),
        });
        const errors = findings.filter((f) => f.severity === 'error');
        const count = tally.get(test.group) ?? { good: 0, bad: 0 };
        if (verdict.ok) count.good++;
        else count.bad++;
        tally.set(test.group, count);
        const agree = verdict.ok
          ? errors.length === 0
          : errors.some((e) => e.range.start.line + 1 === (verdict.line ?? -1)) && verdict.line === line;
        const allowed = ALLOWED.some((a) => a.line === test.line);
        if (agree === allowed) {
          disagreements.push(
            `${allowed ? '(now agrees, drop from ALLOWED) ' : ''}${test.line}\n    nginx: ${
              verdict.ok ? 'ok' : verdict.message
            }\n    ours: ${errors.map((e) => `${e.range.start.line + 1}: ${e.message}`).join(' | ') || 'no errors'}`,
          );
        }
      }
      assert.deepEqual(disagreements, [], disagreements.join('\n'));
      // The table must really test both sides of every value kind and handler.
      for (const [group, { good, bad }] of tally) {
        if (group === 'placeholders' || group === 'platform') continue;
        assert.ok(good >= 1 && bad >= 1, `${group}: ${good} accepted and ${bad} refused by nginx`);
      }
      assert.ok(CASES.length >= 150, `${CASES.length} cases`);
    });
  });
}

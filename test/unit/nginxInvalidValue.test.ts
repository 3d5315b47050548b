// nginx-invalid-value on inline configurations: generic kinds (given here as nginx's source declares them), the
// custom checks (listen, limit_req, expires, return, error_page, …), versions, placeholders, messages and fixes.

import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import type { NginxDirectiveInfo } from '../../server/src/languages/nginx/catalogTypes';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { createInvalidValueRule } from '../../server/src/languages/nginx/rules/nginxInvalidValue';
import { checkListen, isNginxIPv6, listenAddressProblem } from '../../server/src/languages/nginx/listenValue';
import { VALUE_HANDLERS } from '../../server/src/languages/nginx/valueHandlers';
import type { NginxValueSpec } from '../../server/src/languages/nginx/values';

/** Value kinds of a few directives, as their ngx_command_t entries in nginx 1.26 declare them. */
const KINDS: Record<string, NginxValueSpec> = {
  proxy_read_timeout: { kind: 'msec' },
  // upstream's keepalive_timeout (ngx_http_upstream_module); the core module's has its own reader
  keepalive_timeout: { kind: 'msec' },
  client_body_buffer_size: { kind: 'size' },
  client_max_body_size: { kind: 'off' },
  ssl_session_timeout: { kind: 'sec' },
  keepalive_requests: { kind: 'num' },
  gzip: { kind: 'flag' },
  proxy_http_version: { kind: 'enum', values: ['1.0', '1.1'] },
  gzip_proxied: {
    kind: 'bitmask',
    values: [
      'off',
      'expired',
      'no-cache',
      'no-store',
      'private',
      'no_last_modified',
      'no_etag',
      'auth',
      'any',
    ],
  },
  ssl_protocols: { kind: 'bitmask', values: ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] },
};

const specOf = (entry: NginxDirectiveInfo): NginxValueSpec | undefined => KINDS[entry.name];

/** Lines inside `server {}`, except those of http-level directives (log_format, limit_req_zone), kept at the top. */
const wrap = (body: string): string =>
  /^(log_format|limit_req_zone|limit_conn_zone|\w+_cache_path|upstream)/.test(body)
    ? `${body}\nserver {\n}\n`
    : `server {\n${body}\n}\n`;

function findings(server: string, version?: Version): Finding[] {
  const text = wrap(server);
  const model = parseNginxConfig(text, { rootContext: 'http' });
  return analyzeNginxConfig(model, {
    uri: 'file:///etc/nginx/sites-available/app',
    path: '/etc/nginx/sites-available/app',
    gunicornVersion: [23, 0, 0],
    versionLabel: '23.0.0',
    rules: [createInvalidValueRule({ valueSpec: specOf })],
    // Without a version the newest release is only assumed.
    ...(version ? { nginxTarget: { version, label: 'test', assumed: false } } : {}),
  });
}

const errors = (server: string, version?: Version): Finding[] =>
  findings(server, version).filter((f) => f.severity === 'error');

/** The text each error marks. */
function marked(server: string, version?: Version): string[] {
  const text = wrap(server);
  const model = parseNginxConfig(text);
  return errors(server, version).map((f) =>
    text.slice(model.lines.offsetAt(f.range.start), model.lines.offsetAt(f.range.end)),
  );
}

function fixed(server: string, title: string, version?: Version): string {
  const text = wrap(server);
  const fix = findings(server, version)
    .flatMap((f) => f.fixes ?? [])
    .find((f) => f.title === title);
  if (!fix) throw new Error(`no fix "${title}": ${JSON.stringify(findings(server, version), null, 1)}`);
  const result = applyEdits(text, fix.edits);
  return text.startsWith('server')
    ? result.slice('server {\n'.length, -'\n}\n'.length)
    : result.split('\n')[0]!;
}

describe('nginx-invalid-value', () => {
  describe('generic kinds', () => {
    it('reports the word nginx refuses in a bitmask, and nothing else on the line', () => {
      const line = 'gzip_proxied expired no-cache no-store private must-revalidate auth;';
      assert.deepEqual(marked(line), ['must-revalidate']);
      const [finding] = errors(line);
      assert.match(finding!.message, /nginx will refuse to start/);
      assert.doesNotMatch(finding!.message, /Did you mean/);
      assert.deepEqual(
        (finding!.fixes ?? []).filter((f) => !f.title.startsWith('Ignore')),
        [],
        'nothing to suggest for must-revalidate',
      );
    });

    it('accepts bitmask and enumeration words in any case', () => {
      assert.deepEqual(
        marked('gzip_proxied ANY;\nssl_protocols tlsv1.2 TLSv1.3;\nproxy_http_version 1.1;'),
        [],
      );
    });

    it('offers did-you-mean for a typo', () => {
      assert.equal(fixed('gzip_proxied no_cache;', 'Change to no-cache'), 'gzip_proxied no-cache;');
      assert.match(errors('gzip_proxied no_cache;')[0]!.message, /Did you mean "no-cache"/);
    });

    it('checks sizes, offsets, times and numbers', () => {
      assert.deepEqual(
        marked(
          [
            'client_body_buffer_size 1g;',
            'client_max_body_size 1g;',
            "proxy_read_timeout '10 s';",
            'proxy_read_timeout 1.5s;',
            'ssl_session_timeout 1d;',
            'keepalive_requests -1;',
            'proxy_http_version 2;',
          ].join('\n'),
        ),
        ['1g', "'10 s'", '1.5s', '-1', '2'],
      );
    });

    it('fixes a time written with a space or in capitals', () => {
      assert.equal(fixed("proxy_read_timeout '10 S';", 'Change to 10s'), 'proxy_read_timeout 10s;');
      assert.equal(fixed('client_body_buffer_size 16KB;', 'Change to 16k'), 'client_body_buffer_size 16k;');
    });

    it('leaves variables and template placeholders alone', () => {
      assert.deepEqual(
        marked(
          'client_max_body_size ${MAX_BODY};\nproxy_read_timeout $timeout;\ngzip_proxied {{ proxied }};',
        ),
        [],
      );
    });

    it('leaves on/off directives to nginx-invalid-flag and wrong counts to nginx-argument-count', () => {
      assert.deepEqual(marked('gzip yes;\nproxy_http_version 1.1 2;\nclient_body_buffer_size;'), []);
    });

    it('says from which release the catalogue takes a keyword the target refuses', () => {
      const check = (version: Version): Finding[] => {
        const text = 'server {\n  location / {\n    proxy_http_version 2;\n  }\n}\n';
        return analyzeNginxConfig(parseNginxConfig(text, { rootContext: 'http' }), {
          uri: 'file:///etc/nginx/sites-available/app',
          path: '/etc/nginx/sites-available/app',
          gunicornVersion: [23, 0, 0],
          versionLabel: '23.0.0',
          rules: [createInvalidValueRule()],
          nginxTarget: { version, label: 'test', assumed: false },
        });
      };
      assert.match(check([1, 22, 1])[0]!.message, /from 1\.29\.4 on/);
      assert.deepEqual(check([1, 29, 4]), []);
    });

    it('judges nothing without a value kind', () => {
      assert.deepEqual(marked('server_name 1g;\nroot -1;'), []);
    });
  });

  describe('listen', () => {
    it('accepts the address forms and parameters real configs use', () => {
      for (const line of [
        'listen 80;',
        'listen 80 default_server;',
        'listen [::]:80 default_server ipv6only=on;',
        'listen 443 ssl http2;',
        'listen 127.0.0.1:8080;',
        'listen *:8000;',
        'listen localhost:8000;',
        'listen unix:/run/nginx.sock;',
        'listen 8000-8010;',
        'listen 443 quic reuseport;',
        'listen 80 backlog=4096 rcvbuf=64k sndbuf=1m so_keepalive=30m::10 fastopen=256 deferred bind;',
        'listen 80 proxy_protocol;',
        'listen [::1]:443 ssl;',
        'listen [::ffff:127.0.0.1]:80;',
        'listen $PORT;',
      ]) {
        assert.deepEqual(marked(line), [], line);
      }
    });

    it('refuses bad ports, addresses and parameters', () => {
      assert.deepEqual(marked('listen 0;'), ['0']);
      assert.deepEqual(marked('listen 70000;'), ['70000']);
      assert.deepEqual(marked('listen 127.0.0.1:0;'), ['127.0.0.1:0']);
      assert.deepEqual(marked('listen :80;'), [':80']);
      assert.deepEqual(marked('listen 8010-8000;'), ['8010-8000']);
      assert.deepEqual(marked('listen [::1:80;'), ['[::1:80']);
      assert.deepEqual(marked('listen [::g]:80;'), ['[::g]:80']);
      assert.deepEqual(marked('listen http://example.com;'), ['http://example.com']);
      assert.deepEqual(marked('listen unix:;'), ['unix:']);
      assert.deepEqual(marked('listen 80 DEFAULT_SERVER;'), ['DEFAULT_SERVER']);
      assert.deepEqual(marked('listen 80 ipv6only=yes;'), ['yes']);
      assert.deepEqual(marked('listen 80 backlog=0;'), ['0']);
      assert.deepEqual(marked('listen 80 rcvbuf=1g;'), ['1g']);
      assert.deepEqual(marked('listen 80 so_keepalive=0:0:0;'), ['0:0:0']);
      assert.deepEqual(marked('listen 80 fastopen=abc;'), ['abc']);
      assert.deepEqual(marked('listen 443 quic ssl;'), ['ssl']);
    });

    it('suggests the parameter meant', () => {
      assert.equal(
        fixed('listen 80 defualt_server;', 'Change to default_server'),
        'listen 80 default_server;',
      );
      assert.equal(
        fixed('listen 80 DEFAULT_SERVER;', 'Change to default_server'),
        'listen 80 default_server;',
      );
      // Seen in public configs: HTTP/3 is spelt quic, not http3 (which is one letter from http2).
      assert.equal(fixed('listen 443 http3 reuseport;', 'Change to quic'), 'listen 443 quic reuseport;');
    });

    it('follows the target version: quic from 1.25.0, multipath from 1.29.7', () => {
      assert.deepEqual(marked('listen 443 quic;', [1, 22, 1]), ['quic']);
      assert.deepEqual(marked('listen 443 quic;', [1, 25, 0]), []);
      assert.deepEqual(marked('listen 80 multipath;', [1, 29, 6]), ['multipath']);
      assert.deepEqual(marked('listen 80 multipath;'), []);
      assert.equal(fixed('listen 443 quic reuseport;', 'Remove quic', [1, 24, 0]), 'listen 443 reuseport;');
    });

    it('warns, not errs, about listen … http2 from 1.25.1 on, not before, not for an unknown version', () => {
      const warnings = (v?: Version): Finding[] =>
        findings('listen 443 ssl http2;', v).filter((f) => f.severity === 'warning');
      assert.equal(warnings([1, 22, 1]).length, 0);
      assert.equal(warnings([1, 25, 1]).length, 1);
      assert.match(warnings([1, 26, 0])[0]!.message, /http2 on/);
      assert.equal(warnings().length, 0);
      assert.equal(errors('listen 443 ssl http2;').length, 0);
    });

    it('moves listen … http2 to one "http2 on;" per server block', () => {
      assert.equal(
        fixed(
          '    listen 443 ssl http2;\n    listen [::]:443 ssl http2;',
          'Write "http2 on;" instead',
          [1, 26, 0],
        ),
        '    listen 443 ssl;\n    http2 on;\n    listen [::]:443 ssl http2;',
      );
      assert.equal(
        fixed('    http2 on;\n    listen 443 ssl http2;', 'Remove http2', [1, 26, 0]),
        '    http2 on;\n    listen 443 ssl;',
      );
    });

    it('only a warning for setfib= (FreeBSD only), nothing for accept_filter= (ignored elsewhere)', () => {
      assert.equal(errors('listen 80 setfib=1 accept_filter=dataready;').length, 0);
      assert.equal(findings('listen 80 setfib=1;').length, 1);
    });

    it('reads IPv6 addresses like nginx', () => {
      for (const good of [
        '::',
        '::1',
        '2001:db8::1',
        'fe80::1:2',
        '::ffff:1.2.3.4',
        '1:2:3:4:5:6:7:8',
        '1::',
      ]) {
        assert.ok(isNginxIPv6(good), good);
      }
      for (const bad of [
        '',
        ':',
        ':::',
        '1:2:3:4:5:6:7:8:9',
        '12345::',
        '1::2::3',
        '1:2:3:4:5:6:7::',
        'g::',
        '::1.2.3',
      ]) {
        assert.ok(!isNginxIPv6(bad), bad);
      }
    });

    it('leaves host names to the resolver', () => {
      assert.equal(listenAddressProblem('example.com'), undefined);
      assert.equal(listenAddressProblem('example.com:8080'), undefined);
      assert.match(listenAddressProblem('example.com:http') ?? '', /port/);
      assert.deepEqual(checkListen(['80-abc'], undefined), []);
    });
  });

  describe('custom handlers', () => {
    it('log_format escape=', () => {
      assert.deepEqual(marked("log_format main escape=json '$remote_addr';"), []);
      assert.deepEqual(marked("log_format main escape=xml '$remote_addr';"), ['xml']);
      assert.equal(
        fixed("log_format main escape=JSON '$remote_addr';", 'Change to escape=json'),
        "log_format main escape=json '$remote_addr';",
      );
    });

    it('limit_req_zone and limit_req', () => {
      assert.deepEqual(marked('limit_req_zone $binary_remote_addr zone=one:10m rate=10r/s;'), []);
      assert.deepEqual(marked('limit_req_zone $binary_remote_addr zone=one:10m rate=30r/m;'), []);
      assert.deepEqual(marked('limit_req_zone $binary_remote_addr zone=one:10m rate=10r/h;'), ['10r/h']);
      assert.deepEqual(marked('limit_req_zone $binary_remote_addr zone=one:10MB rate=1r/s;'), ['10MB']);
      assert.deepEqual(marked('limit_req_zone $binary_remote_addr zone=one:16k rate=1r/s;'), ['16k']);
      assert.deepEqual(marked('limit_req_zone $binary_remote_addr zone=one rate=1r/s;'), ['zone=one']);
      assert.deepEqual(marked('limit_req_zone $binary_remote_addr rate=1r/s burst=5;'), ['burst=5']);
      assert.deepEqual(marked('limit_req zone=one burst=20 nodelay;'), []);
      assert.deepEqual(marked('limit_req zone=one burst=20 delay=8;'), []);
      assert.deepEqual(marked('limit_req zone=one burst=0;'), ['0']);
      assert.deepEqual(marked('limit_req zone=one no_delay;'), ['no_delay']);
      assert.deepEqual(marked('limit_req burst=5;'), ['limit_req']);
    });

    it('limit_conn_zone, limit_conn and ssl_session_cache', () => {
      assert.deepEqual(marked('limit_conn_zone $binary_remote_addr zone=addr:10m;'), []);
      assert.deepEqual(marked('limit_conn_zone $binary_remote_addr zone=addr:16k;'), ['16k']);
      assert.deepEqual(marked('limit_conn_zone $binary_remote_addr zone=addr;'), ['zone=addr']);
      assert.deepEqual(marked('limit_conn_zone $binary_remote_addr size=10m;'), ['size=10m']);
      assert.deepEqual(marked('limit_conn addr 10;\nlimit_conn perserver 65535;'), []);
      assert.deepEqual(marked('limit_conn addr 0;'), ['0']);
      assert.deepEqual(marked('limit_conn addr 70000;'), ['70000']);
      assert.deepEqual(
        marked('ssl_session_cache shared:SSL:10m;\nssl_session_cache builtin:1000 shared:SSL:50m;'),
        [],
      );
      assert.deepEqual(marked('ssl_session_cache none;\nssl_session_cache off;'), []);
      assert.deepEqual(marked('ssl_session_cache shared:SSL:10MB;'), ['10MB']);
      assert.deepEqual(marked('ssl_session_cache shared:SSL:1m:2;'), ['1m:2']);
      assert.deepEqual(marked('ssl_session_cache shared:SSL;'), ['shared:SSL']);
      assert.deepEqual(marked('ssl_session_cache shared:SSL:16k;'), ['16k']);
      assert.deepEqual(marked('ssl_session_cache builtin:lots;'), ['lots']);
      assert.equal(
        fixed('ssl_session_cache shared:SSL:10MB;', 'Change to shared:SSL:10m'),
        'ssl_session_cache shared:SSL:10m;',
      );
      assert.equal(fixed('ssl_session_cache Off;', 'Change to off'), 'ssl_session_cache off;');
    });

    it('keepalive_timeout: milliseconds, then whole seconds', () => {
      assert.deepEqual(marked('keepalive_timeout 65;\nkeepalive_timeout 75s 60s;\nkeepalive_timeout 0;'), []);
      assert.deepEqual(marked('keepalive_timeout 65 500ms;'), ['500ms']);
      assert.deepEqual(marked('keepalive_timeout 1y;'), ['1y']);
    });

    it('expires', () => {
      assert.deepEqual(
        marked(
          'expires 30d;\nexpires max;\nexpires epoch;\nexpires off;\nexpires -1;\nexpires @15h30m;\nexpires modified +24h;\nexpires 1y;\nexpires $expires;',
        ),
        [],
      );
      assert.deepEqual(marked('expires 30 days;'), ['30']);
      assert.deepEqual(marked('expires 1.5h;'), ['1.5h']);
      assert.deepEqual(marked('expires @25h;'), ['@25h']);
      assert.deepEqual(marked('expires modified max;'), ['max']);
      assert.deepEqual(marked('expires modified @1h;'), ['@1h']);
      assert.equal(fixed('expires MAX;', 'Change to max'), 'expires max;');
    });

    it('return', () => {
      assert.deepEqual(
        marked(
          'return 301 https://$host$request_uri;\nreturn 204;\nreturn https://example.com;\nreturn $scheme://example.com;\nreturn 444;',
        ),
        [],
      );
      assert.deepEqual(marked('return 1000;'), ['1000']);
      assert.deepEqual(marked('return /login;'), ['/login']);
      assert.deepEqual(marked('return "moved" 301;'), ['"moved"']);
    });

    it('error_page', () => {
      assert.deepEqual(
        marked(
          'error_page 404 /404.html;\nerror_page 500 502 503 504 /50x.html;\nerror_page 404 =200 /empty.gif;\nerror_page 404 = @fallback;',
        ),
        [],
      );
      assert.deepEqual(marked('error_page 200 /x;'), ['200']);
      assert.deepEqual(marked('error_page 499 /x;'), ['499']);
      assert.deepEqual(marked('error_page 600 /x;'), ['600']);
      assert.deepEqual(marked('error_page 50x /x;'), ['50x']);
      assert.deepEqual(marked('error_page =404 /x;'), ['=404']);
      assert.deepEqual(marked('error_page 404 =abc /x;'), ['abc']);
    });

    it('proxy_cache_path and its twins', () => {
      assert.deepEqual(
        marked(
          [
            'proxy_cache_path /var/cache/nginx levels=1:2 keys_zone=app:10m max_size=10g inactive=60m use_temp_path=off;',
            'fastcgi_cache_path /var/cache/fcgi levels=1:2:2 keys_zone=fcgi:100m inactive=7d min_free=1g;',
            'uwsgi_cache_path /var/cache/uwsgi keys_zone=uw:8k loader_sleep=50ms manager_files=200;',
          ].join('\n'),
        ),
        [],
      );
      assert.deepEqual(marked('proxy_cache_path /c levels=1:3 keys_zone=a:10m;'), ['1:3']);
      assert.deepEqual(marked('proxy_cache_path /c levels=1:2:2:2 keys_zone=a:10m;'), ['1:2:2:2']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:10MB;'), ['10MB']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:4k;'), ['4k']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a;'), ['keys_zone=a']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:10m inactive=1.5h;'), ['1.5h']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:10m max_size=1t;'), ['1t']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:10m use_temp_path=no;'), ['no']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:10m inactve=10m;'), ['inactve=10m']);
      assert.deepEqual(marked('proxy_cache_path /c levels=1:2;'), ['proxy_cache_path']);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:10m min_free=1g;', [1, 18, 0]), [
        'min_free=1g',
      ]);
      assert.deepEqual(marked('proxy_cache_path /c keys_zone=a:10m min_free=1g;', [1, 19, 1]), []);
    });

    it('reads keepalive_timeout in upstream as a plain time (another module)', () => {
      assert.deepEqual(
        marked('upstream app {\n    server 127.0.0.1:8000;\n    keepalive_timeout 60s;\n}'),
        [],
      );
      assert.deepEqual(marked('upstream app {\n    server 127.0.0.1:8000;\n    keepalive_timeout 1M;\n}'), [
        '1M',
      ]);
    });

    it('add_header … always', () => {
      assert.deepEqual(marked('add_header X-Frame-Options DENY always;'), []);
      assert.deepEqual(marked('add_header X-Frame-Options DENY allways;'), ['allways']);
      assert.equal(fixed('add_header X-A b ALWAYS;', 'Change to always'), 'add_header X-A b always;');
    });

    it("leaves the stream module's listen and return alone (read by other handlers)", () => {
      const text = 'stream {\n  server {\n    listen 53 udp;\n    return 1000;\n  }\n}\n';
      const model = parseNginxConfig(text, { rootContext: 'main' });
      const found = analyzeNginxConfig(model, {
        uri: 'file:///etc/nginx/nginx.conf',
        path: '/etc/nginx/nginx.conf',
        gunicornVersion: [23, 0, 0],
        versionLabel: '23.0.0',
        rules: [createInvalidValueRule({ valueSpec: specOf })],
      });
      assert.deepEqual(found, []);
    });

    it("reads a server {} of a lone site file as http's when it holds http-only directives", () => {
      const check = (text: string): string[] => {
        const model = parseNginxConfig(text);
        return analyzeNginxConfig(model, {
          uri: 'file:///etc/nginx/sites-available/app',
          path: '/etc/nginx/sites-available/app',
          gunicornVersion: [23, 0, 0],
          versionLabel: '23.0.0',
          rules: [createInvalidValueRule({ valueSpec: specOf })],
          nginxTarget: { version: [1, 22, 1], label: 'test', assumed: false },
        }).map((f) => text.slice(model.lines.offsetAt(f.range.start), model.lines.offsetAt(f.range.end)));
      };
      assert.deepEqual(check('server {\n    listen 443 quic;\n    location / {\n    }\n}\n'), ['quic']);
      // Without such evidence the block may be stream's, whose listen takes udp: not judged.
      assert.deepEqual(check('server {\n    listen 53 udp;\n    proxy_pass dns;\n}\n'), []);
      assert.deepEqual(check('server {\n    listen 443 quic;\n}\n'), []);
    });

    it('never throws on odd arguments', () => {
      for (const [name, handler] of VALUE_HANDLERS) {
        for (const args of [[], [''], ['=', '='], ['[', ']', '='], ['unix:', 'quic', 'zone=', 'rate=']]) {
          assert.doesNotThrow(() => handler.check(args, undefined), `${name} ${JSON.stringify(args)}`);
        }
      }
    });
  });
});

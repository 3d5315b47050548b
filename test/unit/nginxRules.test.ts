// The generic nginx rules on inline configurations: what each reports, what it leaves alone, and what its fixes write.

import { strict as assert } from 'node:assert';
import type { Finding, SeverityOverride } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import type { NginxContext } from '../../server/src/languages/nginx/catalogTypes';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { genericNginxRules } from '../../server/src/languages/nginx/rules/genericRules';

interface Options {
  path?: string;
  root?: NginxContext;
  severity?: Record<string, SeverityOverride>;
}

function findings(text: string, options: Options = {}): Finding[] {
  const path = options.path ?? '/etc/nginx/nginx.conf';
  const model = parseNginxConfig(text, options.root ? { rootContext: options.root } : {});
  return analyzeNginxConfig(model, {
    uri: `file://${path}`,
    path,
    gunicornVersion: [23, 0, 0],
    versionLabel: '23.0.0',
    rules: genericNginxRules,
    ...(options.severity ? { severity: options.severity } : {}),
  });
}

/** "line:rule" for every finding (1-based lines). */
const found = (text: string, options?: Options): string[] =>
  findings(text, options).map((f) => `${f.range.start.line + 1}:${f.rule}`);

function fixed(text: string, rule: string, title: string, options?: Options): string {
  const all = findings(text, options).filter((f) => f.rule === rule);
  const fix = all.flatMap((f) => f.fixes ?? []).find((f) => f.title === title);
  if (!fix) throw new Error(`no fix "${title}" for ${rule}: ${JSON.stringify(all, null, 1)}`);
  return applyEdits(text, fix.edits);
}

/** A whole nginx.conf around an http body. */
const conf = (http: string): string => `events {\n    worker_connections 512;\n}\nhttp {\n${http}\n}\n`;

const GUNICORN_SITE = `upstream app_server {
    server unix:/run/gunicorn.sock fail_timeout=0;
}

server {
    listen 80 default_server;
    server_name example.com www.example.com;
    client_max_body_size 4G;
    keepalive_timeout 5;

    location /static/ {
        alias /srv/app/static/;
        expires 30d;
    }

    location / {
        try_files $uri @proxy_to_app;
    }

    location @proxy_to_app {
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $http_host;
        proxy_redirect off;
        proxy_buffering off;
        proxy_pass http://app_server;
        if ($request_method = "OPTIONS") {
            return 204;
        }
    }
}
`;

const MAIN = `user www-data;
worker_processes auto;
pid /run/nginx.pid;
include /etc/nginx/modules-enabled/*.conf;

events {
    worker_connections 768;
    multi_accept on;
}

http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    server_tokens off;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1.2 TLSv1.3;
    access_log /var/log/nginx/access.log;
    gzip on;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
        include /etc/nginx/upgrade-map.conf;
        hostnames;
    }
    geo $limited {
        default 1;
        ranges;
        10.0.0.1-10.0.0.9 0;
        proxy 10.0.0.1;
        delete 127.0.0.1;
    }
    types {
        text/html html htm;
        application/json json;
    }
    split_clients "\${remote_addr}AAA" $variant {
        50% a;
        *   b;
    }
    charset utf-8;
    include /etc/nginx/sites-enabled/*;
}

stream {
    upstream db {
        server 10.0.0.2:5432;
    }
    server {
        listen 5432;
        proxy_pass db;
    }
}
`;

describe('nginx generic rules: valid configurations', () => {
  it('say nothing about a typical Debian nginx.conf', () => {
    assert.deepEqual(found(MAIN), []);
  });

  it('say nothing about a Gunicorn site file, read as a fragment or inside http', () => {
    assert.deepEqual(found(GUNICORN_SITE, { path: '/etc/nginx/sites-available/app' }), []);
    assert.deepEqual(found(GUNICORN_SITE, { path: '/etc/nginx/sites-available/app', root: 'http' }), []);
    assert.deepEqual(found(conf(GUNICORN_SITE)), []);
  });

  it('say nothing about snippets meant for a location or a server', () => {
    const snippet =
      'proxy_set_header Host $host;\nproxy_set_header X-Real-IP $remote_addr;\nproxy_pass http://app;\n';
    assert.deepEqual(found(snippet, { path: '/etc/nginx/snippets/proxy.conf' }), []);
    assert.deepEqual(
      found('listen 443 ssl;\nssl_protocols TLSv1.3;\n', { path: '/etc/nginx/snippets/ssl.conf' }),
      [],
    );
    // An upstream member list included into an upstream block.
    assert.deepEqual(
      found('server 127.0.0.1:8000;\nserver 127.0.0.1:8001;\n', { path: '/x/upstreams.conf' }),
      [],
    );
  });

  it('accept a stream server site file read as a fragment', () => {
    const text = 'server {\n    listen 12345;\n    proxy_pass 127.0.0.1:5432;\n    proxy_timeout 10m;\n}\n';
    assert.deepEqual(found(text, { path: '/etc/nginx/streams-enabled/db' }), []);
  });

  it('say nothing about directives nginx has but the catalogue does not describe', () => {
    assert.deepEqual(
      found(conf('charset utf-8;\nserver { location / { grpc_pass grpc://127.0.0.1:50051; ssi on; } }')),
      [],
    );
  });
});

describe('nginx-syntax', () => {
  it('reports every parse problem', () => {
    assert.deepEqual(found('events {}\n}\n'), ['2:nginx-syntax']);
    assert.deepEqual(found('events {\n'), ['1:nginx-syntax']);
    assert.deepEqual(found('events {}\nhttp { server { return 200 "x; } }\n'), ['2:nginx-syntax']);
    assert.deepEqual(found('events { } ;\n'), ['1:nginx-syntax']);
    assert.deepEqual(found('events {}\u0000'), ['1:nginx-syntax']);
  });

  it('inserts the missing ";"', () => {
    const text = conf('server {\n    listen 80\n    server_name example.com;\n}');
    assert.deepEqual(found(text), ['6:nginx-syntax']);
    assert.equal(fixed(text, 'nginx-syntax', 'Insert ";"'), text.replace('listen 80', 'listen 80;'));
    const before = conf('server { listen 80; location / { return 404 } }');
    assert.equal(fixed(before, 'nginx-syntax', 'Insert ";"'), before.replace('404 }', '404; }'));
  });

  it('removes a byte order mark, which nginx does not skip', () => {
    const text = '\uFEFFevents {}\n';
    assert.deepEqual(found(text), ['1:nginx-syntax']);
    assert.equal(fixed(text, 'nginx-syntax', 'Remove the byte order mark'), 'events {}\n');
  });
});

describe('nginx-unknown-directive', () => {
  it('reports an unknown name with a did-you-mean fix', () => {
    const text = conf('server {\n    listen 80;\n    server_nmae example.com;\n}');
    assert.deepEqual(found(text), ['7:nginx-unknown-directive']);
    const finding = findings(text)[0]!;
    assert.match(finding.message, /server_nmae/);
    assert.match(finding.message, /server_name/);
    assert.equal(finding.fixes![0]!.isPreferred, true);
    assert.equal(
      fixed(text, 'nginx-unknown-directive', 'Change to server_name'),
      text.replace('nmae', 'name'),
    );
  });

  it('suggests the lower-case name for a name in the wrong case', () => {
    const text = conf('Sendfile on;');
    assert.equal(fixed(text, 'nginx-unknown-directive', 'Change to sendfile'), conf('sendfile on;'));
  });

  it('reports names with "$" and reads quoted names as nginx does', () => {
    assert.deepEqual(found(conf('server { $foo bar; }')), ['5:nginx-unknown-directive']);
    assert.deepEqual(found(conf('server { "listen" 80; }')), []);
  });

  it('stays quiet inside unknown blocks and value bodies', () => {
    assert.deepEqual(found(conf('frobnicate {\n  whatever 1;\n}')), ['5:nginx-unknown-directive']);
    assert.deepEqual(found(conf('map $a $b { anything 1; default 0; hostnames; volatile; }')), []);
    assert.deepEqual(found(conf('types { text/x-thing thing; }')), []);
  });

  it('knows nothing of platform-specific event methods on Linux', () => {
    assert.deepEqual(found('events { kqueue_changes 512; }\n'), ['1:nginx-unknown-directive']);
  });
});

describe('nginx-directive-context', () => {
  it('reports a directive outside its contexts and names the right ones', () => {
    const text = conf('proxy_pass http://app;');
    assert.deepEqual(found(text), ['5:nginx-directive-context']);
    assert.match(findings(text)[0]!.message, /location \{\}/);
    assert.deepEqual(found('events {}\nhttp {}\nserver { listen 80; }\n'), ['3:nginx-directive-context']);
    assert.deepEqual(found(conf('server { worker_connections 10; }')), ['5:nginx-directive-context']);
  });

  it('knows that an if in a server takes only the rewrite directives', () => {
    assert.deepEqual(found(conf('server { if ($host) { proxy_pass http://a; } }')), [
      '5:nginx-directive-context',
    ]);
    assert.deepEqual(found(conf('server { if ($host) { return 301 https://$host$request_uri; } }')), []);
    assert.deepEqual(found(conf('server { location / { if ($host) { proxy_pass http://a; } } }')), []);
  });

  it('does not second-guess the top level of a fragment', () => {
    assert.deepEqual(found('worker_connections 10;\n', { path: '/x/events.conf' }), []);
    assert.deepEqual(found('proxy_pass http://a;\n', { path: '/x/site', root: 'http' }), [
      '1:nginx-directive-context',
    ]);
  });
});

describe('nginx-block-mismatch', () => {
  it('reports a block directive ended with ";" and opens the block', () => {
    const text = 'events;\n';
    assert.deepEqual(found(text), ['1:nginx-block-mismatch']);
    assert.equal(fixed(text, 'nginx-block-mismatch', 'Open an empty events block'), 'events {\n}\n');
  });

  it('reports a simple directive given a block', () => {
    assert.deepEqual(found(conf('server { listen 80 { } }')), ['5:nginx-block-mismatch']);
  });

  it('reports a block inside a map', () => {
    assert.deepEqual(found(conf('map $a $b {\n  default 0;\n  x { }\n}')), ['7:nginx-block-mismatch']);
  });

  it('reads server by its context: a line in upstream, a block in http', () => {
    assert.deepEqual(found(conf('upstream a { server 127.0.0.1:1; }\nserver { listen 1; }')), []);
    assert.deepEqual(found(conf('upstream a { server { } }')), ['5:nginx-block-mismatch']);
  });
});

describe('nginx-argument-count', () => {
  it('reports too few and too many arguments', () => {
    assert.deepEqual(found(conf('server { listen; }')), ['5:nginx-argument-count']);
    assert.deepEqual(found(conf('server { location / { root /a /b; } }')), ['5:nginx-argument-count']);
    assert.deepEqual(found(conf('server { location { } }')), ['5:nginx-argument-count']);
    assert.deepEqual(found('events { worker_connections; }\n'), ['1:nginx-argument-count']);
    const message = findings(conf('client_max_body_size 10 M;'))[0]!.message;
    assert.match(message, /exactly 1 argument/);
    assert.match(message, /quoted/);
  });

  it('accepts the counts nginx accepts', () => {
    assert.deepEqual(
      found(conf('server { listen 80 default_server reuseport; location = / { } location / { } }')),
      [],
    );
  });
});

describe('nginx-invalid-flag', () => {
  it('reports values other than on/off and fixes the obvious ones', () => {
    const text = conf('sendfile yes;\ngzip False;\ntcp_nopush maybe;');
    assert.deepEqual(found(text), ['5:nginx-invalid-flag', '6:nginx-invalid-flag', '7:nginx-invalid-flag']);
    assert.equal(fixed(text, 'nginx-invalid-flag', 'Change to on'), text.replace('yes', 'on'));
    assert.equal(fixed(text, 'nginx-invalid-flag', 'Change to off'), text.replace('False', 'off'));
    const maybe = findings(text).find((f) => f.message.includes('maybe'))!;
    assert.equal(maybe.fixes!.filter((f) => f.isPreferred).length, 0);
  });

  it('accepts on and off in any case, as nginx compares them', () => {
    assert.deepEqual(found(conf('sendfile ON;\ngzip Off;')), []);
  });

  it('leaves template placeholders alone (filled in before nginx reads the file)', () => {
    assert.deepEqual(found(conf('real_ip_recursive ${REAL_IP_RECURSIVE};\ngzip $GZIP;')), []);
  });
});

describe('nginx-duplicate-directive', () => {
  it('reports the second occurrence with the first as related information and removes it', () => {
    const text = conf('server {\n    listen 80;\n    root /srv/a;\n    root /srv/b;\n}');
    assert.deepEqual(found(text), ['8:nginx-duplicate-directive']);
    const finding = findings(text)[0]!;
    assert.equal(finding.related![0]!.range.start.line, 6);
    assert.equal(
      fixed(text, 'nginx-duplicate-directive', 'Remove this root'),
      text.replace('    root /srv/b;\n', ''),
    );
  });

  it('allows limit_req and limit_conn once per zone: two zones are two limits, one zone twice is refused', () => {
    const zones =
      'limit_req_zone $binary_remote_addr zone=ip:10m rate=5r/s;\n' +
      'limit_req_zone $server_name zone=site:10m rate=50r/s;\n' +
      'limit_conn_zone $binary_remote_addr zone=perip:10m;\n' +
      'limit_conn_zone $server_name zone=perhost:10m;\n';
    assert.deepEqual(
      found(
        conf(
          `${zones}server {\n    listen 80;\n    limit_req zone=ip burst=10;\n    limit_req zone=site;\n` +
            '    limit_conn perip 10;\n    limit_conn perhost 100;\n}',
        ),
      ),
      [],
    );
    const twice = conf(
      `${zones}server {\n    listen 80;\n    limit_req zone=ip;\n    limit_req burst=5 zone=ip;\n}`,
    );
    assert.deepEqual(found(twice), ['12:nginx-duplicate-directive']);
    assert.match(findings(twice)[0]!.message, /zone "ip"/);
    assert.deepEqual(found(conf(`${zones}server {\n    limit_conn perip 1;\n    limit_conn perip 2;\n}`)), [
      '11:nginx-duplicate-directive',
    ]);
  });

  it('removes only the directive when it shares its line', () => {
    const text = conf('server { listen 80; root /a; root /b; }');
    assert.equal(
      fixed(text, 'nginx-duplicate-directive', 'Remove this root'),
      conf('server { listen 80; root /a; }'),
    );
  });

  it('allows the same directive in different blocks and repeatable directives', () => {
    assert.deepEqual(
      found(conf('root /a;\nserver { root /b; location / { root /c; if ($x) { root /d; } } }')),
      [],
    );
    assert.deepEqual(found(conf('server { listen 80; listen 443; add_header A b; add_header C d; }')), []);
  });
});

describe('nginx-duplicate-directive: listen addresses', () => {
  it('treats 80, *:80 and 0.0.0.0:80 as one address and removes the second listen', () => {
    for (const second of ['*:80', '0.0.0.0:80 default_server', '80 ssl']) {
      const text = conf(`server {\n    listen 80;\n    listen ${second};\n}`);
      assert.deepEqual(found(text), ['7:nginx-duplicate-directive'], second);
      assert.match(findings(text)[0]!.message, /already listens on 0\.0\.0\.0:80/);
      assert.equal(
        fixed(text, 'nginx-duplicate-directive', 'Remove this listen'),
        text.replace(`    listen ${second};\n`, ''),
      );
    }
  });

  it('keeps different addresses apart: IPv6, a specific IP, another port, another server, host names', () => {
    assert.deepEqual(
      found(
        conf('server { listen 80; listen [::]:80; listen 127.0.0.1:80; listen 8080; listen localhost:80; }'),
      ),
      [],
    );
    assert.deepEqual(found(conf('server { listen 80; }\nserver { listen 80; }')), []);
    // HTTP/3: the quic listen is a UDP socket beside the TCP one (a second quic listen is still a duplicate)
    assert.deepEqual(found(conf('server { listen 443 ssl; listen 443 quic reuseport; }')), []);
    assert.deepEqual(found(conf('server { listen 443 quic; listen *:443 quic; }')), [
      '5:nginx-duplicate-directive',
    ]);
    assert.deepEqual(found(conf('server { listen [::]:80; listen [::]:80; }')), [
      '5:nginx-duplicate-directive',
    ]);
  });
});

describe('nginx-empty-upstream', () => {
  const site = (upstream: string) =>
    conf(`upstream app {\n${upstream}\n}\nserver { listen 80; location / { proxy_pass http://app; } }`);

  it('reports an upstream without a server line, on its name', () => {
    const text = site('    keepalive 8;');
    assert.deepEqual(found(text), ['5:nginx-empty-upstream']);
    assert.deepEqual(found(conf('upstream app {\n}')), ['5:nginx-empty-upstream']);
  });

  it('is silent when a server or an include is there', () => {
    assert.deepEqual(found(site('    server unix:/run/app.sock fail_timeout=0;')), []);
    assert.deepEqual(found(site('    include upstream-servers.conf;')), []);
  });

  it('leaves an upstream alone when a module directive may give it its peers (nchan)', () => {
    const text = site('    nchan_redis_server redis://127.0.0.1:6379;\n    keepalive 8;');
    assert.ok(!found(text).includes('5:nginx-empty-upstream'), found(text).join(','));
  });

  it("offers Gunicorn's one known address as the missing server", () => {
    const text = site('    keepalive 8;');
    const model = parseNginxConfig(text);
    const result = analyzeNginxConfig(model, {
      uri: 'file:///etc/nginx/nginx.conf',
      path: '/etc/nginx/nginx.conf',
      gunicornVersion: [23, 0, 0],
      versionLabel: '23.0.0',
      rules: genericNginxRules,
      workspace: { gunicornAddresses: new Set(['unix:/run/app.sock']) },
    }).find((f) => f.rule === 'nginx-empty-upstream')!;
    const fix = result.fixes!.find((f) => f.title === 'Add server unix:/run/app.sock')!;
    const after = applyEdits(text, fix.edits);
    assert.match(
      after,
      /upstream app \{\n {4}server unix:\/run\/app\.sock fail_timeout=0;\n {4}keepalive 8;/,
    );
    assert.deepEqual(found(after), []);
  });
});

describe('nginx generic rules: suppressions, severities and robustness', () => {
  it('honour trailing and line-above suppression comments', () => {
    assert.deepEqual(found(conf('frob 1; # gunicorn-config: disable=nginx-unknown-directive')), []);
    assert.deepEqual(found(conf('# gunicorn-config: disable=nginx-unknown-directive\nfrob 1;')), []);
    assert.deepEqual(found(conf('# gunicorn-config: disable=nginx-argument-count\nfrob 1;')), [
      '6:nginx-unknown-directive',
    ]);
  });

  it('offer an "Ignore" fix that adds a trailing comment', () => {
    const text = conf('frob 1;');
    const after = fixed(text, 'nginx-unknown-directive', 'Ignore nginx-unknown-directive on this line');
    assert.deepEqual(found(after), []);
  });

  it('honour severity overrides', () => {
    const text = conf('frob 1;\nsendfile yes;');
    const severities = findings(text, {
      severity: { 'nginx-unknown-directive': 'warning', 'nginx-invalid-flag': 'ignore' },
    });
    assert.deepEqual(
      severities.map((f) => `${f.rule}:${f.severity}`),
      ['nginx-unknown-directive:warning'],
    );
    assert.ok(findings(text).every((f) => f.severity === 'error'));
  });

  it('have unique kebab-case ids and docs anchors', () => {
    const ids = genericNginxRules.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of genericNginxRules) {
      assert.match(rule.meta.id, /^nginx-[a-z-]+$/);
      assert.ok(rule.meta.docsUrl.endsWith(`#${rule.meta.id}`));
      assert.equal(rule.meta.defaultSeverity, 'error');
    }
  });

  it('never throw and never fail internally on junk', () => {
    const inputs = [
      '',
      '{',
      '}',
      ';',
      'http',
      'http;',
      'http { server { location { if { limit_except { } } } } }',
      'map { { { } } }',
      'server { listen 80 { } } } }',
      '"',
      '$',
      'a b c d e f g h i j k l m n o p;',
      'stream { server { proxy_pass; proxy_pass; } upstream { server; } }',
      'events { worker_connections 1 2 3 4 5 6 7 8 9; }',
      '\uFEFF\u0000',
    ];
    for (const input of inputs) {
      for (const root of [undefined, 'http', 'location', 'map', 'if'] as const) {
        const result = findings(input, root ? { root } : {});
        assert.ok(!result.some((f) => f.rule === 'internal-error'), `${input}: ${JSON.stringify(result)}`);
      }
    }
  });
});

describe('nginx-syntax and nginx-duplicate-directive: the finer points', () => {
  it('only warns when nginx silently glues the next line onto a free-form directive', () => {
    const text = conf('server {\n    listen 80;\n    index index.html\n    root /srv/www;\n}');
    const finding = findings(text).find((f) => f.rule === 'nginx-syntax')!;
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /"root"/);
    const error = findings(conf('server {\n    listen 80\n    root /srv/www;\n}')).find(
      (f) => f.rule === 'nginx-syntax',
    )!;
    assert.equal(error.severity, 'error');
  });

  it('reports the same prefix or exact location twice, but not regex or named ones', () => {
    const text = conf(
      'server {\n  location /a { }\n  location ^~ /a { }\n  location = /a { }\n  location =/a { }\n' +
        '  location ~ /a { }\n  location ~ /a { }\n  location @x { }\n  location @x { }\n}',
    );
    assert.deepEqual(found(text), ['7:nginx-duplicate-directive', '9:nginx-duplicate-directive']);
    const finding = findings(text)[0]!;
    assert.equal(finding.related![0]!.range.start.line, 5);
    assert.equal(finding.fixes!.length, 1, 'only the Ignore fix: the block is not removed');
  });

  it('reports an upstream defined twice, whatever the case', () => {
    assert.deepEqual(
      found(conf('upstream app { server 127.0.0.1:1; }\nupstream APP { server 127.0.0.1:2; }')),
      ['6:nginx-duplicate-directive'],
    );
  });

  it('reports blocks nginx accepts once: events, http, limit_except', () => {
    assert.deepEqual(found('events {}\nevents {}\nhttp {}\n'), ['2:nginx-duplicate-directive']);
    assert.deepEqual(found(conf('server { location / { limit_except GET { } limit_except POST { } } }')), [
      '5:nginx-duplicate-directive',
    ]);
  });
});

describe('nginx-foreign-file', () => {
  const all = (text: string, root?: NginxContext): string[] =>
    analyzeNginxConfig(parseNginxConfig(text, root ? { rootContext: root } : {}), {
      uri: 'file:///srv/role/nginx/files/pool.conf',
      path: '/srv/role/nginx/files/pool.conf',
      gunicornVersion: [23, 0, 0],
      versionLabel: '23.0.0',
    }).map((f) => `${f.range.start.line + 1}:${f.rule}:${f.severity}`);

  it("says once that another program's file is not nginx, and checks nothing else in it", () => {
    const pool = '; PHP-FPM pool\n[www]\nuser = www-data\nlisten = /run/php/fpm.sock\npm = dynamic\n';
    assert.deepEqual(all(pool), ['1:nginx-foreign-file:info']);
    const logrotate = '/var/log/nginx/*.log\n/var/log/nginx/*/*.log {\n    daily\n    rotate 5\n}\n';
    assert.deepEqual(all(logrotate), ['1:nginx-foreign-file:info']);
    assert.deepEqual(all('<VirtualHost *:80>\n    ServerName a\n</VirtualHost>\n'), [
      '1:nginx-foreign-file:info',
    ]);
    assert.deepEqual(all('user = www-data\n'), ['1:nginx-foreign-file:info']);
  });

  it('checks it as nginx when an nginx file includes it, and says nothing of real nginx files', () => {
    const included = all('[www]\nuser = www-data\n', 'http');
    assert.ok(!included.some((f) => f.includes('nginx-foreign-file')));
    assert.ok(
      included.some((f) => f.endsWith(':error')),
      included.join(', '),
    );
    assert.deepEqual(all('# a site\nserver {\n    listen 80;\n    root /srv/www;\n}\n'), []);
  });
});

describe('nginx-directive-context in a fragment whose place is guessed', () => {
  const snippet = "if ($cors = 'true') {\n    add_header Access-Control-Allow-Origin '*';\n}\n";
  it('takes a top-level if as one a location may hold, so add_header inside is fine', () => {
    assert.deepEqual(found(snippet, { path: '/srv/role/nginx/files/cors.conf' }), []);
  });
  it('still refuses add_header in an if that is known to sit directly in server', () => {
    assert.deepEqual(
      found(`server {\n    listen 80;\n    ${snippet.replace(/\n/g, '\n    ')}}\n`, { path: '/x/site.conf' }),
      ['4:nginx-directive-context'],
    );
  });
});

import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { gunicornNginxRules } from '../../server/src/languages/nginx/rules/gunicornRules';
import type { NginxWorkspaceFacts } from '../../server/src/languages/nginx/rules/types';

interface Options {
  version?: Version;
  workspace?: NginxWorkspaceFacts;
}

function analyze(text: string, options: Options = {}): Finding[] {
  const version = options.version ?? [23, 0, 0];
  const path = '/srv/app/deploy/nginx/app.conf';
  return analyzeNginxConfig(parseNginxConfig(text), {
    uri: `file://${path}`,
    path,
    gunicornVersion: version,
    versionLabel: version.join('.'),
    workspace: options.workspace ?? {},
    rules: gunicornNginxRules,
  });
}

function rules(text: string, options?: Options): string[] {
  return analyze(text, options).map((finding) => finding.rule);
}

function findings(text: string, rule: string, options?: Options): Finding[] {
  return analyze(text, options).filter((finding) => finding.rule === rule);
}

function only(text: string, rule: string, options?: Options): Finding {
  const found = findings(text, rule, options);
  assert.equal(
    found.length,
    1,
    `expected one ${rule}, got ${found.length}: ${found.map((f) => f.message).join(' | ')}`,
  );
  return found[0]!;
}

/** Applies the first (or `index`th) fix of the only finding of `rule`, and checks the finding is then gone. */
function fixed(text: string, rule: string, options?: Options, index = 0): string {
  const fix = only(text, rule, options).fixes?.[index];
  assert.ok(fix, `${rule} has no fix ${index}`);
  assert.doesNotMatch(fix.title, /^Ignore /);
  const result = applyEdits(text, fix.edits);
  assert.deepEqual(findings(result, rule, options), [], `${rule} still reported after its fix:\n${result}`);
  return result;
}

/** The text on `line` (zero-based) that a finding's range covers. */
function covered(text: string, finding: Finding): string {
  const line = text.split(/\r?\n/)[finding.range.start.line]!;
  return line.slice(finding.range.start.character, finding.range.end.character);
}

const HEADERS = [
  'proxy_set_header Host $host;',
  'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  'proxy_set_header X-Forwarded-Proto $scheme;',
];

/** A site file: `http`-level lines, then one server holding `lines`. */
function site(lines: string[], httpLines: string[] = []): string {
  return [...httpLines, 'server {', '    listen 80;', ...lines.map((l) => `    ${l}`), '}', ''].join('\n');
}

/** Gunicorn's own example deployment, in the shape this project recommends. */
const GOOD = `upstream app_server {
    server unix:/run/gunicorn.sock fail_timeout=0;
}

server {
    listen 80 deferred;
    client_max_body_size 4G;
    server_name example.com www.example.com;
    keepalive_timeout 5;
    root /srv/app/public;

    location / {
        try_files $uri @proxy_to_app;
    }

    location /static/ {
        alias /srv/app/static/;
    }

    location @proxy_to_app {
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $http_host;
        proxy_redirect off;
        proxy_pass http://app_server;
    }

    location /ws/ {
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_pass http://app_server;
    }
}
`;

describe('nginx Gunicorn rules: valid deployments', () => {
  it("Gunicorn's example configuration gives no finding", () => {
    assert.deepEqual(analyze(GOOD), []);
    assert.deepEqual(analyze(GOOD, { workspace: { gunicornWorkerClass: 'gevent' } }), []);
    // The one thing a sync worker changes: it cannot serve the WebSocket location.
    assert.deepEqual(rules(GOOD, { workspace: { gunicornWorkerClass: 'sync' } }), [
      'nginx-websocket-upgrade',
    ]);
    assert.deepEqual(analyze(GOOD.replace(/\n/g, '\r\n')), []);
  });

  it('Debian-style site with include proxy_params and a TCP Gunicorn gives no finding', () => {
    const text = site([
      'location / {',
      '    include proxy_params;',
      '    proxy_pass http://127.0.0.1:8000;',
      '}',
    ]);
    assert.deepEqual(analyze(text), []);
  });

  it('server-level headers inherited by a location without its own give no finding', () => {
    const text = site([...HEADERS, 'location / {', '    proxy_pass http://unix:/run/app.sock;', '}']);
    assert.deepEqual(analyze(text), []);
  });

  it('keepalive done right gives no finding', () => {
    const text = site(
      [
        'location / {',
        '    proxy_http_version 1.1;',
        '    proxy_set_header Connection "";',
        ...HEADERS.map((h) => `    ${h}`),
        '    proxy_pass http://app;',
        '}',
      ],
      ['upstream app {', '    server 127.0.0.1:8000;', '    keepalive 16;', '}'],
    );
    assert.deepEqual(analyze(text), []);
  });

  it('never throws on broken or odd models', () => {
    const texts = [
      '',
      'proxy_pass',
      'location { proxy_pass; }',
      'server { location / { proxy_pass http:// ; alias ; } }',
      'upstream { server; keepalive; }',
      'upstream x { server unix: ; server ; }',
      'http { server { location / { if ($x) { proxy_pass http://a; } } }',
      'weird { location /ws { proxy_pass http://unix:; } }',
      '}}}{{{ proxy_set_header ; include ; proxy_buffering off;',
      'server { location /static { alias "/srv/static/"; } location ^~ /x { alias /; } }',
    ];
    for (const text of texts) {
      const result = analyze(text, {
        workspace: { gunicornWorkerClass: 'sync', gunicornAddresses: new Set() },
      });
      assert.ok(!result.some((finding) => finding.rule === 'internal-error'), text);
    }
  });
});

describe('nginx-unknown-upstream', () => {
  const wrap = (target: string, http: string[] = []) =>
    site(['include proxy_params;', 'location / {', `    proxy_pass ${target};`, '}'], http);

  it('reports a name no upstream defines, with did-you-mean', () => {
    const text = wrap('http://app_sever', ['upstream app_server {', '    server unix:/run/app.sock;', '}']);
    const finding = only(text, 'nginx-unknown-upstream');
    assert.equal(finding.severity, 'warning');
    assert.equal(covered(text, finding), 'app_sever');
    assert.match(finding.message, /host not found in upstream/);
    assert.match(finding.message, /Did you mean "app_server"/);
    assert.match(fixed(text, 'nginx-unknown-upstream'), /proxy_pass http:\/\/app_server;/);
  });

  it('reports with no upstream at all, without a fix', () => {
    const finding = only(wrap('http://backend/api/'), 'nginx-unknown-upstream');
    assert.deepEqual(
      finding.fixes?.filter((f) => !f.title.startsWith('Ignore')),
      [],
    );
  });

  it('accepts names defined here (any case), later in the file, or in the workspace', () => {
    assert.deepEqual(rules(wrap('http://APP', ['upstream app { server 127.0.0.1:8000; }'])), []);
    const later = `${wrap('http://app')}upstream app { server 127.0.0.1:8000; }\n`;
    assert.deepEqual(rules(later), []);
    assert.deepEqual(rules(wrap('http://shared'), { workspace: { upstreams: new Set(['shared']) } }), []);
  });

  it('leaves hosts, addresses, sockets and variables alone', () => {
    for (const target of [
      'http://example.com',
      'http://127.0.0.1',
      'http://127.0.0.1:8000',
      'http://localhost',
      'http://web:8000',
      'http://[::1]:8000',
      'http://$backend',
      'http://unix:/run/app.sock',
      'https://api.example.com/v1/',
    ]) {
      assert.deepEqual(rules(wrap(target)), [], target);
    }
  });

  it('checks uwsgi_pass and fastcgi_pass names too', () => {
    const text = site(['location / {', '    uwsgi_pass uwsgi://djangoapp;', '}']);
    const finding = only(text, 'nginx-unknown-upstream');
    assert.equal(covered(text, finding), 'djangoapp');
    // Without a default port nginx cannot fall back to a host lookup: it always refuses to start.
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /no port in upstream/);
  });

  it('with an upstream whose name a template fills in, the name may be that one: a warning, not an error', () => {
    const text = site(['location / {', '    fastcgi_pass php_pool;', '}']);
    const templated = only(text, 'nginx-unknown-upstream', {
      workspace: { upstreams: new Set(['__XXXXXXXX__']) },
    });
    assert.equal(templated.severity, 'warning');
    assert.match(templated.message, /a template fills in may be this one/);
    const plain = only(text, 'nginx-unknown-upstream', { workspace: { upstreams: new Set(['web_pool']) } });
    assert.equal(plain.severity, 'error');
  });
});

describe('nginx-proxy-pass-unix', () => {
  const wrap = (target: string) =>
    site(['include proxy_params;', 'location / {', `    proxy_pass ${target};`, '}']);

  it('reports a socket without http:// as an error and fixes it', () => {
    const text = wrap('unix:/run/app.sock');
    const finding = only(text, 'nginx-proxy-pass-unix');
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /invalid URL prefix/);
    assert.match(fixed(text, 'nginx-proxy-pass-unix'), /proxy_pass http:\/\/unix:\/run\/app\.sock;/);
  });

  it('reports http://unix/… (a host called unix)', () => {
    const text = wrap('http://unix/run/app.sock');
    assert.match(only(text, 'nginx-proxy-pass-unix').message, /host not found/);
    assert.deepEqual(rules(text), ['nginx-proxy-pass-unix']);
    assert.match(fixed(text, 'nginx-proxy-pass-unix'), /proxy_pass http:\/\/unix:\/run\/app\.sock;/);
  });

  it('reports a URI glued to the socket path', () => {
    const text = wrap('http://unix:/run/app.sock/api/');
    assert.equal(only(text, 'nginx-proxy-pass-unix').severity, 'error');
    assert.match(fixed(text, 'nginx-proxy-pass-unix'), /proxy_pass http:\/\/unix:\/run\/app\.sock:\/api\/;/);
  });

  it('reports unix:// as info (it works) and normalises it', () => {
    const text = wrap('http://unix://run/app.sock');
    assert.equal(only(text, 'nginx-proxy-pass-unix').severity, 'info');
    assert.match(fixed(text, 'nginx-proxy-pass-unix'), /proxy_pass http:\/\/unix:\/run\/app\.sock;/);
  });

  it('keeps quotes', () => {
    const text = wrap('"unix:/run/app.sock"');
    assert.match(fixed(text, 'nginx-proxy-pass-unix'), /proxy_pass "http:\/\/unix:\/run\/app\.sock";/);
  });

  it('accepts the correct forms', () => {
    for (const target of [
      'http://unix:/run/app.sock',
      'http://unix:/run/app.sock:/api/',
      'https://unix:/run/app.sock',
      'http://unix:$socket',
      'http://app',
    ]) {
      assert.deepEqual(findings(wrap(target), 'nginx-proxy-pass-unix'), [], target);
    }
  });

  it('reports URLs in upstream server lines', () => {
    const text = site(
      ['include proxy_params;', 'location / { proxy_pass http://app; }'],
      ['upstream app {', '    server http://unix:/run/app.sock fail_timeout=0;', '}'],
    );
    const finding = only(text, 'nginx-proxy-pass-unix');
    assert.match(finding.message, /invalid host in upstream/);
    assert.match(fixed(text, 'nginx-proxy-pass-unix'), /server unix:\/run\/app\.sock fail_timeout=0;/);
    const tcp = text.replace('http://unix:/run/app.sock', 'http://127.0.0.1:8000');
    assert.match(fixed(tcp, 'nginx-proxy-pass-unix'), /server 127\.0\.0\.1:8000 fail_timeout=0;/);
    const slashes = text.replace('http://unix:/run/app.sock', 'unix://run/app.sock');
    assert.equal(only(slashes, 'nginx-proxy-pass-unix').severity, 'info');
    assert.match(fixed(slashes, 'nginx-proxy-pass-unix'), /server unix:\/run\/app\.sock fail_timeout=0;/);
  });
});

describe('nginx-missing-proxy-headers', () => {
  it('reports all three missing, on proxy_pass, and inserts them with its indentation', () => {
    const text = site(['location / {', '    proxy_pass http://127.0.0.1:8000;', '}']);
    const finding = only(text, 'nginx-missing-proxy-headers');
    assert.equal(finding.severity, 'warning');
    assert.equal(covered(text, finding), 'proxy_pass');
    assert.match(finding.message, /Host, X-Forwarded-For, X-Forwarded-Proto/);
    assert.match(finding.message, /secure_scheme_headers/);
    assert.equal(
      fixed(text, 'nginx-missing-proxy-headers'),
      site(['location / {', ...HEADERS.map((h) => `    ${h}`), '    proxy_pass http://127.0.0.1:8000;', '}']),
    );
  });

  it('leaves alone passes to other services when every Gunicorn of the workspace and its address are known', () => {
    const node = site(
      [
        'location /socket.io/ {',
        '    proxy_pass http://socketio;',
        '}',
        'location /relay/ {',
        '    proxy_pass http://127.0.0.1:3340;',
        '}',
        'location / {',
        '    proxy_pass http://unix:/run/app.sock;',
        '}',
      ],
      ['upstream socketio {', '    server 127.0.0.1:9000;', '}'],
    );
    const complete = { gunicornAddresses: new Set(['unix:/run/app.sock']), gunicornAddressesComplete: true };
    const lines = (options?: Options) =>
      findings(node, 'nginx-missing-proxy-headers', options).map((f) => f.range.start.line);
    assert.equal(lines({ workspace: complete }).length, 1, 'only the pass to Gunicorn');
    assert.equal(
      lines({ workspace: { gunicornAddresses: complete.gunicornAddresses } }).length,
      3,
      'not known complete',
    );
    assert.equal(lines().length, 3, 'a lone file');
  });

  it('behind another proxy (listening only on a Unix socket) asks only for Host', () => {
    const text = (listen: string) =>
      `server {\n    listen ${listen};\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`;
    assert.match(only(text('unix:/run/front.sock'), 'nginx-missing-proxy-headers').message, /without Host\./);
    const set = text('unix:/run/front.sock').replace(
      '        proxy_pass',
      '        proxy_set_header Host $host;\n        proxy_pass',
    );
    assert.deepEqual(findings(set, 'nginx-missing-proxy-headers'), []);
    assert.match(
      only(text('80'), 'nginx-missing-proxy-headers').message,
      /Host, X-Forwarded-For, X-Forwarded-Proto/,
    );
  });

  it('names only what is missing', () => {
    const text = site(['location / {', `    ${HEADERS[0]!}`, '    proxy_pass http://127.0.0.1:8000;', '}']);
    const finding = only(text, 'nginx-missing-proxy-headers');
    assert.match(finding.message, /without X-Forwarded-For, X-Forwarded-Proto\./);
    assert.doesNotMatch(finding.message, /inherit/);
  });

  it('explains the classic bug: own proxy_set_header lines cut the inherited ones', () => {
    const text = site([
      ...HEADERS,
      'location /ws/ {',
      '    proxy_http_version 1.1;',
      '    proxy_set_header Upgrade $http_upgrade;',
      '    proxy_set_header Connection "upgrade";',
      '    proxy_pass http://127.0.0.1:8000;',
      '}',
    ]);
    const finding = only(text, 'nginx-missing-proxy-headers');
    assert.match(
      finding.message,
      /set in server, but nginx does not inherit them into a block with proxy_set_header lines of its own/,
    );
    assert.equal(finding.related?.[0]?.range.start.line, 2);
    const result = fixed(text, 'nginx-missing-proxy-headers');
    assert.match(result, / {4}proxy_set_header Host \$host;\n {4}proxy_set_header X-Forwarded-For/);
  });

  it('copies inherited headers when adding at a level that inherits', () => {
    const text = site([HEADERS[0]!, 'location / {', '    proxy_pass http://127.0.0.1:8000;', '}']);
    const finding = only(text, 'nginx-missing-proxy-headers');
    assert.match(finding.fixes![0]!.title, /copy the inherited/);
    const result = fixed(text, 'nginx-missing-proxy-headers');
    const location = result.slice(result.indexOf('location'));
    for (const header of HEADERS) assert.ok(location.includes(header), header);
  });

  it('counts include proxy_params and inheritance through if and nested locations', () => {
    assert.deepEqual(
      rules(
        site([
          'include proxy_params;',
          'location / {',
          '    if ($x) { proxy_pass http://127.0.0.1:8000; }',
          '}',
        ]),
      ),
      [],
    );
    assert.deepEqual(
      rules(
        site([
          'location /a/ {',
          '    include /etc/nginx/proxy_params;',
          '    location /a/b/ { proxy_pass http://127.0.0.1:8000; }',
          '}',
        ]),
      ),
      [],
    );
    const inHttp = `proxy_set_header Host $host;\n${site(['location / { proxy_pass http://127.0.0.1:8000; }'])}`;
    assert.match(only(inHttp, 'nginx-missing-proxy-headers').message, /X-Forwarded-For, X-Forwarded-Proto/);
  });

  it('says nothing when an unknown include could set them', () => {
    assert.deepEqual(
      rules(
        site([
          'location / {',
          '    include snippets/proxy.conf;',
          '    proxy_pass http://127.0.0.1:8000;',
          '}',
        ]),
      ),
      [],
    );
    assert.deepEqual(
      rules(site(['include snippets/proxy.conf;', 'location / { proxy_pass http://127.0.0.1:8000; }'])),
      [],
    );
  });

  it('accepts X-Forwarded-Ssl / X-Forwarded-Protocol for the scheme and any Host value', () => {
    const text = site([
      'proxy_set_header Host $http_host;',
      'proxy_set_header X-Forwarded-For $remote_addr;',
      'proxy_set_header X-Forwarded-Ssl on;',
      'location / { proxy_pass http://127.0.0.1:8000; }',
    ]);
    assert.deepEqual(rules(text), []);
  });

  it('leaves external services alone unless the workspace says Gunicorn is there', () => {
    const text = site(['location /files/ { proxy_pass https://bucket.s3.amazonaws.com; }']);
    assert.deepEqual(rules(text), []);
    assert.deepEqual(rules(site(['location / { proxy_pass http://$backend; }'])), []);
    const workspace = { gunicornAddresses: new Set(['app.internal:8000']) };
    const internal = site(['location / { proxy_pass http://app.internal:8000; }']);
    assert.equal(findings(internal, 'nginx-missing-proxy-headers', { workspace }).length, 1);
    assert.deepEqual(rules(site(['location / { proxy_pass http://web:8000; }'])), [
      'nginx-missing-proxy-headers',
    ]);
  });

  it('inserts on the same line for one-line locations', () => {
    const text = site(['location / { proxy_pass http://127.0.0.1:8000; }']);
    assert.match(
      fixed(text, 'nginx-missing-proxy-headers'),
      /location \/ \{ proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme; proxy_pass/,
    );
  });

  it('keeps CRLF line ends', () => {
    const text = site(['location / {', '\tproxy_pass http://127.0.0.1:8000;', '}']).replace(/\n/g, '\r\n');
    const result = fixed(text, 'nginx-missing-proxy-headers');
    assert.ok(!/[^\r]\n/.test(result), 'a bare LF slipped in');
    assert.match(result, /\r\n {4}\tproxy_set_header Host \$host;\r\n/);
  });

  it('keeps CRLF line ends in the WebSocket and keepalive fixes too', () => {
    const ws = site([
      'include proxy_params;',
      'location /ws/ {',
      '    proxy_pass http://127.0.0.1:8000;',
      '}',
    ]).replace(/\n/g, '\r\n');
    const keepalive = site(
      ['include proxy_params;', 'location / {', '    proxy_pass http://app;', '}'],
      ['upstream app { server 127.0.0.1:8000; keepalive 4; }'],
    ).replace(/\n/g, '\r\n');
    for (const [text, rule] of [
      [ws, 'nginx-websocket-upgrade'],
      [keepalive, 'nginx-upstream-keepalive'],
    ] as const) {
      const result = fixed(text, rule);
      assert.ok(!/[^\r]\n/.test(result), `${rule}: a bare LF slipped in`);
      assert.match(result, /\r\n {8}proxy_http_version 1\.1;\r\n/);
    }
  });

  it('is silent for a location snippet whose enclosing server is elsewhere', () => {
    assert.deepEqual(rules('location / {\n    proxy_pass http://127.0.0.1:8000;\n}\n'), []);
  });
});

describe('nginx-wrong-pass-for-gunicorn', () => {
  const wrap = (line: string) => site(['include proxy_params;', 'location / {', `    ${line}`, '}']);

  it('reports uwsgi_pass to a Gunicorn socket as an error before 24.0, with a proxy_pass fix', () => {
    const text = wrap('uwsgi_pass unix:/run/gunicorn.sock;');
    const finding = only(text, 'nginx-wrong-pass-for-gunicorn');
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /23\.0\.0 speaks only HTTP/);
    assert.match(
      fixed(text, 'nginx-wrong-pass-for-gunicorn'),
      /proxy_pass http:\/\/unix:\/run\/gunicorn\.sock;/,
    );
  });

  it('reports uwsgi_pass as a warning from 24.0 (protocol = "uwsgi" exists)', () => {
    const finding = only(wrap('uwsgi_pass unix:/run/gunicorn.sock;'), 'nginx-wrong-pass-for-gunicorn', {
      version: [24, 0, 0],
    });
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /protocol = "uwsgi"/);
  });

  it('recognises Gunicorn by the workspace addresses and through upstreams', () => {
    const workspace = { gunicornAddresses: new Set(['127.0.0.1:8000']) };
    const text = wrap('fastcgi_pass localhost:8000;');
    assert.equal(only(text, 'nginx-wrong-pass-for-gunicorn', { workspace }).severity, 'error');
    assert.match(
      fixed(text, 'nginx-wrong-pass-for-gunicorn', { workspace }),
      /proxy_pass http:\/\/localhost:8000;/,
    );
    const viaUpstream = site(
      ['include proxy_params;', 'location / { scgi_pass app; }'],
      ['upstream app { server unix:/run/app.sock; }'],
    );
    const ws = { gunicornAddresses: new Set(['unix:/run/app.sock']) };
    assert.match(
      fixed(viaUpstream, 'nginx-wrong-pass-for-gunicorn', { workspace: ws }),
      /proxy_pass http:\/\/app;/,
    );
  });

  it('leaves PHP-FPM and uWSGI backends alone', () => {
    assert.deepEqual(rules(wrap('fastcgi_pass unix:/run/php/php8.2-fpm.sock;')), []);
    assert.deepEqual(
      rules(wrap('uwsgi_pass 127.0.0.1:3031;'), {
        workspace: { gunicornAddresses: new Set(['127.0.0.1:8000']) },
      }),
      [],
    );
  });
});

describe('nginx-proxy-buffering-off', () => {
  const text = site([
    'include proxy_params;',
    'location / {',
    '    proxy_buffering off;',
    '    proxy_pass http://127.0.0.1:8000;',
    '}',
  ]);

  it('warns with a known sync worker, informs when unknown, stays quiet for async workers', () => {
    assert.equal(
      only(text, 'nginx-proxy-buffering-off', { workspace: { gunicornWorkerClass: 'sync' } }).severity,
      'warning',
    );
    assert.equal(only(text, 'nginx-proxy-buffering-off').severity, 'info');
    assert.equal(
      only(text, 'nginx-proxy-buffering-off', { workspace: { gunicornWorkerClass: 'gthread' } }).severity,
      'info',
    );
    assert.deepEqual(
      findings(text, 'nginx-proxy-buffering-off', { workspace: { gunicornWorkerClass: 'gevent' } }),
      [],
    );
    assert.match(fixed(text, 'nginx-proxy-buffering-off'), /proxy_buffering on;/);
  });

  it('follows inheritance: a server-level off reported once, an override to on silences', () => {
    const inherited = site([
      'include proxy_params;',
      'proxy_buffering off;',
      'location / { proxy_pass http://127.0.0.1:8000; }',
      'location /api/ { proxy_pass http://127.0.0.1:8000; }',
    ]);
    assert.equal(covered(inherited, only(inherited, 'nginx-proxy-buffering-off')), 'proxy_buffering off;');
    const overridden = site([
      'include proxy_params;',
      'proxy_buffering off;',
      'location / { proxy_buffering on; proxy_pass http://127.0.0.1:8000; }',
    ]);
    assert.deepEqual(rules(overridden), []);
  });

  it('does not report streaming locations or places that do not proxy', () => {
    assert.deepEqual(
      rules(
        site([
          'include proxy_params;',
          'location /events/ { proxy_buffering off; proxy_pass http://127.0.0.1:8000; }',
        ]),
      ),
      [],
    );
    assert.deepEqual(rules(site(['proxy_buffering off;', 'location / { root /srv/www; }'])), []);
  });
});

describe('nginx-websocket-upgrade', () => {
  it('reports a /ws/ location without the upgrade settings and adds them (copying inherited headers)', () => {
    const text = site([...HEADERS, 'location /ws/ {', '    proxy_pass http://127.0.0.1:8000;', '}']);
    const finding = only(text, 'nginx-websocket-upgrade');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /proxy_http_version 1\.1/);
    const result = fixed(text, 'nginx-websocket-upgrade');
    assert.match(result, / {8}proxy_http_version 1\.1;\n {8}proxy_set_header Host \$host;/);
    assert.match(result, /proxy_set_header Connection "upgrade";\n {8}proxy_pass/);
    // The copies keep the other rule quiet.
    assert.deepEqual(findings(result, 'nginx-missing-proxy-headers'), []);
  });

  it('reports Upgrade without Connection, and a 1.0 version is changed in place', () => {
    const text = site([
      'include proxy_params;',
      'location /chat {',
      '    proxy_http_version 1.0;',
      '    include proxy_params;',
      '    proxy_set_header Upgrade $http_upgrade;',
      '    proxy_pass http://127.0.0.1:8000;',
      '}',
    ]);
    const result = fixed(text, 'nginx-websocket-upgrade');
    assert.match(result, /proxy_http_version 1\.1;/);
    assert.doesNotMatch(result, /1\.0/);
    assert.match(result, /proxy_set_header Connection "upgrade";/);
  });

  it('accepts a $connection_upgrade map and mentions sync workers', () => {
    const text = site([
      'include proxy_params;',
      'location /ws/ {',
      '    proxy_http_version 1.1;',
      '    include proxy_params;',
      '    proxy_set_header Upgrade $http_upgrade;',
      '    proxy_set_header Connection $connection_upgrade;',
      '    proxy_pass http://unix:/run/gunicorn.sock;',
      '}',
    ]);
    assert.deepEqual(rules(text), []);
    const sync = only(text, 'nginx-websocket-upgrade', { workspace: { gunicornWorkerClass: 'sync' } });
    assert.match(sync.message, /cannot hold WebSocket connections/);
  });

  it('ignores ordinary locations', () => {
    assert.deepEqual(
      rules(site(['include proxy_params;', 'location /news/ { proxy_pass http://127.0.0.1:8000; }'])),
      [],
    );
  });
});

describe('nginx-upstream-keepalive', () => {
  const http = ['upstream app {', '    server 127.0.0.1:8000;', '    keepalive 32;', '}'];

  it('reports a proxy_pass to a keepalive upstream without 1.1 and Connection ""', () => {
    const text = site(['include proxy_params;', 'location / {', '    proxy_pass http://app;', '}'], http);
    const finding = only(text, 'nginx-upstream-keepalive');
    assert.equal(finding.related?.[0]?.range.start.line, 2);
    const result = fixed(text, 'nginx-upstream-keepalive');
    assert.match(
      result,
      / {8}proxy_http_version 1\.1;\n {8}include proxy_params;\n {8}proxy_set_header Connection "";\n {8}proxy_pass/,
    );
    assert.deepEqual(findings(result, 'nginx-missing-proxy-headers'), []);
  });

  it('replaces an own Connection close and mentions sync workers', () => {
    const text = site(
      [
        'location / {',
        '    proxy_http_version 1.1;',
        '    include proxy_params;',
        '    proxy_set_header Connection close;',
        '    proxy_pass http://app/;',
        '}',
      ],
      http,
    );
    const finding = only(text, 'nginx-upstream-keepalive', { workspace: { gunicornWorkerClass: 'sync' } });
    assert.match(finding.message, /sync worker closes/);
    assert.match(fixed(text, 'nginx-upstream-keepalive'), /proxy_set_header Connection "";/);
  });

  it('takes server-level settings into account and ignores upstreams without keepalive', () => {
    const inherited = site(
      [
        'proxy_http_version 1.1;',
        'include proxy_params;',
        'proxy_set_header Connection "";',
        'location / { proxy_pass http://app; }',
      ],
      http,
    );
    assert.deepEqual(rules(inherited), []);
    const without = site(
      ['include proxy_params;', 'location / { proxy_pass http://app; }'],
      ['upstream app { server 127.0.0.1:8000; }'],
    );
    assert.deepEqual(rules(without), []);
  });
});

describe('nginx-alias-traversal', () => {
  it('reports /static with alias …/ and fixes the location (or the alias)', () => {
    const text = site(['location /static {', '    alias /srv/app/static/;', '}']);
    const finding = only(text, 'nginx-alias-traversal');
    assert.equal(finding.severity, 'warning');
    assert.equal(covered(text, finding), '/static');
    assert.match(fixed(text, 'nginx-alias-traversal'), /location \/static\/ \{/);
    assert.match(fixed(text, 'nginx-alias-traversal', {}, 1), /alias \/srv\/app\/static;/);
  });

  it('handles ^~ and quotes, not regex or exact locations', () => {
    const text = site(['location ^~ "/media" {', '    alias "/srv/media/";', '}']);
    assert.match(fixed(text, 'nginx-alias-traversal'), /location \^~ "\/media\/" \{/);
    assert.deepEqual(rules(site(['location ~ ^/static/(.*)$ { alias /srv/static/$1; }'])), []);
    assert.deepEqual(rules(site(['location = /favicon.ico { alias /srv/static/; }'])), []);
    assert.deepEqual(rules(site(['location /static/ { alias /srv/static/; }'])), []);
    assert.deepEqual(rules(site(['location /static { alias /srv/static; }'])), []);
  });

  it('leaves internal locations alone: no client URI reaches them', () => {
    assert.deepEqual(rules(site(['location /_accel { internal; alias /; }'])), []);
    assert.deepEqual(rules(site(['location /_accel { alias /srv/files/; }'])), ['nginx-alias-traversal']);
  });
});

describe('nginx-fail-timeout', () => {
  it('reports local servers of a multi-server upstream without fail_timeout and appends it', () => {
    const text = site(
      ['include proxy_params;', 'location / { proxy_pass http://app; }'],
      [
        'upstream app {',
        '    server unix:/run/app1.sock;',
        '    server unix:/run/app2.sock fail_timeout=0;',
        '}',
      ],
    );
    const finding = only(text, 'nginx-fail-timeout');
    assert.equal(finding.severity, 'info');
    assert.equal(covered(text, finding), 'unix:/run/app1.sock');
    assert.match(fixed(text, 'nginx-fail-timeout'), /server unix:\/run\/app1\.sock fail_timeout=0;/);
  });

  it('ignores single servers (nginx never marks those), remote pools and max_fails=0', () => {
    const one = site(
      ['include proxy_params;', 'location / { proxy_pass http://app; }'],
      ['upstream app { server unix:/run/app.sock; }'],
    );
    assert.deepEqual(rules(one), []);
    const remote = site(
      ['include proxy_params;', 'location / { proxy_pass http://app; }'],
      ['upstream app { server 10.0.0.1:8000; server 10.0.0.2:8000; }'],
    );
    assert.deepEqual(rules(remote), []);
    const disabled = site(
      ['include proxy_params;', 'location / { proxy_pass http://app; }'],
      ['upstream app { server 127.0.0.1:8000 max_fails=0; server 127.0.0.1:8001 max_fails=0; }'],
    );
    assert.deepEqual(rules(disabled), []);
    const known = site(
      ['include proxy_params;', 'location / { proxy_pass http://app; }'],
      ['upstream app { server 10.0.0.1:8000; server 10.0.0.2:8000; }'],
    );
    const workspace = { gunicornAddresses: new Set(['10.0.0.1:8000', '10.0.0.2:8000']) };
    assert.equal(findings(known, 'nginx-fail-timeout', { workspace }).length, 2);
  });
});

describe('nginx Gunicorn rules: registration', () => {
  it('ids are unique kebab-case with docs anchors', () => {
    const ids = gunicornNginxRules.map((rule) => rule.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of gunicornNginxRules) {
      assert.match(rule.meta.id, /^nginx-[a-z]+(?:-[a-z]+)*$/);
      assert.ok(rule.meta.docsUrl.endsWith(`#${rule.meta.id}`));
    }
  });
});

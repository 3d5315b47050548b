import { strict as assert } from 'node:assert';
import { join, relative, resolve } from 'node:path';
import type { Finding, Fix } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { folderSources } from '../helpers/folderSources';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import { deploymentRules } from '../../server/src/deployment/rules/index';
import type { WorkspaceSource } from '../../server/src/deployment/types';

const FIXTURES = resolve(__dirname, '../../../test/fixtures/deployments');

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

function build(sources: readonly WorkspaceSource[], version: Version = [23, 0, 0]): DeploymentModel {
  return buildDeploymentModel(sources, { version, versionLabel: version.join('.') });
}

type Located = Finding & { uri: string };

function all(model: DeploymentModel): Located[] {
  return [...model.findings].flatMap(([uri, list]) => list.map((finding) => ({ ...finding, uri })));
}

function rulesOf(model: DeploymentModel): string[] {
  return all(model)
    .map((f) => f.rule)
    .sort();
}

/** Applies a fix (its own edits to the finding's file, `otherFiles` to theirs) and returns the new sources. */
function applyFix(sources: readonly WorkspaceSource[], uri: string, fix: Fix): WorkspaceSource[] {
  const edits = new Map<string, Fix['edits']>();
  if (fix.edits.length) edits.set(uri, fix.edits);
  for (const other of fix.otherFiles ?? []) {
    edits.set(other.uri, [...(edits.get(other.uri) ?? []), ...other.edits]);
  }
  for (const target of edits.keys()) {
    assert.ok(
      sources.some((s) => s.uri === target),
      `no source ${target}`,
    );
  }
  return sources.map((s) => (edits.has(s.uri) ? { ...s, text: applyEdits(s.text, edits.get(s.uri)!) } : s));
}

function fixNamed(finding: Finding, title: RegExp): Fix {
  const fix = finding.fixes?.find((f) => title.test(f.title));
  assert.ok(fix, `no fix ${String(title)} in ${JSON.stringify(finding.fixes?.map((f) => f.title))}`);
  return fix;
}

function one(model: DeploymentModel, rule: string): Located {
  const found = all(model).filter((f) => f.rule === rule);
  assert.equal(
    found.length,
    1,
    `expected one ${rule}, got ${JSON.stringify(all(model).map((f) => [f.rule, f.message]))}`,
  );
  return found[0]!;
}

function readFixture(name: string): WorkspaceSource[] {
  return folderSources(join(FIXTURES, name));
}

function uriEnding(findingUri: string, tail: string): boolean {
  return findingUri.endsWith(tail);
}

// A socket-activated service with its config and an nginx site that proxies to the socket.
const SERVICE = (
  extra = '',
  exec = '/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app.wsgi:application',
) => `[Unit]
Description=app
Requires=app.socket

[Service]
Type=notify
WorkingDirectory=/srv/app
ExecStart=${exec}
ExecReload=/bin/kill -s HUP $MAINPID
${extra}
[Install]
WantedBy=multi-user.target
`;

const SOCKET = (extra = '') => `[Socket]
ListenStream=/run/app.sock
${extra}
[Install]
WantedBy=sockets.target
`;

const NGINX_MAIN = `user www-data;
events {}
http {
    include sites/*.conf;
}
`;

const SITE = (location = '', pass = 'http://unix:/run/app.sock') => `server {
    listen 80;
    location / {
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
${location}        proxy_pass ${pass};
    }
}
`;

interface Parts {
  service?: string;
  socket?: string | null;
  conf?: string;
  site?: string;
  main?: string;
}

function deploymentSources(parts: Parts = {}): WorkspaceSource[] {
  const list = [
    source('/w/deploy/app.service', parts.service ?? SERVICE()),
    source('/w/gunicorn.conf.py', parts.conf ?? 'workers = 2\n'),
    source('/w/deploy/nginx/nginx.conf', parts.main ?? NGINX_MAIN),
    source('/w/deploy/nginx/sites/app.conf', parts.site ?? SITE()),
  ];
  if (parts.socket !== null) list.push(source('/w/deploy/app.socket', parts.socket ?? SOCKET()));
  return list;
}

describe('deployment model', () => {
  describe('fixture folders', () => {
    it('finds nothing wrong with the good deployment', () => {
      const model = build(readFixture('good-socket'));
      assert.deepEqual(all(model), []);
      assert.equal(model.deployments.length, 1);
      const deployment = model.deployments[0]!;
      assert.ok(deployment.config?.path.endsWith('good-socket/gunicorn.conf.py'));
      assert.deepEqual(
        deployment.sockets.map((s) => s.unit.name),
        ['shop.socket'],
      );
      assert.equal(deployment.nginx.length, 1);
    });

    it('reports each mistake of the broken socket deployment once, in the file where it is fixed', () => {
      const model = build(readFixture('broken-socket'));
      const found = all(model).map((f) => [
        relative(join(FIXTURES, 'broken-socket'), f.uri.slice(7)),
        f.rule,
        f.range.start.line,
      ]);
      assert.deepEqual(found.sort(), [
        ['deploy/nginx/sites/shop.conf', 'proxy-read-timeout-short', 13],
        ['deploy/shop.socket', 'socket-permission-denied', 7],
        ['gunicorn.conf.py', 'bind-ignored-by-socket-activation', 1],
        ['gunicorn.conf.py', 'stop-timeout-below-graceful', 4],
      ]);
      for (const finding of all(model)) {
        assert.ok(finding.related?.length, `${finding.rule} has related information`);
      }
    });

    it('fixes every broken-socket finding with its preferred fix', () => {
      let sources = readFixture('broken-socket');
      for (let round = 0; round < 10; round++) {
        const next = all(build(sources)).find((f) => f.fixes?.some((fix) => fix.isPreferred));
        if (!next) break;
        sources = applyFix(
          sources,
          next.uri,
          next.fixes!.find((fix) => fix.isPreferred)!,
        );
      }
      assert.deepEqual(rulesOf(build(sources)), []);
    });

    it('reports the address mismatch of the broken address deployment', () => {
      const sources = readFixture('broken-address');
      const finding = one(build(sources), 'bind-address-mismatch');
      assert.ok(uriEnding(finding.uri, 'nginx/app.conf'));
      assert.equal(finding.range.start.line, 4);
      assert.ok(uriEnding(finding.related![0]!.uri, 'gunicorn.conf.py'));
      assert.equal(finding.related![0]!.range.start.line, 0);
      for (const title of [/Point nginx at 127\.0\.0\.1:8000/, /Make Gunicorn bind to 127\.0\.0\.1:8001/]) {
        const fixed = applyFix(sources, finding.uri, fixNamed(finding, title));
        assert.deepEqual(rulesOf(build(fixed)), [], String(title));
      }
    });
  });

  describe('bind-address-mismatch', () => {
    it('reports an upstream server that names another socket, with a fix on either side', () => {
      const sources = deploymentSources({
        site: `upstream gunicorn_app {\n    server unix:/run/gunicorn.sock fail_timeout=0;\n}\n${SITE('', 'http://gunicorn_app')}`,
      });
      const model = build(sources);
      const finding = one(model, 'bind-address-mismatch');
      assert.equal(finding.range.start.line, 1);
      assert.equal(finding.severity, 'warning');
      assert.ok(uriEnding(finding.related![0]!.uri, 'app.socket'));
      assert.equal(finding.related![0]!.range.start.line, 1);
      const nginxFix = fixNamed(finding, /Point nginx at unix:\/run\/app\.sock/);
      assert.equal(nginxFix.otherFiles, undefined);
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, nginxFix))), []);
      const socketFix = fixNamed(finding, /ListenStream= to \/run\/gunicorn\.sock/);
      assert.equal(socketFix.otherFiles?.[0]?.uri, 'file:///w/deploy/app.socket');
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, socketFix))), []);
    });

    it('matches localhost, 0.0.0.0 and http://unix:…: forms', () => {
      const tcp = (bind: string, pass: string): string[] =>
        rulesOf(
          build([
            source('/w/Procfile', `web: gunicorn -b ${bind} app:app\n`),
            source('/w/nginx/app.conf', SITE('', pass)),
          ]),
        );
      assert.deepEqual(tcp('0.0.0.0:8000', 'http://localhost:8000'), []);
      assert.deepEqual(tcp('127.0.0.1:8000', 'http://localhost:8000/'), []);
      assert.deepEqual(tcp('unix:/run/app.sock', 'http://unix:/run/app.sock:/api/'), []);
      assert.deepEqual(tcp('unix:///run/app.sock', 'http://unix:/var/run/app.sock'), []);
      assert.deepEqual(tcp('localhost:8000', 'http://127.0.0.1:8001'), ['bind-address-mismatch']);
    });

    it('leaves alone proxies to other local services when nginx already reaches Gunicorn', () => {
      const site = `server {\n    location / { proxy_pass http://127.0.0.1:8000; }\n    location /grafana/ { proxy_pass http://127.0.0.1:3000; }\n}\n`;
      assert.deepEqual(
        rulesOf(build([source('/w/Procfile', 'web: gunicorn app:app\n'), source('/w/nginx/app.conf', site)])),
        [],
      );
    });

    it('says nothing when Gunicorn’s address is unknown', () => {
      const sources = [
        source('/w/Procfile', 'web: gunicorn -b $BIND app:app\n'),
        source('/w/nginx/app.conf', SITE('', 'http://127.0.0.1:8001')),
      ];
      assert.deepEqual(rulesOf(build(sources)), []);
    });
  });

  describe('bind-ignored-by-socket-activation', () => {
    it('reports a command-line bind as info when it repeats the socket address', () => {
      const sources = deploymentSources({
        service: SERVICE('', '/srv/app/venv/bin/gunicorn --bind unix:/run/app.sock app.wsgi:application'),
      });
      const finding = one(build(sources), 'bind-ignored-by-socket-activation');
      assert.equal(finding.severity, 'info');
      assert.ok(uriEnding(finding.uri, 'app.service'));
      assert.equal(finding.range.start.line, 7);
      const fixed = applyFix(sources, finding.uri, fixNamed(finding, /Remove the bind/));
      assert.match(fixed[0]!.text, /ExecStart=\/srv\/app\/venv\/bin\/gunicorn app\.wsgi:application\n/);
      assert.deepEqual(rulesOf(build(fixed)), []);
    });

    it('links a socket through Service= and through Sockets=', () => {
      const other = `[Socket]\nListenStream=/run/app.sock\nService=app.service\n`;
      const sources = deploymentSources({ socket: null, conf: 'bind = "127.0.0.1:9000"\n' });
      sources.push(source('/w/deploy/web.socket', other));
      assert.deepEqual(rulesOf(build(sources)), ['bind-ignored-by-socket-activation']);
      const viaSockets = deploymentSources({
        socket: null,
        conf: 'bind = "127.0.0.1:9000"\n',
        service: SERVICE('Sockets=web.socket\n'),
      });
      viaSockets.push(source('/w/deploy/web.socket', `[Socket]\nListenStream=/run/app.sock\n`));
      assert.deepEqual(rulesOf(build(viaSockets)), ['bind-ignored-by-socket-activation']);
    });
  });

  describe('socket-in-private-tmp', () => {
    it('is an error when nginx looks for the socket in /tmp; the fix moves it under /run on all sides', () => {
      const sources = deploymentSources({
        socket: null,
        conf: 'bind = "unix:/tmp/app.sock"\n',
        service: SERVICE('PrivateTmp=true\n'),
        site: SITE('', 'http://unix:/tmp/app.sock'),
      });
      const finding = one(build(sources), 'socket-in-private-tmp');
      assert.equal(finding.severity, 'error');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
      assert.deepEqual(
        finding.related!.map((r) => [r.uri.slice(r.uri.lastIndexOf('/') + 1), r.range.start.line]),
        [
          ['app.service', 9],
          ['app.conf', 6],
        ],
      );
      const fix = fixNamed(finding, /Move the socket to \/run\/app\/app\.sock/);
      const fixed = applyFix(sources, finding.uri, fix);
      assert.match(
        fixed.find((s) => s.path.endsWith('app.service'))!.text,
        /RuntimeDirectory=app\nExecStart=/,
      );
      assert.deepEqual(rulesOf(build(fixed)), []);
    });
  });

  describe('socket-permission-denied', () => {
    it('is an error when neither owner, group nor others let nginx in', () => {
      const sources = deploymentSources({ socket: SOCKET('SocketMode=0600\n') });
      const finding = one(build(sources), 'socket-permission-denied');
      assert.equal(finding.severity, 'error');
      assert.ok(uriEnding(finding.uri, 'app.socket'));
      assert.equal(finding.range.start.line, 2);
      assert.ok(uriEnding(finding.related![0]!.uri, 'nginx.conf'));
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, finding.fixes![0]!))), []);
    });

    it('accepts the default mode, the nginx user as owner, and the nginx group', () => {
      assert.deepEqual(rulesOf(build(deploymentSources())), []);
      assert.deepEqual(
        rulesOf(build(deploymentSources({ socket: SOCKET('SocketUser=www-data\nSocketMode=0600\n') }))),
        [],
      );
      assert.deepEqual(
        rulesOf(build(deploymentSources({ socket: SOCKET('SocketGroup=www-data\nSocketMode=0660\n') }))),
        [],
      );
    });

    it('stays silent without an nginx user directive', () => {
      const sources = deploymentSources({
        socket: SOCKET('SocketMode=0600\n'),
        main: 'events {}\nhttp { include sites/*.conf; }\n',
      });
      assert.deepEqual(rulesOf(build(sources)), []);
    });
  });

  describe('proxy-read-timeout-short', () => {
    it('follows proxy_read_timeout from the server block into the location', () => {
      const sources = deploymentSources({
        conf: 'timeout = 45\n',
        site: SITE().replace('listen 80;', 'listen 80;\n    proxy_read_timeout 30s;'),
      });
      const finding = one(build(sources), 'proxy-read-timeout-short');
      assert.equal(finding.range.start.line, 2);
      assert.ok(uriEnding(finding.related![0]!.uri, 'gunicorn.conf.py'));
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, finding.fixes![0]!))), []);
    });

    it('uses the 60 s default and inserts the directive in the location', () => {
      const sources = deploymentSources({ conf: 'timeout = 120\n' });
      const finding = one(build(sources), 'proxy-read-timeout-short');
      assert.equal(finding.range.start.line, 6);
      const fixed = applyFix(sources, finding.uri, finding.fixes![0]!);
      assert.match(
        fixed.find((s) => s.path.endsWith('app.conf'))!.text,
        / {8}proxy_read_timeout 125s;\n {8}proxy_pass/,
      );
      assert.deepEqual(rulesOf(build(fixed)), []);
    });

    it('ignores async and threaded workers, unknown timeouts and unreadable includes', () => {
      assert.deepEqual(rulesOf(build(deploymentSources({ conf: 'timeout = 120\nthreads = 4\n' }))), []);
      assert.deepEqual(
        rulesOf(
          build(
            deploymentSources({ conf: 'timeout = 120\nworker_class = "gevent"\nworker_connections = 500\n' }),
          ),
        ),
        [],
      );
      assert.deepEqual(
        rulesOf(build(deploymentSources({ conf: 'import os\ntimeout = int(os.environ["T"])\n' }))),
        [],
      );
      const include = SITE('        include snippets/timeouts.conf;\n');
      assert.deepEqual(rulesOf(build(deploymentSources({ conf: 'timeout = 120\n', site: include }))), []);
    });
  });

  describe('stop-timeout-below-graceful', () => {
    it('compares graceful_timeout from GUNICORN_CMD_ARGS with the default 90 s', () => {
      const sources = deploymentSources({
        service: SERVICE('Environment="GUNICORN_CMD_ARGS=--graceful-timeout 120"\n'),
      });
      const finding = one(build(sources), 'stop-timeout-below-graceful');
      assert.ok(uriEnding(finding.uri, 'app.service'));
      assert.match(finding.message, /90 s/);
      const fixed = applyFix(sources, finding.uri, fixNamed(finding, /TimeoutStopSec=125s/));
      assert.deepEqual(rulesOf(build(fixed)), []);
    });

    it('puts the TimeoutStopSec= edit in the unit when the finding is in the config', () => {
      const sources = deploymentSources({
        conf: 'graceful_timeout = 60\n',
        service: SERVICE('TimeoutStopSec=10\n'),
      });
      const finding = one(build(sources), 'stop-timeout-below-graceful');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
      const fix = fixNamed(finding, /TimeoutStopSec=65s/);
      assert.deepEqual(fix.edits, []);
      assert.equal(fix.otherFiles?.[0]?.uri, 'file:///w/deploy/app.service');
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, fix))), []);
      assert.deepEqual(
        rulesOf(build(applyFix(sources, finding.uri, fixNamed(finding, /Lower graceful_timeout/)))),
        [],
      );
    });

    it('stays silent when the config file cannot be read', () => {
      const sources = deploymentSources({
        service: SERVICE('TimeoutStopSec=5\n', '/venv/bin/gunicorn -c /etc/app/elsewhere.py app:app'),
      });
      assert.deepEqual(rulesOf(build(sources)), []);
    });
  });

  describe('forwarded-headers-untrusted', () => {
    const tcp = (conf: string, pass = 'http://127.0.0.1:8000'): WorkspaceSource[] => [
      source('/w/Procfile', 'web: gunicorn -c gunicorn.conf.py -b 0.0.0.0:8000 app:app\n'),
      source('/w/gunicorn.conf.py', conf),
      source('/w/nginx/app.conf', SITE('', pass)),
    ];

    it('reports a forwarded_allow_ips that leaves out the loopback address nginx connects from', () => {
      const sources = tcp('forwarded_allow_ips = "10.0.0.2"\n');
      const finding = one(build(sources), 'forwarded-headers-untrusted');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
      assert.equal(finding.related![0]!.range.start.line, 5);
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, finding.fixes![0]!))), []);
    });

    it('reports the default for a proxy on another address, at the nginx header', () => {
      const finding = one(build(tcp('workers = 2\n', 'http://10.1.2.3:8000')), 'forwarded-headers-untrusted');
      assert.ok(uriEnding(finding.uri, 'nginx/app.conf'));
      assert.equal(finding.range.start.line, 5);
    });

    it('trusts unix sockets, *, the default for loopback, and networks', () => {
      assert.deepEqual(rulesOf(build(deploymentSources({ conf: 'forwarded_allow_ips = "10.0.0.2"\n' }))), []);
      assert.deepEqual(rulesOf(build(tcp('forwarded_allow_ips = "*"\n', 'http://10.1.2.3:8000'))), []);
      assert.deepEqual(rulesOf(build(tcp('workers = 2\n'))), []);
      assert.deepEqual(rulesOf(build(tcp('forwarded_allow_ips = "127.0.0.0/8"\n'))), []);
    });
  });

  describe('secure-scheme-header-mismatch', () => {
    it('reports a secure_scheme_headers that nginx never satisfies and fixes it', () => {
      const sources = deploymentSources({
        conf: 'secure_scheme_headers = {"X-FORWARDED-PROTOCOL": "ssl"}\n',
      });
      const finding = one(build(sources), 'secure-scheme-header-mismatch');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
      assert.ok(uriEnding(finding.related![0]!.uri, 'sites/app.conf'));
      const fixed = applyFix(sources, finding.uri, finding.fixes![0]!);
      assert.match(
        fixed.find((s) => s.path.endsWith('gunicorn.conf.py'))!.text,
        /"X-FORWARDED-PROTO": "https"/,
      );
      assert.deepEqual(rulesOf(build(fixed)), []);
    });

    it('compares values exactly', () => {
      const sources = deploymentSources({ conf: 'secure_scheme_headers = {"X-Forwarded-Proto": "HTTPS"}\n' });
      one(build(sources), 'secure-scheme-header-mismatch');
      assert.deepEqual(
        rulesOf(
          build(deploymentSources({ conf: 'secure_scheme_headers = {"x-forwarded-proto": "https"}\n' })),
        ),
        [],
      );
    });
  });

  describe('protocol-mismatch', () => {
    it('reports protocol = "uwsgi" behind proxy_pass', () => {
      const finding = one(
        build(deploymentSources({ conf: 'protocol = "uwsgi"\n' }), [24, 0, 0]),
        'protocol-mismatch',
      );
      assert.equal(finding.severity, 'error');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
    });

    it('reports uwsgi_pass to an HTTP Gunicorn and rewrites it to proxy_pass', () => {
      const site = `server {\n    location / {\n        include uwsgi_params;\n        uwsgi_pass unix:/run/app.sock;\n    }\n}\n`;
      const sources = deploymentSources({ site });
      const finding = one(build(sources, [24, 0, 0]), 'protocol-mismatch');
      assert.equal(finding.range.start.line, 3);
      const fixed = applyFix(
        sources,
        finding.uri,
        fixNamed(finding, /proxy_pass http:\/\/unix:\/run\/app\.sock/),
      );
      assert.deepEqual(rulesOf(build(fixed, [24, 0, 0])), []);
      const viaConfig = applyFix(sources, finding.uri, fixNamed(finding, /protocol = "uwsgi"/));
      assert.deepEqual(rulesOf(build(viaConfig, [24, 0, 0])), []);
      assert.match(one(build(sources, [23, 0, 0]), 'protocol-mismatch').message, /came in 24\.0/);
    });
  });

  describe('daemon-service-type', () => {
    it('reports daemon = True in the config of a notify service', () => {
      const sources = deploymentSources({ conf: 'daemon = True\n' });
      const finding = one(build(sources), 'daemon-service-type');
      assert.equal(finding.severity, 'error');
      assert.ok(uriEnding(finding.related![0]!.uri, 'app.service'));
      assert.equal(finding.related![0]!.range.start.line, 5);
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, finding.fixes![0]!))), []);
      assert.deepEqual(
        rulesOf(
          build(
            deploymentSources({
              conf: 'daemon = True\n',
              service: SERVICE().replace('Type=notify', 'Type=forking'),
            }),
          ),
        ),
        [],
      );
    });
  });

  describe('preload-hup-reload', () => {
    it('reports preload_app with a HUP reload', () => {
      const finding = one(build(deploymentSources({ conf: 'preload_app = True\n' })), 'preload-hup-reload');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
      assert.equal(finding.related![0]!.range.start.line, 8);
      const restart = SERVICE().replace('/bin/kill -s HUP $MAINPID', '/bin/systemctl restart app');
      assert.deepEqual(
        rulesOf(build(deploymentSources({ conf: 'preload_app = True\n', service: restart }))),
        [],
      );
    });
  });

  describe('websocket-sync-worker', () => {
    it('reports an Upgrade location in front of sync workers, at the nginx header', () => {
      const upgrade =
        '        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection "upgrade";\n';
      const finding = one(build(deploymentSources({ site: SITE(upgrade) })), 'websocket-sync-worker');
      assert.ok(uriEnding(finding.uri, 'sites/app.conf'));
      assert.equal(finding.range.start.line, 7);
      const onConfig = one(
        build(deploymentSources({ site: SITE(upgrade), conf: 'worker_class = "gthread"\n' })),
        'websocket-sync-worker',
      );
      assert.ok(uriEnding(onConfig.uri, 'gunicorn.conf.py'));
      const asgi = deploymentSources({
        site: SITE(upgrade),
        conf: 'worker_class = "uvicorn_worker.UvicornWorker"\n',
      });
      assert.ok(!rulesOf(build(asgi)).includes('websocket-sync-worker'));
    });
  });

  describe('memory-max-workers', () => {
    it('reports a MemoryMax= below 50 MB per worker', () => {
      const finding = one(
        build(deploymentSources({ conf: 'workers = 8\n', service: SERVICE('MemoryMax=256M\n') })),
        'memory-max-workers',
      );
      assert.equal(finding.severity, 'info');
      assert.ok(uriEnding(finding.uri, 'app.service'));
      assert.deepEqual(
        rulesOf(build(deploymentSources({ conf: 'workers = 4\n', service: SERVICE('MemoryMax=1G\n') }))),
        [],
      );
    });
  });

  describe('worker-connections-nofile', () => {
    it('reports LimitNOFILE= below an async worker’s connections and fixes it', () => {
      const sources = deploymentSources({
        conf: 'worker_class = "gevent"\nworker_connections = 4000\n',
        service: SERVICE('LimitNOFILE=1024\n'),
      });
      const finding = one(build(sources), 'worker-connections-nofile');
      assert.ok(uriEnding(finding.uri, 'app.service'));
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, finding.fixes![0]!))), []);
    });

    it('reports the default limit from the config side, with the unit edit in otherFiles', () => {
      const sources = deploymentSources({ conf: 'worker_class = "gevent"\n' });
      const finding = one(build(sources), 'worker-connections-nofile');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, finding.fixes![0]!))), []);
    });
  });

  describe('write-path-read-only', () => {
    it('reports a log file under ProtectSystem=strict and opens its directory', () => {
      const sources = deploymentSources({
        conf: 'accesslog = "/var/log/app/access.log"\n',
        service: SERVICE('ProtectSystem=strict\n'),
      });
      const finding = one(build(sources), 'write-path-read-only');
      assert.ok(uriEnding(finding.uri, 'gunicorn.conf.py'));
      assert.deepEqual(rulesOf(build(applyFix(sources, finding.uri, finding.fixes![0]!))), []);
    });

    it('knows LogsDirectory=, PrivateTmp= and ProtectSystem=full', () => {
      const ok = (conf: string, extra: string): string[] =>
        rulesOf(build(deploymentSources({ conf, service: SERVICE(extra) })));
      assert.deepEqual(
        ok('accesslog = "/var/log/app/access.log"\n', 'ProtectSystem=strict\nLogsDirectory=app\n'),
        [],
      );
      assert.deepEqual(ok('pidfile = "/tmp/app.pid"\n', 'ProtectSystem=strict\nPrivateTmp=yes\n'), []);
      assert.deepEqual(ok('pidfile = "/var/lib/app/app.pid"\n', 'ProtectSystem=full\n'), []);
      assert.deepEqual(ok('pidfile = "/etc/app/app.pid"\n', 'ProtectSystem=full\n'), [
        'write-path-read-only',
      ]);
    });
  });

  describe('suppression comments', () => {
    it('honours disable comments in the file a finding lands in', () => {
      const conf = 'graceful_timeout = 60  # gunicorn-config: disable=stop-timeout-below-graceful\n';
      assert.deepEqual(
        rulesOf(build(deploymentSources({ conf, service: SERVICE('TimeoutStopSec=10\n') }))),
        [],
      );
      const socket = SOCKET('# gunicorn-config: disable=socket-permission-denied\nSocketMode=0600\n');
      assert.deepEqual(rulesOf(build(deploymentSources({ socket }))), []);
      const site = SITE()
        .replace('proxy_pass http', 'proxy_pass http')
        .replace(
          'listen 80;',
          'listen 80;\n    proxy_read_timeout 5s; # gunicorn-config: disable=proxy-read-timeout-short',
        );
      assert.deepEqual(rulesOf(build(deploymentSources({ site }))), []);
    });

    it('offers a suppression fix that works', () => {
      const sources = deploymentSources({ conf: 'daemon = True\n' });
      const finding = one(build(sources), 'daemon-service-type');
      const fixed = applyFix(sources, finding.uri, fixNamed(finding, /^Ignore daemon-service-type/));
      assert.deepEqual(rulesOf(build(fixed)), []);
    });

    it('applies severity overrides and ignore', () => {
      const sources = deploymentSources({ conf: 'daemon = True\n' });
      const lowered = buildDeploymentModel(sources, {
        version: [23, 0, 0],
        versionLabel: '23',
        severity: { 'daemon-service-type': 'hint' },
      });
      assert.equal(one(lowered, 'daemon-service-type').severity, 'hint');
      const ignored = buildDeploymentModel(sources, {
        version: [23, 0, 0],
        versionLabel: '23',
        severity: { 'daemon-service-type': 'ignore' },
      });
      assert.deepEqual(all(ignored), []);
    });
  });

  describe('effective settings', () => {
    const launchSources = (exec: string, conf: string, env = ''): WorkspaceSource[] => [
      source('/w/deploy/app.service', `[Service]\nWorkingDirectory=/srv/app\n${env}ExecStart=${exec}\n`),
      source('/w/gunicorn.conf.py', conf),
    ];

    it('follows default < config < GUNICORN_CMD_ARGS < command line, listing what each overrides', () => {
      const model = build(
        launchSources(
          '/venv/bin/gunicorn -w 7 -c /srv/app/gunicorn.conf.py app:app',
          'workers = 3\ntimeout = 40\n',
          'Environment="GUNICORN_CMD_ARGS=--workers 5 --timeout 50"\n',
        ),
      );
      const deployment = model.deployments[0]!;
      const workers = model.effective(deployment, 'workers')!;
      assert.equal(workers.value, '7');
      assert.equal(workers.origin, 'command-line');
      assert.equal(workers.known, true);
      assert.deepEqual(
        workers.overrides.map((o) => [o.origin, o.value]),
        [
          ['GUNICORN_CMD_ARGS', '5'],
          ['config', '3'],
        ],
      );
      const timeout = model.effective(deployment, 'timeout')!;
      assert.equal(timeout.value, '50');
      assert.equal(timeout.origin, 'GUNICORN_CMD_ARGS');
      assert.equal(timeout.where?.uri, 'file:///w/deploy/app.service');
      const graceful = model.effective(deployment, 'graceful_timeout')!;
      assert.deepEqual([graceful.value, graceful.origin, graceful.overrides.length], ['30', 'default', 0]);
    });

    it('reads defaults from WEB_CONCURRENCY, PORT and FORWARDED_ALLOW_IPS, per version', () => {
      const model = build(
        launchSources(
          '/venv/bin/gunicorn app:app',
          'timeout = 10\n',
          'Environment=WEB_CONCURRENCY=6 PORT=5000 FORWARDED_ALLOW_IPS=10.0.0.1\n',
        ),
      );
      const deployment = model.deployments[0]!;
      const workers = model.effective(deployment, 'workers')!;
      assert.deepEqual([workers.value, workers.origin], ['6', 'default']);
      assert.equal(workers.where?.uri, 'file:///w/deploy/app.service');
      assert.equal(model.effective(deployment, 'bind')!.value, '0.0.0.0:5000');
      assert.equal(model.effective(deployment, 'forwarded_allow_ips')!.value, '10.0.0.1');
      const bare = build([source('/w/gunicorn.conf.py', 'workers = 2\n')], [22, 0, 0]);
      assert.equal(bare.effective(bare.deployments[0]!, 'forwarded_allow_ips')!.value, '127.0.0.1');
      const newer = build([source('/w/gunicorn.conf.py', 'workers = 2\n')], [23, 0, 0]);
      assert.equal(newer.effective(newer.deployments[0]!, 'forwarded_allow_ips')!.value, '127.0.0.1,::1');
    });

    it('marks values it cannot know', () => {
      const model = build(
        launchSources(
          '/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app:app',
          'import os\nworkers = int(os.environ.get("W", "2"))\nif os.environ.get("X"):\n    timeout = 5\n',
        ),
      );
      const deployment = model.deployments[0]!;
      assert.equal(model.effective(deployment, 'workers')!.known, false);
      assert.equal(model.effective(deployment, 'timeout')!.known, false);
      const hidden = build([
        source(
          '/w/app.service',
          '[Service]\nExecStart=/venv/bin/gunicorn -c python:settings.gunicorn app:app\n',
        ),
      ]);
      assert.equal(hidden.effective(hidden.deployments[0]!, 'timeout')!.known, false);
      const envFile = build([
        source(
          '/w/app.service',
          '[Service]\nEnvironmentFile=/etc/app.env\nExecStart=/venv/bin/gunicorn app:app\n',
        ),
      ]);
      assert.equal(envFile.effective(envFile.deployments[0]!, 'workers')!.known, false);
      assert.equal(envFile.effective(envFile.deployments[0]!, 'timeout')!.known, true);
    });

    it('answers effectiveAt for a config binding and a command-line option', () => {
      const sources = launchSources(
        '/venv/bin/gunicorn -w 7 -c /srv/app/gunicorn.conf.py app:app',
        'workers = 3\n',
      );
      const model = build(sources);
      const inConfig = model.effectiveAt('file:///w/gunicorn.conf.py', 2)!;
      assert.deepEqual([inConfig.setting, inConfig.value, inConfig.origin], ['workers', '7', 'command-line']);
      assert.deepEqual(
        inConfig.overrides.map((o) => o.origin),
        ['config'],
      );
      const unit = sources[0]!.text;
      const inUnit = model.effectiveAt('file:///w/deploy/app.service', unit.indexOf('-w 7') + 1)!;
      assert.equal(inUnit.setting, 'workers');
      assert.equal(model.effectiveAt('file:///w/deploy/app.service', 0), undefined);
      assert.equal(model.effectiveAt('file:///nowhere', 0), undefined);
    });
  });

  describe('grouping', () => {
    it('keeps two services with their own sockets and configs apart', () => {
      const service = (name: string, conf: string): string =>
        `[Unit]\nRequires=${name}.socket\n[Service]\nType=notify\nWorkingDirectory=/srv/${name}\nExecStart=/venv/bin/gunicorn -c /srv/${name}/${conf} app:app\nTimeoutStopSec=60\n`;
      const sources = [
        source('/w/shop/shop.service', service('shop', 'gunicorn.conf.py')),
        source('/w/shop/shop.socket', '[Socket]\nListenStream=/run/shop.sock\n'),
        source('/w/shop/gunicorn.conf.py', 'graceful_timeout = 50\ntimeout = 30\n'),
        source('/w/blog/blog.service', service('blog', 'blog_settings.py')),
        source('/w/blog/blog.socket', '[Socket]\nListenStream=/run/blog.sock\n'),
        source('/w/blog/blog_settings.py', 'graceful_timeout = 100\ntimeout = 120\n'),
        source(
          '/w/nginx/sites/both.conf',
          `server {\n    location / { proxy_pass http://unix:/run/shop.sock; }\n}\nserver {\n    location / { proxy_pass http://unix:/run/blog.sock; }\n}\n`,
        ),
      ];
      const model = build(sources);
      const byName = new Map(model.deployments.map((d) => [d.service?.name, d]));
      assert.ok(byName.get('shop.service')!.config!.path.endsWith('shop/gunicorn.conf.py'));
      assert.ok(byName.get('blog.service')!.config!.path.endsWith('blog/blog_settings.py'));
      assert.deepEqual(
        byName.get('shop.service')!.sockets.map((s) => s.unit.name),
        ['shop.socket'],
      );
      assert.deepEqual(
        byName.get('blog.service')!.nginx.map((t) => t.pass.span.from),
        [sources[6]!.text.lastIndexOf('proxy_pass')],
      );
      assert.deepEqual(
        all(model)
          .map((f) => [f.rule, f.uri.slice(f.uri.lastIndexOf('/') + 1), f.range.start.line])
          .sort(),
        [
          ['proxy-read-timeout-short', 'both.conf', 4],
          ['stop-timeout-below-graceful', 'blog_settings.py', 0],
        ],
      );
    });

    it('tells compose services on the same port apart by name', () => {
      const compose = `services:\n  web:\n    command: gunicorn -b 0.0.0.0:8000 web:app\n  api:\n    command: gunicorn -b 0.0.0.0:8000 api:app\n`;
      const model = build([
        source('/w/compose.yaml', compose),
        source('/w/nginx/site.conf', 'server {\n    location / { proxy_pass http://api:8000; }\n}\n'),
      ]);
      const byService = new Map(model.deployments.map((d) => [d.launch?.unit, d.nginx.length]));
      assert.deepEqual([byService.get('web'), byService.get('api')], [0, 1]);
    });

    it('finds the default gunicorn.conf.py in the working directory, and none without one', () => {
      const withCwd = build([
        source(
          '/w/deploy/app.service',
          '[Service]\nWorkingDirectory=/srv/app\nExecStart=/venv/bin/gunicorn app:app\n',
        ),
        source('/w/gunicorn.conf.py', 'workers = 4\n'),
      ]);
      assert.equal(withCwd.deployments.length, 1);
      assert.equal(withCwd.effective(withCwd.deployments[0]!, 'workers')!.origin, 'config');
      const withoutCwd = build([
        source('/w/deploy/app.service', '[Service]\nExecStart=/venv/bin/gunicorn app:app\n'),
        source('/w/gunicorn.conf.py', 'workers = 4\n'),
      ]);
      assert.equal(withoutCwd.deployments.length, 2, 'the launch and the lone config');
    });

    it('treats a -c file with any name as a Gunicorn config', () => {
      const model = build([
        source('/w/Procfile', 'web: gunicorn --config deploy/settings_prod.py app:app\n'),
        {
          uri: 'file:///w/deploy/settings_prod.py',
          path: '/w/deploy/settings_prod.py',
          kind: 'shell',
          text: 'workers = 9\n',
        },
      ]);
      assert.equal(model.deployments.length, 1);
      assert.equal(model.effective(model.deployments[0]!, 'workers')!.value, '9');
    });
  });

  describe('robustness', () => {
    it('survives junk, empty, binary and mislabelled sources', () => {
      const junk = [
        source('/w/gunicorn.conf.py', ''),
        source('/w/app.service', '\u0000\u0001binary'),
        source('/w/nginx/x.conf', '}}}{{{ ;;; "unterminated'),
        source('/w/Procfile', 'web gunicorn\n:\n'),
        source('/w/Dockerfile', 'CMD ["gunicorn", '),
        { uri: 'file:///w/x.yml', path: '/w/x.yml', kind: 'compose' as const, text: '::: - [' },
        {
          uri: 'file:///w/weird',
          path: '/w/weird',
          kind: 'systemd' as const,
          text: '[Service]\nExecStart=gunicorn -b unix: -w x\n',
        },
        source('/w/app2.socket', '[Socket]\nListenStream=\nListenStream=%t/app.sock\n'),
      ];
      const model = build(junk);
      assert.ok(Array.isArray(model.deployments));
      assert.equal(all(model).filter((f) => f.rule === 'internal-error').length, 0);
    });

    it('builds a workspace of 200 sources', () => {
      const sources: WorkspaceSource[] = [];
      for (let i = 0; i < 50; i++) {
        sources.push(
          source(
            `/w/s${i}/app${i}.service`,
            SERVICE('', `/venv/bin/gunicorn -c /srv/s${i}/gunicorn.conf.py app:app`).replace(
              /app\.socket/g,
              `app${i}.socket`,
            ),
          ),
        );
        sources.push(
          source(`/w/s${i}/app${i}.socket`, SOCKET().replace('/run/app.sock', `/run/app${i}.sock`)),
        );
        sources.push(source(`/w/s${i}/gunicorn.conf.py`, `workers = ${i + 1}\n`));
        sources.push(source(`/w/nginx/sites/s${i}.conf`, SITE('', `http://unix:/run/app${i}.sock`)));
      }
      const model = build(sources);
      assert.equal(model.deployments.length, 50);
      assert.ok(model.deployments.every((d) => d.nginx.length === 1 && d.sockets.length === 1 && d.config));
      assert.deepEqual(all(model), []);
    });
  });

  describe('rule metadata', () => {
    it('has unique kebab-case ids with docs anchors', () => {
      const ids = deploymentRules.map((r) => r.meta.id);
      assert.equal(new Set(ids).size, ids.length);
      for (const rule of deploymentRules) {
        assert.match(rule.meta.id, /^[a-z]+(?:-[a-z]+)*$/);
        assert.equal(
          rule.meta.docsUrl,
          `https://github.com/gunicorn-config/gunicorn-config/blob/main/docs/rules.md#${rule.meta.id}`,
        );
      }
    });
  });
});

describe('deployment model: which config file a launch loads', () => {
  const configOf = (sources: WorkspaceSource[], launchPath: string): string | undefined => {
    const model = buildDeploymentModel(
      sources,
      { version: [23, 0, 0], versionLabel: '23.0.0' },
      { paths: sources.map((s) => s.path) },
    );
    return model.deployments.find((d) => d.launch?.path === launchPath)?.config?.path;
  };
  const other = source('/w/billing/gunicorn.conf.py', 'workers = 9\n');

  it("never takes another project's gunicorn.conf.py for a launch whose own folder has none", () => {
    const compose = source('/w/shop/compose.yaml', 'services:\n  web:\n    command: gunicorn app:app\n');
    const procfile = source('/w/blog/Procfile', 'web: gunicorn app:app\n');
    const dockerfile = source(
      '/w/api/Dockerfile',
      'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
    );
    const sources = [other, compose, procfile, dockerfile];
    assert.equal(configOf(sources, compose.path), undefined);
    assert.equal(configOf(sources, procfile.path), undefined);
    assert.equal(configOf(sources, dockerfile.path), undefined);
  });

  it('still finds the config in the launch folder, and a unit in deploy/ finds the project root config by name', () => {
    const own = source('/w/shop/gunicorn.conf.py', 'workers = 2\n');
    const compose = source('/w/shop/compose.yaml', 'services:\n  web:\n    command: gunicorn app:app\n');
    assert.equal(configOf([other, own, compose], compose.path), own.path);
    const root = source('/w/app/gunicorn.conf.py', 'workers = 2\n');
    const unit = source(
      '/w/app/deploy/app.service',
      '[Service]\nWorkingDirectory=/srv/app\nExecStart=/srv/app/venv/bin/gunicorn app:app\n',
    );
    assert.equal(configOf([other, root, unit], unit.path), root.path);
  });
});

// nginx versions: the catalogue's facts per release, the target version (setting, workspace images, newest), and
// what the rules, hover and completion make of it.

import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { nginxImageReferences, nginxVersionOfImage } from '../../server/src/languages/commands/nginxImage';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { nginxCatalog, nginxCatalogVersions } from '../../server/src/languages/nginx/catalog';
import { nginxCompletions } from '../../server/src/languages/nginx/completion';
import { nginxHover } from '../../server/src/languages/nginx/hover';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { genericNginxRules } from '../../server/src/languages/nginx/rules/genericRules';
import { resolveNginxTarget, type NginxTarget } from '../../server/src/languages/nginx/target';
import { parseVersion, type Version } from '../../server/src/core/version';

const v = (text: string): Version => parseVersion(text)!;
const versions = (): readonly string[] => nginxCatalogVersions();

describe('nginx catalogue across releases', () => {
  it('reads every release from 1.18.0 to the newest, oldest first', () => {
    const all = versions();
    assert.equal(all[0], '1.18.0');
    assert.ok(all.includes('1.25.1') && all.includes('1.24.0') && all.includes('1.22.1'));
    assert.equal(all[all.length - 1], nginxCatalog().data.nginxVersion);
  });

  it('knows http2 (the directive) from 1.25.1 on, and the ssl directive until 1.25.1', () => {
    assert.ok(!nginxCatalog(v('1.25.0')).isKnown('http2'));
    assert.ok(nginxCatalog(v('1.25.1')).isKnown('http2'));
    assert.deepEqual(nginxCatalog().history('http2'), { since: '1.25.1' });
    assert.ok(nginxCatalog(v('1.24.0')).directive('ssl', 'server'));
    assert.ok(!nginxCatalog(v('1.25.1')).isKnown('ssl'));
    assert.equal(nginxCatalog().history('ssl')?.until, '1.25.1');
    // listen's ssl and http2 parameters are not directives: listen itself never changed its shape
    assert.equal(nginxCatalog().history('listen')?.until, undefined);
  });

  it('knows the spdy_* leftovers until 1.19.7 and stream server_name from 1.25.5', () => {
    assert.ok(nginxCatalog(v('1.19.6')).isKnown('spdy_headers_comp'));
    assert.ok(!nginxCatalog(v('1.19.7')).isKnown('spdy_headers_comp'));
    assert.ok(!nginxCatalog(v('1.25.4')).directive('server_name', 'stream-server'));
    assert.ok(nginxCatalog(v('1.25.5')).directive('server_name', 'stream-server'));
  });

  it('records changed facts as ranges: proxy_http_version accepts 2 from 1.29.4', () => {
    const before = nginxCatalog(v('1.29.3')).directive('proxy_http_version', 'location');
    const after = nginxCatalog(v('1.29.4')).directive('proxy_http_version', 'location');
    assert.deepEqual(before?.value, { kind: 'enum', values: ['1.0', '1.1'] });
    assert.deepEqual(after?.value, { kind: 'enum', values: ['1.0', '1.1', '2'] });
  });

  it('has value kinds from the handlers, and no on/off flag for an enum with the flag bit (ssl_ocsp)', () => {
    const at = nginxCatalog(v('1.24.0'));
    assert.equal(at.directive('proxy_read_timeout', 'location')?.value?.kind, 'msec');
    assert.equal(at.directive('client_max_body_size', 'location')?.value?.kind, 'off');
    assert.equal(at.directive('proxy_buffering', 'location')?.value?.kind, 'flag');
    assert.equal(at.directive('gzip_comp_level', 'location')?.value?.kind, 'num');
    assert.ok(at.directive('proxy_next_upstream', 'location')?.value?.values?.includes('non_idempotent'));
    const ocsp = at.directive('ssl_ocsp', 'server');
    assert.deepEqual(ocsp?.value?.values, ['off', 'on', 'leaf']);
    assert.equal(ocsp?.args.flag, undefined);
  });

  it('leaves out other platforms and marks optional modules', () => {
    for (const name of ['kqueue_changes', 'devpoll_events', 'iocp_threads', 'acceptex_read']) {
      assert.ok(!nginxCatalog().isKnownInAnyRelease(name), name);
    }
    assert.ok(nginxCatalog().isKnown('epoll_events'));
    assert.equal(nginxCatalog().directive('imap_capabilities', 'mail-server')?.optional, true);
    assert.equal(nginxCatalog().directive('geoip_country', 'http')?.optional, true);
    assert.equal(nginxCatalog().directive('proxy_pass', 'location')?.optional, undefined);
  });

  it('describes every directive, ours or generic, with a docs link to its module page', () => {
    for (const d of nginxCatalog().data.directives) {
      assert.ok(d.doc.length > 20, d.name);
      assert.match(d.docsUrl, /^https:\/\/nginx\.org\/en\/docs\/([a-z]+\/)?ngx_[a-z0-9_]+\.html#[a-z0-9_]+$/);
    }
    const mirror = nginxCatalog().directive('mirror', 'location')!;
    assert.match(mirror.doc, /ngx_http_mirror_module/);
    assert.equal(mirror.docsUrl, 'https://nginx.org/en/docs/http/ngx_http_mirror_module.html#mirror');
  });
});

describe('nginx images in Dockerfiles and compose files', () => {
  it('reads the nginx version from every common image form', () => {
    const cases: [string, string | undefined][] = [
      ['nginx:1.27', '1.27'],
      ['nginx:1.27.3-alpine', '1.27.3'],
      ['nginx:1.25-alpine-slim', '1.25'],
      ['docker.io/library/nginx:1.26.2', '1.26.2'],
      ['nginxinc/nginx-unprivileged:1.25', '1.25'],
      ['nginxinc/nginx-unprivileged:1.25-alpine', '1.25'],
      ['openresty/openresty:1.25.3.1-alpine', '1.25.3'],
      ['openresty/openresty:1.21.4.3-0-jammy', '1.21.4'],
      ['nginx:latest', 'latest'],
      ['nginx:mainline', 'latest'],
      ['nginx', 'latest'],
      ['nginx:stable-alpine', 'stable'],
      ['nginx:stable', 'stable'],
      ['nginx@sha256:0123abcd', 'latest'],
      ['nginx:${NGINX_VERSION}', undefined],
      ['python:3.12-slim', undefined],
      ['mynginx:1.2', undefined],
      ['bitnami/nginx:1.27.1', '1.27.1'],
    ];
    for (const [image, expected] of cases) assert.equal(nginxVersionOfImage(image), expected, image);
  });

  it('finds FROM lines and image keys with their lines', () => {
    const dockerfile =
      'FROM python:3.12 AS build\nRUN true\nFROM --platform=linux/amd64 nginx:1.24-alpine AS web\n';
    assert.deepEqual(nginxImageReferences('dockerfile', dockerfile), [
      { version: '1.24', line: 2, image: 'nginx:1.24-alpine' },
    ]);
    const compose = 'services:\n  web:\n    image: "nginx:1.26"\n  app:\n    image: python:3.12\n';
    assert.deepEqual(nginxImageReferences('compose', compose), [
      { version: '1.26', line: 2, image: 'nginx:1.26' },
    ]);
    assert.deepEqual(nginxImageReferences('procfile', 'web: nginx:1.26'), []);
  });
});

describe('nginx target version', () => {
  const found = (version: string, source = 'docker/Dockerfile:1') => ({ version, source });

  it('takes the setting first (a minor version reads as its newest release)', () => {
    const target = resolveNginxTarget('1.24', [found('1.27')], versions());
    assert.deepEqual(target.version, [1, 24, 0]);
    assert.equal(target.assumed, false);
    assert.match(target.label, /^1\.24\.0 \(from the nginxVersion setting\)$/);
    assert.deepEqual(resolveNginxTarget('1.26.1', [], versions()).version, [1, 26, 1]);
  });

  it('then the workspace image, with the file and line', () => {
    const target = resolveNginxTarget('auto', [found('1.25')], versions());
    const newest25 = versions()
      .filter((x) => x.startsWith('1.25.'))
      .pop()!;
    assert.deepEqual(target.version, v(newest25));
    assert.equal(target.assumed, false);
    assert.equal(target.label, `${newest25} (found in docker/Dockerfile:1)`);
  });

  it('reads a moving tag as the newest release, but as found, not assumed', () => {
    const target = resolveNginxTarget('auto', [found('latest', 'compose.yaml:3')], versions());
    assert.deepEqual(target.version, v(versions()[versions().length - 1]!));
    assert.equal(target.assumed, false);
    assert.match(target.label, /compose\.yaml:3/);
  });

  it('reads the stable tag as the newest release of an even minor version', () => {
    const target = resolveNginxTarget('auto', [found('stable', 'compose.yaml:3')], versions());
    const stable = versions()
      .filter((x) => Number(x.split('.')[1]) % 2 === 0)
      .pop()!;
    assert.deepEqual(target.version, v(stable));
    assert.match(target.label, /newest stable release: compose\.yaml:3 uses a moving tag/);
  });

  it('judges several different images by the newest, as an assumption', () => {
    const target = resolveNginxTarget(
      'auto',
      [found('1.24.0'), found('1.26.2', 'compose.yaml:4')],
      versions(),
    );
    assert.deepEqual(target.version, [1, 26, 2]);
    assert.equal(target.assumed, true);
    assert.match(target.label, /1\.24\.0 in docker\/Dockerfile:1/);
  });

  it('assumes the newest release when nothing says, and ignores a setting that is no version', () => {
    for (const setting of ['auto', 'newest', '']) {
      const target = resolveNginxTarget(setting, [], versions());
      assert.deepEqual(target.version, v(versions()[versions().length - 1]!));
      assert.equal(target.assumed, true);
      assert.match(target.label, /the newest release; no nginx version found/);
    }
  });
});

describe('nginx rules at a target version', () => {
  const config = 'server {\n    listen 443 ssl;\n    http2 on;\n    ssl on;\n    ssl_certificat /x.pem;\n}\n';

  function findings(text: string, target: NginxTarget | undefined): Finding[] {
    const path = '/etc/nginx/conf.d/site.conf';
    return analyzeNginxConfig(parseNginxConfig(text), {
      uri: `file://${path}`,
      path,
      gunicornVersion: [23, 0, 0],
      versionLabel: '23.0.0',
      rules: genericNginxRules,
      ...(target ? { nginxTarget: target } : {}),
    });
  }
  const summary = (list: Finding[]): string[] =>
    list.map((f) => `${f.range.start.line + 1}:${f.rule}:${f.severity}`);

  it('reports a directive added after the target, with the release and where the target came from', () => {
    const target = resolveNginxTarget(
      'auto',
      [{ version: '1.24.0', source: 'docker/Dockerfile:1' }],
      versions(),
    );
    const list = findings(config, target);
    assert.deepEqual(summary(list), ['3:nginx-directive-version:error', '5:nginx-unknown-directive:error']);
    assert.equal(
      list[0]!.message,
      '"http2" was added in nginx 1.25.1; the target is 1.24.0 (found in docker/Dockerfile:1). nginx will refuse to start.',
    );
  });

  it('reports a directive removed before the target', () => {
    const list = findings(config, resolveNginxTarget('1.26', [], versions()));
    assert.deepEqual(summary(list), ['4:nginx-directive-version:error', '5:nginx-unknown-directive:error']);
    assert.match(
      list[0]!.message,
      /"ssl" was removed in nginx 1\.25\.1; the target is 1\.26\.\d+ \(from the nginxVersion setting\)/,
    );
  });

  it('only warns when the target was assumed', () => {
    const list = findings(config, undefined);
    assert.deepEqual(summary(list), ['4:nginx-directive-version:warning', '5:nginx-unknown-directive:error']);
    assert.match(list[0]!.message, /set gunicornConfig\.nginxVersion/);
  });

  it('only warns about a newer directive a distribution backported (Debian 12 has max_headers in 1.22.1)', () => {
    const list = findings('http {\n    max_headers 100;\n}\n', resolveNginxTarget('1.22', [], versions()));
    assert.deepEqual(summary(list), ['2:nginx-directive-version:warning']);
    assert.match(
      list[0]!.message,
      /added in nginx 1\.29\.8; .*Debian 12's nginx 1\.22\.1 .* has it as a backport/,
    );
    const newer = findings('http {\n    max_headers 100;\n}\n', resolveNginxTarget('1.29.8', [], versions()));
    assert.deepEqual(summary(newer), []);
  });

  it('judges contexts and arguments by the target release', () => {
    const stream =
      'stream {\n    server {\n        listen 12345;\n        server_name db.example.com;\n        proxy_pass db:5432;\n    }\n}\n';
    const old = findings(stream, resolveNginxTarget('1.24', [], versions()));
    assert.deepEqual(summary(old), ['4:nginx-directive-context:error']);
    assert.match(old[0]!.message, /nginx accepts it from nginx 1\.25\.5 on; the target is 1\.24\.0/);
    assert.deepEqual(summary(findings(stream, resolveNginxTarget('1.26', [], versions()))), []);
    // images that disagree (1.24 and 1.26) leave the target assumed: a verdict that depends on it is a warning
    const guessed: NginxTarget = { version: [1, 24, 0], label: '1.24.0 (a guess)', assumed: true };
    assert.deepEqual(summary(findings(stream, guessed)), ['4:nginx-directive-context:warning']);
    const keepalive =
      'http {\n    upstream app {\n        server 127.0.0.1:8000;\n        keepalive 16 60s;\n    }\n}\n';
    const older = findings(keepalive, resolveNginxTarget('1.28', [], versions()));
    assert.deepEqual(summary(older), ['4:nginx-argument-count:error']);
    assert.match(older[0]!.message, /nginx accepts it from nginx 1\.29\.7 on; the target is 1\.28\.\d/);
    assert.deepEqual(summary(findings(keepalive, resolveNginxTarget('1.29.7', [], versions()))), []);
  });

  it('judges "once per block" by the target release: HTTP/2 push directives repeat freely once nginx ignores them', () => {
    const text = (line: string): string => `server {\n    listen 443 ssl;\n    ${line}\n    ${line}\n}\n`;
    const duplicates = (line: string, setting: string): string[] =>
      summary(findings(text(line), resolveNginxTarget(setting, [], versions()))).filter((s) =>
        s.includes('nginx-duplicate-directive'),
      );
    // Up to 1.25.0 the flag slot refuses a second http2_push_preload; from 1.25.1 an obsolete handler only warns.
    assert.deepEqual(duplicates('http2_push_preload on;', '1.24'), ['4:nginx-duplicate-directive:error']);
    assert.deepEqual(duplicates('http2_push_preload on;', '1.26'), []);
    assert.deepEqual(duplicates('http2_max_concurrent_pushes 10;', '1.26'), []);
    // The directives HTTP/2 and HTTP/3 brought (1.25.x) are flag slots: once per block.
    for (const line of ['http2 on;', 'http3 on;', 'quic_retry on;', 'quic_gso on;']) {
      assert.deepEqual(duplicates(line, '1.26'), ['4:nginx-duplicate-directive:error'], line);
    }
  });

  it('knows names of every release as names: no "unknown directive" for them at any target', () => {
    for (const setting of ['1.18.0', '1.22', '1.24', '1.26', 'auto']) {
      const list = findings(
        'http2_push_preload on;\nspdy_headers_comp 1;\nhttp2 on;\n',
        resolveNginxTarget(setting, [], versions()),
      );
      assert.ok(!list.some((f) => f.rule === 'nginx-unknown-directive'), setting);
    }
  });
});

describe('nginx hover and completion at a target version', () => {
  const offsetOf = (text: string, word: string): number => text.indexOf(word) + 1;

  it('hover says when a directive came and which version the file is checked against', () => {
    const text = 'server {\n    http2 on;\n}\n';
    const target = resolveNginxTarget('auto', [{ version: '1.24', source: 'Dockerfile:1' }], versions());
    const hover = nginxHover(parseNginxConfig(text), offsetOf(text, 'http2'), { workspace: {}, target })!;
    assert.match(hover.markdown, /- Since nginx 1\.25\.1/);
    assert.match(hover.markdown, /Not in nginx 1\.24\.0/);
    assert.match(hover.markdown, /Checked against nginx 1\.24\.0 \(found in Dockerfile:1\)/);
    const removed = 'server {\n    ssl on;\n}\n';
    const assumed = nginxHover(parseNginxConfig(removed), offsetOf(removed, 'ssl'), { workspace: {} })!;
    assert.match(assumed.markdown, /- Removed in nginx 1\.25\.1/);
  });

  it('completion offers the target release directives', () => {
    const text = 'server {\n    \n}\n';
    const offset = text.indexOf('    \n') + 4;
    const labels = (setting: string): string[] =>
      nginxCompletions(parseNginxConfig(text), offset, {
        workspace: {},
        target: resolveNginxTarget(setting, [], versions()),
      }).map((e) => e.label);
    assert.ok(labels('1.24').includes('ssl') && !labels('1.24').includes('http2'));
    assert.ok(labels('1.26').includes('http2') && !labels('1.26').includes('ssl'));
  });
});

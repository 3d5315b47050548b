import { strict as assert } from 'node:assert';
import {
  includeTargets,
  indexNginxWorkspace,
  NginxIndexMemo,
} from '../../server/src/languages/nginx/workspace';
import { detectLanguage, isNginxPath, parseDocument } from '../../server/src/languages/registry';

/** An in-memory workspace: path → text. */
function index(files: Record<string, string>, seeds = Object.keys(files).filter(isNginxPath)) {
  return indexNginxWorkspace({ seeds, allPaths: Object.keys(files), read: (path) => files[path] });
}

describe('nginx workspace: include following', () => {
  const paths = [
    '/w/nginx/nginx.conf',
    '/w/nginx/conf.d/a.conf',
    '/w/nginx/conf.d/b.conf',
    '/w/nginx/conf.d/readme.txt',
    '/w/nginx/sites-enabled/shop',
    '/w/nginx/snippets/proxy.conf',
    '/w/nginx/proxy_params',
    '/w/other/conf.d/c.conf',
  ];

  it('resolves relative globs against the including file and then its parents', () => {
    assert.deepEqual(includeTargets('conf.d/*.conf', '/w/nginx/nginx.conf', paths), [
      '/w/nginx/conf.d/a.conf',
      '/w/nginx/conf.d/b.conf',
    ]);
    // A site file names snippets relative to nginx's configuration directory, one level up.
    assert.deepEqual(includeTargets('snippets/proxy.conf', '/w/nginx/sites-enabled/shop', paths), [
      '/w/nginx/snippets/proxy.conf',
    ]);
    assert.deepEqual(includeTargets('proxy_params', '/w/nginx/sites-enabled/shop', paths), [
      '/w/nginx/proxy_params',
    ]);
    assert.deepEqual(includeTargets('conf.d/?.conf', '/w/nginx/nginx.conf', paths), [
      '/w/nginx/conf.d/a.conf',
      '/w/nginx/conf.d/b.conf',
    ]);
    assert.deepEqual(includeTargets('conf.d/[a].conf', '/w/nginx/nginx.conf', paths), [
      '/w/nginx/conf.d/a.conf',
    ]);
    assert.deepEqual(includeTargets('missing/*.conf', '/w/nginx/nginx.conf', paths), []);
  });

  it('matches absolute system paths by their longest tail, never by the file name alone', () => {
    assert.deepEqual(includeTargets('/etc/nginx/sites-enabled/*', '/w/nginx/nginx.conf', paths), [
      '/w/nginx/sites-enabled/shop',
    ]);
    // nginx/conf.d/*.conf matches only under nginx/, not other/conf.d.
    assert.deepEqual(includeTargets('/etc/nginx/conf.d/*.conf', '/w/nginx/nginx.conf', paths), [
      '/w/nginx/conf.d/a.conf',
      '/w/nginx/conf.d/b.conf',
    ]);
    assert.deepEqual(includeTargets('/etc/nginx/mime.types', '/w/nginx/nginx.conf', paths), []);
  });

  it("never reaches another program's conf.d through a shorter tail (supervisor's programs are no nginx files)", () => {
    const docker = ['/w/etc/nginx/nginx.conf', '/w/etc/supervisor/conf.d/web.conf', '/w/conf.d/site.conf'];
    assert.deepEqual(includeTargets('/etc/nginx/conf.d/*.conf', '/w/etc/nginx/nginx.conf', docker), [
      '/w/conf.d/site.conf',
    ]);
    assert.deepEqual(
      includeTargets('/etc/nginx/conf.d/*.conf', '/w/etc/nginx/nginx.conf', docker.slice(0, 2)),
      [],
    );
    assert.deepEqual(includeTargets('/etc/supervisor/conf.d/*.conf', '/w/etc/nginx/nginx.conf', docker), [
      '/w/etc/supervisor/conf.d/web.conf',
    ]);
  });

  it('parses an included file in the context of its include and collects upstreams from every file', () => {
    const workspace = index({
      '/w/nginx/nginx.conf':
        'events {}\nhttp {\n  include /etc/nginx/conf.d/*.conf;\n  include sites-enabled/*;\n}\n',
      '/w/nginx/conf.d/upstreams.conf': 'upstream shop { server unix:/run/shop.sock fail_timeout=0; }\n',
      '/w/nginx/sites-enabled/shop':
        'server {\n  location / {\n    include snippets/proxy.conf;\n    proxy_pass http://shop;\n  }\n}\n',
      '/w/nginx/snippets/proxy.conf': 'proxy_set_header Host $host;\n',
    });
    assert.equal(workspace.includedAt('/w/nginx/conf.d/upstreams.conf')?.context, 'http');
    assert.equal(workspace.includedAt('/w/nginx/sites-enabled/shop')?.context, 'http');
    assert.equal(workspace.includedAt('/w/nginx/sites-enabled/shop')?.line, 3);
    // Not a seed by name, but reached through the include, in the location it is included into.
    assert.equal(workspace.includedAt('/w/nginx/snippets/proxy.conf')?.context, 'location');
    assert.ok(workspace.paths.includes('/w/nginx/snippets/proxy.conf'));
    assert.equal(workspace.includedAt('/w/nginx/nginx.conf'), undefined);
    assert.deepEqual([...workspace.upstreamsOutside('/w/nginx/sites-enabled/shop')], ['shop']);
    assert.deepEqual([...workspace.upstreamsOutside('/w/nginx/conf.d/upstreams.conf')], []);
    assert.deepEqual(workspace.upstreams.get('shop')?.[0]?.servers, ['unix:/run/shop.sock']);
  });

  it('stops at include cycles and reports the include that closes one', () => {
    const workspace = index({
      '/w/nginx/nginx.conf': 'http {\n  include conf.d/a.conf;\n}\n',
      '/w/nginx/conf.d/a.conf': 'include conf.d/b.conf;\n',
      '/w/nginx/conf.d/b.conf': 'include conf.d/a.conf;\n',
    });
    assert.equal(workspace.cycles.length, 1);
    assert.equal(workspace.cycles[0]!.from, '/w/nginx/conf.d/b.conf');
    assert.equal(workspace.includedAt('/w/nginx/conf.d/b.conf')?.context, 'http');
    const self = index({ '/w/nginx/nginx.conf': 'include nginx.conf;\n' });
    assert.equal(self.cycles.length, 1);
  });

  it('survives unreadable files, empty include arguments and binary junk', () => {
    const workspace = index(
      {
        '/w/nginx/nginx.conf': 'include ;\ninclude "";\ninclude conf.d/*.conf;\n',
        '/w/nginx/conf.d/x.conf': '\u0000\u0001binary',
      },
      ['/w/nginx/nginx.conf', '/w/nginx/gone.conf'],
    );
    assert.ok(workspace.paths.includes('/w/nginx/conf.d/x.conf'));
    assert.ok(!workspace.paths.includes('/w/nginx/gone.conf'));
  });

  it('matches nothing with a bracket expression JavaScript rejects, instead of throwing (fuzz)', () => {
    // `[b-a]` became an invalid RegExp and `new RegExp` threw out of indexNginxWorkspace.
    assert.deepEqual(
      includeTargets('conf.d/[b-a].conf', '/w/nginx/nginx.conf', ['/w/nginx/conf.d/a.conf']),
      [],
    );
    const workspace = index({
      '/w/nginx/nginx.conf': 'http { include conf.d/[b-a].conf; include conf.d/[a].conf; }\n',
      '/w/nginx/conf.d/a.conf': 'upstream shop { server unix:/run/shop.sock; }\n',
    });
    assert.equal(workspace.includedAt('/w/nginx/conf.d/a.conf')?.context, 'http');
  });
});

describe('nginx file detection', () => {
  it('knows nginx files by path and by language id, and leaves unit drop-ins to systemd', () => {
    for (const path of [
      '/etc/nginx/nginx.conf',
      '/srv/deploy/shop.nginx',
      '/srv/nginx/snippets/headers.conf',
      '/etc/nginx/sites-available/shop',
      '/etc/nginx/sites-enabled/default',
      '/etc/nginx/conf.d/shop.conf',
      'C:\\deploy\\nginx\\site.conf',
    ]) {
      assert.equal(detectLanguage(path), 'nginx', path);
    }
    assert.equal(detectLanguage('/etc/systemd/system/shop.service.d/override.conf'), 'systemd');
    assert.equal(detectLanguage('/srv/shop/gunicorn.conf.py'), 'gunicorn');
    assert.equal(detectLanguage('/etc/nginx/proxy_params', 'nginx'), 'nginx');
    assert.equal(detectLanguage('/srv/nginx/gunicorn.conf.py', 'python'), 'gunicorn');
  });
});

describe('nginx-include-cycle', () => {
  it('reports the include that closes a cycle, in the file that holds it', () => {
    const files: Record<string, string> = {
      '/w/nginx/nginx.conf': 'events {}\nhttp {\n  include conf.d/a.conf;\n}\n',
      '/w/nginx/conf.d/a.conf': 'include conf.d/b.conf;\n',
      '/w/nginx/conf.d/b.conf': '# loops back\ninclude conf.d/a.conf;\n',
    };
    const workspace = index(files);
    const findings = (path: string) =>
      parseDocument('nginx', files[path]!, {
        nginxRootContext: workspace.includedAt(path)?.context ?? 'main',
      })
        .analyze({
          uri: `file://${path}`,
          path,
          version: [23, 0, 0],
          versionLabel: '23.0.0',
          nginxWorkspace: workspace.factsFor(path),
        })
        .filter((f) => f.rule === 'nginx-include-cycle');
    const cycle = findings('/w/nginx/conf.d/b.conf');
    assert.equal(cycle.length, 1);
    assert.equal(cycle[0]!.range.start.line, 1);
    assert.match(cycle[0]!.message, /a\.conf/);
    assert.deepEqual(findings('/w/nginx/conf.d/a.conf'), []);
    assert.deepEqual(findings('/w/nginx/nginx.conf'), []);
  });
});

describe('nginx workspace: the index kept between builds', () => {
  const files: Record<string, string> = {
    '/w/nginx/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
    '/w/nginx/conf.d/a.conf': 'upstream app { server 127.0.0.1:8000; }\n',
    '/w/app/gunicorn.conf.py': 'workers = 2\n',
  };
  const input = (texts: Record<string, string>, seeds = ['/w/nginx/nginx.conf']) => ({
    seeds,
    allPaths: Object.keys(texts),
    read: (path: string) => texts[path],
  });

  it('is made again only when a file it read, its seeds or the listing change', () => {
    const memo = new NginxIndexMemo();
    const first = memo.index(input(files));
    assert.deepEqual([...first.upstreams.keys()], ['app']);
    // Another file of the workspace changed: the same index.
    assert.equal(memo.index(input({ ...files, '/w/app/gunicorn.conf.py': 'workers = 3\n' })), first);
    // An included file changed: a new index that sees the change.
    const renamed = { ...files, '/w/nginx/conf.d/a.conf': 'upstream api { server 127.0.0.1:8000; }\n' };
    const second = memo.index(input(renamed));
    assert.notEqual(second, first);
    assert.deepEqual([...second.upstreams.keys()], ['api']);
    // A new file in the listing (an include glob may now match it), and other seeds: new indexes.
    const added = { ...renamed, '/w/nginx/conf.d/b.conf': 'upstream web { server 127.0.0.1:8001; }\n' };
    const third = memo.index(input(added));
    assert.deepEqual([...third.upstreams.keys()].sort(), ['api', 'web']);
    assert.notEqual(memo.index(input(added, ['/w/nginx/conf.d/a.conf'])), third);
  });

  it('sees a file appended to the same listing array', () => {
    const memo = new NginxIndexMemo();
    const texts: Record<string, string> = { ...files };
    const allPaths = Object.keys(texts);
    const read = (path: string): string | undefined => texts[path];
    const seeds = ['/w/nginx/nginx.conf'];
    const first = memo.index({ seeds, allPaths, read });
    // The workspace index appends a created file to the array it already handed out.
    texts['/w/nginx/conf.d/b.conf'] = 'upstream web { server 127.0.0.1:8001; }\n';
    allPaths.push('/w/nginx/conf.d/b.conf');
    const second = memo.index({ seeds, allPaths, read });
    assert.notEqual(second, first);
    assert.deepEqual([...second.upstreams.keys()].sort(), ['app', 'web']);
  });
});

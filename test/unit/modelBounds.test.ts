// The deployment model's bound: the files nearest the open ones are modelled first, and what is left out is said.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_MODELLED_SOURCES } from '../../server/src/deployment/model';
import { nearestFirst, nearestSlice, sharedDepth } from '../../server/src/deployment/nearness';
import type { SourceKind, WorkspaceSource } from '../../server/src/deployment/types';
import { buildDeployment, FIRST_LOOK_SOURCES } from '../../server/src/lsp/deploymentBuild';

const OPTIONS = { version: [23, 0, 0] as [number, number, number], versionLabel: '23.0.0' };
const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'deployment');

const source = (path: string, kind: SourceKind, text = ''): WorkspaceSource => ({
  uri: pathToFileURL(path).href,
  path,
  kind,
  text,
});

/** `copies` copies of examples/deployment (a socket-activated app: config, service, socket, nginx site). */
function copies(count: number): WorkspaceSource[] {
  const files: [string, SourceKind][] = [
    ['gunicorn.conf.py', 'gunicorn'],
    ['deploy/shop.service', 'systemd'],
    ['deploy/shop.socket', 'systemd'],
    ['deploy/shop.nginx', 'nginx'],
    ['requirements.txt', 'dependencies'],
  ];
  const texts = files.map(([path]) => readFileSync(join(EXAMPLE, path), 'utf8'));
  const out: WorkspaceSource[] = [];
  for (let i = 0; i < count; i++) {
    files.forEach(([path, kind], n) => out.push(source(`/ws/svc${i}/${path}`, kind, texts[n])));
  }
  return out;
}

describe('deployment model bounds', () => {
  it('orders the open files first, then the files they name, then by the folder they share', () => {
    const ordered = nearestFirst(
      [
        source('/ws/other/app.service', 'systemd'),
        source('/ws/a/b/deploy/app.socket', 'systemd'),
        source('/ws/a/x.conf.py', 'gunicorn'),
        source('/ws/far/named.conf.py', 'gunicorn'),
        source(
          '/ws/a/b/app.service',
          'systemd',
          'ExecStart=/venv/bin/gunicorn -c /srv/named.conf.py app:app\n',
        ),
        source('/ws/zz/app.sh', 'shell'),
      ],
      ['/ws/a/b/app.service'],
    );
    assert.deepEqual(
      ordered.map((s) => s.path),
      [
        '/ws/a/b/app.service',
        '/ws/far/named.conf.py',
        '/ws/a/b/deploy/app.socket',
        '/ws/a/x.conf.py',
        '/ws/other/app.service',
        '/ws/zz/app.sh',
      ],
    );
  });

  it('counts only the nearest of the files a name stands for as named', () => {
    const ordered = nearestFirst(
      [
        source('/ws/b/deploy/app.socket', 'systemd'),
        source('/ws/a/deploy/app.socket', 'systemd'),
        source('/ws/a/app.service', 'systemd', 'Requires=app.socket\n'),
        source('/ws/a/deploy/other.conf', 'nginx'),
      ],
      ['/ws/a/app.service'],
    );
    assert.deepEqual(
      ordered.map((s) => s.path),
      ['/ws/a/app.service', '/ws/a/deploy/app.socket', '/ws/a/deploy/other.conf', '/ws/b/deploy/app.socket'],
    );
  });

  it('keeps each folder’s files together among equally near files (whole deployments, not every top file)', () => {
    // The workspace lists each copy's top files before any copy's deploy/ folder.
    const ordered = nearestFirst(
      [
        source('/ws/svc0/gunicorn.conf.py', 'gunicorn'),
        source('/ws/svc1/gunicorn.conf.py', 'gunicorn'),
        source('/ws/svc2/gunicorn.conf.py', 'gunicorn'),
        source('/ws/svc0/deploy/shop.service', 'systemd'),
        source('/ws/svc1/deploy/shop.service', 'systemd'),
        source('/ws/svc2/deploy/shop.service', 'systemd'),
      ],
      ['/ws/svc2/gunicorn.conf.py'],
    );
    assert.deepEqual(
      ordered.map((s) => s.path),
      [
        '/ws/svc2/gunicorn.conf.py',
        '/ws/svc2/deploy/shop.service',
        '/ws/svc0/gunicorn.conf.py',
        '/ws/svc0/deploy/shop.service',
        '/ws/svc1/gunicorn.conf.py',
        '/ws/svc1/deploy/shop.service',
      ],
    );
  });

  it('orders again when an open file’s edit names another file, and reuses the order otherwise', () => {
    const files = [
      source('/ws/far/deploy/special.socket', 'systemd'),
      source('/ws/app/deploy/app.service', 'systemd'),
      source('/ws/app/gunicorn.conf.py', 'gunicorn', 'workers = 2\n'),
    ];
    const open = ['/ws/app/gunicorn.conf.py'];
    const paths = (sources: WorkspaceSource[]) => sources.map((s) => s.path);
    const first = paths(nearestFirst(files, open));
    assert.deepEqual(first, [
      '/ws/app/gunicorn.conf.py',
      '/ws/app/deploy/app.service',
      '/ws/far/deploy/special.socket',
    ]);
    // The editor's new text of the open file is a new source object: same names named, same order.
    const edited = [files[0]!, files[1]!, source('/ws/app/gunicorn.conf.py', 'gunicorn', 'workers = 3\n')];
    assert.deepEqual(paths(nearestFirst(edited, open)), first);
    // Now it names the far socket: that file comes right after the open one.
    const naming = [
      files[0]!,
      files[1]!,
      source('/ws/app/gunicorn.conf.py', 'gunicorn', '# special.socket\n'),
    ];
    assert.deepEqual(paths(nearestFirst(naming, open)), [
      '/ws/app/gunicorn.conf.py',
      '/ws/far/deploy/special.socket',
      '/ws/app/deploy/app.service',
    ]);
    // The order hands out the objects it was given, not the ones of an earlier call.
    assert.equal(nearestFirst(naming, open)[0], naming[2]);
  });

  it('counts shared folders segment by segment, never a part of a name', () => {
    const cases: [string, string, number][] = [
      ['/srv/app', '/srv/db', 2],
      ['/srv/app', '/srv/app', 3],
      ['/srv', '/srv/app', 2],
      // "/sr" is not a folder of "/srv": only the root is shared.
      ['/sr', '/srv', 1],
      ['/srv/app2', '/srv/app', 2],
      ['', '/srv', 1],
      ['', '', 1],
      ['/srv/', '/srv/', 3],
      ['/srv/', '/srv', 2],
      ['srv/app', 'srv/app', 2],
      ['srv', 'etc', 0],
    ];
    for (const [a, b, shared] of cases) {
      assert.equal(sharedDepth(a, b), shared, `${a} | ${b}`);
      assert.equal(sharedDepth(b, a), shared, `${b} | ${a}`);
    }
  });

  it('keeps files without a folder apart when they are equally near', () => {
    // Relative names with no folder at all: each is a branch of its own, so they keep their order among the rest.
    const sources = ['b.service', 'y/c.service', 'a.service', 'y/d.service'].map((path) =>
      source(path, 'systemd'),
    );
    assert.deepEqual(
      nearestFirst(sources, ['x/open.service']).map((s) => s.path),
      ['b.service', 'y/c.service', 'y/d.service', 'a.service'],
    );
  });

  it('keeps the order when nothing is open', () => {
    const sources = copies(2);
    assert.deepEqual(nearestFirst(sources, []), sources);
  });

  it('models the open file’s own deployment past the bound and says how many files it left out', function () {
    this.timeout(60_000);
    const count = Math.ceil(MAX_MODELLED_SOURCES / 5) + 4;
    const sources = copies(count);
    // The last copy comes last in the workspace's order: a bound taken in that order would drop it.
    const open = `/ws/svc${count - 1}/gunicorn.conf.py`;
    const result = buildDeployment({ sources, options: OPTIONS, allPaths: [], openPaths: [open] });
    const findings = result.open.find((file) => file.path === open)?.findings ?? [];
    assert.ok(findings.some((f) => f.rule === 'bind-ignored-by-socket-activation'));
    assert.equal(result.bounds.leftOut, sources.length - MAX_MODELLED_SOURCES);
    assert.equal(result.bounds.modelled, MAX_MODELLED_SOURCES);
    assert.ok(result.bounds.examples.length > 0);
    assert.ok(result.bounds.examples.every((path) => !path.startsWith(`/ws/svc${count - 1}/`)));
  });

  it('takes a first look at the nearest files and the folders above the open one, whatever their place', () => {
    const sources = copies(10);
    // A project file above the open config, listed last (a listing in another order, or a file created later).
    const above = source('/ws/requirements.txt', 'dependencies', 'gunicorn==23.0.0\n');
    const elsewhere = source('/ws/svc0/extra/requirements.txt', 'dependencies', 'flask\n');
    const all = [...sources, elsewhere, above];
    const open = '/ws/svc9/gunicorn.conf.py';
    const slice = nearestSlice(all, [open], 7);
    const paths = slice.map((s) => s.path);
    assert.deepEqual(
      paths.slice(0, 5).sort(),
      sources
        .slice(45)
        .map((s) => s.path)
        .sort(),
      'its own copy first',
    );
    assert.ok(paths.includes('/ws/requirements.txt'), 'the file in a folder above it');
    assert.ok(!paths.includes('/ws/svc0/extra/requirements.txt'), 'not a far file past the count');
    assert.equal(slice.length, 8, 'the count, and the one file above it');
  });

  it('gives the open file the same findings from its first look as from the whole model', function () {
    this.timeout(60_000);
    const count = Math.ceil(FIRST_LOOK_SOURCES / 5) * 3;
    const sources = copies(count);
    const open = `/ws/svc${count - 1}/gunicorn.conf.py`;
    const input = { sources, options: OPTIONS, allPaths: sources.map((s) => s.path), openPaths: [open] };
    const first = buildDeployment({ ...input, nearestOnly: FIRST_LOOK_SOURCES });
    const whole = buildDeployment(input);
    assert.ok(first.bounds.modelled < whole.bounds.modelled / 2, JSON.stringify(first.bounds));
    const ofOpen = (result: typeof first) => result.open.find((file) => file.path === open);
    assert.ok(ofOpen(first)?.findings.some((f) => f.rule === 'bind-ignored-by-socket-activation'));
    assert.deepEqual(ofOpen(first), ofOpen(whole));
  });

  it('leaves nothing out below the bound', () => {
    const result = buildDeployment({
      sources: copies(3),
      options: OPTIONS,
      allPaths: [],
      openPaths: ['/ws/svc0/gunicorn.conf.py'],
    });
    assert.deepEqual(result.bounds, { modelled: 15, leftOut: 0, examples: [] });
  });
});

// Findings wanted for a few files only (the server's open files): rules judge only the deployments that can put a
// finding there, and each of those files gets exactly the findings a whole-workspace run gives it.

import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { fixtureWorkspaces } from '../helpers/folderSources';

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

function build(sources: readonly WorkspaceSource[], findingsFor?: readonly string[]): DeploymentModel {
  return buildDeploymentModel(
    sources,
    { version: [23, 0, 0], versionLabel: '23.0.0' },
    { paths: sources.map((s) => s.path) },
    findingsFor && new Set(findingsFor),
  );
}

const UNIT = (stop: string): string => `[Unit]
Requires=app.socket

[Service]
Type=notify
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app.wsgi:application
TimeoutStopSec=${stop}
`;

const SOCKET = (listen: string): string => `[Socket]
ListenStream=${listen}
`;

const NGINX = `user www-data;
events {}
http {
    proxy_read_timeout 20s;
    include sites/*.conf;
}
`;

const SITE = (socket: string): string => `server {
    listen 80;
    location / {
        proxy_pass http://unix:${socket};
    }
}
`;

/** Two projects of one workspace with units of the same names, each with its own socket and stop timeout. */
function twoProjects(): WorkspaceSource[] {
  const project = (name: string, stop: string): WorkspaceSource[] => [
    source(`/w/${name}/deploy/app.service`, UNIT(stop)),
    source(`/w/${name}/deploy/app.socket`, SOCKET(`/run/${name}.sock`)),
    source(`/w/${name}/gunicorn.conf.py`, 'graceful_timeout = 30\ntimeout = 60\n'),
    source(`/w/${name}/deploy/nginx/nginx.conf`, NGINX),
    source(`/w/${name}/deploy/nginx/sites/app.conf`, SITE(`/run/${name}.sock`)),
  ];
  return [...project('alpha', '10s'), ...project('beta', '120s')];
}

function findingsIn(model: DeploymentModel, uri: string): Finding[] {
  return model.findings.get(uri) ?? [];
}

/** Workspaces to compare on: the fixture folders, the example deployment, and the two projects above. */
function workspaces(): { name: string; sources: WorkspaceSource[] }[] {
  return [...fixtureWorkspaces(), { name: 'two projects', sources: twoProjects() }];
}

describe('deployment findings wanted for some files only', () => {
  it('gives each file, wanted alone, the findings a whole-workspace run gives it', () => {
    let compared = 0;
    for (const { name, sources } of workspaces()) {
      const whole = build(sources);
      for (const file of sources) {
        const focused = build(sources, [file.uri]);
        assert.deepEqual(findingsIn(focused, file.uri), findingsIn(whole, file.uri), `${name}: ${file.path}`);
        if (findingsIn(whole, file.uri).length) compared++;
      }
    }
    // The comparison means something only where there are findings to lose.
    assert.ok(compared >= 10, `only ${compared} files with findings compared`);
  });

  it('judges only the deployments of the wanted files', () => {
    const sources = twoProjects();
    const whole = build(sources);
    const betaSite = 'file:///w/beta/deploy/nginx/nginx.conf';
    assert.ok(findingsIn(whole, betaSite).length, 'beta has a finding of its own to leave out');
    const focused = build(sources, ['file:///w/alpha/gunicorn.conf.py']);
    assert.deepEqual(findingsIn(focused, betaSite), []);
    assert.ok(findingsIn(focused, 'file:///w/alpha/gunicorn.conf.py').length);
  });

  it('keeps a finding in an nginx file that only holds what the proxied site inherits', () => {
    const sources = twoProjects();
    const main = 'file:///w/alpha/deploy/nginx/nginx.conf';
    const whole = findingsIn(build(sources), main).map((f) => f.rule);
    assert.deepEqual(whole, ['proxy-read-timeout-short']);
    assert.deepEqual(
      findingsIn(build(sources, [main]), main).map((f) => f.rule),
      whole,
    );
  });
});

describe('units of one name in different folders', () => {
  it('are different units: each service has its own socket and settings', () => {
    const model = build(twoProjects());
    const launched = model.deployments.filter((d) => d.service);
    assert.equal(launched.length, 2);
    for (const deployment of launched) {
      const project = /\/w\/(\w+)\//.exec(deployment.launch!.path)![1];
      assert.deepEqual(
        deployment.service!.view.files.map((f) => f.path),
        [`/w/${project}/deploy/app.service`],
      );
      assert.deepEqual(
        deployment.sockets.map((s) => s.unit.path),
        [`/w/${project}/deploy/app.socket`],
      );
    }
    // alpha stops after 10 s, beta after 120 s: only alpha's graceful_timeout of 30 s is cut short.
    const stops = [...model.findings]
      .flatMap(([uri, list]) => list.map((f) => [uri, f.rule]))
      .filter(([, rule]) => rule === 'stop-timeout-below-graceful');
    assert.deepEqual(stops, [['file:///w/alpha/gunicorn.conf.py', 'stop-timeout-below-graceful']]);
  });

  it('adds a drop-in to the nearest unit of its name only', () => {
    const sources = [
      ...twoProjects(),
      source('/w/beta/deploy/app.service.d/override.conf', '[Service]\nTimeoutStopSec=5s\n'),
    ];
    const model = build(sources);
    const beta = model.deployments.find((d) => d.launch?.path.startsWith('/w/beta/'))!;
    const alpha = model.deployments.find((d) => d.launch?.path.startsWith('/w/alpha/'))!;
    assert.deepEqual(
      beta.service!.view.files.map((f) => f.path),
      ['/w/beta/deploy/app.service', '/w/beta/deploy/app.service.d/override.conf'],
    );
    assert.deepEqual(
      alpha.service!.view.files.map((f) => f.path),
      ['/w/alpha/deploy/app.service'],
    );
  });
});

describe('upstreams of one name in different folders', () => {
  const site = (socket: string): string => `upstream app {
    server unix:${socket};
}
server {
    listen 80;
    location / {
        proxy_pass http://app;
    }
}
`;
  const project = (name: string): WorkspaceSource[] => [
    source(`/w/${name}/deploy/app.service`, UNIT('90s').replace('Requires=app.socket\n', '')),
    source(`/w/${name}/gunicorn.conf.py`, `bind = "unix:/run/${name}.sock"\n`),
    source(`/w/${name}/deploy/nginx/sites/app.conf`, site(`/run/${name}.sock`)),
  ];

  it("are each project's own: a pass reaches the upstream of its own folder tree", () => {
    const model = build([...project('alpha'), ...project('beta')]);
    for (const name of ['alpha', 'beta']) {
      const deployment = model.deployments.find((d) => d.launch?.path.startsWith(`/w/${name}/`))!;
      assert.deepEqual(
        deployment.nginx.map((t) => [t.file.path, t.site.file.path]),
        [[`/w/${name}/deploy/nginx/sites/app.conf`, `/w/${name}/deploy/nginx/sites/app.conf`]],
      );
    }
    // beta's pass no longer goes to alpha's upstream (and so to an address nothing of beta's listens on).
    assert.deepEqual(
      [...model.findings.values()].flat().map((f) => f.rule),
      [],
    );
  });
});

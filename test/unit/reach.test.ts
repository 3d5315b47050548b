// Which Gunicorn deployments an nginx pass reaches: by address, and among several on one address, the nearest ones.

import { strict as assert } from 'node:assert';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

const site = (address: string) =>
  `server {\n    listen 80;\n    location / {\n        proxy_pass http://${address};\n    }\n}\n`;

/** The nginx files whose passes reach the deployment of each config, by config path. */
function reachedFrom(model: DeploymentModel): Record<string, string[]> {
  return Object.fromEntries(
    model.deployments
      .filter((d) => d.config)
      .map((d) => [d.config!.path, [...new Set(d.nginx.map((t) => t.file.path))].sort()]),
  );
}

const build = (sources: WorkspaceSource[]) =>
  buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });

describe('nginx passes → deployments', () => {
  it('gives each project its own nginx when copies of a service listen on one socket', () => {
    const model = build([
      source('/ws/shop/gunicorn.conf.py', 'bind = "unix:/run/app.sock"\n'),
      source('/ws/shop/deploy/site.nginx', site('unix:/run/app.sock')),
      source('/ws/blog/gunicorn.conf.py', 'bind = "unix:/run/app.sock"\n'),
      source('/ws/blog/deploy/site.nginx', site('unix:/run/app.sock')),
    ]);
    assert.deepEqual(reachedFrom(model), {
      '/ws/shop/gunicorn.conf.py': ['/ws/shop/deploy/site.nginx'],
      '/ws/blog/gunicorn.conf.py': ['/ws/blog/deploy/site.nginx'],
    });
  });

  it('keeps every deployment on the address when none is nearer the nginx file', () => {
    const model = build([
      source('/ws/shop/gunicorn.conf.py', 'bind = "127.0.0.1:8000"\n'),
      source('/ws/blog/gunicorn.conf.py', 'bind = "0.0.0.0:8000"\n'),
      source('/ws/nginx/site.conf', site('localhost:8000')),
      source('/ws/api/gunicorn.conf.py', 'bind = "127.0.0.1:9000"\n'),
    ]);
    assert.deepEqual(reachedFrom(model), {
      '/ws/shop/gunicorn.conf.py': ['/ws/nginx/site.conf'],
      '/ws/blog/gunicorn.conf.py': ['/ws/nginx/site.conf'],
      '/ws/api/gunicorn.conf.py': [],
    });
  });
});

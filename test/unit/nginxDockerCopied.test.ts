// nginx files by where a Dockerfile copies them: configuration in nginx's folder counts, whatever its name; other
// files there (passwords, certificates) and copies elsewhere do not.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDeployment } from '../../server/src/lsp/deploymentBuild';
import { dockerfilesIn, nginxFilesCopiedByDockerfiles } from '../../server/src/languages/nginx/dockerCopied';

/** The files copied into nginx's folder by the workspace's Dockerfiles, relative to `root`. */
function copied(files: Record<string, string>, root = '/w'): string[] {
  const all = Object.keys(files);
  return nginxFilesCopiedByDockerfiles(dockerfilesIn(all), all, (path) => files[path])
    .map((path) => path.slice(root.length + 1))
    .sort();
}

describe('nginx files a Dockerfile copies into nginx', () => {
  it('takes a template copied by name, and leaves params, passwords and files copied elsewhere', () => {
    const files = {
      '/w/proxy/Dockerfile': [
        'FROM nginx:1.27-alpine',
        'COPY ./default.conf.tpl /etc/nginx/default.conf.tpl',
        'COPY ./uwsgi_params /etc/nginx/uwsgi_params',
        'COPY .htpasswd /etc/nginx/.htpasswd',
        'COPY ./run.sh /run.sh',
        'COPY ./app.conf /srv/app.conf',
      ].join('\n'),
      '/w/proxy/default.conf.tpl': 'server {}\n',
      '/w/proxy/uwsgi_params': 'uwsgi_param QUERY_STRING $query_string;\n',
      '/w/proxy/.htpasswd': 'admin:$apr1$x\n',
      '/w/proxy/run.sh': '#!/bin/sh\n',
      '/w/proxy/app.conf': 'server {}\n',
    };
    assert.deepEqual(copied(files), ['proxy/default.conf.tpl']);
  });

  it('takes a file renamed on the way (a .conf or a site), a folder’s configuration files and a glob’s matches', () => {
    const files = {
      '/w/Dockerfile': [
        'FROM nginx:stable',
        'COPY deploy/site /etc/nginx/conf.d/site.conf',
        'COPY deploy/shop /etc/nginx/sites-enabled/shop',
        'COPY nginx/ /etc/nginx/',
        'COPY extra/*.conf /etc/nginx/conf.d/',
      ].join('\n'),
      '/w/deploy/site': 'server {}\n',
      '/w/deploy/shop': 'server {}\n',
      '/w/nginx/snippets/headers.conf': 'add_header X-Frame-Options DENY;\n',
      '/w/nginx/certs/site.pem': '-----BEGIN CERTIFICATE-----\n',
      '/w/extra/a.conf': 'server {}\n',
      '/w/extra/b.conf': 'server {}\n',
      '/w/extra/readme.md': '# notes\n',
    };
    assert.deepEqual(copied(files), [
      'deploy/shop',
      'deploy/site',
      'extra/a.conf',
      'extra/b.conf',
      'nginx/snippets/headers.conf',
    ]);
  });

  it("reads only the final stage, resolves sources in the Dockerfile's folder and guesses no missing file", () => {
    const files = {
      '/w/proxy/Dockerfile': [
        'FROM node:22 AS build',
        'COPY builder.conf /etc/nginx/conf.d/builder.conf',
        'FROM nginx:1.27',
        'COPY site.conf /etc/nginx/conf.d/site.conf',
        'COPY missing.conf /etc/nginx/conf.d/missing.conf',
      ].join('\n'),
      '/w/proxy/builder.conf': 'server {}\n',
      '/w/proxy/site.conf': 'server {}\n',
      '/w/site.conf': 'server {}\n',
    };
    assert.deepEqual(copied(files), ['proxy/site.conf']);
  });

  it('writes the paths as the listing does, Windows ones included', () => {
    const files = {
      'C:\\w\\proxy\\Dockerfile':
        'FROM nginx\nCOPY default.conf.template /etc/nginx/templates/default.conf.template\n',
      'C:\\w\\proxy\\default.conf.template': 'server {}\n',
    };
    assert.deepEqual(
      nginxFilesCopiedByDockerfiles(
        dockerfilesIn(Object.keys(files)),
        Object.keys(files),
        (p) => files[p as keyof typeof files],
      ),
      ['C:\\w\\proxy\\default.conf.template'],
    );
  });

  it('finds nothing without a Dockerfile, and never throws on junk', () => {
    assert.deepEqual(copied({ '/w/nginx/site.conf': 'server {}\n' }), []);
    const junk = {
      '/w/Dockerfile': 'COPY\nCOPY a\nCOPY ["broken\nCOPY --from=x a /etc/nginx/a.conf\n\u0000\u0001',
    };
    assert.deepEqual(copied(junk), []);
  });

  it("the server's model indexes such a file as nginx: its facts reach the editor", () => {
    const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'deployments', 'proxy-template');
    const names = [
      'Dockerfile',
      'docker-compose.yml',
      'requirements.txt',
      'proxy/Dockerfile',
      'proxy/site.conf.tpl',
    ];
    const paths = names.map((name) => join(dir, name));
    const kinds = {
      Dockerfile: 'dockerfile',
      'docker-compose.yml': 'compose',
      'proxy/Dockerfile': 'dockerfile',
    };
    const sources = Object.entries(kinds).map(([name, kind]) => ({
      uri: pathToFileURL(join(dir, name)).href,
      path: join(dir, name),
      kind: kind as 'dockerfile' | 'compose',
      text: readFileSync(join(dir, name), 'utf8'),
    }));
    const built = buildDeployment({
      sources,
      options: { version: [23, 0, 0], versionLabel: '23.0.0' },
      allPaths: paths,
      openPaths: [],
    });
    assert.deepEqual(
      built.nginx.map((file) => file.path),
      [join(dir, 'proxy', 'site.conf.tpl')],
    );
  });
});

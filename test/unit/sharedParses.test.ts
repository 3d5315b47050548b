// Parses shared between the passes of one CLI run: reused only for the same file, parse options and text.

import { strict as assert } from 'node:assert';
import { ParseShare, sharedParse, sharedParseOfText } from '../../server/src/core/sharedParses';
import { indexNginxWorkspace } from '../../server/src/languages/nginx/workspace';
import { parseNginxFile } from '../../server/src/languages/nginx/parse';
import { parseDocument, type DocumentContext } from '../../server/src/languages/registry';
import { parseUnitFileOf } from '../../server/src/languages/systemd/parse';

/** A parse that says how often it ran. */
function counting(): { parse: () => object; count: () => number } {
  let runs = 0;
  return {
    parse: () => ({ run: ++runs }),
    count: () => runs,
  };
}

describe('shared parses', () => {
  it('outside a share (the language server), keeps a file’s parse across builds while its text stays', () => {
    const { parse, count } = counting();
    const a = sharedParse('nginx:', '/w/kept.conf', 'server {}', parse);
    assert.equal(sharedParse('nginx:', '/w/kept.conf', 'server {}', parse), a);
    // Another file with the same text has its own parse: memos keyed on a parse's objects must not mix files up.
    assert.notEqual(sharedParse('nginx:', '/w/copy.conf', 'server {}', parse), a);
    // An edit replaces the file's parse; another root context is another parse.
    const edited = sharedParse('nginx:', '/w/kept.conf', 'server { }', parse);
    assert.notEqual(edited, a);
    assert.notEqual(sharedParse('nginx:http', '/w/kept.conf', 'server { }', parse), edited);
    assert.equal(sharedParse('nginx:', '/w/kept.conf', 'server { }', parse), edited);
    assert.equal(count(), 4);
    // Without a path, nothing is kept.
    assert.notEqual(
      sharedParse('nginx:', undefined, 'x', parse),
      sharedParse('nginx:', undefined, 'x', parse),
    );
  });

  it('reuses a kept parse only for the same kind, file and text', () => {
    const share = new ParseShare();
    const { parse, count } = counting();
    share.keep(() => {
      const first = sharedParse('nginx:', '/w/site.conf', 'server {}', parse);
      assert.equal(sharedParse('nginx:', '/w/site.conf', 'server {}', parse), first);
      // Another text of the file (an overlay), another file, another root context: each its own parse.
      assert.notEqual(sharedParse('nginx:', '/w/site.conf', 'server { }', parse), first);
      assert.notEqual(sharedParse('nginx:', '/w/other.conf', 'server {}', parse), first);
      assert.notEqual(sharedParse('nginx:http', '/w/site.conf', 'server {}', parse), first);
      // Without a path nothing is shared.
      assert.notEqual(
        sharedParse('nginx:', undefined, 'server {}', parse),
        sharedParse('nginx:', undefined, 'server {}', parse),
      );
    });
    assert.equal(count(), 6);
  });

  it('hands a kept parse to the last pass once, and keeps nothing that pass parses', () => {
    const share = new ParseShare();
    const { parse, count } = counting();
    const kept = share.keep(() => sharedParse('systemd', '/w/app.service', '[Service]\n', parse));
    assert.equal(share.size, 1);
    const taken = share.take(() => sharedParse('systemd', '/w/app.service', '[Service]\n', parse));
    assert.equal(taken, kept);
    assert.equal(share.size, 0, 'let go once taken');
    share.take(() => sharedParse('systemd', '/w/app.service', '[Service]\n', parse));
    assert.equal(share.size, 0);
    assert.equal(count(), 2);
  });

  it('shares parses by text alone only where asked, and keeps them to the end of the run', () => {
    const share = new ParseShare();
    const { parse, count } = counting();
    const kept = share.keep(() => sharedParseOfText('gunicorn', 'workers = 2\n', parse));
    assert.equal(
      share.take(() => sharedParseOfText('gunicorn', 'workers = 2\n', parse)),
      kept,
    );
    assert.equal(
      share.take(() => sharedParseOfText('gunicorn', 'workers = 2\n', parse)),
      kept,
    );
    assert.equal(count(), 1);
  });

  it('is off again after its work ends, also when the work throws', () => {
    const share = new ParseShare();
    assert.throws(() =>
      share.keep(() => {
        throw new Error('read failure');
      }),
    );
    const { parse } = counting();
    sharedParse('nginx:', '/w/a.conf', 'x', parse);
    assert.equal(share.size, 0, 'a parse after the work is not the share’s');
  });

  it('gives the language parses the same models for the same file and text', () => {
    const share = new ParseShare();
    share.keep(() => {
      const unit = parseUnitFileOf('/w/app.service', '[Service]\nExecStart=/bin/true\n');
      assert.equal(parseUnitFileOf('/w/app.service', '[Service]\nExecStart=/bin/true\n'), unit);
      const site = parseNginxFile('/w/site.conf', 'server { listen 80; }\n', { rootContext: 'http' });
      assert.equal(parseNginxFile('/w/site.conf', 'server { listen 80; }\n', { rootContext: 'http' }), site);
      assert.notEqual(parseNginxFile('/w/site.conf', 'server { listen 80; }\n'), site);
    });
  });
});

describe('shared parses: findings as without sharing', () => {
  const files: Record<string, string> = {
    '/w/nginx/nginx.conf': 'events {}\nhttp {\n    include sites-enabled/*;\n}\n',
    // Read on its own a site's `server` is out of place; included into http it is not.
    '/w/nginx/sites-enabled/shop': [
      'server {',
      '    listen 80;',
      '    location / {',
      '        proxy_pass http://127.0.0.1:8000;',
      '        proxy_read_timout 30s;',
      '    }',
      '}',
      '',
    ].join('\n'),
  };
  const context = (path: string): DocumentContext => ({
    uri: `file://${path}`,
    path,
    version: [23, 0, 0],
    versionLabel: '23.0.0',
  });
  const findings = (path: string, rootContext?: 'http') =>
    parseDocument('nginx', files[path]!, { path, ...(rootContext ? { nginxRootContext: rootContext } : {}) })
      .analyze(context(path))
      .map((f) => `${f.range.start.line}:${f.range.start.character} ${f.rule}`);

  for (const rootContext of ['http', undefined] as const) {
    it(`checks an included site ${rootContext ? 'in its include context' : 'on its own'} as an unshared parse does`, () => {
      const path = '/w/nginx/sites-enabled/shop';
      const unshared = findings(path, rootContext);
      assert.ok(unshared.length > 0, 'the site has findings to compare');
      const share = new ParseShare();
      // The include index parses the site twice, on its own and in http: both are kept.
      share.keep(() =>
        indexNginxWorkspace({
          seeds: Object.keys(files),
          allPaths: Object.keys(files),
          read: (p) => files[p],
        }),
      );
      assert.ok(share.size >= 2);
      assert.deepEqual(
        share.take(() => findings(path, rootContext)),
        unshared,
      );
    });
  }
});

import { strict as assert } from 'node:assert';
import { describeEntry, type CompletionEntry } from '../../server/src/core/features';
import { nginxCompletions } from '../../server/src/languages/nginx/completion';
import type { NginxFeatureContext } from '../../server/src/languages/nginx/features';
import { nginxHover } from '../../server/src/languages/nginx/hover';
import { parseNginxConfig, type NginxParseOptions } from '../../server/src/languages/nginx/parse';
import type { NginxWorkspaceFacts } from '../../server/src/languages/nginx/rules/types';

const ctx = (workspace: NginxWorkspaceFacts = {}): NginxFeatureContext => ({ workspace });

/** A site in front of Gunicorn as people write them, wrapped in nginx.conf's http block, plus a stream proxy. */
const CONF = [
  'user www-data;',
  'events {',
  '    worker_connections 1024;',
  '}',
  'http {',
  '    upstream app {',
  '        server unix:/run/app.sock fail_timeout=0;',
  '        server 127.0.0.1:8001 backup;',
  '        keepalive 8;',
  '    }',
  '    map $http_upgrade $connection_upgrade {',
  '        default upgrade;',
  "        ''      close;",
  '    }',
  '    geo $trusted {',
  '        default 0;',
  '        10.0.0.0/8 1;',
  '    }',
  '    types {',
  '        text/html html;',
  '    }',
  '    server {',
  '        listen 80;',
  '        server_name example.com;',
  '        gzip on;',
  '        aio threads;',
  '        set $backend app;',
  '        # proxy_pass http://commented;',
  '        location / {',
  '            proxy_read_timeout 60s;',
  '            proxy_set_header Host $host;',
  '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  '            add_header X-Info "$http_x_forwarded_host ${remote_addr}-$arg_page";',
  '            proxy_next_upstream error timeout;',
  '            proxy_pass http://app;',
  '        }',
  '        location /ws/ {',
  '            proxy_pass http://shop/ws/;',
  '        }',
  '        location /sock/ {',
  '            proxy_pass http://unix:/run/gunicorn.sock:/;',
  '        }',
  '    }',
  '}',
  'stream {',
  '    upstream db {',
  '        server 10.0.0.5:5432;',
  '    }',
  '    server {',
  '        listen 5432;',
  '        proxy_pass db;',
  '    }',
  '}',
  '',
].join('\n');

/** The offset of the `nth` occurrence of `marker` in `text`, plus `delta`. */
function at(marker: string, delta = 1, text = CONF, nth = 1): { text: string; offset: number } {
  let index = -1;
  for (let i = 0; i < nth; i++) {
    index = text.indexOf(marker, index + 1);
    if (index < 0) throw new Error(`no '${marker}' #${nth} in fixture`);
  }
  return { text, offset: index + delta };
}

/** CONF with a new blank line, holding the cursor, before the `nth` line that contains `marker`. */
function blankBefore(marker: string, nth = 1): { text: string; offset: number } {
  const { offset } = at(marker, 0, CONF, nth);
  const lineStart = CONF.lastIndexOf('\n', offset) + 1;
  const indent = /^[ \t]*/.exec(CONF.slice(lineStart))![0];
  const text = `${CONF.slice(0, lineStart)}${indent}\n${CONF.slice(lineStart)}`;
  return { text, offset: lineStart + indent.length };
}

/** `text` with the cursor at `|` (the bar is removed). */
function bar(textWithBar: string): { text: string; offset: number } {
  const offset = textWithBar.indexOf('|');
  if (offset < 0) throw new Error('fixture has no | marker');
  return { text: textWithBar.slice(0, offset) + textWithBar.slice(offset + 1), offset };
}

function hover(
  fixture: { text: string; offset: number },
  workspace: NginxWorkspaceFacts = {},
  options: NginxParseOptions = {},
) {
  return nginxHover(parseNginxConfig(fixture.text, options), fixture.offset, ctx(workspace));
}

function complete(
  fixture: { text: string; offset: number },
  workspace: NginxWorkspaceFacts = {},
  options: NginxParseOptions = {},
) {
  // Described as an editor sees an item it shows (directive entries describe themselves on demand).
  return nginxCompletions(parseNginxConfig(fixture.text, options), fixture.offset, ctx(workspace)).map(
    (entry) => ({ ...entry, ...describeEntry(entry) }),
  );
}

const labels = (entries: readonly CompletionEntry[]) => entries.map((e) => e.label);
const entry = (entries: readonly CompletionEntry[], label: string): CompletionEntry => {
  const found = entries.find((e) => e.label === label);
  if (!found) throw new Error(`no '${label}' among ${labels(entries).slice(0, 40).join(', ')}`);
  return found;
};

describe('nginx hover', () => {
  it('documents a directive: signature, doc, default, contexts, module and docs link; range is the name', () => {
    const result = hover(at('proxy_read_timeout'))!;
    assert.match(result.markdown, /^\*\*proxy_read_timeout\*\* — ngx_http_proxy_module/);
    assert.match(result.markdown, /```nginx\nproxy_read_timeout time;\n```/);
    assert.match(result.markdown, /Longest pause allowed between two successive reads/);
    assert.match(result.markdown, /- Default: `60s`/);
    assert.match(result.markdown, /- Context: `http`, `server`, `location`/);
    assert.match(
      result.markdown,
      /\(https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_read_timeout\)/,
    );
    assert.doesNotMatch(result.markdown, /Not allowed/);
    assert.deepEqual(result.range, { start: { line: 29, character: 12 }, end: { line: 29, character: 30 } });
  });

  it('shows flag and enumeration shapes in signatures, and the nginx version of newer directives', () => {
    assert.match(hover(at('gzip'))!.markdown, /```nginx\ngzip on \| off;\n```/);
    assert.match(hover(at('aio'))!.markdown, /```nginx\naio on \| off \| threads;\n```/);
    const since = hover(bar('http {\n    absolute_red|irect off;\n}\n'))!;
    assert.match(since.markdown, /- Since nginx 1\.11\.8/);
  });

  it('warns when a directive is not allowed where it is written, and says where it belongs', () => {
    const result = hover(bar('http {\n    proxy_pa|ss http://app;\n}\n'))!;
    assert.match(
      result.markdown,
      /⚠ Not allowed in `http`: nginx accepts it in `location`, `if`, `limit_except`/,
    );
    assert.match(result.markdown, /ngx_http_proxy_module/);
    const events = hover(bar('http {\n    worker_conn|ections 10;\n}\n'))!;
    assert.match(events.markdown, /Not allowed in `http`: nginx accepts it in `events`/);
  });

  it('picks the entry for the context: http server vs stream server, upstream server, stream proxy_pass', () => {
    const httpServer = hover(at('    server {', 5))!;
    assert.match(httpServer.markdown, /ngx_http_core_module/);
    assert.match(httpServer.markdown, /Defines a virtual server/);
    const streamServer = hover(at('    server {', 5, CONF, 2))!;
    assert.match(streamServer.markdown, /ngx_stream_core_module/);
    assert.match(streamServer.markdown, /TCP or UDP server/);
    const member = hover(at('server unix:'))!;
    assert.match(member.markdown, /ngx_http_upstream_module/);
    assert.match(member.markdown, /One member of an upstream group/);
    const streamMember = hover(at('server 10.0.0.5'))!;
    assert.match(streamMember.markdown, /ngx_stream_upstream_module/);
    const streamPass = hover(at('proxy_pass db'))!;
    assert.match(streamPass.markdown, /ngx_stream_proxy_module/);
    assert.match(streamPass.markdown, /proxy_pass address;/);
    assert.doesNotMatch(streamPass.markdown, /Not allowed/);
    const streamListen = hover(at('listen 5432'))!;
    assert.match(streamListen.markdown, /ngx_stream_core_module/);
  });

  it('explains on/off flags and enumerated values, and flags a word that is not one of them', () => {
    const on = hover(at('gzip on', 6))!;
    assert.match(on.markdown, /^\*\*on\*\* — turns `gzip` on/);
    assert.deepEqual(on.range, { start: { line: 24, character: 13 }, end: { line: 24, character: 15 } });
    assert.match(hover(bar('http {\n    gzip y|es;\n}\n'))!.markdown, /not a value `gzip` accepts/);
    const threads = hover(at('aio threads', 6))!;
    assert.match(threads.markdown, /\*\*threads\*\* — a value of `aio`/);
    assert.match(threads.markdown, /`on`, `off`, `threads`/);
    const off = hover(bar('http {\n    aio o|ff;\n}\n'))!;
    assert.match(off.markdown, /It is the default/);
    assert.match(hover(bar('http {\n    aio so|metimes;\n}\n'))!.markdown, /not one of the values of `aio`/);
    const modifier = hover(bar('server {\n    location ~|* \\.php$ { }\n}\n'))!;
    assert.match(modifier.markdown, /case-insensitive regular expression/);
  });

  it('documents variables, also inside quoted strings and in ${…} form; range is the variable', () => {
    const host = hover(at('Host $host', 7))!;
    assert.match(host.markdown, /\*\*\$host\*\* — ngx_http_core_module/);
    assert.deepEqual(host.range, { start: { line: 30, character: 34 }, end: { line: 30, character: 39 } });
    const braced = hover(at('${remote_addr}', 4))!;
    assert.match(braced.markdown, /\*\*\$remote_addr\*\*/);
    const line = CONF.split('\n')[32]!;
    const from = line.indexOf('${remote_addr}');
    assert.deepEqual(braced.range, {
      start: { line: 32, character: from },
      end: { line: 32, character: from + '${remote_addr}'.length },
    });
  });

  it('says which header, argument or cookie a prefixed variable reads', () => {
    const header = hover(at('$http_x_forwarded_host', 3))!;
    assert.match(header.markdown, /\*\*\$http_x_forwarded_host\*\* — the request header `X-Forwarded-Host`/);
    assert.match(header.markdown, /`\$http_\*`/);
    assert.match(hover(at('$arg_page', 3))!.markdown, /the query string argument `page`/);
    const cookie = hover(bar('server {\n    return 200 $cookie_sess|ion;\n}\n'))!;
    assert.match(cookie.markdown, /the request cookie `session`/);
    const upstream = hover(bar('server {\n    add_header X $upstream_http_x_ca|che;\n}\n'))!;
    assert.match(upstream.markdown, /the header `X-Cache` of the upstream's response/);
  });

  it('knows variables the file defines, regex captures, and says when a variable is unknown', () => {
    const mapped = hover(at('$connection_upgrade', 3))!;
    assert.match(mapped.markdown, /defined in this file by `map` on line 11/);
    const set = hover(at('$backend', 3))!;
    assert.match(set.markdown, /defined in this file by `set` on line 27/);
    assert.match(hover(at('$trusted', 3))!.markdown, /by `geo` on line 15/);
    assert.match(hover(bar('server {\n    rewrite ^/(.*)$ /x/$|1;\n}\n'))!.markdown, /capture group 1/);
    assert.match(
      hover(bar('server {\n    return 200 $nope|thing;\n}\n'))!.markdown,
      /not a built-in nginx variable/,
    );
  });

  it('shows the servers of an upstream named by proxy_pass, and what it knows about other targets', () => {
    const gunicorn = new Set(['unix:/run/app.sock', 'unix:/run/gunicorn.sock']);
    const app = hover(at('http://app', 8), { gunicornAddresses: gunicorn })!;
    assert.match(app.markdown, /^\*\*app\*\* — upstream defined on line 6 of this file/);
    assert.match(app.markdown, /- `server unix:\/run\/app\.sock fail_timeout=0;` — Gunicorn listens here/);
    assert.match(app.markdown, /- `server 127\.0\.0\.1:8001 backup;`$/m);
    assert.match(app.markdown, /Also set: `keepalive`/);
    assert.deepEqual(app.range, { start: { line: 34, character: 23 }, end: { line: 34, character: 33 } });
    const shop = hover(at('http://shop', 8), { upstreams: new Set(['shop']) })!;
    assert.match(shop.markdown, /\*\*shop\*\* — upstream defined in another nginx file of the workspace/);
    assert.equal(hover(at('http://shop', 8)), null);
    const socket = hover(at('http://unix:', 8), { gunicornAddresses: gunicorn })!;
    assert.match(socket.markdown, /\*\*unix:\/run\/gunicorn\.sock\*\* — Gunicorn listens here/);
    // A stream proxy_pass finds the stream upstream, not an http one.
    const db = hover(at('proxy_pass db', 12))!;
    assert.match(db.markdown, /\*\*db\*\* — upstream defined on line 46 of this file \(in `stream`\)/);
    assert.match(db.markdown, /server 10\.0\.0\.5:5432;/);
  });

  it('is silent on closing braces, comments, blank space and unknown words', () => {
    assert.equal(hover(at('    }\n    map', 4)), null);
    assert.equal(hover(at('    }\n    map', 5)), null);
    assert.equal(hover(at('# proxy_pass', 4)), null);
    assert.equal(hover(at('proxy_pass http://commented', 3)), null);
    assert.equal(hover(at('        location /', 2)), null);
    assert.equal(hover(bar('server {\n    frobnica|te 1;\n}\n')), null);
    assert.equal(hover(bar('server {\n    proxy_read_timeout 6|0s;\n}\n')), null);
  });

  it('documents the keywords of value blocks and nothing else there', () => {
    const keyword = hover(at('default upgrade', 2))!;
    assert.match(keyword.markdown, /\*\*default\*\* — keyword of a `map` block/);
    assert.match(hover(at('default 0', 2))!.markdown, /keyword of a `geo` block/);
    assert.equal(hover(at('text/html', 2)), null);
    assert.equal(hover(at("''      close", 8)), null);
  });
});

describe('nginx completion', () => {
  it('offers the directives allowed in the context at the start of a line, as snippets', () => {
    const inLocation = complete(blankBefore('proxy_read_timeout'));
    const names = labels(inLocation);
    for (const name of ['proxy_pass', 'proxy_set_header', 'alias', 'gzip', 'location', 'if']) {
      assert.ok(names.includes(name), name);
    }
    for (const name of [
      'worker_connections',
      'server',
      'upstream',
      'listen',
      'http',
      'events',
      'server_name',
    ]) {
      assert.ok(!names.includes(name), name);
    }
    assert.equal(names.length, new Set(names).size, 'no duplicates');
    const location = entry(inLocation, 'location');
    assert.equal(location.kind, 'directive');
    assert.equal(location.insertText, 'location $1 {\n\t$0\n}');
    assert.equal(location.isSnippet, true);
    assert.equal(location.detail, 'location [ = | ~ | ~* | ^~ ] uri { ... }');
    assert.equal(entry(inLocation, 'gzip').insertText, 'gzip ${1|on,off|};');
    assert.equal(entry(inLocation, 'gzip').plainInsertText, 'gzip off;');
    const timeout = entry(inLocation, 'proxy_read_timeout');
    assert.equal(timeout.detail, 'proxy_read_timeout time;');
    assert.equal(timeout.insertText, 'proxy_read_timeout ${1:60s};');
    assert.match(timeout.documentation!, /Longest pause allowed/);
    assert.match(timeout.documentation!, /Default: `60s`/);
    // The list itself carries no descriptions: they are made for the items an editor shows.
    const fixture = blankBefore('proxy_pass');
    const raw = nginxCompletions(parseNginxConfig(fixture.text), fixture.offset, ctx());
    assert.ok(raw.some((e) => e.label === 'proxy_read_timeout'));
    assert.ok(
      raw.filter((e) => e.kind === 'directive').every((e) => e.documentation === undefined && e.describe),
    );
    assert.ok(inLocation.every((e) => !e.deprecated));
    assert.equal(
      entry(inLocation, 'proxy_set_header').insertText,
      'proxy_set_header ${1:X-Forwarded-For} ${2:\\$proxy_add_x_forwarded_for};',
    );
  });

  it('filters by context: no proxy_pass at http level, worker_connections only in events, blocks without args', () => {
    const http = labels(complete(blankBefore('upstream app')));
    assert.ok(http.includes('upstream') && http.includes('server') && http.includes('proxy_read_timeout'));
    assert.ok(!http.includes('proxy_pass'));
    assert.ok(!http.includes('worker_connections'));
    const events = complete(blankBefore('worker_connections'));
    assert.ok(labels(events).includes('worker_connections'));
    assert.ok(!labels(events).includes('gzip'));
    const main = complete(bar('|\n'));
    assert.ok(labels(main).includes('worker_processes'));
    assert.ok(!labels(main).includes('worker_connections'));
    assert.equal(entry(main, 'events').insertText, 'events {\n\t$0\n}');
    assert.equal(entry(main, 'http').insertText, 'http {\n\t$0\n}');
  });

  it('tells stream servers from http servers', () => {
    const stream = complete(blankBefore('proxy_pass db'));
    const names = labels(stream);
    assert.ok(names.includes('proxy_pass'));
    assert.ok(names.includes('proxy_timeout'));
    assert.ok(!names.includes('location'));
    // (server_name is a stream directive too since nginx 1.25.5)
    assert.ok(!names.includes('client_max_body_size'));
    assert.match(entry(stream, 'proxy_pass').documentation!, /ngx_stream_proxy_module/);
    const streamTop = labels(complete(blankBefore('upstream db')));
    assert.ok(streamTop.includes('server') && streamTop.includes('upstream'));
    assert.ok(!streamTop.includes('gzip'));
    assert.ok(!complete(blankBefore('upstream db')).some((e) => e.kind === 'snippet'));
  });

  it('completes a name being typed, and inserts only the name when the arguments are already there', () => {
    const typing = complete(bar('http {\n    server {\n        gz|\n    }\n}\n'));
    assert.equal(entry(typing, 'gzip').insertText, 'gzip ${1|on,off|};');
    assert.equal(entry(typing, 'gzip_types').kind, 'directive');
    // A closing brace after the cursor is no argument: the whole directive is inserted.
    const inline = complete(bar('http {\n    server { gz| }\n}\n'));
    assert.equal(entry(inline, 'gzip').insertText, 'gzip ${1|on,off|};');
    assert.equal(entry(inline, 'if').insertText, 'if ($1) {\n\t$0\n}');
    const renaming = complete(bar('http {\n    server {\n        proxy_read_time|out 30s;\n    }\n}\n'));
    const timeout = entry(renaming, 'proxy_read_timeout');
    assert.equal(timeout.insertText, 'proxy_read_timeout');
    assert.equal(timeout.isSnippet, false);
    assert.ok(!renaming.some((e) => e.kind === 'snippet'));
  });

  it('ranks a unique directive already set in the block last', () => {
    const entries = complete(bar('http {\n    gzip on;\n    |\n}\n'));
    assert.equal(entry(entries, 'gzip').sortText, '5gzip');
    assert.equal(entry(entries, 'gzip_types').sortText, '1gzip_types');
  });

  it('offers only the keywords of value blocks (map, geo, types) and nothing in split_clients or unknown blocks', () => {
    assert.deepEqual(labels(complete(blankBefore("''"))).sort(), [
      'default',
      'hostnames',
      'include',
      'volatile',
    ]);
    assert.deepEqual(labels(complete(blankBefore('10.0.0.0/8'))).sort(), [
      'default',
      'delete',
      'include',
      'proxy',
      'proxy_recursive',
      'ranges',
    ]);
    assert.deepEqual(labels(complete(blankBefore('text/html'))), ['include']);
    assert.equal(entry(complete(blankBefore("''")), 'default').insertText, 'default ${1:value};');
    assert.deepEqual(
      complete(bar('http {\n    split_clients "$remote_addr" $v {\n        |\n    }\n}\n')),
      [],
    );
    assert.deepEqual(complete(bar('http {\n    frobnicate {\n        |\n    }\n}\n')), []);
  });

  it('offers on/off after a flag and the values of enumerations', () => {
    const flag = complete(bar('http {\n    sendfile |;\n}\n'));
    assert.deepEqual(labels(flag), ['on', 'off']);
    assert.equal(entry(flag, 'off').detail, 'sendfile (default)');
    assert.deepEqual(labels(complete(bar('http {\n    sendfile o|\n}\n'))), ['on', 'off']);
    assert.deepEqual(labels(complete(bar('http {\n    aio |;\n}\n'))), ['on', 'off', 'threads']);
    assert.deepEqual(complete(bar('http {\n    aio threads |;\n}\n')), []);
    // Multi-value enumerations skip the values already written.
    const next = labels(complete(bar(CONF.replace('error timeout;', 'error timeout |;'))));
    assert.ok(next.includes('invalid_header') && next.includes('http_502'));
    assert.ok(!next.includes('error') && !next.includes('timeout'));
    assert.deepEqual(complete(bar('http {\n    proxy_read_timeout |;\n}\n')), []);
  });

  it('offers upstreams of the file and the workspace and Gunicorn addresses after proxy_pass', () => {
    const workspace = {
      upstreams: new Set(['shop', 'app']),
      gunicornAddresses: new Set(['unix:/run/app.sock', '127.0.0.1:8000']),
    };
    const fresh = complete(at('http://app', 0), workspace);
    assert.deepEqual(labels(fresh), [
      'http://app',
      'http://shop',
      'http://127.0.0.1:8000',
      'http://unix:/run/app.sock',
      'http://',
    ]);
    assert.equal(entry(fresh, 'http://app').detail, 'upstream in this file');
    assert.match(entry(fresh, 'http://app').documentation!, /server unix:\/run\/app\.sock/);
    assert.equal(entry(fresh, 'http://shop').detail, 'upstream in the workspace');
    assert.equal(entry(fresh, 'http://unix:/run/app.sock').detail, 'Gunicorn listens here');
    assert.ok(fresh.every((e) => e.kind === 'value'));
    // After `http://` only the rest is inserted (editors replace the word at the cursor, and `http://` is none).
    const afterScheme = complete(bar(CONF.replace('http://app;', 'http://|;')), workspace);
    assert.equal(entry(afterScheme, 'http://app').insertText, 'app');
    assert.equal(entry(afterScheme, 'http://unix:/run/app.sock').insertText, 'unix:/run/app.sock');
    assert.ok(!labels(afterScheme).includes('http://'));
    const typing = complete(bar(CONF.replace('http://app;', 'http://sh|;')), workspace);
    assert.equal(entry(typing, 'http://shop').insertText, 'shop');
    // A file without upstreams, a missing `;`, no workspace facts: the scheme still comes.
    assert.deepEqual(labels(complete(bar('server {\n    location / {\n        proxy_pass |\n    }\n}\n'))), [
      'http://',
    ]);
  });

  it('offers bare upstream names to stream proxy_pass and uwsgi_pass, without Gunicorn HTTP addresses', () => {
    const workspace = { upstreams: new Set(['shop']), gunicornAddresses: new Set(['unix:/run/app.sock']) };
    const stream = complete(at('proxy_pass db', 11), workspace);
    assert.deepEqual(labels(stream), ['db']);
    const uwsgi = complete(bar(CONF.replace('proxy_pass http://app;', 'uwsgi_pass |;')), workspace);
    assert.deepEqual(labels(uwsgi), ['app', 'shop']);
  });

  it('offers proxy header names, then the values that go with them', () => {
    const names = complete(bar(CONF.replace('Host $host', '|')));
    assert.deepEqual(labels(names).slice(0, 6), [
      'Host',
      'X-Forwarded-For',
      'X-Forwarded-Proto',
      'X-Real-IP',
      'Upgrade',
      'Connection',
    ]);
    assert.equal(
      entry(complete(bar(CONF.replace('Host $host', 'X-F|'))), 'X-Forwarded-Proto').insertText,
      'X-Forwarded-Proto',
    );
    const values = (header: string) => labels(complete(bar(CONF.replace('Host $host', `${header} |`))));
    assert.deepEqual(values('Host'), ['$host']);
    assert.deepEqual(values('X-Forwarded-For'), ['$proxy_add_x_forwarded_for']);
    assert.deepEqual(values('x-forwarded-proto'), ['$scheme']);
    assert.deepEqual(values('X-Real-IP'), ['$remote_addr']);
    assert.deepEqual(values('Upgrade'), ['$http_upgrade']);
    assert.deepEqual(values('Connection'), ['$connection_upgrade', '"upgrade"', '""']);
    assert.deepEqual(values('X-Custom'), []);
  });

  it('offers variables after $, in quotes and in ${…}; families as snippets; the file’s own variables first', () => {
    const plain = complete(bar(CONF.replace('Host $host', 'Host $|')));
    assert.ok(plain.every((e) => e.kind === 'variable'));
    // Right after `$` there is no word yet: the name alone is inserted.
    assert.equal(entry(plain, '$host').insertText, 'host');
    assert.equal(entry(plain, '$connection_upgrade').sortText, '0connection_upgrade');
    assert.equal(entry(plain, '$backend').detail, 'set on line 27');
    assert.equal(entry(plain, '$trusted').detail, 'geo on line 15');
    const family = entry(plain, '$http_…');
    assert.equal(family.isSnippet, true);
    assert.equal(family.insertText, 'http_${1:name}');
    assert.match(family.documentation!, /request header/);
    // With `$ho` typed, the word is `$ho` and the whole variable replaces it.
    const typed = complete(bar(CONF.replace('Host $host', 'Host $ho|')));
    assert.equal(entry(typed, '$host').insertText, '$host');
    assert.equal(entry(typed, '$http_…').insertText, '\\$http_${1:name}');
    assert.equal(entry(typed, '$http_…').plainInsertText, '$http_');
    const quoted = complete(bar(CONF.replace('"$http_x_forwarded_host', '"$remote_a|')));
    assert.equal(entry(quoted, '$remote_addr').insertText, '$remote_addr');
    const braced = complete(bar(CONF.replace('${remote_addr}', '${rem|')));
    assert.equal(entry(braced, '$remote_addr').insertText, '${remote_addr}');
    const closed = complete(bar(CONF.replace('${remote_addr}', '${rem|}')));
    assert.equal(entry(closed, '$remote_addr').insertText, '${remote_addr');
    const unterminated = complete(bar('server {\n    return 200 "$ur|\n}\n'));
    assert.equal(entry(unterminated, '$uri').insertText, '$uri');
    const inIf = complete(bar('server {\n    if ($request_m|'));
    assert.ok(labels(inIf).includes('$request_method'));
    // A quoted word gets variables only.
    assert.deepEqual(complete(bar('http {\n    gzip "o|";\n}\n')), []);
  });

  it('serves the nginx snippets in http, server and location contexts where their directives fit', () => {
    const http = complete(blankBefore('upstream app')).filter((e) => e.kind === 'snippet');
    assert.deepEqual(labels(http).sort(), ['gunicorn-proxy-headers', 'gunicorn-upstream-server']);
    const server = complete(blankBefore('listen 80')).filter((e) => e.kind === 'snippet');
    assert.deepEqual(labels(server).sort(), [
      'gunicorn-proxy-headers',
      'gunicorn-static-location',
      'gunicorn-websocket-location',
    ]);
    const headers = entry(server, 'gunicorn-proxy-headers');
    assert.equal(headers.isSnippet, true);
    assert.match(headers.insertText, /proxy_set_header Host \\\$host;/);
    assert.match(headers.plainInsertText!, /proxy_set_header Host \$host;/);
    assert.ok(headers.sortText!.startsWith('9'));
    const location = complete(blankBefore('proxy_read_timeout')).filter((e) => e.kind === 'snippet');
    assert.ok(labels(location).includes('gunicorn-websocket-location'));
    assert.deepEqual(
      complete(blankBefore('worker_connections')).filter((e) => e.kind === 'snippet'),
      [],
    );
    assert.deepEqual(
      complete(bar('|')).filter((e) => e.kind === 'snippet'),
      [],
    );
  });

  it('offers nothing inside comments', () => {
    assert.deepEqual(complete(at('# proxy_pass', 1)), []);
    assert.deepEqual(complete(at('# proxy_pass', 8)), []);
    assert.deepEqual(complete(at('# proxy_pass', 30)), []);
    assert.deepEqual(complete(bar('server {\n    gzip on; # trailing $ho|\n}\n')), []);
    assert.deepEqual(complete(bar('# only a comment|')), []);
    // Right before the `#` a new directive may still be typed.
    assert.ok(complete(at('# proxy_pass', 0)).length > 0);
  });

  it('reads on through a missing `;` the way nginx does', () => {
    // The same line: arguments of the directive.
    assert.deepEqual(labels(complete(bar('server {\n    gzip |\n    listen 80;\n}\n'))), ['on', 'off']);
    // A new line after a complete directive: a new directive.
    const next = complete(bar('server {\n    gzip on\n    |\n}\n'));
    assert.ok(labels(next).includes('listen'));
    // A new line after a directive that still lacks its argument: the argument.
    assert.deepEqual(
      labels(complete(bar('server {\n    location / {\n        proxy_pass\n        |\n    }\n}\n'))),
      ['http://'],
    );
  });

  it('uses the root context given by the caller or inferred from the file', () => {
    const site = complete(bar('server {\n    listen 80;\n}\n|'), {}, { rootContext: 'http' });
    assert.ok(labels(site).includes('upstream'));
    const snippetFile = complete(bar('proxy_set_header Host $host;\n|'));
    assert.ok(labels(snippetFile).includes('proxy_read_timeout'));
  });
});

describe('nginx hover and completion never throw', () => {
  const fixtures = [
    CONF,
    '',
    '{',
    '}}}',
    ';;',
    '"',
    "'",
    'server {\n    location / {\n        proxy_pass http://app\n',
    'http { server { listen 80; location / { add_header X "unterminated; } } }',
    'http {\n    map $a $b {\n        default "x\n    }\n}\n',
    '\uFEFFserver{listen 80;}# tail',
    'a\u0000b',
    '$',
    '${',
    'server { return 200 "${"; }',
    'if ($x) {',
    '# only a comment',
    '\r\nserver {\r\n    listen 80;\r\n}\r\n',
  ];

  it('for every offset of realistic and broken files, with ranges inside the document', () => {
    const workspace = { upstreams: new Set(['shop']), gunicornAddresses: new Set(['unix:/run/app.sock']) };
    for (const text of fixtures) {
      const model = parseNginxConfig(text);
      const lines = text.split(/\r\n|\r|\n/);
      for (let offset = -2; offset <= text.length + 2; offset++) {
        const result = nginxHover(model, offset, ctx(workspace));
        const entries = nginxCompletions(model, offset, ctx(workspace));
        assert.ok(Array.isArray(entries));
        const where = `${JSON.stringify(text)} @${offset}`;
        for (const e of entries) assert.equal(typeof e.insertText, 'string', where);
        if (!result?.range) continue;
        const { start, end } = result.range;
        assert.ok(start.line < lines.length && end.line < lines.length, `${JSON.stringify(text)} @${offset}`);
        assert.ok(start.character <= lines[start.line]!.length && end.character <= lines[end.line]!.length);
        const from = model.lines.offsetAt(start);
        const to = model.lines.offsetAt(end);
        assert.ok(
          from <= offset && offset <= to,
          `hover range holds the cursor: ${JSON.stringify(text)} @${offset}`,
        );
      }
    }
  });

  it('offers nothing and hovers nothing in binary files', () => {
    const model = parseNginxConfig('server {\u0000 listen 80; }');
    assert.deepEqual(nginxCompletions(model, 3, ctx()), []);
    assert.equal(nginxHover(model, 3, ctx()), null);
  });

  it('stays fast on a 5,000-line file', () => {
    const block = (i: number) =>
      `server {\n    listen 80;\n    server_name s${i}.example.com;\n    set $v${i} 1;\n    location / {\n        proxy_set_header Host $host;\n        proxy_pass http://app;\n        gzip on;\n    }\n}\n`;
    let text = 'upstream app { server 127.0.0.1:8000; }\n';
    for (let i = 0; text.split('\n').length < 5000; i++) text += block(i);
    const model = parseNginxConfig(text, { rootContext: 'http' });
    const offsets = [
      text.lastIndexOf('gzip on') + 5,
      text.lastIndexOf('$host') + 3,
      text.lastIndexOf('proxy_pass') + 2,
      text.lastIndexOf('http://app') + 9,
      text.length,
    ];
    for (const offset of offsets) nginxCompletions(model, offset, ctx()); // warm the memos
    const started = process.hrtime.bigint();
    const rounds = 20;
    for (let i = 0; i < rounds; i++) {
      for (const offset of offsets) {
        nginxCompletions(model, offset, ctx());
        nginxHover(model, offset, ctx());
      }
    }
    const perCall = Number(process.hrtime.bigint() - started) / 1e6 / (rounds * offsets.length * 2);
    assert.ok(perCall < 3, `${perCall.toFixed(3)} ms per call`);
  });
});

describe('nginx completion replace ranges (editors with other word rules)', () => {
  /** What any client inserts when it replaces the entry's range with its text. */
  const applied = (fixture: { text: string; offset: number }, e: CompletionEntry): string => {
    const lines = parseNginxConfig(fixture.text).lines;
    const from = lines.offsetAt(e.range!.start);
    const to = lines.offsetAt(e.range!.end);
    return fixture.text.slice(0, from) + (e.plainInsertText ?? e.insertText) + fixture.text.slice(to);
  };

  it('replaces a half-typed variable with the whole name, `$` included', () => {
    const fixture = bar('server {\n    location / {\n        proxy_set_header Host $ho|;\n    }\n}\n');
    const host = entry(complete(fixture), '$host');
    assert.ok(host.range, 'a replace range');
    assert.match(applied(fixture, host), /proxy_set_header Host \$host;/);
  });

  it('replaces a half-typed directive name and a half-typed upstream after http://', () => {
    const name = bar('server {\n    location / {\n        proxy_rea|\n    }\n}\n');
    assert.match(applied(name, entry(complete(name), 'proxy_read_timeout')), /^ {8}proxy_read_timeout /m);
    const target = bar(
      'upstream shop { server unix:/run/shop.sock; }\nserver {\n    location / {\n        proxy_pass http://sh|\n    }\n}\n',
    );
    const shop = complete(target).find((e) => /shop/.test(e.label))!;
    assert.match(applied(target, shop), /proxy_pass http:\/\/shop\b/);
  });
});

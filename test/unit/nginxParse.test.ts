// The nginx parser: tokens as nginx reads them, recovery from broken text, contexts, root context inference, lookups.

import { strict as assert } from 'node:assert';
import {
  contextAt,
  directiveAt,
  inferRootContext,
  parseNginxConfig,
  walk,
  type NginxModel,
} from '../../server/src/languages/nginx/parse';
import { parseDocument } from '../../server/src/languages/registry';

const codes = (model: NginxModel): string[] => model.problems.map((p) => p.code);
const names = (model: NginxModel): string[] => model.all.map((d) => d.name);
const values = (model: NginxModel, index = 0): string[] => model.all[index]!.args.map((a) => a.value);
const raw = (text: string, span: { from: number; to: number }): string => text.slice(span.from, span.to);

describe('nginx parser: tokens', () => {
  it('reads words, quotes and spans exactly', () => {
    const text = 'add_header X-Frame-Options "SAME ORIGIN" always;\n';
    const model = parseNginxConfig(text, { rootContext: 'server' });
    const d = model.all[0]!;
    assert.equal(d.name, 'add_header');
    assert.deepEqual(values(model), ['X-Frame-Options', 'SAME ORIGIN', 'always']);
    assert.equal(d.args[1]!.quote, '"');
    assert.equal(raw(text, d.args[1]!.span), '"SAME ORIGIN"');
    assert.equal(d.end, ';');
    assert.equal(raw(text, d.semicolon!), ';');
    assert.equal(raw(text, d.span), text.trim());
    assert.deepEqual(model.problems, []);
  });

  it('resolves the escapes nginx resolves and keeps the others', () => {
    const text = String.raw`return 200 "a\"b\\c\td" 'it\'s' a\ b x\y;`;
    const model = parseNginxConfig(text, { rootContext: 'location' });
    assert.deepEqual(values(model), ['200', 'a"b\\c\td', "it's", 'a\\ b', 'x\\y']);
    assert.deepEqual(model.problems, []);
  });

  it('keeps ${var} in one word and reads "{" after "$" as part of it', () => {
    const model = parseNginxConfig('return 200 ${host}x${uri};', { rootContext: 'location' });
    assert.deepEqual(values(model), ['200', '${host}x${uri}']);
    assert.equal(model.all.length, 1);
    assert.equal(model.all[0]!.block, null);
  });

  it('reads "{" without "$" as the start of a block, even inside a word', () => {
    const model = parseNginxConfig('location ~ ^/a{2}$ { }', { rootContext: 'server' });
    assert.equal(model.all[0]!.end, '{');
    assert.deepEqual(values(model), ['~', '^/a']);
  });

  it('treats "#" as a comment only where a word starts', () => {
    const text = '# top\nlisten 80; # trailing\nserver_name a#b;\n  # indented\n';
    const model = parseNginxConfig(text, { rootContext: 'server' });
    assert.deepEqual(names(model), ['listen', 'server_name']);
    assert.deepEqual(values(model, 1), ['a#b']);
    assert.deepEqual(
      model.comments.map((c) => [raw(text, c.span), c.aloneOnLine]),
      [
        ['# top', true],
        ['# trailing', false],
        ['# indented', true],
      ],
    );
  });

  it('handles CRLF, tabs and a byte order mark', () => {
    const text = '\uFEFFserver {\r\n\tlisten\t80;\r\n\t# note\r\n}\r\n';
    const model = parseNginxConfig(text, { rootContext: 'http' });
    assert.deepEqual(names(model), ['server', 'listen']);
    assert.deepEqual(values(model, 1), ['80']);
    assert.equal(raw(text, model.comments[0]!.span), '# note');
    assert.equal(model.lines.positionAt(model.all[1]!.span.from).line, 1);
    assert.deepEqual(model.problems, []);
  });

  it('accepts ")" right after a quoted string, as in if conditions', () => {
    const model = parseNginxConfig('if ($request_method = "POST") { return 405; }', {
      rootContext: 'location',
    });
    assert.deepEqual(model.problems, []);
    assert.deepEqual(values(model), ['($request_method', '=', 'POST', ')']);
  });

  it('accepts an empty quoted string as an argument', () => {
    const model = parseNginxConfig('proxy_set_header Accept-Encoding "";', { rootContext: 'location' });
    assert.deepEqual(values(model), ['Accept-Encoding', '']);
  });
});

describe('nginx parser: recovery', () => {
  it('splits at a missing ";" before a known directive on the next line', () => {
    const text = 'server {\n    listen 80\n    server_name example.com;\n}\n';
    const model = parseNginxConfig(text, { rootContext: 'http' });
    assert.deepEqual(names(model), ['server', 'listen', 'server_name']);
    assert.deepEqual(codes(model), ['missing-semicolon']);
    const problem = model.problems[0]!;
    assert.equal(problem.span.from, text.indexOf('80') + 2);
    assert.equal(model.all[1]!.end, 'missing');
  });

  it('does not split when the directive still needs arguments', () => {
    const model = parseNginxConfig('proxy_set_header\n  Host $host;', { rootContext: 'location' });
    assert.deepEqual(names(model), ['proxy_set_header']);
    assert.deepEqual(model.problems, []);
  });

  it('reports a missing ";" before "}" and at the end of the file', () => {
    const before = parseNginxConfig('location / { return 404 }', { rootContext: 'server' });
    assert.deepEqual(codes(before), ['missing-semicolon']);
    assert.equal(before.all[0]!.block!.close !== null, true);
    const atEnd = parseNginxConfig('listen 80', { rootContext: 'server' });
    assert.deepEqual(codes(atEnd), ['missing-semicolon']);
  });

  it('reports an unclosed block at its "{" and lets the block run to the end', () => {
    const text = 'http {\n  server {\n    listen 80;\n';
    const model = parseNginxConfig(text);
    assert.deepEqual(codes(model), ['unclosed-block', 'unclosed-block']);
    assert.equal(model.problems[0]!.span.from, text.indexOf('{', 6));
    assert.equal(model.all[0]!.span.to, text.length);
    assert.equal(model.all[0]!.block!.close, null);
  });

  it('reports a stray "}", ";" and "{"', () => {
    assert.deepEqual(codes(parseNginxConfig('events { }\n}\n')), ['unexpected-brace']);
    assert.deepEqual(codes(parseNginxConfig('events { } ;')), ['unexpected-semicolon']);
    const anonymous = parseNginxConfig('{ listen 80; }\nevents { }');
    assert.deepEqual(codes(anonymous), ['unexpected-brace']);
    assert.equal(anonymous.directives.at(-1)!.name, 'events');
  });

  it('reports an unterminated quote and keeps reading the following lines', () => {
    const text = 'return 200 "oops;\nlisten 80;\n';
    const model = parseNginxConfig(text, { rootContext: 'server' });
    assert.ok(codes(model).includes('unterminated-quote'));
    assert.equal(model.problems[0]!.span.from, text.indexOf('"'));
  });

  it('asks for a space after a closing quote, "#" included', () => {
    assert.deepEqual(codes(parseNginxConfig('return 200 "a"b;', { rootContext: 'server' })), [
      'missing-space',
    ]);
    assert.deepEqual(codes(parseNginxConfig('return 200 "a"#c\n;', { rootContext: 'server' })), [
      'missing-space',
    ]);
    assert.deepEqual(codes(parseNginxConfig('return 200 "a";', { rootContext: 'server' })), []);
  });

  it('refuses binary files', () => {
    const model = parseNginxConfig('events {}\u0000\u0001');
    assert.deepEqual(codes(model), ['binary']);
    assert.deepEqual(model.all, []);
  });

  it('never throws and keeps spans inside the text on junk', () => {
    const inputs = [
      '',
      '}}}',
      '{{{',
      ';;;',
      '"',
      "'",
      '\\',
      'a "b',
      'server { location { if ( { } } } }',
      '${',
      '$',
      '#',
      'http{server{listen 80;location /{proxy_pass http://a;}}}',
      'map $a $b { default 0; ~^x 1; { } }',
      '\r\n\r\n\t',
    ];
    for (const input of inputs) {
      const model = parseNginxConfig(input);
      for (const d of model.all) {
        assert.ok(d.span.from >= 0 && d.span.to <= input.length && d.span.from <= d.span.to, input);
      }
      for (const p of model.problems) assert.ok(p.span.from >= 0 && p.span.to <= input.length, input);
    }
  });

  it('parses, walks and hovers thousands of nested blocks without overflowing the stack (fuzz)', () => {
    // assignContexts, walk and the hover's token search recursed once per block level: `http {` × 20000 threw
    // "Maximum call stack size exceeded" from parseNginxConfig, and × 5000 from a hover at the end.
    const depth = 20000;
    const text = 'http { '.repeat(depth) + 'proxy_pass http://app;' + ' }'.repeat(depth);
    const model = parseNginxConfig(text);
    assert.equal(model.all.length, depth + 1);
    assert.equal([...walk(model.directives)].length, depth + 1);
    assert.equal([...walk(model.directives)].at(-1)!.name, 'proxy_pass');
    const hover = parseDocument('nginx', text).hover(text.indexOf('proxy_pass') + 2, {
      uri: 'file:///w/nginx.conf',
      path: '/w/nginx.conf',
      version: [23, 0, 0],
      versionLabel: '23.0.0',
    });
    assert.match(hover?.markdown ?? '', /proxy_pass/);
  });
});

describe('nginx parser: contexts', () => {
  it('assigns http contexts, if and map bodies', () => {
    const text = [
      'events { worker_connections 512; }',
      'http {',
      '  map $host $x { default 0; hostnames; }',
      '  upstream app { server 127.0.0.1:8000; }',
      '  server {',
      '    location / { if ($x) { return 404; } limit_except GET { deny all; } }',
      '  }',
      '}',
    ].join('\n');
    const model = parseNginxConfig(text);
    const contexts = model.all.map((d) => `${d.name}@${d.context}`);
    assert.deepEqual(contexts, [
      'events@main',
      'worker_connections@events',
      'http@main',
      'map@http',
      'default@map',
      'hostnames@map',
      'upstream@http',
      'server@upstream',
      'server@http',
      'location@server',
      'if@location',
      'return@if',
      'limit_except@location',
      'deny@limit_except',
    ]);
    assert.equal(model.rootContext, 'main');
    assert.equal(model.rootContextKnown, false);
  });

  it('assigns stream contexts', () => {
    const model = parseNginxConfig(
      'stream { upstream db { server 10.0.0.1:5432; } server { listen 5432; } }',
    );
    assert.deepEqual(
      model.all.map((d) => `${d.name}@${d.context}`),
      ['stream@main', 'upstream@stream', 'server@stream-upstream', 'server@stream', 'listen@stream-server'],
    );
  });

  it('leaves the inside of unknown blocks without a context', () => {
    const model = parseNginxConfig('http { frobnicate { listen 80; } }');
    assert.equal(model.all[2]!.context, null);
    assert.equal(model.all[1]!.block!.context, null);
  });

  it('infers the top level of site files and snippets', () => {
    assert.equal(
      parseNginxConfig('upstream app { server unix:/run/a.sock; }\nserver { listen 80; }').rootContext,
      'http',
    );
    assert.equal(parseNginxConfig('location / { proxy_pass http://app; }').rootContext, 'server');
    assert.equal(
      parseNginxConfig('proxy_set_header Host $host;\nproxy_pass http://app;').rootContext,
      'location',
    );
    assert.equal(parseNginxConfig('user www-data;\nevents {}\nhttp {}').rootContext, 'main');
    assert.equal(inferRootContext(['listen', 'server_name', 'location']), 'server');
    assert.equal(inferRootContext([]), 'main');
    // A broken nginx.conf whose http closed too early still has its top level in main.
    assert.equal(
      inferRootContext(['events', 'http', 'access_log', 'sendfile', 'upstream', 'server']),
      'main',
    );
    const given = parseNginxConfig('location / { }', { rootContext: 'server' });
    assert.equal(given.rootContextKnown, true);
    assert.equal(given.all[0]!.block!.context, 'location');
  });

  it('finds the directive and the context at an offset', () => {
    const text = 'server {\n  listen 80;\n  location /api {\n    proxy_pass http://app;\n  }\n}\n';
    const model = parseNginxConfig(text, { rootContext: 'http' });
    assert.equal(directiveAt(model, text.indexOf('http://app'))!.name, 'proxy_pass');
    assert.equal(directiveAt(model, text.indexOf('listen') + 2)!.name, 'listen');
    assert.equal(directiveAt(model, text.length), undefined);
    assert.equal(contextAt(model, text.indexOf('proxy_pass')), 'location');
    assert.equal(contextAt(model, text.indexOf('listen')), 'server');
    assert.equal(contextAt(model, 0), 'http');
    assert.deepEqual(
      [...walk(model.directives)].map((d) => d.name),
      ['server', 'listen', 'location', 'proxy_pass'],
    );
  });
});

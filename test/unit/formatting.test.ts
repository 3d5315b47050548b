// Formatting nginx and unit files: layout rules, options, minimal edits, idempotence, meaning kept, junk tolerated.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyOffsetEdits, type FormatOptions } from '../../server/src/core/formatting';
import { applyEdits } from '../../server/src/core/text';
import { formatDocument, formatEdits } from '../../server/src/languages/format';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import type { LanguageId } from '../../server/src/languages/registry';
import { parseUnitFile } from '../../server/src/languages/systemd/parse';
import { fcParams } from './fuzzHelpers';

const SPACES4: FormatOptions = { tabSize: 4, insertSpaces: true };

function format(
  language: LanguageId,
  text: string,
  options: FormatOptions = SPACES4,
  range?: { from: number; to: number },
): string {
  return applyOffsetEdits(text, formatEdits(language, text, options, undefined, range));
}
const nginx = (text: string, options?: FormatOptions): string => format('nginx', text, options);
const unit = (text: string, options?: FormatOptions): string => format('systemd', text, options);

/** What nginx reads: each directive's name, arguments (values, as unquoted by nginx) and how it ends; comments. */
function nginxMeaning(text: string): string {
  const model = parseNginxConfig(text);
  const directives = model.all.map((d) => [
    d.name,
    ...d.args.map((a) => `${a.quote ?? ''}${a.value}`),
    d.end,
  ]);
  // A comment's trailing CR (of a lone-CR line end) is not its text.
  const comments = model.comments.map((c) => text.slice(c.span.from, c.span.to).trimEnd());
  return JSON.stringify({ directives, comments, problems: model.problems.map((p) => p.code) });
}

/** What systemd reads: section, key and value of each assignment; the comments' text. */
function unitMeaning(text: string): string {
  const model = parseUnitFile(text);
  return JSON.stringify({
    directives: model.directives.map((d) => [d.section?.name, d.key, d.value]),
    comments: model.comments.map((c) => text.slice(c.from, c.to)),
  });
}

describe('nginx formatting', () => {
  it('indents by block depth with the editor options: spaces of tabSize, or tabs', () => {
    const text = 'http {\nserver {\nlisten 80;\nlocation / {\nroot /srv;\n}\n}\n}\n';
    assert.equal(
      nginx(text, { tabSize: 2, insertSpaces: true }),
      'http {\n  server {\n    listen 80;\n    location / {\n      root /srv;\n    }\n  }\n}\n',
    );
    assert.equal(
      nginx(text, { tabSize: 8, insertSpaces: false }),
      'http {\n\tserver {\n\t\tlisten 80;\n\t\tlocation / {\n\t\t\troot /srv;\n\t\t}\n\t}\n}\n',
    );
  });

  it('puts one directive per line, one space between words, `{` on its line and `}` on its own', () => {
    assert.equal(
      nginx('server{listen   80 default_server ;server_name\ta.example;location /x{return 204;}}'),
      'server {\n    listen 80 default_server;\n    server_name a.example;\n    location /x {\n        return 204;\n    }\n}\n',
    );
    assert.equal(nginx('events {}\n'), 'events {\n}\n');
  });

  it('keeps comments where they are: trailing ones trailing, own-line ones indented with their block', () => {
    const text =
      '# head\nserver { # the site\nlisten 80;    # plain\n      # about root\nroot /srv;\n# last\n}\n';
    assert.equal(
      nginx(text),
      '# head\nserver { # the site\n    listen 80; # plain\n    # about root\n    root /srv;\n    # last\n}\n',
    );
  });

  it('keeps blank lines but at most one, drops leading blank lines and trailing whitespace', () => {
    assert.equal(
      nginx('\n\n  user www-data;   \n\n\n\nworker_processes 2;\t\n'),
      'user www-data;\n\nworker_processes 2;\n',
    );
  });

  it('honours insertFinalNewline and trimFinalNewlines', () => {
    assert.equal(nginx('user a;'), 'user a;\n', 'a final newline by default');
    assert.equal(nginx('user a;\n\n\n'), 'user a;\n');
    assert.equal(nginx('user a;', { ...SPACES4, insertFinalNewline: false }), 'user a;');
    assert.equal(
      nginx('user a;\n\n\n', { ...SPACES4, insertFinalNewline: false, trimFinalNewlines: false }),
      'user a;\n\n',
      'blank lines still collapse to one',
    );
  });

  it('leaves quoted strings, ${var} and regexes in quotes exactly as written', () => {
    const text =
      'location ~ "^/img/[0-9]{2,3}/" {\n  add_header X-A "a;  b {c}  # no comment";\n  return 200 \'${host}  x\';\n}\n';
    const out = nginx(text);
    assert.ok(out.includes('"^/img/[0-9]{2,3}/" {'), out);
    assert.ok(out.includes('"a;  b {c}  # no comment";'), out);
    assert.ok(out.includes("'${host}  x';"), out);
    assert.equal(nginxMeaning(out), nginxMeaning(text));
  });

  it('keeps a quoted argument glued to the `)` that follows it, as nginx reads it', () => {
    assert.equal(
      nginx('if ($uri ~* "\\.(php|x){1}$") { return 403; }'),
      'if ($uri ~* "\\.(php|x){1}$") {\n    return 403;\n}\n',
    );
  });

  it('leaves a Lua block body untouched and indents only its closing brace', () => {
    const body = '\n  local t = { a = 1 }   -- } not the end\n      ngx.say("hi;  {there")\n';
    const text = `server {\nlocation / {\ncontent_by_lua_block {${body}}\n}\n}\n`;
    const out = nginx(text);
    assert.ok(out.includes(`        content_by_lua_block {${body}        }\n`), out);
    assert.equal(nginxMeaning(out), nginxMeaning(text));
  });

  it('keeps arguments continued on another line there, one level deeper', () => {
    const text =
      "http {\n log_format main '$remote_addr [$time_local] '\n                 '\"$request\" $status';\n}\n";
    assert.equal(
      nginx(text),
      "http {\n    log_format main '$remote_addr [$time_local] '\n        '\"$request\" $status';\n}\n",
    );
  });

  it('keeps CRLF line breaks and a byte order mark', () => {
    const out = nginx('\uFEFFserver {\r\nlisten 80;\r\n\r\n\r\nroot /srv;}\r\n');
    assert.equal(out, '\uFEFFserver {\r\n    listen 80;\r\n\r\n    root /srv;\r\n}\r\n');
  });

  it('formats nothing in a file with a syntax error, a template, or a language it does not own', () => {
    for (const broken of [
      'server {\nlisten 80\nroot /srv;\n}\n',
      'server {\nlisten 80;\n',
      'listen 80;}\n',
    ]) {
      assert.deepEqual(formatEdits('nginx', broken, SPACES4), [], broken);
    }
    const template = 'server {\n{% if ssl %}listen 443 ssl;{% endif %}\n}\n';
    assert.deepEqual(formatEdits('nginx', template, SPACES4), []);
    assert.deepEqual(formatEdits('nginx', 'server {\nlisten 80;\n}', SPACES4, 'site.conf.j2'), []);
    assert.deepEqual(formatEdits('gunicorn', 'workers  =  2\n', SPACES4), []);
    assert.deepEqual(formatEdits('commands', 'FROM  python\n', SPACES4), []);
  });

  it('answers with small edits of whitespace, not one whole-document replacement', () => {
    const text = 'server {\nlisten 80;\nroot /srv;\n}\n';
    const edits = formatDocument('nginx', text, SPACES4);
    assert.equal(edits.length, 2);
    for (const edit of edits) {
      assert.equal(edit.range.start.line, edit.range.end.line - 1, 'each edit spans one line break');
      assert.match(edit.newText, /^\n *$/);
    }
    assert.equal(applyEdits(text, edits), 'server {\n    listen 80;\n    root /srv;\n}\n');
    assert.deepEqual(formatDocument('nginx', applyEdits(text, edits), SPACES4), []);
  });

  it('range formatting formats the statements the range touches, whole, and nothing else', () => {
    const text = 'server {\nlisten   80;\nlocation / {\nroot   /srv;\n}\nindex    a;\n}\n';
    const at = text.indexOf('root');
    // A cursor inside `root` formats that directive, not the server around it.
    assert.equal(
      format('nginx', text, SPACES4, { from: at + 1, to: at + 1 }),
      'server {\nlisten   80;\nlocation / {\n        root /srv;\n}\nindex    a;\n}\n',
    );
    // A comment trailing the touched directive is part of its line.
    const commented = 'server {\nlisten 80;    # web\nroot   /srv;\n}\n';
    assert.equal(
      format('nginx', commented, SPACES4, { from: 10, to: 10 }),
      'server {\n    listen 80; # web\nroot   /srv;\n}\n',
    );
    // A range touching the `location` line formats the location block whole.
    const loc = text.indexOf('location');
    assert.equal(
      format('nginx', text, SPACES4, { from: loc, to: loc + 3 }),
      'server {\nlisten   80;\n    location / {\n        root /srv;\n    }\nindex    a;\n}\n',
    );
    // The same through LSP positions.
    const edits = formatDocument('nginx', text, SPACES4, undefined, {
      start: { line: 5, character: 0 },
      end: { line: 5, character: 3 },
    });
    assert.equal(
      applyEdits(text, edits),
      'server {\nlisten   80;\nlocation / {\nroot   /srv;\n}\n    index a;\n}\n',
    );
  });

  it('is idempotent and keeps every directive, argument and comment (generated configs)', () => {
    fc.assert(
      fc.property(nginxConfig(), (text) => {
        const once = nginx(text);
        assert.equal(nginxMeaning(once), nginxMeaning(text));
        assert.equal(nginx(once), once, 'formatting twice changes nothing');
        assert.deepEqual(formatEdits('nginx', once, SPACES4), []);
      }),
      fcParams(300),
    );
  });

  it('never throws on junk, and gives no edits where nginx would reject the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('{', '}', ';', '"', "'", '#', ' ', '\n', '\r', 'a', '$', '\\') }),
        (junk) => {
          const edits = formatEdits('nginx', junk, SPACES4);
          if (parseNginxConfig(junk).problems.length) assert.deepEqual(edits, []);
          else assert.equal(nginxMeaning(applyOffsetEdits(junk, edits)), nginxMeaning(junk));
        },
      ),
      fcParams(500),
    );
  });
});

describe('unit file formatting', () => {
  it('writes Key=value without spaces, removes indentation and trailing whitespace', () => {
    assert.equal(
      unit('[Service]\n  ExecStart = /srv/venv/bin/gunicorn app:app   \nUser =www-data\n# note   \n'),
      '[Service]\nExecStart=/srv/venv/bin/gunicorn app:app\nUser=www-data\n# note\n',
    );
  });

  it('puts one blank line before each section but the first; a comment above a header stays with it', () => {
    assert.equal(
      unit(
        '\n\n[Unit]\nDescription=App\n[Service]\nUser=app\n\n\n\n# how it runs\n[Install]\nWantedBy=multi-user.target\n',
      ),
      '[Unit]\nDescription=App\n\n[Service]\nUser=app\n\n# how it runs\n[Install]\nWantedBy=multi-user.target\n',
    );
  });

  it('keeps continuation lines exactly as written', () => {
    const text =
      '[Service]\nExecStart = /srv/venv/bin/gunicorn \\\n      --workers 3 \\\n  # a comment inside\n      app:app\n';
    assert.equal(
      unit(text),
      '[Service]\nExecStart=/srv/venv/bin/gunicorn \\\n      --workers 3 \\\n  # a comment inside\n      app:app\n',
    );
  });

  it('leaves a backslash followed by spaces alone: systemd does not continue that line', () => {
    const text = '[Service]\nEnvironment=A=1 \\  \nUser=app\n';
    assert.equal(unit(text), text);
  });

  it('keeps CRLF and a byte order mark; formats nothing in a file systemd would partly ignore or a template', () => {
    assert.equal(
      unit('\uFEFF[Unit]\r\nDescription = x\r\n[Service]\r\nUser=a'),
      '\uFEFF[Unit]\r\nDescription=x\r\n\r\n[Service]\r\nUser=a\r\n',
    );
    assert.deepEqual(
      formatEdits('systemd', 'User=a\n[Service]\nUser = b\n', SPACES4),
      [],
      'a key before any section',
    );
    assert.deepEqual(formatEdits('systemd', '[Service]\nnot an assignment\nUser = b\n', SPACES4), []);
    assert.deepEqual(formatEdits('systemd', '[Service]\nUser = {{ user }}\n', SPACES4), []);
  });

  it('range formatting touches only the lines in the range', () => {
    const text = '[Unit]\nDescription = a\n[Service]\nUser = b\n';
    assert.equal(
      format('systemd', text, SPACES4, { from: text.indexOf('User'), to: text.indexOf('User') }),
      '[Unit]\nDescription = a\n[Service]\nUser=b\n',
    );
  });

  it('is idempotent and keeps every section, key, value and comment (generated units)', () => {
    fc.assert(
      fc.property(unitText(), (text) => {
        const once = unit(text);
        if (!parseUnitFile(text).problems.length) assert.equal(unitMeaning(once), unitMeaning(text));
        assert.equal(unit(once), once);
      }),
      fcParams(300),
    );
  });

  it('never throws on junk', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('[', ']', '=', '\\', '#', ' ', '\t', '\n', '\r', 'a', ';') }),
        (junk) => {
          const edits = formatEdits('systemd', junk, SPACES4);
          if (!parseUnitFile(junk).problems.length) {
            assert.equal(unitMeaning(applyOffsetEdits(junk, edits)), unitMeaning(junk));
          }
        },
      ),
      fcParams(500),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Generators

const space = fc.constantFrom(' ', '  ', '\t', '\n', ' \n\n  ', '\r\n', '\n\n\n');
const inlineSpace = fc.constantFrom(' ', '   ', '\t');
const word = fc.constantFrom(
  'listen',
  '80',
  'proxy_pass',
  'http://shop',
  '$host',
  '${host}x',
  '"a  b {c}"',
  "'x;  y'",
  '"^/a{2}$"',
  '~*',
  'unix:/run/a.sock',
  '\\"',
  'a#b',
);
const comment = fc.constantFrom('# note', '#', '# a { b } ; "c"');

interface Node {
  words: string[];
  children?: Node[];
  lua?: boolean;
  comment?: string;
}

const node: fc.Memo<Node> = fc.memo((depth) =>
  fc.oneof(
    { depthSize: 'small' },
    fc.record({ words: fc.array(word, { minLength: 1, maxLength: 4 }) }),
    fc.record({ words: fc.constant<string[]>([]), comment }),
    fc.record({ words: fc.constant<string[]>(['content_by_lua_block']), lua: fc.constant(true) }),
    depth > 1
      ? fc.record({
          words: fc.array(word, { minLength: 1, maxLength: 3 }),
          children: fc.array(node(depth - 1), { maxLength: 4 }),
        })
      : fc.record({ words: fc.array(word, { minLength: 1, maxLength: 3 }) }),
  ),
);

function nginxConfig(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(node(4), { maxLength: 6 }), fc.infiniteStream(space), fc.infiniteStream(inlineSpace))
    .map(([nodes, spaces, inline]) => {
      const next = (): string => spaces.next().value as string;
      const nextInline = (): string => inline.next().value as string;
      const render = (list: readonly Node[]): string =>
        list
          .map((n) => {
            if (n.comment) return `${next()}${n.comment}\n`;
            const head = `${next()}${n.words.join(nextInline())}`;
            if (n.lua) return `${head} {\n  local t = { 1 }  -- }\n  ngx.say("}")\n}`;
            if (n.children) return `${head}${nextInline()}{${render(n.children)}${next()}}`;
            return `${head}${next() === '\n' ? '' : ' '};`;
          })
          .join('');
      return render(nodes) + next();
    });
}

function unitText(): fc.Arbitrary<string> {
  const line = fc.oneof(
    fc.constantFrom('[Unit]', '[Service]', '  [Install]  ', '# c', '; c  ', '', '   ', '\t'),
    fc
      .tuple(
        fc.constantFrom('User', 'ExecStart', ' Environment'),
        fc.constantFrom('=', ' = ', '  =', '=  '),
        fc.constantFrom('a', 'b c ', '"x  y"', '', 'a \\', '\\'),
      )
      .map(([k, e, v]) => `${k}${e}${v}`),
  );
  return fc
    .tuple(fc.array(line, { maxLength: 14 }), fc.constantFrom('\n', '\r\n'))
    .map(([lines, eol]) => `[Unit]${eol}${lines.join(eol)}${eol}`);
}

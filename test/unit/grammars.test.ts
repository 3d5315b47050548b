import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The TextMate grammars, language configurations and snippets for systemd units and nginx configs.
// The regexes are written in the subset that Oniguruma (VS Code) and JavaScript read alike, so this file can
// compile them with RegExp and run them through a small tokenizer of its own. That tokenizer follows
// vscode-textmate where it matters here: each line is scanned with its trailing newline, the earliest match
// wins, the end pattern wins a tie, regions carry over lines, capture patterns rescan their capture.

const root = join(__dirname, '..', '..', '..');
const readJson = (...parts: string[]): unknown => JSON.parse(readFileSync(join(root, ...parts), 'utf8'));

interface Capture {
  name?: string;
  patterns?: Rule[];
}
interface Rule {
  include?: string;
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  applyEndPatternLast?: boolean | number;
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
  whileCaptures?: Record<string, Capture>;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammars: Record<string, Grammar> = {
  systemd: readJson('syntaxes', 'systemd.tmLanguage.json') as Grammar,
  nginx: readJson('syntaxes', 'nginx.tmLanguage.json') as Grammar,
};

/** Every rule of a grammar, including those nested in patterns and in capture patterns. */
function allRules(grammar: Grammar): Rule[] {
  const found: Rule[] = [];
  const visit = (rule: Rule): void => {
    found.push(rule);
    rule.patterns?.forEach(visit);
    for (const captures of [rule.captures, rule.beginCaptures, rule.endCaptures, rule.whileCaptures]) {
      for (const capture of Object.values(captures ?? {})) capture.patterns?.forEach(visit);
    }
  };
  grammar.patterns.forEach(visit);
  Object.values(grammar.repository).forEach(visit);
  return found;
}

/** Constructs Oniguruma reads differently from JavaScript (or JavaScript rejects): none may appear. */
const ONIGURUMA_ONLY: [RegExp, string][] = [
  [/\\[GAzZhHKR]/, 'an Oniguruma-only escape (\\G, \\A, \\z, \\Z, \\h, \\K, \\R)'],
  [/\\[xo]\{/, 'a braced code point escape'],
  [/\(\?>/, 'an atomic group'],
  [/\(\?[imx]+-?[imx]*[:)]/, 'an inline flag group'],
  [/[*+?}]\+/, 'a possessive quantifier'],
  [/\\p\{/, 'a Unicode property escape'],
  [/\(\?~/, 'an absent operator'],
];

function checkPortableRegex(source: string, where: string): void {
  const withoutEscapedBackslashes = source.replace(/\\\\/g, '');
  const withoutEscapes = source.replace(/\\./g, 'E');
  for (const [construct, what] of ONIGURUMA_ONLY) {
    const text = construct.source.startsWith('\\\\') ? withoutEscapedBackslashes : withoutEscapes;
    assert.ok(!construct.test(text), `${where}: ${what} in ${source}`);
  }
  assert.doesNotThrow(() => new RegExp(source, 'dgm'), `${where}: ${source}`);
  assert.ok(!/\\[1-9]/.test(withoutEscapedBackslashes), `${where}: back-references are not supported here`);
}

// ---------------------------------------------------------------------------------------------------------
// A small TextMate tokenizer: match rules, begin/end regions that span lines, captures (with capture
// patterns), includes of repository entries and $self. It paints each character with its scope stack.

interface Frame {
  rule: Rule;
  end: RegExp;
  scopes: string[];
  contentScopes: string[];
}

class Tokenizer {
  private readonly regexCache = new Map<string, RegExp>();

  constructor(private readonly grammar: Grammar) {}

  /** Scopes of every character of every line. */
  tokenize(text: string): string[][][] {
    const stack: Frame[] = [];
    return text.split('\n').map((line) => {
      // Like vscode-textmate, scan each line with its newline, so $ can match both before and after it.
      const painted: string[][] = Array.from({ length: line.length + 1 }, () => []);
      this.scan(`${line}\n`, stack, painted, [this.grammar.scopeName], this.grammar.patterns);
      return painted.slice(0, line.length);
    });
  }

  private regex(source: string): RegExp {
    let re = this.regexCache.get(source);
    if (!re) {
      // m: ^ and $ work per line, as in Oniguruma.
      re = new RegExp(source, 'dgm');
      this.regexCache.set(source, re);
    }
    return re;
  }

  private flatten(patterns: Rule[], out: Rule[] = [], depth = 0): Rule[] {
    assert.ok(depth < 50, 'include cycle');
    for (const rule of patterns) {
      if (rule.include) {
        if (rule.include === '$self' || rule.include === '$base') {
          this.flatten(this.grammar.patterns, out, depth + 1);
        } else {
          const target = this.grammar.repository[rule.include.slice(1)];
          assert.ok(target, `missing include ${rule.include}`);
          this.flatten([target], out, depth + 1);
        }
      } else if (rule.match !== undefined || rule.begin !== undefined) {
        out.push(rule);
      } else if (rule.patterns) {
        this.flatten(rule.patterns, out, depth + 1);
      }
    }
    return out;
  }

  private scan(
    line: string,
    stack: Frame[],
    painted: string[][],
    rootScopes: string[],
    rootPatterns: Rule[],
    start = 0,
  ) {
    const paint = (from: number, to: number, scopes: string[]) => {
      for (let i = from; i < to; i++) painted[i] = [...scopes];
    };
    const applyCaptures = (m: RegExpExecArray, captures: Record<string, Capture> | undefined) => {
      for (const [group, capture] of Object.entries(captures ?? {})) {
        const span = m.indices?.[Number(group)];
        if (!span) continue;
        if (capture.name) {
          for (let i = span[0]; i < span[1]; i++) painted[i]!.push(capture.name);
        }
        if (capture.patterns) {
          // As in vscode-textmate: scan from the capture's start in the line cut at the capture's end.
          const inner: string[][] = Array.from({ length: span[1] }, () => []);
          const base = span[1] > span[0] ? painted[span[0]]! : [];
          this.scan(line.slice(0, span[1]), [], inner, base, capture.patterns, span[0]);
          for (let i = span[0]; i < span[1]; i++) painted[i] = inner[i]!;
        }
      }
    };

    let pos = start;
    for (let guard = 0; ; guard++) {
      assert.ok(guard < 10_000, `tokenizer loops on: ${line}`);
      const top = stack[stack.length - 1];
      const base = top ? top.contentScopes : rootScopes;
      let best: { m: RegExpExecArray; rule?: Rule } | undefined;
      if (top) {
        top.end.lastIndex = pos;
        const m = top.end.exec(line);
        if (m) best = { m };
      }
      for (const rule of this.flatten(top ? (top.rule.patterns ?? []) : rootPatterns)) {
        const re = this.regex((rule.match ?? rule.begin)!);
        re.lastIndex = pos;
        const m = re.exec(line);
        const endLast = best && !best.rule && !!top?.rule.applyEndPatternLast;
        if (m && (!best || m.index < best.m.index || (endLast && m.index === best.m.index))) {
          best = { m, rule };
        }
      }
      if (!best) break;
      const { m, rule } = best;
      paint(pos, m.index, base);
      const after = m.index + m[0].length;
      if (!rule) {
        // The end of the innermost region (on a tie the end wins, as in TextMate).
        paint(m.index, after, top!.scopes);
        applyCaptures(m, top!.rule.endCaptures ?? top!.rule.captures);
        stack.pop();
      } else if (rule.match !== undefined) {
        const scopes = rule.name ? [...base, rule.name] : base;
        paint(m.index, after, scopes);
        applyCaptures(m, rule.captures);
        if (after === m.index) {
          // An empty match must not stall the scan.
          if (after < line.length) paint(after, after + 1, base);
          pos = after + 1;
          if (pos > line.length) break;
          continue;
        }
      } else {
        const scopes = rule.name ? [...base, rule.name] : base;
        paint(m.index, after, scopes);
        applyCaptures(m, rule.beginCaptures ?? rule.captures);
        stack.push({
          rule,
          end: this.regex(rule.end!),
          scopes,
          contentScopes: rule.contentName ? [...scopes, rule.contentName] : scopes,
        });
      }
      pos = after;
    }
    const top = stack[stack.length - 1];
    paint(pos, line.length, top ? top.contentScopes : rootScopes);
  }
}

/** The scopes of the first character of `part` (the first occurrence at or after `from`) in line `lineNo`. */
function scopesOf(grammar: Grammar, text: string, part: string, lineNo = 0, from = 0): string[] {
  const lines = text.split('\n');
  const column = lines[lineNo]!.indexOf(part, from);
  assert.ok(column >= 0, `"${part}" is not in line ${lineNo}: ${lines[lineNo]}`);
  return new Tokenizer(grammar).tokenize(text)[lineNo]![column]!;
}

function assertScope(
  grammar: Grammar,
  text: string,
  part: string,
  prefix: string,
  lineNo = 0,
  from = 0,
): void {
  const scopes = scopesOf(grammar, text, part, lineNo, from);
  assert.ok(
    scopes.some((s) => s.startsWith(prefix)),
    `"${part}" in ${JSON.stringify(text.split('\n')[lineNo])} has ${JSON.stringify(scopes)}, expected ${prefix}…`,
  );
}

function assertNoScope(grammar: Grammar, text: string, part: string, prefix: string, lineNo = 0): void {
  const scopes = scopesOf(grammar, text, part, lineNo);
  assert.ok(
    !scopes.some((s) => s.startsWith(prefix)),
    `"${part}" has ${JSON.stringify(scopes)}, not ${prefix}…`,
  );
}

// ---------------------------------------------------------------------------------------------------------

describe('TextMate grammars for systemd units and nginx configs', () => {
  for (const [id, grammar] of Object.entries(grammars)) {
    describe(id, () => {
      it('has the expected scope name', () => {
        assert.equal(grammar.scopeName, `source.${id}`);
      });

      it('uses only regexes that compile as JavaScript and mean the same under Oniguruma', () => {
        let count = 0;
        for (const rule of allRules(grammar)) {
          for (const key of ['match', 'begin', 'end', 'while'] as const) {
            const source = rule[key];
            if (source === undefined) continue;
            checkPortableRegex(source, `${id} ${key}`);
            count++;
          }
          if (rule.begin !== undefined) {
            assert.ok(rule.end !== undefined || rule.while !== undefined, rule.begin);
          }
        }
        assert.ok(count > 20, `only ${count} regexes`);
      });

      it('includes only repository entries that exist', () => {
        for (const rule of allRules(grammar)) {
          if (rule.include === undefined) continue;
          assert.ok(rule.include.startsWith('#'), `${id}: external include ${rule.include}`);
          assert.ok(
            rule.include.slice(1) in grammar.repository,
            `${id}: no repository entry ${rule.include}`,
          );
        }
      });

      it('names every scope with the language suffix', () => {
        for (const rule of allRules(grammar)) {
          const names = [rule.name, rule.contentName];
          for (const captures of [rule.captures, rule.beginCaptures, rule.endCaptures]) {
            for (const capture of Object.values(captures ?? {})) names.push(capture.name);
          }
          for (const name of names) {
            if (name !== undefined) assert.ok(name.endsWith(`.${id}`), `${id}: scope ${name}`);
          }
        }
      });
    });
  }

  describe('systemd highlighting', () => {
    const g = grammars.systemd!;

    it('scopes section headers, comments and directive names', () => {
      assertScope(g, '[Service]', 'Service', 'entity.name.section');
      assertScope(g, '[Service]', '[', 'punctuation.definition.section.begin');
      assertScope(g, '# a comment', 'a comment', 'comment.line.number-sign');
      assertScope(g, '  ; another', 'another', 'comment.line.semicolon');
      assertScope(g, 'ExecStart=/usr/bin/gunicorn', 'ExecStart', 'keyword.other.directive');
      assertScope(g, 'User=www-data', 'User', 'keyword.other.directive');
      assertScope(g, 'User=www-data', '=', 'keyword.operator.assignment');
      assertScope(g, 'X-Deploy-Owner=ops', 'X-Deploy-Owner', 'keyword.other.directive.extension');
      assertNoScope(g, 'Description=a # not a comment', '#', 'comment');
    });

    it('ends an entry at its line end, so the next line starts a new one', () => {
      // Each case once swallowed the newline or matched after it, which kept the entry open.
      for (const first of [
        'RemainAfterExit=1',
        'ExecStart=',
        'TimeoutSec=5s ',
        'ExecStart=/bin/sh -c "oops',
      ]) {
        assertScope(g, `${first}\nUser=app`, 'User', 'keyword.other.directive', 1);
        assertNoScope(g, `${first}\nUser=app`, 'User', 'meta.entry.exec', 1);
      }
      assertScope(g, 'Description=a \\\n  b\nUser=app', 'User', 'keyword.other.directive', 2);
      assertNoScope(g, 'Description=a \\\nUser=app', 'User', 'keyword', 1);
    });

    it('scopes booleans, time spans, sizes, percentages, numbers and unit names', () => {
      assertScope(g, 'PrivateTmp=yes', 'yes', 'constant.language.boolean');
      assertScope(g, 'NoNewPrivileges=true', 'true', 'constant.language.boolean');
      assertScope(g, 'RemainAfterExit=1', '1', 'constant.language.boolean');
      assertScope(g, 'TimeoutStopSec=5min 30s', '5min', 'constant.numeric.timespan');
      assertScope(g, 'TimeoutStopSec=5min 30s', 'min', 'keyword.other.unit.time');
      assertScope(g, 'TimeoutStopSec=5min 30s', '30s', 'constant.numeric.timespan');
      assertScope(g, 'MemoryMax=512M', '512', 'constant.numeric.size');
      assertScope(g, 'MemoryMax=512M', 'M', 'keyword.other.unit.size', 0, 13);
      assertScope(g, 'CPUQuota=50%', '50', 'constant.numeric.percentage');
      assertScope(g, 'LimitNOFILE=65536 4096', '4096', 'constant.numeric');
      assertScope(g, 'WantedBy=multi-user.target', 'multi-user.target', 'entity.name.type.unit');
      assertNoScope(g, 'WorkingDirectory=/srv/app2', '2', 'constant.numeric');
    });

    it('scopes specifiers, environment references, strings and environment assignments', () => {
      assertScope(g, 'ListenStream=/run/%i.sock', '%i', 'constant.other.placeholder.specifier');
      assertScope(g, 'Description=100%% ready', '%%', 'constant.character.escape.percent');
      assertScope(g, 'ExecReload=/bin/kill -s HUP $MAINPID', '$MAINPID', 'variable.other.environment');
      assertScope(g, 'ExecStart=/bin/echo ${GREETING}', 'GREETING', 'variable.other.environment');
      assertScope(g, 'ExecStart=/bin/echo "a \\"b\\" %h"', 'a ', 'string.quoted.double');
      assertScope(g, 'ExecStart=/bin/echo "a \\"b\\" %h"', '\\"', 'constant.character.escape');
      assertScope(g, 'ExecStart=/bin/echo "a \\"b\\" %h"', '%h', 'constant.other.placeholder.specifier');
      assertScope(
        g,
        'Environment="DJANGO_DEBUG=0" LANG=C.UTF-8',
        'DJANGO_DEBUG',
        'variable.other.environment',
      );
      assertScope(g, 'Environment="DJANGO_DEBUG=0" LANG=C.UTF-8', 'LANG', 'variable.other.environment');
    });

    it('scopes exec prefixes and the gunicorn command line, across continued lines', () => {
      assertScope(g, 'ExecStartPre=-/bin/mkdir -p /run/app', '-', 'storage.modifier.exec-prefix', 0, 13);
      assertScope(g, 'ExecStart=!!/usr/bin/true', '!!', 'storage.modifier.exec-prefix');
      assertScope(g, 'ExecStart=+@:/usr/bin/env env', '+@:', 'storage.modifier.exec-prefix');
      assertNoScope(g, 'ExecStart=/usr/bin/true', '/', 'storage.modifier');

      const unit = [
        'ExecStart=/srv/app/.venv/bin/gunicorn --workers 3 \\',
        '    -b unix:/run/app.sock \\',
        '    # a comment inside the continued value',
        '    --access-logfile=- myproject.wsgi:application',
        'User=app',
      ].join('\n');
      assertScope(g, unit, 'gunicorn', 'support.function.executable.gunicorn', 0);
      assertScope(g, unit, '--workers', 'variable.parameter.option.gunicorn', 0);
      assertScope(g, unit, '3', 'constant.numeric', 0);
      assertScope(g, unit, '\\', 'constant.character.escape.line-continuation', 0);
      assertScope(g, unit, '-b', 'variable.parameter.option.gunicorn', 1);
      assertScope(g, unit, 'a comment', 'comment.line', 2);
      assertScope(g, unit, '--access-logfile', 'variable.parameter.option.gunicorn', 3);
      assertScope(g, unit, 'myproject.wsgi', 'entity.name.namespace.module.gunicorn', 3);
      assertScope(g, unit, 'application', 'entity.name.function.app.gunicorn', 3);
      assertScope(g, unit, 'User', 'keyword.other.directive', 4);
      assertNoScope(g, unit, 'User', 'meta.embedded.command.gunicorn', 4);

      // An empty line ends a continued value even after a comment line.
      const cut = 'ExecStart=/srv/venv/bin/gunicorn \\\n  # note\n\n  --workers 3';
      assertNoScope(g, cut, '--workers', 'variable.parameter', 3);
      assertScope(g, cut, 'note', 'comment.line', 1);

      assertScope(
        g,
        'ExecStart=/usr/bin/python3 -m gunicorn -w 2 app:app',
        '-w',
        'variable.parameter.option',
      );
      assertNoScope(g, 'ExecStart=/usr/bin/uwsgi --ini app.ini', '--ini', 'variable.parameter');
      assertNoScope(g, 'ExecStart=/usr/bin/tool -c /etc/gunicorn.conf.py', '-c', 'variable.parameter');
    });
  });

  describe('nginx highlighting', () => {
    const g = grammars.nginx!;

    it('scopes directives, blocks, punctuation and comments', () => {
      assertScope(g, '    proxy_pass http://app;', 'proxy_pass', 'keyword.other.directive');
      assertScope(g, '    proxy_pass http://app;', ';', 'punctuation.terminator');
      assertScope(g, 'http {', 'http', 'storage.type.block');
      assertScope(g, 'http {', '{', 'punctuation.section.block.begin');
      assertScope(g, '}', '}', 'punctuation.section.block.end');
      assertScope(g, 'server {', 'server', 'storage.type.block');
      assertScope(g, 'server unix:/run/app.sock fail_timeout=0;', 'server', 'keyword.other.directive');
      assertScope(g, 'upstream app_server {', 'app_server', 'entity.name.type.upstream');
      assertScope(g, 'events { worker_connections 1024; }', 'worker_connections', 'keyword.other.directive');
      assertScope(g, 'listen 80; # comment', '# comment', 'comment.line.number-sign');
      assertNoScope(g, 'add_header X-Location location;', 'location', 'storage.type');
      assertScope(g, 'server_name\n    example.com;\nroot /srv;', 'root', 'keyword.other.directive', 2);
    });

    it('scopes location modifiers, named locations and regexes', () => {
      assertScope(g, 'location = /favicon.ico {', '=', 'keyword.operator.modifier');
      assertScope(g, 'location = /favicon.ico {', '/favicon.ico', 'string.unquoted.uri');
      assertScope(g, 'location ^~ /static/ {', '^~', 'keyword.operator.modifier');
      assertScope(g, 'location ~* \\.(png|jpg)$ {', '~*', 'keyword.operator.modifier.regex');
      assertScope(g, 'location ~* \\.(png|jpg)$ {', '\\.(png', 'string.regexp');
      assertScope(g, 'location ~ ^/api/ {', '^/api/', 'string.regexp');
      assertScope(g, 'location @proxy {', 'proxy', 'entity.name.function.named-location');
      assertScope(g, 'location / {', '/', 'string.unquoted.uri');
      assertScope(g, 'location / {', 'location', 'storage.type.block.location');
      assertScope(g, 'if ($http_user_agent ~* (bot|crawler)) {', '(bot', 'string.regexp');
      assertScope(g, 'if ($http_user_agent ~* (bot|crawler)) {', 'if', 'keyword.control.conditional');
      assertScope(g, 'if (!-f $request_filename) {', '!-f', 'keyword.operator.comparison');
      assertScope(g, 'if ($request_method !~ ^(GET|POST)$ ) {', '^(GET', 'string.regexp');
      assertNoScope(g, 'if ($request_method !~ ^(GET|POST)$ ) {', ') {', 'string.regexp');
      assertScope(g, 'rewrite ^/old/(.*)$ /new/$1 permanent;', '^/old', 'string.regexp');
      assertScope(g, 'rewrite ^/old/(.*)$ /new/$1 permanent;', 'permanent', 'keyword.other.flag');
    });

    it('scopes variables, strings, numbers with units, booleans, URLs, addresses and include paths', () => {
      assertScope(g, 'proxy_set_header Host $host;', '$host', 'variable.other');
      assertScope(g, 'return 301 https://${host}$request_uri;', 'host}', 'variable.other');
      assertScope(g, "log_format main '$remote_addr \\'x\\'';", '$remote_addr', 'variable.other');
      assertScope(g, "log_format main '$remote_addr \\'x\\'';", "\\'", 'constant.character.escape');
      assertScope(g, 'add_header X-Frame-Options "DENY";', 'DENY', 'string.quoted.double');
      assertScope(g, 'proxy_read_timeout 10s;', '10s', 'constant.numeric');
      assertScope(g, 'proxy_read_timeout 10s;', 's', 'keyword.other.unit', 0, 21);
      assertScope(g, 'client_max_body_size 64k;', '64k', 'constant.numeric');
      assertScope(g, 'proxy_http_version 1.1;', '1.1', 'constant.numeric');
      assertScope(g, 'proxy_buffering on;', 'on', 'constant.language.boolean');
      assertScope(g, 'proxy_pass http://unix:/run/gunicorn.sock:;', 'http://', 'markup.underline.link');
      assertScope(g, 'proxy_pass http://unix:/run/gunicorn.sock:;', '/run', 'string.unquoted.path.socket');
      assertScope(g, 'server unix:/run/app.sock fail_timeout=0;', '/run', 'string.unquoted.path.socket');
      assertScope(
        g,
        'server unix:/run/app.sock fail_timeout=0;',
        'fail_timeout',
        'entity.other.attribute-name',
      );
      assertScope(g, 'server unix:/run/app.sock fail_timeout=0;', '0', 'constant.numeric');
      assertScope(g, 'listen 127.0.0.1:8000;', '127.0.0.1', 'constant.numeric.ip-address');
      assertScope(g, 'listen 127.0.0.1:8000;', '8000', 'constant.numeric.port');
      assertScope(g, 'listen [::]:443 ssl;', '::', 'constant.numeric.ip-address');
      assertScope(g, 'allow 10.0.0.0/8;', '8', 'constant.numeric.cidr');
      assertScope(g, 'include /etc/nginx/proxy_params;', '/etc', 'string.unquoted.path.include');
      assertScope(g, 'include /etc/nginx/proxy_params;', 'include', 'keyword.control.import');
      assertScope(g, 'server_name ~^(www\\.)?example\\.com$;', '^(www', 'string.regexp');
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

interface LanguageConfiguration {
  comments?: { lineComment?: string };
  brackets?: [string, string][];
  autoClosingPairs?: ({ open: string; close: string } | [string, string])[];
  surroundingPairs?: ([string, string] | { open: string; close: string })[];
  wordPattern?: string;
  folding?: { markers?: { start: string; end: string } };
  onEnterRules?: { beforeText: string; afterText?: string; previousLineText?: string }[];
  indentationRules?: Record<string, string>;
}

describe('language configurations', () => {
  const configs: Record<string, LanguageConfiguration> = {
    systemd: readJson('language-configuration', 'systemd.json') as LanguageConfiguration,
    nginx: readJson('language-configuration', 'nginx.json') as LanguageConfiguration,
  };

  it('comment with # and pair brackets and quotes', () => {
    for (const [id, config] of Object.entries(configs)) {
      assert.equal(config.comments?.lineComment, '#', id);
      const opens = (config.autoClosingPairs ?? []).map((p) => (Array.isArray(p) ? p[0] : p.open));
      assert.ok(opens.includes('"') && opens.includes("'"), id);
    }
    assert.deepEqual(configs.systemd!.brackets, [['[', ']']]);
    assert.deepEqual(configs.nginx!.brackets, [
      ['{', '}'],
      ['(', ')'],
    ]);
  });

  it('has regexes that compile and match what they are meant for', () => {
    for (const [id, config] of Object.entries(configs)) {
      const sources = [
        config.wordPattern,
        config.folding?.markers?.start,
        config.folding?.markers?.end,
        ...Object.values(config.indentationRules ?? {}),
        ...(config.onEnterRules ?? []).flatMap((r) => [r.beforeText, r.afterText, r.previousLineText]),
      ];
      for (const source of sources) {
        if (source !== undefined) assert.doesNotThrow(() => new RegExp(source), id);
      }
    }
    const word = (id: string, text: string) => text.match(new RegExp(configs[id]!.wordPattern!))?.[0];
    assert.equal(word('systemd', 'ExecStartPre=/bin/true'), 'ExecStartPre');
    assert.equal(word('systemd', 'X-Deploy-Owner=ops'), 'X-Deploy-Owner');
    assert.equal(word('systemd', 'multi-user.target'), 'multi-user.target');
    assert.equal(word('nginx', 'proxy_set_header Host $host;'), 'proxy_set_header');
    assert.equal(word('nginx', '$http_x_forwarded_for;'), '$http_x_forwarded_for');

    const nginxEnter = configs.nginx!.onEnterRules!.map((r) => new RegExp(r.beforeText));
    assert.ok(nginxEnter.some((re) => re.test('    location / {')));
    assert.ok(!nginxEnter.some((re) => re.test('    proxy_pass http://app;')));
  });
});

// ---------------------------------------------------------------------------------------------------------

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

/** The text a snippet inserts when every placeholder keeps its default. */
function expandSnippet(body: string): string {
  let text = body;
  let previous;
  do {
    previous = text;
    text = text.replace(/\$\{\d+:([^{}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  } while (text !== previous);
  return text.replace(/(?<!\\)\$\d+/g, '').replace(/\\([$}\\])/g, '$1');
}

describe('snippets', () => {
  const dir = join(root, 'snippets');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`${file} parses and every snippet has a prefix, a body and a description`, () => {
      const snippets = readJson('snippets', file) as Record<string, Snippet>;
      assert.ok(Object.keys(snippets).length > 0, file);
      for (const [name, snippet] of Object.entries(snippets)) {
        const prefixes = Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix];
        assert.ok(prefixes.length > 0 && prefixes.every((p) => typeof p === 'string' && p.length > 0), name);
        const body = Array.isArray(snippet.body) ? snippet.body : [snippet.body];
        assert.ok(body.length > 0 && body.every((l) => typeof l === 'string'), name);
        assert.equal(typeof snippet.description, 'string', name);
        assert.ok(snippet.description.length > 20, `${name}: description`);
      }
    });
  }

  const expected: Record<string, string[]> = {
    'systemd.json': ['gunicorn-service', 'gunicorn-socket', 'systemd-hardening'],
    'nginx.json': [
      'gunicorn-upstream-server',
      'gunicorn-websocket-location',
      'gunicorn-static-location',
      'gunicorn-proxy-headers',
    ],
  };
  for (const [file, prefixes] of Object.entries(expected)) {
    it(`${file} offers ${prefixes.join(', ')} with escaped dollars and highlightable text`, () => {
      const snippets = Object.values(readJson('snippets', file) as Record<string, Snippet>);
      assert.deepEqual(snippets.map((s) => s.prefix).sort(), [...prefixes].sort());
      const grammar = file === 'systemd.json' ? grammars.systemd! : grammars.nginx!;
      for (const snippet of snippets) {
        const body = Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
        // A bare $name would be read as a snippet variable, so the config's own $ must be escaped.
        assert.ok(!/(?<!\\)\$(?![\d{])/.test(body), `${snippet.prefix}: unescaped $`);
        assert.ok(!/(?<!\\)\$\{(?!\d)/.test(body), `${snippet.prefix}: \${ that is not a tab stop`);
        const text = expandSnippet(body);
        assert.ok(!/\$\{\d|\$\d/.test(text), `${snippet.prefix}: placeholder left in ${text}`);
        const lines = new Tokenizer(grammar).tokenize(text);
        assert.equal(lines.length, text.split('\n').length);
      }
    });
  }

  it('expands the gunicorn service with its defaults', () => {
    const snippets = Object.values(readJson('snippets', 'systemd.json') as Record<string, Snippet>);
    const service = snippets.find((s) => s.prefix === 'gunicorn-service')!;
    const text = expandSnippet((service.body as string[]).join('\n'));
    assert.match(text, /^ExecReload=\/bin\/kill -s HUP \$MAINPID$/m);
    assert.match(text, /^Type=notify$/m);
    assert.match(text, /^ExecStart=\S+\/bin\/gunicorn -c \S+ \S+:\S+$/m);
    assert.match(text, /^WantedBy=multi-user\.target$/m);
  });
});

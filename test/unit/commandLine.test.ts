import { strict as assert } from 'node:assert';
import { parseVersion, type Version } from '../../server/src/core/version';
import {
  effectiveCliSettings,
  findGunicornInvocation,
  findGunicornInvocations,
  type GunicornInvocation,
} from '../../server/src/languages/gunicorn/commandLine';
import {
  checkGunicornCommandLine,
  type CommandLineIssue,
} from '../../server/src/languages/gunicorn/commandLineCheck';
import {
  splitCommands,
  tokenizeCommandLine,
  tokensFromJsonArray,
  type Dialect,
  type Token,
} from '../../server/src/languages/gunicorn/commandWords';

function v(text: string): Version {
  return parseVersion(text)!;
}

/** The first Gunicorn invocation in `line` (fails the test when there is none). */
function invocationOf(line: string, dialect: Dialect = 'shell', version = '26.1.0'): GunicornInvocation {
  const [found] = findGunicornInvocations(line, 0, dialect, { version: v(version) });
  if (!found) throw new Error(`no gunicorn in: ${line}`);
  return found;
}

function issues(line: string, version = '26.1.0', dialect: Dialect = 'shell'): CommandLineIssue[] {
  return checkGunicornCommandLine(invocationOf(line, dialect, version), { version: v(version) });
}

function rulesOf(line: string, version?: string, dialect?: Dialect): string[] {
  return issues(line, version, dialect).map((i) => i.rule);
}

/** The rules of a line that repeats a flag to try several values (the repetition itself is another finding). */
function valueRules(line: string): string[] {
  return rulesOf(line).filter((rule) => rule !== 'repeated-cli-flag');
}

/** Applies the fix of the first issue of `rule` and returns the new line. */
function fixed(line: string, rule: string, version?: string, dialect?: Dialect): string {
  const issue = issues(line, version, dialect).find((i) => i.rule === rule);
  if (!issue?.fix) throw new Error(`no ${rule} fix in: ${line}`);
  return line.slice(0, issue.fix.from) + issue.fix.newText + line.slice(issue.fix.to);
}

/** Each token's raw text, checking that the offsets really point at it. */
function raw(text: string, tokens: Token[]): string[] {
  return tokens.map((t) => text.slice(t.from, t.to));
}

function texts(tokens: Token[]): string[] {
  return tokens.map((t) => t.text);
}

function optionSummary(line: string, dialect: Dialect = 'shell', version = '26.1.0'): string[] {
  return invocationOf(line, dialect, version).options.map(
    (o) =>
      `${o.flag}${o.setting ? `>${o.setting}` : ''}${o.value !== undefined ? `=${o.value}` : ''}` +
      `:${o.form}${o.problem ? `!${o.problem.kind}` : ''}`,
  );
}

describe('gunicorn command lines', () => {
  describe('tokenizer', () => {
    it('splits on blanks and keeps raw offsets', () => {
      const text = 'gunicorn  -w 4\tapp:app';
      const tokens = tokenizeCommandLine(text);
      assert.deepEqual(texts(tokens), ['gunicorn', '-w', '4', 'app:app']);
      assert.deepEqual(raw(text, tokens), ['gunicorn', '-w', '4', 'app:app']);
      assert.deepEqual(
        tokens.map((t) => t.quoted),
        [false, false, false, false],
      );
    });

    it('starts at an offset, as for a Procfile or an ExecStart= line', () => {
      const text = 'web: gunicorn app:app --log-file -';
      const tokens = tokenizeCommandLine(text, 5);
      assert.deepEqual(texts(tokens), ['gunicorn', 'app:app', '--log-file', '-']);
      assert.equal(tokens[0]!.from, 5);
      assert.deepEqual(raw(text, tokens), texts(tokens));
    });

    it('removes single and double quotes and shell escapes', () => {
      const text = `gunicorn --access-logformat '%(h)s "%(r)s"' -n "my app" --pid=/run/a\\ b.pid "a"'b'c`;
      const tokens = tokenizeCommandLine(text);
      assert.deepEqual(texts(tokens), [
        'gunicorn',
        '--access-logformat',
        '%(h)s "%(r)s"',
        '-n',
        'my app',
        '--pid=/run/a b.pid',
        'abc',
      ]);
      assert.deepEqual(raw(text, tokens).slice(2), [
        `'%(h)s "%(r)s"'`,
        '-n',
        '"my app"',
        '--pid=/run/a\\ b.pid',
        `"a"'b'c`,
      ]);
      assert.deepEqual(
        tokens.map((t) => t.quoted),
        [false, false, true, false, true, true, true],
      );
    });

    it('unescapes only $ ` " \\ inside double quotes', () => {
      const tokens = tokenizeCommandLine(String.raw`echo "a\"b\\c\n" 'x\y'`);
      assert.deepEqual(texts(tokens), ['echo', 'a"b\\c\\n', 'x\\y']);
    });

    it('joins backslash-newline continuations (LF and CRLF)', () => {
      const text = 'gunicorn \\\n  --workers 3 \\\r\n  --bind=0.0.0.0:80 app:app\nnext line';
      const tokens = tokenizeCommandLine(text);
      assert.deepEqual(texts(tokens), ['gunicorn', '--workers', '3', '--bind=0.0.0.0:80', 'app:app']);
      assert.deepEqual(raw(text, tokens), texts(tokens));
    });

    it('continues inside a word and inside double quotes', () => {
      const text = 'gunicorn --wor\\\nkers 3 "app\\\n:app"';
      assert.deepEqual(texts(tokenizeCommandLine(text)), ['gunicorn', '--workers', '3', 'app:app']);
    });

    it('stops at the first unescaped line break and at comments', () => {
      assert.deepEqual(texts(tokenizeCommandLine('gunicorn a:b\nCMD other')), ['gunicorn', 'a:b']);
      assert.deepEqual(texts(tokenizeCommandLine('gunicorn a:b # comment -w x')), ['gunicorn', 'a:b']);
      assert.deepEqual(texts(tokenizeCommandLine('gunicorn "a\nb"')), ['gunicorn', 'a\nb']);
    });

    it('stops at shell operators; splitCommands returns every command', () => {
      const text = 'cd /srv/app && exec gunicorn app:app || echo failed; true | cat & wait';
      assert.deepEqual(texts(tokenizeCommandLine(text)), ['cd', '/srv/app']);
      assert.deepEqual(splitCommands(text).map(texts), [
        ['cd', '/srv/app'],
        ['exec', 'gunicorn', 'app:app'],
        ['echo', 'failed'],
        ['true'],
        ['cat'],
        ['wait'],
      ]);
      assert.deepEqual(splitCommands('a;b').map(texts), [['a'], ['b']]);
      assert.deepEqual(splitCommands("a ';' b").map(texts), [['a', ';', 'b']]);
    });

    it('drops redirections and their targets', () => {
      const text = 'gunicorn app:app >/var/log/g.log 2>&1 < /dev/null &>> all.log -w 2';
      assert.deepEqual(texts(tokenizeCommandLine(text)), ['gunicorn', 'app:app', '-w', '2']);
    });

    it('keeps shell expansions literal and marks them dynamic', () => {
      const text = 'gunicorn --bind 0.0.0.0:$PORT -w ${WORKERS:-2} --name "$(hostname)" -t `cat t` app:app';
      const tokens = tokenizeCommandLine(text);
      assert.deepEqual(texts(tokens), [
        'gunicorn',
        '--bind',
        '0.0.0.0:$PORT',
        '-w',
        '${WORKERS:-2}',
        '--name',
        '$(hostname)',
        '-t',
        '`cat t`',
        'app:app',
      ]);
      assert.deepEqual(
        tokens.filter((t) => t.dynamic).map((t) => t.text),
        ['0.0.0.0:$PORT', '${WORKERS:-2}', '$(hostname)', '`cat t`'],
      );
      assert.equal(tokenizeCommandLine("echo '$PORT'")[1]!.dynamic, undefined);
    });

    it('reads systemd lines: specifiers stay literal, && is an argument, a lone ; separates', () => {
      const text = '/usr/bin/gunicorn --pid /run/%i.pid --access-logformat "100%% %(h)s" && x ; /bin/true';
      const commands = splitCommands(text, 0, 'systemd');
      assert.deepEqual(commands.map(texts), [
        ['/usr/bin/gunicorn', '--pid', '/run/%i.pid', '--access-logformat', '100% %(h)s', '&&', 'x'],
        ['/bin/true'],
      ]);
      const [first] = commands;
      assert.equal(first![2]!.dynamic, true);
      assert.equal(first![4]!.dynamic, undefined);
      assert.deepEqual(raw(text, first!).slice(0, 3), ['/usr/bin/gunicorn', '--pid', '/run/%i.pid']);
    });

    it('reads systemd C escapes and $VAR substitution', () => {
      const tokens = tokenizeCommandLine('gunicorn "a\\tb" \\x41 ${BIND} $$HOME', 0, 'systemd');
      assert.deepEqual(texts(tokens), ['gunicorn', 'a\tb', 'A', '${BIND}', '$HOME']);
      assert.equal(tokens[3]!.dynamic, true);
      assert.equal(tokens[4]!.dynamic, undefined);
    });

    it('reads Dockerfile exec form (a JSON array)', () => {
      const text = 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]';
      const tokens = tokensFromJsonArray(text, 4)!;
      assert.deepEqual(texts(tokens), ['gunicorn', '-b', '0.0.0.0:8000', 'app:app']);
      assert.deepEqual(raw(text, tokens), ['"gunicorn"', '"-b"', '"0.0.0.0:8000"', '"app:app"']);
      assert.deepEqual(texts(tokensFromJsonArray('[ "a\\"b", "\\u0041\\n" ]')!), ['a"b', 'A\n']);
      assert.deepEqual(tokensFromJsonArray('[]'), []);
      assert.equal(tokensFromJsonArray('["gunicorn", app]'), undefined);
      assert.equal(tokensFromJsonArray('["gunicorn",]'), undefined);
      assert.equal(tokensFromJsonArray('gunicorn app:app'), undefined);
      assert.equal(tokensFromJsonArray('["gunicorn"'), undefined);
    });
  });

  describe('launcher', () => {
    const launchers: [string, string][] = [
      ['gunicorn app:app', 'gunicorn'],
      ['/srv/app/venv/bin/gunicorn app:app', '/srv/app/venv/bin/gunicorn'],
      ['python -m gunicorn app:app', 'gunicorn'],
      ['python3.11 -m gunicorn app:app', 'gunicorn'],
      ['/opt/app/.venv/bin/python -m gunicorn app:app', 'gunicorn'],
      ['python3 -u -X dev -m gunicorn app:app', 'gunicorn'],
      ['python -mgunicorn app:app', '-mgunicorn'],
      ['python -m gunicorn.app.wsgiapp app:app', 'gunicorn.app.wsgiapp'],
      ['python venv/bin/gunicorn app:app', 'venv/bin/gunicorn'],
      ['exec gunicorn app:app', 'gunicorn'],
      ['exec nohup gunicorn app:app', 'gunicorn'],
      ['env X=1 gunicorn app:app', 'gunicorn'],
      ['env -i PATH=/bin gunicorn app:app', 'gunicorn'],
      ['poetry run gunicorn app:app', 'gunicorn'],
      ['uv run --env-file .env --no-sync gunicorn app:app', 'gunicorn'],
      ['uv run -- gunicorn app:app', 'gunicorn'],
      ['pipenv run gunicorn app:app', 'gunicorn'],
      ['gunicorn3 app:app', 'gunicorn3'],
      ['newrelic-admin run-program gunicorn app:app', 'gunicorn'],
      ['newrelic-admin run-python -m gunicorn app:app', 'gunicorn'],
      ['ddtrace-run gunicorn app:app', 'gunicorn'],
      ['opentelemetry-instrument --traces_exporter otlp --service_name=web gunicorn app:app', 'gunicorn'],
      ['exec gosu app gunicorn app:app', 'gunicorn'],
      ['su-exec app:app gunicorn app:app', 'gunicorn'],
    ];
    for (const [line, launcher] of launchers) {
      it(`finds ${line}`, () => {
        const found = invocationOf(line);
        assert.equal(found.launcher.text, launcher);
        assert.deepEqual(texts(found.positionals), ['app:app']);
      });
    }

    it('strips systemd exec prefixes; with @ the next word is argv[0]', () => {
      for (const prefix of ['-', '@', '+', '!', '!!', ':', '-+']) {
        const text = prefix.includes('@')
          ? `${prefix}/usr/bin/gunicorn my-name -w 2 app:app`
          : `${prefix}/usr/bin/gunicorn -w 2 app:app`;
        const found = invocationOf(text, 'systemd');
        assert.equal(found.launcher.text, '/usr/bin/gunicorn');
        assert.equal(text.slice(found.launcher.from, found.launcher.to), '/usr/bin/gunicorn');
        assert.deepEqual(texts(found.positionals), ['app:app']);
      }
    });

    it('records environment assignments', () => {
      const found = invocationOf(
        'WEB_CONCURRENCY=3 env PORT=80 "GUNICORN_CMD_ARGS=--timeout 5" gunicorn a:b',
      );
      assert.deepEqual(
        found.envAssignments.map((e) => [e.name, e.value]),
        [
          ['WEB_CONCURRENCY', '3'],
          ['PORT', '80'],
          ['GUNICORN_CMD_ARGS', '--timeout 5'],
        ],
      );
    });

    it('finds the command after cd &&', () => {
      assert.equal(invocationOf('cd /srv/app && exec gunicorn app:app').launcher.text, 'gunicorn');
      assert.equal(findGunicornInvocations('cd /a && gunicorn a:b; gunicorn c:d').length, 2);
    });

    it('is not fooled by other programs', () => {
      for (const line of [
        'uvicorn main:app --workers 4',
        'python manage.py runserver',
        'python -c "import gunicorn"',
        'python -m uvicorn main:app',
        'echo gunicorn app:app',
        'celery -A proj worker -k uvicorn.workers.UvicornWorker',
        'poetry install gunicorn',
        'sh -c "gunicorn app:app"',
        'newrelic-admin generate-config KEY gunicorn.ini',
        'ddtrace-run uvicorn main:app',
        'gosu app celery -A proj worker',
      ]) {
        assert.equal(findGunicornInvocation(tokenizeCommandLine(line)), undefined, line);
      }
      assert.equal(findGunicornInvocation([]), undefined);
    });
  });

  describe('options', () => {
    it('reads every form argparse accepts', () => {
      assert.deepEqual(optionSummary('gunicorn --workers 4 --workers=5 -w6 -w 7 -w=8 app:app'), [
        '--workers>workers=4:separate',
        '--workers>workers=5:equals',
        '-w>workers=6:attached',
        '-w>workers=7:separate',
        '-w>workers=8:equals',
      ]);
    });

    it('gives flags without a value no value, and reads -D clusters', () => {
      assert.deepEqual(optionSummary('gunicorn -D --preload --reload app:app'), [
        '-D>daemon:none',
        '--preload>preload_app:none',
        '--reload>reload:none',
      ]);
      assert.deepEqual(optionSummary('gunicorn -DR -Dw3 -Dw 4 a:b'), [
        '-D>daemon:none',
        '-R>enable_stdio_inheritance:none',
        '-D>daemon:none',
        '-w>workers=3:attached',
        '-D>daemon:none',
        '-w>workers=4:separate',
      ]);
    });

    it('expands unique abbreviations of long options', () => {
      const [option] = invocationOf('gunicorn --thread 4 a:b').options;
      assert.equal(option?.setting, 'threads');
      assert.equal(option?.canonicalFlag, '--threads');
      assert.equal(option?.value, '4');
      assert.deepEqual(optionSummary('gunicorn --work 4 a:b'), ['--work:none!ambiguous']);
      assert.deepEqual(optionSummary('gunicorn --max-request 4 a:b'), ['--max-request:none!ambiguous']);
    });

    it('records value offsets, also inside quotes and after =', () => {
      const line = `gunicorn --bind="0.0.0.0:80" -b '[::1]:81' -w4 app:app`;
      const options = invocationOf(line).options;
      assert.deepEqual(
        options.map((o) => line.slice(o.valueFrom, o.valueTo)),
        ['0.0.0.0:80', `'[::1]:81'`, '4'],
      );
    });

    it('records value offsets of words whose characters are not written one by one', () => {
      // An escape after plain characters, a quoted part in the middle, and systemd's `-` prefix stripped from the
      // executable: each value still maps to exactly what is written.
      const line = `gunicorn --bind=host\\ name:80 --name=a"b c"d -w 4 app:app`;
      const options = invocationOf(line).options;
      assert.deepEqual(
        options.map((o) => [o.value, line.slice(o.valueFrom, o.valueTo)]),
        [
          ['host name:80', 'host\\ name:80'],
          ['ab cd', 'a"b c"d'],
          ['4', '4'],
        ],
      );
      const unit = `-/usr/bin/gunicorn --workers=3 --bind unix:/run/app.sock app:app`;
      const [words] = splitCommands(unit, 0, 'systemd');
      const invocation = findGunicornInvocation(words!, { version: v('23.0.0') });
      assert.deepEqual(
        invocation?.options.map((o) => unit.slice(o.valueFrom, o.valueTo)),
        ['3', 'unix:/run/app.sock'],
      );
    });

    it('takes values that start with a dash only when argparse does', () => {
      assert.deepEqual(optionSummary('gunicorn --log-file - --access-logfile - a:b'), [
        '--log-file>errorlog=-:separate',
        '--access-logfile>accesslog=-:separate',
      ]);
      assert.deepEqual(optionSummary('gunicorn -w -1 a:b'), ['-w>workers=-1:separate']);
      assert.deepEqual(optionSummary('gunicorn --access-logfile --workers 3'), [
        '--access-logfile>accesslog:none!missing-value',
        '--workers>workers=3:separate',
      ]);
    });

    it('lets -- end the options and append flags repeat', () => {
      const found = invocationOf('gunicorn -b :1 -b :2 -- -w app:app');
      assert.deepEqual(texts(found.positionals), ['-w', 'app:app']);
      const settings = effectiveCliSettings(found);
      assert.deepEqual(settings.get('bind')?.values, [':1', ':2']);
      assert.equal(settings.get('bind')?.value, ':2');
    });

    it('follows the version: proxy_protocol took no value before 24.1 and an optional one since', () => {
      assert.deepEqual(optionSummary('gunicorn --proxy-protocol app:app', 'shell', '23.0.0'), [
        '--proxy-protocol>proxy_protocol:none',
      ]);
      assert.deepEqual(optionSummary('gunicorn --proxy-protocol v2 app:app', 'shell', '26.1.0'), [
        '--proxy-protocol>proxy_protocol=v2:separate',
      ]);
      assert.deepEqual(optionSummary('gunicorn --proxy-protocol -w 2 app:app', 'shell', '26.1.0'), [
        '--proxy-protocol>proxy_protocol:none',
        '-w>workers=2:separate',
      ]);
    });

    it('exposes the effective settings for cross-file checks', () => {
      const settings = effectiveCliSettings(
        invocationOf('gunicorn -w 2 --workers 3 --preload --wrkers 9 -c conf.py app:app'),
      );
      assert.deepEqual(
        [...settings].map(([name, s]) => [name, s.value]),
        [
          ['workers', '3'],
          ['preload_app', true],
          ['config', 'conf.py'],
        ],
      );
    });
  });

  describe('checks', () => {
    it('unknown-cli-worker-class: a worker class the target cannot load, as in a config file', () => {
      const [typo] = issues('gunicorn -k gthreads app:app', '20.1.0');
      assert.equal(typo?.rule, 'unknown-cli-worker-class');
      assert.equal(typo?.severity, 'error');
      assert.match(
        typo!.message,
        /-k gthreads: 'gthreads' is not a worker class shortcut.*Did you mean 'gthread'/,
      );
      assert.equal(
        fixed('gunicorn -k gthreads app:app', 'unknown-cli-worker-class'),
        'gunicorn -k gthread app:app',
      );
      assert.match(
        issues('gunicorn --worker-class eventlet app:app', '26.0.0')[0]!.message,
        /removed in Gunicorn 26\.0/,
      );
      assert.deepEqual(rulesOf('gunicorn --worker-class eventlet app:app', '23.0.0'), []);
      assert.deepEqual(
        rulesOf('gunicorn -k uvicorn.workers.UvicornWorker -k egg:meinheld#gunicorn_worker app:app'),
        ['repeated-cli-flag'],
      );
      assert.deepEqual(rulesOf('gunicorn -k "$WORKER_CLASS" app:app'), []);
    });

    it('repeated-cli-flag: the earlier of two values for one setting has no effect (a warning); -b may repeat', () => {
      const line = 'gunicorn -w ${GUNICORN_WORKERS:-3} --workers ${GUNICORN_THREADS:-2} app:app';
      const [issue, ...rest] = issues(line);
      assert.deepEqual(rest, []);
      assert.equal(issue?.rule, 'repeated-cli-flag');
      assert.equal(issue?.severity, 'warning');
      assert.equal(line.slice(issue!.from, issue!.to), '-w');
      assert.match(issue!.message, /given again later \(--workers \$\{GUNICORN_THREADS:-2\}\)/);
      assert.deepEqual(rulesOf('gunicorn -b :8000 -b unix:/run/a.sock -e A=1 -e B=2 app:app'), []);
      assert.deepEqual(rulesOf('gunicorn -w 3 -w 3 --preload --preload app:app'), []);
    });

    it('unknown-cli-flag: an error with a did-you-mean fix', () => {
      const [issue] = issues('gunicorn --wrkers 3 app:app');
      assert.equal(issue?.rule, 'unknown-cli-flag');
      assert.equal(issue?.severity, 'error');
      assert.match(issue!.message, /no option --wrkers.*unrecognized arguments.*Did you mean --workers\?/);
      assert.equal(fixed('gunicorn --wrkers 3 app:app', 'unknown-cli-flag'), 'gunicorn --workers 3 app:app');
      assert.equal(fixed('gunicorn --wrkers=3 app:app', 'unknown-cli-flag'), 'gunicorn --workers=3 app:app');
      assert.equal(
        fixed('gunicorn --log-levl debug a:b', 'unknown-cli-flag'),
        'gunicorn --log-level debug a:b',
      );
      assert.deepEqual(rulesOf('gunicorn --frobnicate a:b'), ['unknown-cli-flag']);
      assert.equal(issues('gunicorn --frobnicate a:b')[0]?.fix, undefined);
      assert.match(issues('gunicorn --work 3 a:b')[0]!.message, /ambiguous option --work could match/);
    });

    it('missing-cli-value', () => {
      const line = 'gunicorn app:app --bind';
      const [issue] = issues(line);
      assert.equal(issue?.rule, 'missing-cli-value');
      assert.equal(line.slice(issue!.from, issue!.to), '--bind');
      assert.match(issue!.message, /--bind needs a value.*expected one argument/);
      assert.deepEqual(rulesOf('gunicorn -w --preload app:app'), ['missing-cli-value']);
    });

    it('invalid-cli-value: int flags are converted by argparse before the validator', () => {
      assert.deepEqual(rulesOf('gunicorn -w four app:app'), ['invalid-cli-value']);
      assert.match(issues('gunicorn -w four a:b')[0]!.message, /invalid int value: 'four'/);
      assert.equal(fixed('gunicorn -w 4.0 a:b', 'invalid-cli-value'), 'gunicorn -w 4 a:b');
      assert.equal(fixed('gunicorn --timeout=0x1e a:b', 'invalid-cli-value'), 'gunicorn --timeout=30 a:b');
      assert.deepEqual(rulesOf('gunicorn -w -1 a:b'), ['invalid-cli-value']);
      assert.match(issues('gunicorn -w -1 a:b')[0]!.message, /must not be negative/);
      assert.deepEqual(valueRules('gunicorn -w 010 -w " 4 " -w 1_000 -w +2 a:b'), []);
      assert.deepEqual(rulesOf('gunicorn -w= a:b'), ['invalid-cli-value']);
    });

    it('invalid-cli-value: umask reads 022 as octal, like Gunicorn auto_int', () => {
      assert.deepEqual(valueRules('gunicorn -m 022 -m 0o22 -m 18 -m 0x12 a:b'), []);
      assert.match(issues('gunicorn -m 09 a:b')[0]!.message, /invalid auto_int value: '09'/);
    });

    it('invalid-cli-value: validator choices with a fix, quoted or not', () => {
      assert.equal(
        fixed('gunicorn --reload-engine pol a:b', 'invalid-cli-value'),
        'gunicorn --reload-engine poll a:b',
      );
      assert.equal(
        fixed('gunicorn --reload-engine="pol" a:b', 'invalid-cli-value'),
        'gunicorn --reload-engine="poll" a:b',
      );
      assert.match(
        issues('gunicorn --reload-engine pol a:b')[0]!.message,
        /reload_engine.*'pol' is not one of/,
      );
      assert.deepEqual(rulesOf('gunicorn --proxy-protocol v3 a:b'), ['invalid-cli-value']);
    });

    it('invalid-cli-value: a flag without a value given one', () => {
      const line = 'gunicorn --preload=yes a:b';
      assert.match(issues(line)[0]!.message, /--preload takes no value.*ignored explicit argument 'yes'/);
      assert.equal(fixed(line, 'invalid-cli-value'), 'gunicorn --preload a:b');
      assert.deepEqual(rulesOf('gunicorn -Dx a:b'), ['invalid-cli-value']);
    });

    it('invalid-cli-value: bind addresses', () => {
      assert.equal(
        fixed('gunicorn -b http://0.0.0.0:80 a:b', 'invalid-cli-value'),
        'gunicorn -b 0.0.0.0:80 a:b',
      );
      assert.deepEqual(rulesOf('gunicorn -b 0.0.0.0:99999 a:b'), ['invalid-cli-value']);
      assert.deepEqual(rulesOf('gunicorn -b 0.0.0.0:http a:b'), ['invalid-cli-value']);
      assert.deepEqual(rulesOf('gunicorn -b fd://3 a:b', '19.9.0'), ['invalid-cli-value']);
      assert.deepEqual(
        rulesOf('gunicorn -b unix:/run/g.sock -b [::1]:80 -b :8000 -b localhost -b " 0.0.0.0:80" a:b'),
        [],
      );
    });

    it('invalid-cli-value: $PORT in exec form is literal, in a shell it is not', () => {
      const text = '["gunicorn", "--bind", "0.0.0.0:$PORT", "app:app"]';
      const found = findGunicornInvocation(tokensFromJsonArray(text)!)!;
      const [issue] = checkGunicornCommandLine(found, { version: v('26.1.0') });
      assert.equal(issue?.rule, 'invalid-cli-value');
      assert.match(issue!.message, /'\$PORT' is not a valid port number.*no shell/);
      assert.equal(text.slice(issue!.from, issue!.to), '"0.0.0.0:$PORT"');
      assert.deepEqual(rulesOf('gunicorn --bind 0.0.0.0:$PORT -w $WORKERS app:app'), []);
      assert.deepEqual(rulesOf('gunicorn --bind 0.0.0.0:%i app:app', '26.1.0', 'systemd'), []);
    });

    it('app-module-path: a file path where MODULE:VARIABLE belongs', () => {
      const [issue] = issues('gunicorn main.py:app');
      assert.equal(issue?.rule, 'app-module-path');
      assert.equal(issue?.severity, 'error');
      assert.match(issue!.message, /'main\.py:app' is a file path/);
      assert.equal(fixed('gunicorn main.py:app', 'app-module-path'), 'gunicorn main:app');
      assert.equal(fixed('gunicorn -w 2 app/main.py:app', 'app-module-path'), 'gunicorn -w 2 app.main:app');
      assert.equal(fixed('gunicorn ./app/main.py:app', 'app-module-path'), 'gunicorn app.main:app');
      assert.equal(fixed('gunicorn src.main.py', 'app-module-path'), 'gunicorn src.main');
      assert.equal(
        fixed("gunicorn 'app/main.py:create_app()'", 'app-module-path'),
        "gunicorn 'app.main:create_app()'",
      );
      assert.deepEqual(rulesOf('gunicorn my-app/main.py:app'), ['app-module-path']);
      assert.equal(issues('gunicorn my-app/main.py:app')[0]?.fix, undefined);
    });

    it('app-module-path: leaves module paths and paste configs alone', () => {
      assert.deepEqual(rulesOf('gunicorn app.main:app myproject.wsgi "app:create_app()" a.b:c.d'), []);
      assert.deepEqual(rulesOf('gunicorn --paste development.ini'), []);
      assert.deepEqual(rulesOf('gunicorn --paste conf/dev.ini'), []);
    });

    it('setting-not-in-version: flags a version lacks make argparse exit', () => {
      const [added] = issues('gunicorn --print-config app:app', '20.0.4');
      assert.equal(added?.rule, 'setting-not-in-version');
      assert.equal(added?.severity, 'error');
      assert.match(
        added!.message,
        /--print-config \(print_config\) was added in Gunicorn 20\.1\.0; Gunicorn 20\.0\.4 exits/,
      );
      const [removed] = issues('gunicorn --tolerate-dangerous-framing app:app', '23.0.0');
      assert.match(removed!.message, /was removed in Gunicorn 23\.0\.0/);
      assert.equal(removed?.severity, 'error');
      const [unreleased] = issues('gunicorn --http2-cleartext upgrade app:app');
      assert.equal(unreleased?.rule, 'setting-not-in-version');
      assert.equal(unreleased?.severity, 'warning');
      // 19.8-20.0 had the flag, but validate_dict rejects any string, which is why 20.1 dropped it.
      assert.deepEqual(rulesOf('gunicorn --log-config-dict x app:app', '20.0.4'), ['invalid-cli-value']);
      assert.deepEqual(rulesOf('gunicorn --log-config-dict x app:app', '20.1.0'), ['setting-not-in-version']);
    });

    it('re-parses for the version asked for', () => {
      const found = invocationOf('gunicorn --print-config app:app', 'shell', '26.1.0');
      assert.deepEqual(checkGunicornCommandLine(found, { version: v('26.1.0') }), []);
      assert.deepEqual(
        checkGunicornCommandLine(found, { version: v('20.0.0') }).map((i) => i.rule),
        ['setting-not-in-version'],
      );
    });
  });

  describe('real-world lines', () => {
    it('a systemd ExecStart', () => {
      const unit = [
        '[Service]',
        'ExecStart=/srv/app/venv/bin/gunicorn --workers 3 --bind unix:/run/gunicorn.sock myproject.wsgi:application',
        '',
      ].join('\n');
      const start = unit.indexOf('=', unit.indexOf('ExecStart')) + 1;
      const [found] = findGunicornInvocations(unit, start, 'systemd');
      assert.ok(found);
      assert.equal(found.launcher.text, '/srv/app/venv/bin/gunicorn');
      assert.deepEqual(texts(found.positionals), ['myproject.wsgi:application']);
      const settings = effectiveCliSettings(found);
      assert.equal(settings.get('workers')?.value, '3');
      assert.equal(settings.get('bind')?.value, 'unix:/run/gunicorn.sock');
      assert.deepEqual(checkGunicornCommandLine(found, { version: v('20.1.0') }), []);
    });

    it('a systemd ExecStart with continuations and a typo', () => {
      const unit =
        'ExecStart=/opt/venv/bin/gunicorn \\\n    --worker-class gthread \\\n    --thread 4 \\\n    --max-requests-jit 50 app:app\n';
      const [found] = findGunicornInvocations(unit, 10, 'systemd');
      const result = checkGunicornCommandLine(found!, { version: v('23.0.0') });
      // --thread and --max-requests-jit are unique prefixes, which argparse accepts.
      assert.deepEqual(result, []);
      const typo = unit.replace('--max-requests-jit', '--max-reqests');
      const [issue] = checkGunicornCommandLine(findGunicornInvocations(typo, 10, 'systemd')[0]!, {
        version: v('23.0.0'),
      });
      assert.equal(issue?.fix?.newText, '--max-requests');
      assert.equal(typo.slice(issue!.from, issue!.to), '--max-reqests');
    });

    it('a Dockerfile exec form', () => {
      const text = 'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]';
      const found = findGunicornInvocation(tokensFromJsonArray(text, 4)!)!;
      assert.equal(found.launcher.text, 'gunicorn');
      assert.deepEqual(texts(found.positionals), ['app:app']);
      assert.deepEqual(checkGunicornCommandLine(found, { version: v('26.1.0') }), []);
    });

    it('a Dockerfile shell form', () => {
      const text = 'CMD exec gunicorn --bind :$PORT --workers 1 --threads 8 --timeout 0 main:app';
      assert.deepEqual(
        findGunicornInvocations(text, 4).map((i) => checkGunicornCommandLine(i, { version: v('22.0.0') })),
        [[]],
      );
    });

    it('a Procfile', () => {
      const text = 'web: gunicorn app:app --log-file -';
      const [found] = findGunicornInvocations(text, 5);
      assert.deepEqual(texts(found!.positionals), ['app:app']);
      assert.equal(effectiveCliSettings(found!).get('errorlog')?.value, '-');
      assert.deepEqual(checkGunicornCommandLine(found!, { version: v('19.9.0') }), []);
    });

    it('docker-compose and scripts: no false positives on valid lines', () => {
      const lines = [
        'gunicorn -k uvicorn.workers.UvicornWorker -w 4 -b 0.0.0.0:8000 main:app',
        'gunicorn --config python:config.gunicorn --chdir /app app:create_app()',
        `gunicorn "app:create_app('prod')" --access-logfile - --error-logfile - --log-level info`,
        'gunicorn -c /etc/gunicorn.conf.py -e DJANGO_SETTINGS_MODULE=site.settings site.wsgi',
        'gunicorn --forwarded-allow-ips="*" --proxy-allow-from 127.0.0.1 --keep-alive 5 app:app',
        'gunicorn --certfile=/certs/c.pem --keyfile=/certs/k.pem --ssl-version 2 -b 0.0.0.0:443 app:app',
        'gunicorn --max-requests 1000 --max-requests-jitter 50 --graceful-timeout 30 --backlog 64 app:app',
        'gunicorn --statsd-host localhost:8125 --statsd-prefix app -n myapp --pythonpath src app:app',
        'gunicorn --reload --reload-extra-file templates/index.html --spew --check-config app:app',
        'gunicorn --paste development.ini#main',
        'gunicorn --no-sendfile --reuse-port --capture-output --enable-stdio-inheritance app:app',
        'gunicorn --limit-request-line 0 --limit-request-fields 50 --limit-request-field_size 0 app:app',
        'gunicorn -u www-data -g www-data --umask 007 -p /run/g.pid --worker-tmp-dir /dev/shm app:app',
        'gunicorn --log-syslog --log-syslog-to udp://localhost:514 --log-syslog-prefix app app:app',
        'gunicorn --version',
        'gunicorn -h',
      ];
      for (const line of lines) assert.deepEqual(issues(line, '21.2.0'), [], line);
    });
  });
});

// Oracle: real Gunicorn (Debian 12's 20.1.0 and Debian 13's 23.0.0, each with its own python3) parses the same command
// lines as our command-line checker, targeted at that version: its argparse parser, then `cfg.set` for every option and `parse_address` for every bind. We must agree on
// which lines it rejects. Parse only: no app is imported and no server is started.

import { strict as assert } from 'node:assert';
import type { Version } from '../../server/src/core/version';
import { gunicornCatalog } from '../../server/src/languages/gunicorn/catalog';
import { findGunicornInvocation } from '../../server/src/languages/gunicorn/commandLine';
import { checkGunicornCommandLine } from '../../server/src/languages/gunicorn/commandLineCheck';
import { tokenizeCommandLine } from '../../server/src/languages/gunicorn/commandWords';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';
import { gunicornTarget } from '../helpers/targets';

/** For each argv (after `gunicorn`): does Gunicorn accept it, and why not. Also shlex's split of each line. */
const SCRIPT = `
import contextlib, io, json, shlex, sys
from gunicorn.config import Config
from gunicorn import util
out = []
for case in json.load(sys.stdin):
    split = shlex.split(case["line"]) if case["line"] is not None else None
    cfg = Config()
    parser = cfg.parser()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            args = parser.parse_args(case["argv"])
    except SystemExit as e:
        lines = err.getvalue().strip().splitlines()
        out.append({"ok": e.code == 0, "why": lines[-1] if lines else "", "split": split})
        continue
    try:
        for k, v in vars(args).items():
            if v is None or k == "args":
                continue
            cfg.set(k.lower(), v)
        for address in cfg.bind:
            util.parse_address(address)
        out.append({"ok": True, "why": "", "split": split})
    except Exception as e:
        out.append({"ok": False, "why": str(e), "split": split})
print(json.dumps(out))
`;

interface Verdict {
  ok: boolean;
  why: string;
  split: string[] | null;
}

function askGunicorn(set: JudgeSet, cases: { argv: string[]; line: string | null }[]): Verdict[] {
  const result = set.gunicorn.python(['-c', SCRIPT], { input: JSON.stringify(cases) });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Verdict[];
}

/** Our verdict on `gunicorn ARGV`: rejected when any start-up error (other than the app import) is reported. */
function weReject(version: Version, argv: string[]): { rejected: boolean; why: string } {
  const tokens = ['gunicorn', ...argv].map((text) => ({ text, from: 0, to: 0, quoted: false }));
  const invocation = findGunicornInvocation(tokens, { version });
  if (!invocation) throw new Error('no invocation');
  // This judge stops at parsing: the app import and the worker class load later, in the arbiter (the worker class
  // is judged against Gunicorn's own loading in workerPackages.test.ts).
  const errors = checkGunicornCommandLine(invocation, { version }).filter(
    (i) => i.severity === 'error' && i.rule !== 'app-module-path' && i.rule !== 'unknown-cli-worker-class',
  );
  return { rejected: errors.length > 0, why: errors.map((e) => `${e.rule}: ${e.message}`).join(' | ') };
}

/**
 * Hand-written lines: every option form, quoting, and the traps we know about. Addresses that only fail when the
 * socket is created (port 99999, `unix:` without a path) are left out: the oracle stops at parse_address.
 */
const LINES = [
  'gunicorn app:app',
  'gunicorn -w 4 -b 0.0.0.0:8000 app:app',
  'gunicorn --workers=4 --bind=127.0.0.1:80 app:app',
  'gunicorn -w4 -b0.0.0.0:80 -t30 app:app',
  'gunicorn -w=4 app:app',
  'gunicorn -w four app:app',
  'gunicorn -w 4.0 app:app',
  'gunicorn -w 0x10 app:app',
  'gunicorn -w 010 app:app',
  'gunicorn -w -1 app:app',
  'gunicorn -w " 4 " app:app',
  'gunicorn -w 1_000 app:app',
  'gunicorn -w= app:app',
  'gunicorn -w',
  'gunicorn app:app -w',
  'gunicorn -w --preload app:app',
  'gunicorn --work 3 app:app',
  'gunicorn --thread 3 app:app',
  'gunicorn --max-request 3 app:app',
  'gunicorn --max-requests-j 3 app:app',
  'gunicorn --wrkers 3 app:app',
  'gunicorn --frobnicate app:app',
  'gunicorn -Z app:app',
  'gunicorn -D app:app',
  'gunicorn -DR app:app',
  'gunicorn -Dw 3 app:app',
  'gunicorn -Dw3 app:app',
  'gunicorn -Dx app:app',
  'gunicorn --reload=yes app:app',
  'gunicorn --preload= app:app',
  'gunicorn --daemon --reload --spew --check-config app:app',
  'gunicorn --print-config app:app',
  'gunicorn --log-file - --access-logfile - app:app',
  'gunicorn --access-logfile --workers 3 app:app',
  "gunicorn --access-logformat '%(h)s %(r)s' app:app",
  'gunicorn -b 0.0.0.0:$PORT app:app',
  "gunicorn -b ' 0.0.0.0:80' app:app",
  'gunicorn -b http://0.0.0.0:80 app:app',
  'gunicorn -b tcp://0.0.0.0:80 app:app',
  'gunicorn -b 0.0.0.0:http app:app',
  'gunicorn -b 0.0.0.0: app:app',
  'gunicorn -b unix:/run/g.sock -b [::1]:80 -b fd://3 app:app',
  'gunicorn -b fd://x app:app',
  'gunicorn -b ::1:80 app:app',
  'gunicorn -b localhost app:app',
  'gunicorn -m 022 app:app',
  'gunicorn -m 0o22 app:app',
  'gunicorn -m 09 app:app',
  'gunicorn -m 0x12 app:app',
  'gunicorn --umask=18 app:app',
  'gunicorn --umask -1 app:app',
  'gunicorn --reload-engine pol app:app',
  'gunicorn --reload-engine poll app:app',
  'gunicorn --reload-engine Poll app:app',
  'gunicorn --proxy-protocol app:app',
  'gunicorn --proxy-protocol=v2 app:app',
  'gunicorn --statsd-host localhost app:app',
  'gunicorn --statsd-host localhost:8125 app:app',
  'gunicorn --statsd-host localhost:x app:app',
  'gunicorn --cert-reqs 0x1 app:app',
  'gunicorn --cert-reqs x app:app',
  'gunicorn --ssl-version 2 app:app',
  'gunicorn --print-config --http-protocols h2 app:app',
  'gunicorn --log-config-json x.json app:app',
  'gunicorn --paste development.ini',
  'gunicorn --paster development.ini',
  'gunicorn -k uvicorn.workers.UvicornWorker app:app',
  'gunicorn -k=gevent app:app',
  'gunicorn -e A=1 -e B=2 --env C=3 app:app',
  'gunicorn --no-sendfile app:app',
  'gunicorn --no-sendfile=1 app:app',
  'gunicorn --limit-request-field_size 0 app:app',
  'gunicorn --limit-request-field-size 0 app:app',
  'gunicorn --forwarded-allow-ips "*" app:app',
  'gunicorn -- -w app:app',
  'gunicorn --version',
  'gunicorn -v',
  'gunicorn --help',
  'gunicorn --keep-alive 5 --graceful-timeout 30 --backlog=64 app:app',
  'gunicorn --worker-connections -5 app:app',
  'gunicorn --log-level " debug " app:app',
  "gunicorn -n 'my app' --pid=/run/a\\ b.pid \"app:create_app('x')\"",
];

/**
 * Lines Gunicorn 20.1 and 23.0 judge differently, with each one's own verdict: options added since 20.1, and
 * forwarded_allow_ips, which 23.0 checks address by address (a network is not an address).
 */
const VERSIONED_LINES: { line: string; bookworm: 'accepts' | 'rejects'; trixie: 'accepts' | 'rejects' }[] = [
  { line: 'gunicorn --header-map drop app:app', bookworm: 'rejects', trixie: 'accepts' },
  { line: 'gunicorn --permit-obsolete-folding app:app', bookworm: 'rejects', trixie: 'accepts' },
  { line: 'gunicorn --casefold-http-method app:app', bookworm: 'rejects', trixie: 'accepts' },
  { line: "gunicorn --forwarded-allow-ips '10.0.0.0/8' app:app", bookworm: 'accepts', trixie: 'rejects' },
  {
    line: "gunicorn --forwarded-allow-ips '10.0.0.1,127.0.0.1' app:app",
    bookworm: 'accepts',
    trixie: 'accepts',
  },
];

/** Value shapes tried with every flag of the judge's version. */
const VALUES = [
  '',
  '4',
  '-1',
  'four',
  'x y',
  '0x10',
  '022',
  'true',
  'poll',
  'auto',
  '0.0.0.0:80',
  'http://a:80',
  'a:b',
];

/**
 * Validators whose verdict depends on this machine (files, users, groups, the ssl module's PROTOCOL_* names), which
 * we never judge.
 */
const MACHINE_DEPENDENT = new Set([
  'validate_chdir',
  'validate_user',
  'validate_group',
  'validate_file_exists',
  'validate_list_of_existing_files',
  'validate_ssl_version',
]);

function generatedCases(version: Version): string[][] {
  const catalog = gunicornCatalog();
  const cases: string[][] = [];
  for (const setting of catalog.availableIn(version)) {
    if (setting.cli.length === 0 || MACHINE_DEPENDENT.has(catalog.validatorFor(setting, version))) continue;
    if (setting.validators.some((step) => MACHINE_DEPENDENT.has(step.name))) continue;
    for (const flag of setting.cli) {
      cases.push([flag], [flag, 'app:app'], [flag, '--workers', '2']);
      for (const value of VALUES) cases.push([flag, value], [`${flag}=${value}`]);
      if (flag.startsWith('--') && flag.length > 5) {
        cases.push([flag.slice(0, -1), '4'], [flag.slice(0, 5), '4'], [`${flag.slice(0, -2)}=4`]);
      }
    }
  }
  // Debian's 20.1.0 backports --tolerate-dangerous-framing (upstream: 22.0 only), so its prefixes differ from ours.
  // Python 3.11 reads `-D=poll` as `-D -p oll`; newer Pythons reject it, as we do.
  return cases.filter(
    (argv) => !argv.some((word) => /^--t(?:o|=|$)/.test(word)) && !/^-[DR]=./.test(argv[0] ?? ''),
  );
}

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s Gunicorn ${set.gunicorn.version} parses command lines like our checker`, function () {
    const version = gunicornTarget(set).gunicornVersion;
    this.timeout(120000);
    before(function () {
      requireJudge(this, set, 'gunicorn');
    });

    it('gives its own verdict on the lines the two versions judge differently, and so do we', () => {
      const words = VERSIONED_LINES.map((c) => tokenizeCommandLine(c.line).map((t) => t.text));
      const verdicts = askGunicorn(
        set,
        words.map((w, i) => ({ argv: w.slice(1), line: VERSIONED_LINES[i]!.line })),
      );
      const problems: string[] = [];
      VERSIONED_LINES.forEach((c, i) => {
        const expected = c[set.name];
        const theirs = verdicts[i]!.ok ? 'accepts' : 'rejects';
        if (theirs !== expected) {
          problems.push(`${c.line}: gunicorn ${theirs}, the table says it ${expected}`);
        }
        const we = weReject(version, words[i]!.slice(1));
        if (we.rejected !== (theirs === 'rejects')) {
          problems.push(`${c.line}: gunicorn ${theirs}; we ${we.why || 'accept'}`);
        }
      });
      assert.deepEqual(problems, []);
    });

    it('splits the hand-written lines like shlex and agrees on which Gunicorn rejects', () => {
      const ours = LINES.map((line) => tokenizeCommandLine(line).map((t) => t.text));
      const verdicts = askGunicorn(
        set,
        ours.map((words, i) => ({ argv: words.slice(1), line: LINES[i]! })),
      );
      const disagreements: string[] = [];
      LINES.forEach((line, i) => {
        const verdict = verdicts[i]!;
        assert.deepEqual(ours[i], verdict.split, `tokens of: ${line}`);
        const we = weReject(version, ours[i]!.slice(1));
        if (we.rejected === verdict.ok) {
          disagreements.push(
            `${line}\n    gunicorn: ${verdict.ok ? 'accepts' : verdict.why}\n    we: ${we.why || 'accept'}`,
          );
        }
      });
      assert.deepEqual(disagreements, []);
      // The table must exercise both outcomes.
      assert.ok(verdicts.filter((v) => v.ok).length > 20);
      assert.ok(verdicts.filter((v) => !v.ok).length > 20);
    });

    it(`agrees on every flag of ${set.gunicorn.version} with typical values, = forms and abbreviations`, () => {
      const cases = generatedCases(version);
      const verdicts = askGunicorn(
        set,
        cases.map((argv) => ({ argv, line: null })),
      );
      const disagreements: string[] = [];
      cases.forEach((argv, i) => {
        const verdict = verdicts[i]!;
        const we = weReject(version, argv);
        if (we.rejected === verdict.ok) {
          disagreements.push(
            `${JSON.stringify(argv)}: gunicorn ${verdict.ok ? 'accepts' : verdict.why}; we ${we.why || 'accept'}`,
          );
        }
      });
      assert.deepEqual(disagreements.slice(0, 30), []);
      assert.ok(cases.length > 500);
    });
  });
}

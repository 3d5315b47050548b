// Assumed Gunicorn versions: a verdict only the assumed release gives is a warning that says so; a pinned or set
// version keeps the rule's severity, and what every release rejects stays an error without a pin.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECHECK_MAX_CHARS } from '../../server/src/core/assumedVersion';
import type { Finding, RuleMeta } from '../../server/src/core/findings';
import { ruleSteps, runRules, type RuleRun } from '../../server/src/core/runRules';
import { collectSuppressionComments } from '../../server/src/core/suppression';
import { resolveTargetVersion, type ResolvedVersion } from '../../server/src/core/settings';
import { formatVersion } from '../../server/src/core/version';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { gunicornVersions, latestGunicornVersion } from '../../server/src/languages/gunicorn/catalog';
import { detectGunicornVersion } from '../../server/src/languages/gunicorn/versionPin';
import { detectLanguage, parseDocument, type LanguageId } from '../../server/src/languages/registry';

const LATEST = formatVersion(latestGunicornVersion());

/** How a project gets its target version: nothing, a pin file in the workspace, or the setting. */
const TARGETS: Record<'assumed' | 'pinned' | 'set', ResolvedVersion> = {
  assumed: resolveTargetVersion('auto', undefined, latestGunicornVersion()),
  pinned: resolveTargetVersion(
    'auto',
    detectGunicornVersion(
      [{ path: 'requirements.txt', text: `flask\ngunicorn==${LATEST}\n` }],
      gunicornVersions(),
    ),
    latestGunicornVersion(),
  ),
  set: resolveTargetVersion(LATEST, undefined, latestGunicornVersion()),
};

function analyze(path: string, text: string, target: ResolvedVersion, severity = {}): Finding[] {
  const language: LanguageId = detectLanguage(path);
  const kind = sourceKindOf(path);
  return parseDocument(language, text, {
    ...(language === 'commands' &&
    kind &&
    kind !== 'gunicorn' &&
    kind !== 'nginx' &&
    kind !== 'systemd' &&
    kind !== 'python' &&
    kind !== 'dependencies'
      ? { commandSourceKind: kind }
      : {}),
  }).analyze({
    uri: `file:///w/${path}`,
    path: `/w/${path}`,
    version: target.version,
    versionLabel: target.label,
    versionAssumed: target.assumed,
    severity,
  });
}

function only(findings: Finding[], rule: string, what: string): Finding {
  const matching = findings.filter((f) => f.rule === rule);
  assert.equal(
    matching.length,
    1,
    `${what}: one ${rule} in ${JSON.stringify(findings.map((f) => f.message))}`,
  );
  return matching[0]!;
}

const PHRASE = 'the newest release; your project pins no version';

/** Inputs whose verdict some catalogued release (19.9 … 26.1) does not share. */
const VERSION_DEPENDENT: { what: string; path: string; text: string; rule: string; severity: string }[] = [
  {
    what: 'a worker class removed in 26.0',
    path: 'gunicorn.conf.py',
    text: 'worker_class = "eventlet"\n',
    rule: 'unknown-worker-class',
    severity: 'error',
  },
  {
    what: 'a network with host bits (networks came in 24.1; host bits are refused from 25.0)',
    path: 'gunicorn.conf.py',
    text: 'forwarded_allow_ips = "10.0.0.1/8"\n',
    rule: 'invalid-value',
    severity: 'error',
  },
  {
    what: 'a bad value for a setting older releases do not have',
    path: 'gunicorn.conf.py',
    text: 'http_protocols = "h4"\n',
    rule: 'invalid-value',
    severity: 'error',
  },
  {
    what: 'a hook with the wrong arity, where the hook came in 21.0',
    path: 'gunicorn.conf.py',
    text: 'def ssl_context(config):\n    return None\n',
    rule: 'hook-arity',
    severity: 'error',
  },
  {
    what: 'a setting removed in 23.0',
    path: 'gunicorn.conf.py',
    text: 'tolerate_dangerous_framing = True\n',
    rule: 'setting-not-in-version',
    severity: 'warning',
  },
  {
    what: 'a setting deprecated in 21.0',
    path: 'gunicorn.conf.py',
    text: 'ssl_version = 2\n',
    rule: 'deprecated-setting',
    severity: 'warning',
  },
  {
    what: 'a flag removed in 23.0, in a unit ExecStart=',
    path: 'app.service',
    text: '[Service]\nExecStart=/srv/venv/bin/gunicorn --tolerate-dangerous-framing app:app\n',
    rule: 'gunicorn-command-line',
    severity: 'error',
  },
  {
    what: 'a flag 20.1 dropped, in a Dockerfile',
    path: 'Dockerfile',
    text: 'FROM python:3.12\nCMD ["gunicorn", "--log-config-dict", "x", "app:app"]\n',
    rule: 'gunicorn-command-line',
    severity: 'error',
  },
  {
    what: 'a bad value of a 25.0 flag, in a Procfile',
    path: 'Procfile',
    text: 'web: gunicorn --http-protocols h4 app:app\n',
    rule: 'gunicorn-command-line',
    severity: 'error',
  },
  {
    what: 'a removed flag, in a compose file',
    path: 'compose.yaml',
    text: 'services:\n  web:\n    command: gunicorn --tolerate-dangerous-framing app:app\n',
    rule: 'gunicorn-command-line',
    severity: 'error',
  },
  {
    what: 'a removed flag, in a script',
    path: 'start.sh',
    text: '#!/bin/sh\nexec gunicorn --tolerate-dangerous-framing app:app\n',
    rule: 'gunicorn-command-line',
    severity: 'error',
  },
  {
    what: 'a bad value of a 25.0 flag, in GUNICORN_CMD_ARGS',
    path: 'Dockerfile',
    text: 'FROM python:3.12\nENV GUNICORN_CMD_ARGS="--http-protocols h4"\nCMD ["gunicorn", "app:app"]\n',
    rule: 'gunicorn-cmd-args',
    severity: 'error',
  },
];

/** Inputs every catalogued release rejects the same way. */
const EVERY_VERSION: { what: string; path: string; text: string; rule: string }[] = [
  {
    what: 'a worker class typo',
    path: 'gunicorn.conf.py',
    text: 'worker_class = "gevnt"\n',
    rule: 'unknown-worker-class',
  },
  { what: 'a word for workers', path: 'gunicorn.conf.py', text: 'workers = "abc"\n', rule: 'invalid-value' },
  {
    what: 'a hook with the wrong arity in every release',
    path: 'gunicorn.conf.py',
    text: 'def post_fork(server):\n    pass\n',
    rule: 'hook-arity',
  },
  {
    what: 'a flag no release knows',
    path: 'app.service',
    text: '[Service]\nExecStart=/srv/venv/bin/gunicorn --wokers 3 app:app\n',
    rule: 'gunicorn-command-line',
  },
  {
    what: 'a word for -w in a Dockerfile',
    path: 'Dockerfile',
    text: 'FROM python:3.12\nCMD ["gunicorn", "-w", "many", "app:app"]\n',
    rule: 'gunicorn-command-line',
  },
];

describe('assumed Gunicorn versions', () => {
  it('says whether the version was assumed: only without a setting and without a pin', () => {
    assert.equal(TARGETS.assumed.assumed, true);
    assert.ok(TARGETS.assumed.label.includes(PHRASE), TARGETS.assumed.label);
    assert.equal(TARGETS.pinned.assumed, false);
    assert.match(TARGETS.pinned.label, /pinned in requirements\.txt/);
    assert.equal(TARGETS.set.assumed, false);
    assert.match(TARGETS.set.label, /setting/);
    for (const target of Object.values(TARGETS)) assert.equal(formatVersion(target.version), LATEST);
  });

  for (const input of VERSION_DEPENDENT) {
    it(`${input.what}: a warning naming the assumed version without a pin; ${input.severity} with a pin or the setting`, () => {
      const assumed = only(analyze(input.path, input.text, TARGETS.assumed), input.rule, 'assumed');
      assert.equal(assumed.severity, 'warning');
      assert.ok(assumed.message.includes(PHRASE), assumed.message);
      for (const how of ['pinned', 'set'] as const) {
        const given = only(analyze(input.path, input.text, TARGETS[how]), input.rule, how);
        assert.equal(given.severity, input.severity, `${how}: ${given.message}`);
        assert.ok(!given.message.includes(PHRASE), given.message);
        assert.deepEqual(given.range, assumed.range);
      }
    });
  }

  for (const input of EVERY_VERSION) {
    it(`${input.what}: still an error without a pin (every release rejects it)`, () => {
      const finding = only(analyze(input.path, input.text, TARGETS.assumed), input.rule, 'assumed');
      assert.equal(finding.severity, 'error');
      assert.ok(!finding.message.includes(PHRASE), finding.message);
    });
  }

  it('does not compare a file over RECHECK_MAX_CHARS with other releases: its findings keep their severity', () => {
    const padding = '# padding\n'.repeat(Math.ceil(RECHECK_MAX_CHARS / 10));
    const text = `${padding}worker_class = "eventlet"\nworkers = "abc"\n`;
    const findings = analyze('gunicorn.conf.py', text, TARGETS.assumed);
    for (const rule of ['unknown-worker-class', 'invalid-value']) {
      assert.equal(only(findings, rule, 'large file').severity, 'error');
    }
    // The same lines in a small file: only the verdict some release does not share is softened.
    const small = analyze(
      'gunicorn.conf.py',
      'worker_class = "eventlet"\nworkers = "abc"\n',
      TARGETS.assumed,
    );
    assert.equal(only(small, 'unknown-worker-class', 'small file').severity, 'warning');
    assert.equal(only(small, 'invalid-value', 'small file').severity, 'error');
  });

  it('lets the user’s severity override win over the softening', () => {
    const text = 'worker_class = "eventlet"\n';
    const forced = only(
      analyze('gunicorn.conf.py', text, TARGETS.assumed, { 'unknown-worker-class': 'error' }),
      'unknown-worker-class',
      'override',
    );
    assert.equal(forced.severity, 'error');
    const silenced = analyze('gunicorn.conf.py', text, TARGETS.assumed, { 'unknown-worker-class': 'ignore' });
    assert.deepEqual(
      silenced.filter((f) => f.rule === 'unknown-worker-class'),
      [],
    );
  });

  it('says in hovers that the version was assumed and how to pin it, and not once it is pinned', () => {
    const hover = (path: string, text: string, word: string, target: ResolvedVersion): string => {
      const language = detectLanguage(path);
      const kind = sourceKindOf(path);
      const document = parseDocument(language, text, {
        ...(language === 'commands' && kind === 'dockerfile' ? { commandSourceKind: kind } : {}),
      });
      const result = document.hover(text.indexOf(word) + 1, {
        uri: `file:///w/${path}`,
        path: `/w/${path}`,
        version: target.version,
        versionLabel: target.label,
        versionAssumed: target.assumed,
      });
      assert.ok(result, `a hover on ${word} in ${path}`);
      return result.markdown;
    };
    const places: [string, string, string][] = [
      ['gunicorn.conf.py', 'workers = 2\n', 'workers'],
      ['app.service', '[Service]\nExecStart=/srv/venv/bin/gunicorn --workers 2 app:app\n', 'gunicorn'],
      ['Dockerfile', 'FROM python:3.12\nCMD ["gunicorn", "--workers", "2", "app:app"]\n', 'gunicorn'],
    ];
    for (const [path, text, word] of places) {
      const assumed = hover(path, text, word, TARGETS.assumed);
      assert.match(assumed, /only assumed/, `${path}: ${assumed}`);
      assert.match(assumed, /requirements\.txt or pyproject\.toml, or set `gunicornConfig\.gunicornVersion`/);
      assert.doesNotMatch(hover(path, text, word, TARGETS.pinned), /only assumed/, path);
    }
  });

  describe('cross-file rules', () => {
    const file = (path: string, text: string): WorkspaceSource => ({
      uri: `file://${path}`,
      path,
      kind: sourceKindOf(path) ?? 'gunicorn',
      text,
    });
    const sources = (conf: string): WorkspaceSource[] => [
      file(
        '/w/deploy/app.service',
        '[Service]\nWorkingDirectory=/srv/app\nExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py app:app\n',
      ),
      file('/w/gunicorn.conf.py', `bind = "unix:/run/app/app.sock"\n${conf}`),
      file('/w/deploy/nginx/nginx.conf', 'events {}\nhttp {\n    include sites/*.conf;\n}\n'),
      file(
        '/w/deploy/nginx/sites/app.conf',
        'server {\n    listen 80;\n    location / {\n        proxy_pass http://unix:/run/app/app.sock;\n    }\n}\n',
      ),
    ];
    const findings = (conf: string, target: ResolvedVersion): Finding[] =>
      [
        ...buildDeploymentModel(sources(conf), {
          version: target.version,
          versionLabel: target.label,
          versionAssumed: target.assumed,
        }).findings.values(),
      ].flat();

    it('protocol = "uwsgi" behind proxy_pass: an error from 24.0 on, so a warning while the version is assumed', () => {
      const assumed = only(findings('protocol = "uwsgi"\n', TARGETS.assumed), 'protocol-mismatch', 'assumed');
      assert.equal(assumed.severity, 'warning');
      assert.ok(assumed.message.includes(PHRASE), assumed.message);
      for (const how of ['pinned', 'set'] as const) {
        assert.equal(
          only(findings('protocol = "uwsgi"\n', TARGETS[how]), 'protocol-mismatch', how).severity,
          'error',
        );
      }
    });
  });
});

describe('gunicorn-config check on a folder without a pin', () => {
  const CLI = join(__dirname, '..', '..', 'server', 'src', 'cli.js');
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gunicorn-config-assumed-'));
    writeFileSync(join(dir, 'gunicorn.conf.py'), 'worker_class = "eventlet"\nworkers = 2\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'check', dir, ...args], { encoding: 'utf8' });
  const severities = (stdout: string): string[] =>
    (JSON.parse(stdout) as { rule: string; severity: string }[])
      .filter((row) => row.rule === 'unknown-worker-class')
      .map((row) => row.severity);

  it('reports a warning, says the version was assumed and how to pin it, and exits 0 (warnings do not fail)', () => {
    const text = run();
    assert.equal(text.status, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /Checking against Gunicorn .*your project pins no version/);
    assert.match(text.stdout, /requirements\.txt or pyproject\.toml, or pass --gunicorn-version/);
    assert.match(text.stdout, /warning unknown-worker-class .*your project pins no version/);
    assert.match(text.stdout, /0 errors, 1 warning/);
    assert.deepEqual(severities(run('--format', 'json').stdout), ['warning']);
  });

  it('reports an error and exits 1 with --gunicorn-version or a pin file', () => {
    const set = run('--format', 'json', '--gunicorn-version', LATEST);
    assert.equal(set.status, 1);
    assert.deepEqual(severities(set.stdout), ['error']);
    writeFileSync(join(dir, 'requirements.txt'), `gunicorn==${LATEST}\n`);
    try {
      const pinned = run('--format', 'json');
      assert.equal(pinned.status, 1);
      assert.deepEqual(severities(pinned.stdout), ['error']);
      assert.doesNotMatch(run().stdout, /pins no version|is only assumed/);
    } finally {
      rmSync(join(dir, 'requirements.txt'));
    }
  });

  it('writes the level into SARIF: warning without a pin, error with one', () => {
    const levels = (args: string[]): string[] => {
      const log = JSON.parse(run('--format', 'sarif', ...args).stdout) as {
        runs: { results: { ruleId: string; level: string }[] }[];
      };
      return log.runs[0]!.results.filter((r) => r.ruleId === 'unknown-worker-class').map((r) => r.level);
    };
    assert.deepEqual(levels([]), ['warning']);
    assert.deepEqual(levels(['--gunicorn-version', LATEST]), ['error']);
  });
});

describe('the rule runner under an assumed version', () => {
  interface FakeRule {
    meta: RuleMeta;
    /** The releases (as "major.minor") in which the rule reports; undefined: it never reads the version. */
    reportsIn?: string[];
  }
  const fake = (id: string, reportsIn?: string[]): FakeRule => ({
    meta: { id, defaultSeverity: 'error', description: id, docsUrl: `#${id}` },
    ...(reportsIn ? { reportsIn } : {}),
  });
  const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } };

  function run(rules: FakeRule[], assumed: boolean, calls: string[]): RuleRun<FakeRule> {
    return {
      rules,
      suppressions: collectSuppressionComments([]),
      suppressionFix: (id) => ({ title: id, edits: [] }),
      target: { version: [26, 1, 0], label: '26.1.0 (assumed)', assumed },
      releases: [
        [19, 9, 0],
        [24, 0, 0],
        [26, 1, 0],
      ],
      check: (rule, report, version) => {
        calls.push(rule.meta.id);
        if (rule.reportsIn && !rule.reportsIn.includes(version.version.slice(0, 2).join('.'))) return;
        report({ range: at, message: `${rule.meta.id}.` });
      },
    };
  }

  it('rechecks only rules that read the version, and softens what some release does not report', () => {
    const calls: string[] = [];
    const rules = [
      fake('blind'),
      fake('everywhere', ['19.9', '24.0', '26.1']),
      fake('newer', ['24.0', '26.1']),
    ];
    const findings = runRules(run(rules, true, calls));
    assert.deepEqual(calls, ['blind', 'everywhere', 'everywhere', 'everywhere', 'newer', 'newer']);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.message]),
      [
        ['blind', 'error', 'blind.'],
        ['everywhere', 'error', 'everywhere.'],
        ['newer', 'warning', 'newer. This holds with Gunicorn 26.1.0 (assumed); other releases differ.'],
      ],
    );
  });

  it('runs each recheck as a step of its own, and rechecks nothing when the version was given', () => {
    const rules = [fake('newer', ['26.1'])];
    const steps = ruleSteps(run(rules, true, []));
    let count = 0;
    while (!steps.next().done) count++;
    assert.equal(
      count,
      2,
      'a step per other release until the verdict is known to differ, then the rule’s own step',
    );
    const calls: string[] = [];
    assert.equal(runRules(run(rules, false, calls))[0]!.severity, 'error');
    assert.deepEqual(calls, ['newer']);
  });
});

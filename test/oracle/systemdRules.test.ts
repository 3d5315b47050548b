// Oracle: the real systemd (Debian 12's 252 and Debian 13's 257) judges the fixture units in test/fixtures/systemd
// with `systemd-analyze verify`; our systemd rules, targeted at that systemd version (as the systemdVersion setting
// would), must report the same unknown keys, unknown sections, bad values, unreadable lines, refused units and (where
// systemd warns) deprecations, on the same lines.

import { strict as assert } from 'node:assert';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/findings';
import { analyzeUnitFile } from '../../server/src/languages/systemd/analyze';
import { systemdCatalog } from '../../server/src/languages/systemd/catalog';
import { parseUnitFile, type UnitModel } from '../../server/src/languages/systemd/parse';
import { JUDGE_SETS, requireJudge, type JudgeSet, type JudgeSetName } from '../helpers/judges';
import { gunicornTarget, systemdTarget } from '../helpers/targets';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'systemd');

/** What a complaint is about; systemd's messages and our rule ids are both mapped onto these. */
type Kind =
  | 'unknown-key'
  | 'unknown-section'
  | 'bad-value'
  | 'bad-line'
  | 'refused-unit'
  | 'deprecated'
  | 'internal-error'
  | 'unclassified';

/** One complaint: a 1-based line of the unit file (0 for the unit as a whole), its kind, and the text behind it. */
interface Complaint {
  line: number;
  kind: Kind;
  text: string;
}

/**
 * Differences between systemd and us that are there by design, so they are not held against either side.
 * `side` says who reports the complaint the other one does not. Keep each reason to one line.
 */
const ALLOWED: { fixture: string; line: number; kind: Kind; side: 'systemd' | 'ours'; reason: string }[] = [];

/**
 * Fixtures the two systemd releases judge differently (directives and values added after 252): each judge's own
 * complaints (line:kind) are expected, and our analysis, targeted at that judge's version, must match them.
 */
const VERSIONED: Record<string, Record<JudgeSetName, string[]>> = {
  'notify-reload.service': { bookworm: ['5:bad-value'], trixie: [] },
  'restart-steps.service': {
    bookworm: ['13:unknown-key', '14:unknown-key', '15:unknown-key', '16:bad-value'],
    trixie: [],
  },
  // The version branch's fixtures: keys of 253 to 257 that 252 does not know.
  'newer-directives.service': {
    bookworm: ['3', '4', '10', '11', '13', '14', '16', '20'].map((line) => `${line}:unknown-key`),
    trixie: [],
  },
  'newer-directives.socket': { bookworm: ['6:unknown-key', '7:unknown-key', '8:unknown-key'], trixie: [] },
};

// systemd's messages (252 and 257) about a line of the unit file, in the order they are tried.
const LINE_MESSAGES: [RegExp, Kind][] = [
  [/^Unknown key '.*' in section \[.*\], ignoring\.$/, 'unknown-key'],
  [/^Unknown section '.*'\. Ignoring\.$/, 'unknown-section'],
  [
    /^(Missing '=', ignoring line\.|Missing key name before '=', ignoring line\.|Assignment outside of section\. Ignoring\.|Invalid section header )/,
    'bad-line',
  ],
  [
    /\b(deprecated|obsolete)\b|please use \S+ instead|^Support for option \S+= has been removed and it is ignored$/i,
    'deprecated',
  ],
  [
    /^(Failed to parse |Failed to add dependency |Invalid |Neither a valid executable name nor an absolute path|\S+= path is not absolute|.* out of range, ignoring|Soft resource limit chosen higher|Unit type not valid)/,
    'bad-value',
  ],
];

// systemd's messages about the unit as a whole (after "name: "), other than refusals.
const UNIT_NOISE: RegExp[] = [
  // The executables of the Gunicorn-like fixtures are not installed on the machine that runs the test.
  /^Command .* is not executable: /,
  // A dependency that is not installed on this machine (redis-server.service); not an error in the unit file.
  /^Failed to create \S+: Unit \S+ not found\.$/,
];
const FATAL = /^(Unit configuration has fatal error|Unit \S+ failed to load properly)/;

interface Verdict {
  complaints: Complaint[];
  /** The last line systemd read: it stops at a fatal error, so later lines were never judged. */
  readUpTo: number;
}

let workDir = '';

const stem = (name: string): string => name.slice(0, name.lastIndexOf('.'));

/** Runs `systemd-analyze verify` on a copy of the fixture (with its same-named companions) and reads its verdict. */
function verify(set: JudgeSet, fixture: string, fixtures: string[]): Verdict {
  const dir = mkdtempSync(join(workDir, 'unit-'));
  for (const name of fixtures.filter((f) => stem(f) === stem(fixture))) {
    copyFileSync(join(FIXTURES, name), join(dir, name));
  }
  // Sockets and timers need the service they start; a stub one keeps its own complaints out of the verdict.
  const service = `${stem(fixture)}.service`;
  if (!existsSync(join(dir, service))) writeFileSync(join(dir, service), '[Service]\nExecStart=/bin/true\n');
  const path = join(dir, fixture);
  // --recursive-errors=one loads the unit's dependencies, so a dependency that is not a unit name is reported.
  const result = set.systemd.verify(['--man=no', '--recursive-errors=one', '--generators=no', path]);
  rmSync(dir, { recursive: true, force: true });
  const complaints: Complaint[] = [];
  let fatal = false;
  const output = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.trim() !== '');
  for (const message of output) {
    const m = message.startsWith(`${path}:`) ? /^:(\d+): (.*)$/.exec(message.slice(path.length)) : null;
    if (m) {
      const text = m[2]!;
      const kind = LINE_MESSAGES.find(([re]) => re.test(text))?.[1] ?? 'unclassified';
      complaints.push({ line: Number(m[1]), kind, text });
    } else if (message.startsWith(`${fixture}: `)) {
      const text = message.slice(fixture.length + 2);
      if (FATAL.test(text)) {
        fatal = true;
      } else if (/ Refusing\.$/.test(text)) {
        complaints.push({ line: 0, kind: 'refused-unit', text });
      } else if (!UNIT_NOISE.some((re) => re.test(text))) {
        complaints.push({ line: 0, kind: 'unclassified', text });
      }
    } else if (message.startsWith(`Unit ${fixture} `)) {
      if (FATAL.test(message)) fatal = true;
      // Otherwise the closing summary ("Unit x.service has a bad unit file setting."), which repeats the above.
    }
    // Anything else is about another unit (a companion, network.target) or not about a unit at all.
  }
  const lastLine = Math.max(0, ...complaints.map((c) => c.line));
  return { complaints, readUpTo: fatal ? lastLine : Infinity };
}

/** True when systemd itself warns about the deprecated directive or value on `line` (0-based). */
function systemdWarns(model: UnitModel, line: number): boolean {
  const directive = model.directives.find((d) => d.line === line);
  if (!directive?.section) return false;
  const info = systemdCatalog().directive(directive.key, directive.section.name);
  if (!info) return false;
  const notices = [
    info.deprecated,
    ...(info.deprecatedIn ?? []).filter((d) => d.section === directive.section!.name),
    ...(info.deprecatedValues ?? []).filter((v) => v.value === directive.value),
  ];
  return notices.some((n) => n?.warns === true);
}

/** Our findings as complaints of the same kinds; findings systemd has no counterpart for are left out. */
function ourComplaints(set: JudgeSet, fixture: string, text: string): Complaint[] {
  const model = parseUnitFile(text);
  const findings: Finding[] = analyzeUnitFile(model, {
    uri: `file:///fixtures/${fixture}`,
    path: fixture,
    ...gunicornTarget(set),
    ...systemdTarget(set),
  });
  const complaints: Complaint[] = [];
  for (const f of findings) {
    const line = f.range.start.line + 1;
    const at = (kind: Kind, where = line): void => {
      complaints.push({ line: where, kind, text: `${f.rule}: ${f.message}` });
    };
    switch (f.rule) {
      // systemd reports a known key in the wrong section as an unknown key in that section.
      case 'unknown-directive':
      case 'directive-wrong-section':
        at('unknown-key');
        break;
      case 'unknown-section':
        at('unknown-section');
        break;
      // Too new or removed at the target version: systemd calls it an unknown key; accepted but ignored, it prints a
      // "support removed" notice.
      case 'directive-not-in-version':
        at(f.tags?.includes('deprecated') ? 'deprecated' : 'unknown-key');
        break;
      case 'invalid-directive-value':
        at('bad-value');
        break;
      case 'unit-syntax':
        at('bad-line');
        break;
      case 'missing-exec-start':
      case 'missing-listen':
      case 'missing-timer-trigger':
        at('refused-unit', 0);
        break;
      case 'deprecated-directive':
        // Directives systemd merely stopped documenting (PermissionsStartOnly=) load without a word.
        if (systemdWarns(model, f.range.start.line)) at('deprecated');
        break;
      case 'internal-error':
        at('internal-error');
        break;
      default:
        // missing-install, duplicate-directive: advice systemd does not give.
        break;
    }
  }
  return complaints;
}

const key = (c: { line: number; kind: Kind }): string => `${c.line}:${c.kind}`;

/** Every disagreement between systemd's verdict and our findings for one fixture, one line each. */
function disagreements(set: JudgeSet, fixture: string, fixtures: string[]): string[] {
  const verdict = verify(set, fixture, fixtures);
  const theirs = verdict.complaints;
  const ours = ourComplaints(set, fixture, readFileSync(join(FIXTURES, fixture), 'utf8')).filter(
    (c) => c.line <= verdict.readUpTo,
  );
  const allowed = (c: Complaint, side: 'systemd' | 'ours'): boolean =>
    ALLOWED.some((a) => a.fixture === fixture && a.line === c.line && a.kind === c.kind && a.side === side);
  const where = (c: Complaint): string => (c.line === 0 ? `${fixture}` : `${fixture}:${c.line}`);
  const problems: string[] = [];
  const expected = VERSIONED[fixture]?.[set.name];
  if (expected && JSON.stringify(theirs.map(key).sort()) !== JSON.stringify([...expected].sort())) {
    problems.push(
      `${set.debian}'s systemd complains at [${theirs.map(key).join(', ')}], the fixture expects [${expected.join(', ')}]`,
    );
  }
  const ourKeys = new Set(ours.map(key));
  const theirKeys = new Set(theirs.map(key));
  for (const c of theirs) {
    if (ourKeys.has(key(c)) || allowed(c, 'systemd')) continue;
    problems.push(`${where(c)} ${c.kind}: systemd says "${c.text}", we say nothing`);
  }
  for (const c of ours) {
    if (theirKeys.has(key(c)) || allowed(c, 'ours')) continue;
    problems.push(`${where(c)} ${c.kind}: we say "${c.text}", systemd says nothing`);
  }
  return [...new Set(problems)];
}

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s systemd ${set.systemd.version} judges our systemd rules on the fixture units`, function () {
    this.timeout(120000);
    const fixtures = readdirSync(FIXTURES)
      .filter((f) => /\.(service|socket|timer)$/.test(f))
      .sort();

    before(function () {
      requireJudge(this, set, 'systemd');
      workDir = mkdtempSync(join(tmpdir(), 'systemd-rules-oracle-'));
    });
    after(() => {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    it('has the fixture units', () => {
      assert.ok(fixtures.length >= 20, `only ${fixtures.length} fixtures in ${FIXTURES}`);
      for (const name of Object.keys(VERSIONED)) assert.ok(fixtures.includes(name), `no fixture ${name}`);
    });

    it(`reads systemd ${set.systemd.version} messages of every kind, so the comparisons below can fail`, () => {
      const seen = new Set<Kind>();
      const samples = [
        'deprecated',
        'missing-equals',
        'no-execstart',
        'unknown-section',
        'wrong-section',
        'bad-enum',
      ];
      for (const name of samples) {
        for (const c of verify(set, `${name}.service`, fixtures).complaints) seen.add(c.kind);
      }
      assert.deepEqual([...seen].sort(), [
        'bad-line',
        'bad-value',
        'deprecated',
        'refused-unit',
        'unknown-key',
        'unknown-section',
      ]);
    });

    for (const fixture of fixtures) {
      it(`agrees on ${fixture}`, () => {
        const problems = disagreements(set, fixture, fixtures);
        if (problems.length > 0) {
          assert.fail(
            `${fixture}: ${problems.length} disagreement(s) with systemd ${set.systemd.version}:\n  ${problems.join('\n  ')}`,
          );
        }
      });
    }
  });
}

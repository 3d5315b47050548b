// The rule runner: at once (CLI, tests) or one rule per step (the LSP server runs a document's rules in slices).

import { strict as assert } from 'node:assert';
import type { RuleMeta } from '../../server/src/core/findings';
import {
  finish,
  MAX_FINDINGS_PER_RULE,
  ruleSteps,
  runRules,
  type RuleRun,
} from '../../server/src/core/runRules';
import { collectSuppressionComments } from '../../server/src/core/suppression';

interface TestRule {
  meta: RuleMeta;
  line: number;
  fails?: boolean;
}

const rule = (id: string, line: number, fails = false): TestRule => ({
  meta: { id, defaultSeverity: 'warning', description: id, docsUrl: `#${id}` },
  line,
  fails,
});

function run(rules: TestRule[], calls: string[] = []): RuleRun<TestRule> {
  return {
    rules,
    suppressions: collectSuppressionComments([]),
    suppressionFix: (id, line) => ({ title: `Ignore ${id} on ${line}`, edits: [] }),
    check: (checked, report) => {
      calls.push(checked.meta.id);
      if (checked.fails) throw new Error('broken rule');
      const at = { line: checked.line, character: 0 };
      report({ range: { start: at, end: at }, message: `${checked.meta.id} here` });
    },
  };
}

describe('rule runner', () => {
  const rules = [rule('late', 5), rule('broken', 0, true), rule('early', 1)];

  it('keeps at most MAX_FINDINGS_PER_RULE findings of one rule: junk input cannot make a rule build millions', () => {
    const flood = run([rule('flood', 0), rule('other', 2)]);
    const check = flood.check;
    flood.check = (checked, report, at) => {
      if (checked.meta.id !== 'flood') return check(checked, report, at);
      for (let i = 0; i < MAX_FINDINGS_PER_RULE * 5; i++) {
        const position = { line: i, character: 0 };
        report({ range: { start: position, end: position }, message: `flood ${i}` });
      }
    };
    const findings = runRules(flood);
    const flooded = findings.filter((f) => f.rule === 'flood');
    assert.equal(flooded.length, MAX_FINDINGS_PER_RULE);
    assert.equal(flooded[0]!.message, 'flood 0', 'the first ones are kept');
    assert.deepEqual(
      findings.filter((f) => f.rule === 'other').map((f) => f.message),
      ['other here'],
      'other rules keep theirs',
    );
  });

  it('runs one rule per step, and ends with what runRules returns at once', () => {
    const calls: string[] = [];
    const steps = ruleSteps(run(rules, calls));
    assert.deepEqual(calls, [], 'nothing runs before the first step');
    for (let i = 1; i <= rules.length; i++) {
      assert.equal(steps.next().done, false);
      assert.equal(calls.length, i, `step ${i} ran rule ${i}`);
    }
    const last = steps.next();
    assert.ok(last.done);
    assert.deepEqual(last.value, runRules(run(rules)));
    assert.deepEqual(finish(ruleSteps(run(rules))), runRules(run(rules)));
  });

  it('sorts the findings by position and turns a failing rule into one internal-error hint', () => {
    const findings = runRules(run(rules));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.range.start.line]),
      [
        ['internal-error', 'hint', 0],
        ['early', 'warning', 1],
        ['late', 'warning', 5],
      ],
    );
    assert.match(findings[0]!.message, /Rule broken failed: broken rule/);
  });
});

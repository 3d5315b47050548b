// Runs a language's rules: severity overrides, suppression comments, a suppression fix per finding, and a guard so a
// failing rule becomes one internal-error hint instead of taking the others down.

import type { Finding, Fix, RuleMeta, SeverityOverride } from './findings';
import type { Suppressions } from './suppression';

/** What a rule reports: a finding without rule id (filled in) and with an optional severity (defaults to the rule's). */
export type Report = Omit<Finding, 'rule' | 'severity'> & { severity?: Finding['severity'] };

export interface RuleRun<Rule extends { meta: RuleMeta }> {
  rules: readonly Rule[];
  severity?: Readonly<Record<string, SeverityOverride>> | undefined;
  suppressions: Suppressions;
  /** The language's "Ignore <rule> on this line" fix. */
  suppressionFix(rule: string, line: number): Fix;
  /** Calls the rule with its language's context, built around `report`. */
  check(rule: Rule, report: (finding: Report) => void): void;
}

/** Steps that end with a value: a host that must stay responsive runs them in slices, others `finish` them at once. */
export type Steps<T> = Generator<void, T, undefined>;

/** Runs steps to the end. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export function runRules<Rule extends { meta: RuleMeta }>(run: RuleRun<Rule>): Finding[] {
  return finish(ruleSteps(run));
}

/** The same run, one step per rule (the LSP server runs a document's rules about a millisecond at a time). */
export function* ruleSteps<Rule extends { meta: RuleMeta }>(run: RuleRun<Rule>): Steps<Finding[]> {
  const findings: Finding[] = [];
  for (const rule of run.rules) {
    const id = rule.meta.id;
    const override = run.severity?.[id];
    if (override === 'ignore') continue;
    const report = (reported: Report): void => {
      const line = reported.range.start.line;
      if (run.suppressions.isSuppressed(id, line)) return;
      findings.push({
        ...reported,
        rule: id,
        severity: override ?? reported.severity ?? rule.meta.defaultSeverity,
        fixes: [...(reported.fixes ?? []), run.suppressionFix(id, line)],
      });
    };
    try {
      run.check(rule, report);
    } catch (error) {
      // A rule bug must never take the other rules or the server down; report it where users can see it.
      findings.push({
        rule: 'internal-error',
        severity: 'hint',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Rule ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    yield;
  }
  return findings.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

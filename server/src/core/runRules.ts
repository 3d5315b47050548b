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

export function runRules<Rule extends { meta: RuleMeta }>(run: RuleRun<Rule>): Finding[] {
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
  }
  return findings.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

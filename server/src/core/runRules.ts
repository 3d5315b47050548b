// Runs a language's rules: severity overrides, suppression comments, a suppression fix per finding, and a guard so a
// failing rule becomes one internal-error hint instead of taking the others down.

import {
  releaseView,
  softenAssumed,
  VersionProbe,
  type Judged,
  type TargetVersion,
  type VersionView,
} from './assumedVersion';
import type { Finding, Fix, RuleMeta, SeverityOverride } from './findings';
import type { Suppressions } from './suppression';
import { readableStandIns } from './templates';
import type { Version } from './version';

/** What a rule reports: a finding without rule id (filled in) and with an optional severity (defaults to the rule's). */
export type Report = Omit<Finding, 'rule' | 'severity'> & { severity?: Finding['severity'] };

export interface RuleRun<Rule extends { meta: RuleMeta }> {
  rules: readonly Rule[];
  severity?: Readonly<Record<string, SeverityOverride>> | undefined;
  suppressions: Suppressions;
  /** The language's "Ignore <rule> on this line" fix. */
  suppressionFix(rule: string, line: number): Fix;
  /**
   * Calls the rule with its language's context, built around `report`; the context reads the Gunicorn version from
   * `at` when it is called (getters), so the runner knows which rules looked at it.
   */
  check(rule: Rule, report: (finding: Report) => void, at: VersionView): void;
  /** The Gunicorn version rules check against (every language gives one; rules of tests may do without). */
  target?: TargetVersion;
  /** Every release a user could run (oldest first): rules that read an assumed target are checked against each. */
  releases?: readonly Version[];
}

/**
 * The most findings one rule keeps for one document. Editors show at most 1,000 diagnostics per document, and a rule
 * that reports a finding per character of junk (a megabyte of `{`) must not spend seconds building objects nobody sees.
 */
export const MAX_FINDINGS_PER_RULE = 1_000;

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
    const push = (reported: Report): void => {
      const line = reported.range.start.line;
      if (run.suppressions.isSuppressed(id, line)) return;
      findings.push({
        ...reported,
        message: readableStandIns(reported.message),
        rule: id,
        severity: override ?? reported.severity ?? rule.meta.defaultSeverity,
        fixes: [...(reported.fixes ?? []), run.suppressionFix(id, line)],
      });
    };
    const reported: Report[] = [];
    const probe = new VersionProbe(run.target ?? releaseView([0, 0, 0]));
    try {
      run.check(
        rule,
        (finding) => {
          if (reported.length < MAX_FINDINGS_PER_RULE) reported.push(finding);
        },
        probe,
      );
      let kept: Report[] = reported;
      if (run.target?.assumed && run.releases && probe.read && reported.length) {
        kept = yield* softenAssumed(
          reported,
          rule.meta.defaultSeverity,
          run.target,
          run.releases,
          (release) => {
            const again: Judged[] = [];
            try {
              run.check(rule, (finding) => again.push(finding), releaseView(release));
            } catch {
              // A release the rule cannot judge does not confirm the verdict.
            }
            return again;
          },
        );
      }
      kept.forEach(push);
    } catch (error) {
      // What the rule reported before it failed still counts.
      reported.forEach(push);
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

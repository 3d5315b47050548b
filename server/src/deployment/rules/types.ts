// The contract of a cross-file deployment rule: metadata plus a check over the whole deployment model.

import type { RuleMeta } from '../../core/findings';
import type { Report } from '../../core/runRules';
import type { DeploymentFacts } from '../model';

/** A finding in one file of the deployment: where it goes (`uri`) plus what any rule reports. */
export type DeploymentReport = Report & { uri: string };

export interface DeploymentRuleContext {
  facts: DeploymentFacts;
  report(finding: DeploymentReport): void;
}

export interface DeploymentRule {
  meta: RuleMeta;
  /**
   * `deployment` (the default): the rule judges each deployment on its own, reading only that deployment's facts, so
   * its findings for the files of one deployment come out the same when the facts hold that deployment alone (the
   * server runs it only on the deployments of the open files; see deployment/focus.ts). `workspace`: it compares
   * deployments with each other (an address no deployment listens on), so it always sees them all.
   */
  scope?: 'deployment' | 'workspace';
  check(context: DeploymentRuleContext): void;
}

/** The docs anchor of a rule in docs/rules.md. */
export function deploymentRuleDocsUrl(id: string): string {
  return `https://github.com/gunicorn-config/gunicorn-config/blob/main/docs/rules.md#${id}`;
}

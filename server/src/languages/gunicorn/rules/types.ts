// The contract every Gunicorn rule file implements: metadata plus a check over the model.

import type { RuleMeta } from '../../../core/findings';
import type { Version } from '../../../core/version';
import type { GunicornCatalog } from '../catalog';
import type { ConfigModel } from '../model';
import type { Report } from '../../../core/runRules';

export type { Report } from '../../../core/runRules';

export interface RuleContext {
  model: ConfigModel;
  catalog: GunicornCatalog;
  /** The Gunicorn version the file is checked against. */
  version: Version;
  /** Human text for that version and where it came from, e.g. "23.0.0 (pinned in requirements.txt)". */
  versionLabel: string;
  /** The document's URI, for relatedInformation. */
  uri: string;
  report(finding: Report): void;
}

export interface GunicornRule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

/** The docs anchor of a rule in docs/rules.md. */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/gunicorn-config/gunicorn-config/blob/main/docs/rules.md#${id}`;
}

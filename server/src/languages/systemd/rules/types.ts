// The contract every systemd rule file implements: metadata plus a check over the parsed unit.

import type { RuleMeta } from '../../../core/findings';
import type { Range } from '../../../core/text';
import type { Version } from '../../../core/version';
import type { Span } from '../../gunicorn/model';
import type { SystemdCatalog, UnitType } from '../catalog';
import type { SystemdTarget } from '../version';
import type { UnitModel } from '../parse';
import type { Report } from '../../../core/runRules';

export type { Report } from '../../../core/runRules';

export interface UnitRuleContext {
  model: UnitModel;
  catalog: SystemdCatalog;
  /** From the file name (`app.service`) or drop-in directory (`app.service.d/`); undefined when unknown. */
  unitType: UnitType | undefined;
  /** A drop-in fragment extends another unit, so it need not be complete. */
  isDropIn: boolean;
  uri: string;
  /** Unit file names found in the workspace (`app.socket`, …), when the caller knows them. */
  workspaceUnits?: ReadonlySet<string>;
  /** The Gunicorn version command lines are checked against, and how it was chosen. */
  gunicornVersion: Version;
  versionLabel: string;
  /** The systemd release unit files are judged against, and how it was chosen. */
  systemd: SystemdTarget;
  /** Span → range in this file. */
  range(span: Span): Range;
  report(finding: Report): void;
}

export interface UnitRule {
  meta: RuleMeta;
  check(context: UnitRuleContext): void;
}

/** The docs anchor of a rule in docs/rules.md. */
export function unitRuleDocsUrl(id: string): string {
  return `https://github.com/gunicorn-config/gunicorn-config/blob/main/docs/rules.md#${id}`;
}

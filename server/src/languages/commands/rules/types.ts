// The contract every rule of the `commands` language implements: metadata plus a check over the file's launches.

import type { RuleMeta } from '../../../core/findings';
import type { Report } from '../../../core/runRules';
import type { Range } from '../../../core/text';
import type { Version } from '../../../core/version';
import type { ParsedSource } from '../../gunicorn/launchSites';
import type { CommandsModel } from '../parse';

export type { Report } from '../../../core/runRules';

export interface CommandRuleContext {
  model: CommandsModel;
  /** The file read for the target version. */
  source: ParsedSource;
  uri: string;
  /** The file's path (or name): `Dockerfile.dev`, `Procfile.dev`… */
  path: string;
  gunicornVersion: Version;
  versionLabel: string;
  /** Document offsets → range in this file. */
  range(from: number, to: number): Range;
  report(finding: Report): void;
}

export interface CommandRule {
  meta: RuleMeta;
  check(context: CommandRuleContext): void;
}

/** The docs anchor of a rule in docs/rules.md. */
export function commandRuleDocsUrl(id: string): string {
  return `https://github.com/gunicorn-config/gunicorn-config/blob/main/docs/rules.md#${id}`;
}

/** True for files meant for local development (`Dockerfile.dev`, `Procfile.local`, `compose.override.yml`…). */
export function isDevelopmentFile(path: string): boolean {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  return /(?:^|[-_.])(?:dev|devel|develop|development|local|debug|override)(?:[-_.]|$)/i.test(name);
}

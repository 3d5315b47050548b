// Runs every Gunicorn rule over a parsed config (core/runRules applies suppressions and severity overrides).

import type { Finding, Fix, SeverityOverride } from '../../core/findings';
import type { Version } from '../../core/version';
import { gunicornCatalog } from './catalog';
import { versionChecks } from './versionChecks';
import type { ConfigModel } from './model';
import { gunicornRules } from './rules/index';
import type { GunicornRule } from './rules/types';
import { collectSuppressions } from './suppression';
import { finish, ruleSteps, type Steps } from '../../core/runRules';

export interface GunicornAnalysisOptions {
  version: Version;
  /** Shown in messages and hovers, e.g. "23.0.0 (pinned in requirements.txt)". */
  versionLabel: string;
  /** True when no pin and no setting gave the version: verdicts only it gives become warnings that say so. */
  versionAssumed?: boolean;
  uri: string;
  /** Per-rule overrides from the user's settings. */
  severity?: Readonly<Record<string, SeverityOverride>>;
  /** Rules to run; all by default (tests narrow it). */
  rules?: readonly GunicornRule[];
}

export const SOURCE = 'gunicorn-config';

export function analyzeGunicornConfig(model: ConfigModel, options: GunicornAnalysisOptions): Finding[] {
  return finish(analyzeGunicornConfigSteps(model, options));
}

/** The same analysis, one step per rule. */
export function* analyzeGunicornConfigSteps(
  model: ConfigModel,
  options: GunicornAnalysisOptions,
): Steps<Finding[]> {
  const catalog = gunicornCatalog();
  return yield* ruleSteps({
    rules: options.rules ?? gunicornRules,
    severity: options.severity,
    suppressions: collectSuppressions(model),
    suppressionFix: (rule, line) => suppressionFix(model, rule, line),
    ...versionChecks(options.version, options.versionLabel, options.versionAssumed, model.text.length),
    check: (rule, report, at) =>
      rule.check({
        model,
        catalog,
        get version() {
          return at.version;
        },
        get versionLabel() {
          return at.label;
        },
        uri: options.uri,
        report,
      }),
  });
}

/** "Ignore this rule on this line": appends (or extends) a suppression comment at the end of the line. */
function suppressionFix(model: ConfigModel, rule: string, line: number): Fix {
  const lineText = model.lines.lineText(line);
  const end = { line, character: lineText.length };
  const existing = /#\s*gunicorn-config:\s*disable=([\w\-, ]*)$/.exec(lineText);
  if (existing) {
    return {
      title: `Ignore ${rule} on this line`,
      edits: [{ range: { start: end, end }, newText: `,${rule}` }],
    };
  }
  return {
    title: `Ignore ${rule} on this line`,
    edits: [{ range: { start: end, end }, newText: `  # gunicorn-config: disable=${rule}` }],
  };
}

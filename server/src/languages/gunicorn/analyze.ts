// Runs every Gunicorn rule over a parsed config, then applies suppressions and severity overrides.

import type { Finding, Fix, SeverityOverride } from '../../core/findings';
import type { Version } from '../../core/version';
import { gunicornCatalog } from './catalog';
import type { ConfigModel } from './model';
import { gunicornRules } from './rules/index';
import type { GunicornRule } from './rules/types';
import { collectSuppressions } from './suppression';

export interface GunicornAnalysisOptions {
  version: Version;
  /** Shown in messages and hovers, e.g. "23.0.0 (pinned in requirements.txt)". */
  versionLabel: string;
  uri: string;
  /** Per-rule overrides from the user's settings. */
  severity?: Readonly<Record<string, SeverityOverride>>;
  /** Rules to run; all by default (tests narrow it). */
  rules?: readonly GunicornRule[];
}

export const SOURCE = 'gunicorn-config';

export function analyzeGunicornConfig(model: ConfigModel, options: GunicornAnalysisOptions): Finding[] {
  const catalog = gunicornCatalog();
  const findings: Finding[] = [];
  const suppressions = collectSuppressions(model);
  for (const rule of options.rules ?? gunicornRules) {
    const override = options.severity?.[rule.meta.id];
    if (override === 'ignore') continue;
    const report = (
      reported: Omit<Finding, 'rule' | 'severity'> & { severity?: Finding['severity'] },
    ): void => {
      if (suppressions.isSuppressed(rule.meta.id, reported.range.start.line)) return;
      findings.push({
        ...reported,
        rule: rule.meta.id,
        severity: override ?? reported.severity ?? rule.meta.defaultSeverity,
        fixes: [...(reported.fixes ?? []), suppressionFix(model, rule.meta.id, reported.range.start.line)],
      });
    };
    try {
      rule.check({
        model,
        catalog,
        version: options.version,
        versionLabel: options.versionLabel,
        uri: options.uri,
        report,
      });
    } catch (error) {
      // A rule bug must never take the other rules or the server down; report it where users can see it.
      findings.push({
        rule: 'internal-error',
        severity: 'hint',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Rule ${rule.meta.id} failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return findings.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
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

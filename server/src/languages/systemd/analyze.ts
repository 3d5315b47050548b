// Runs every systemd rule over a parsed unit file, then applies suppressions and severity overrides.

import type { Finding, SeverityOverride } from '../../core/findings';
import { collectSuppressionComments } from '../../core/suppression';
import type { Version } from '../../core/version';
import { isDropIn, systemdCatalog, unitTypeOf } from './catalog';
import type { UnitModel } from './parse';
import { unitRules } from './rules/index';
import type { UnitRule } from './rules/types';

export interface UnitAnalysisOptions {
  uri: string;
  /** The file's path or name: it decides the unit type (`.service`, drop-in `.d/*.conf`). */
  path: string;
  gunicornVersion: Version;
  versionLabel: string;
  severity?: Readonly<Record<string, SeverityOverride>>;
  workspaceUnits?: ReadonlySet<string>;
  rules?: readonly UnitRule[];
}

export function analyzeUnitFile(model: UnitModel, options: UnitAnalysisOptions): Finding[] {
  const catalog = systemdCatalog();
  const findings: Finding[] = [];
  const suppressions = collectSuppressionComments(
    model.comments.map((span) => {
      const line = model.lines.positionAt(span.from).line;
      return { text: model.text.slice(span.from + 1, span.to), line, aloneOnLine: true };
    }),
  );
  const range = (span: { from: number; to: number }) => model.lines.range(span.from, span.to);
  for (const rule of options.rules ?? unitRules) {
    const override = options.severity?.[rule.meta.id];
    if (override === 'ignore') continue;
    try {
      rule.check({
        model,
        catalog,
        unitType: unitTypeOf(options.path),
        isDropIn: isDropIn(options.path),
        uri: options.uri,
        ...(options.workspaceUnits ? { workspaceUnits: options.workspaceUnits } : {}),
        gunicornVersion: options.gunicornVersion,
        versionLabel: options.versionLabel,
        range,
        report(reported) {
          if (suppressions.isSuppressed(rule.meta.id, reported.range.start.line)) return;
          const line = reported.range.start.line;
          const indent = /^\s*/.exec(model.lines.lineText(line))![0];
          const start = { line, character: 0 };
          findings.push({
            ...reported,
            rule: rule.meta.id,
            severity: override ?? reported.severity ?? rule.meta.defaultSeverity,
            fixes: [
              ...(reported.fixes ?? []),
              {
                // Unit files have no trailing comments (a '#' after a value is part of it): suppress on the line above.
                title: `Ignore ${rule.meta.id} on this line`,
                edits: [
                  {
                    range: { start, end: start },
                    newText: `${indent}# gunicorn-config: disable=${rule.meta.id}${model.lines.eol}`,
                  },
                ],
              },
            ],
          });
        },
      });
    } catch (error) {
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

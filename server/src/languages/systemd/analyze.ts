// Runs every systemd rule over a parsed unit file, then applies suppressions and severity overrides.

import type { Finding, SeverityOverride } from '../../core/findings';
import { finish, ruleSteps, type Steps } from '../../core/runRules';
import { collectSuppressionComments } from '../../core/suppression';
import type { Version } from '../../core/version';
import { versionChecks } from '../gunicorn/versionChecks';
import { isDropIn, systemdCatalog, unitTypeOf } from './catalog';
import type { UnitModel } from './parse';
import { unitRules } from './rules/index';
import type { UnitRule } from './rules/types';
import { resolveSystemdVersion, type SystemdTarget } from './version';

export interface UnitAnalysisOptions {
  uri: string;
  /** The file's path or name: it decides the unit type (`.service`, drop-in `.d/*.conf`). */
  path: string;
  gunicornVersion: Version;
  versionLabel: string;
  /** True when no pin and no setting gave the Gunicorn version: verdicts only it gives become warnings. */
  versionAssumed?: boolean;
  /** The systemd release to judge against; the newest catalogued one, assumed, when not given. */
  systemd?: SystemdTarget;
  severity?: Readonly<Record<string, SeverityOverride>>;
  workspaceUnits?: ReadonlySet<string>;
  rules?: readonly UnitRule[];
}

export function analyzeUnitFile(model: UnitModel, options: UnitAnalysisOptions): Finding[] {
  return finish(analyzeUnitFileSteps(model, options));
}

/** The same analysis, one step per rule. */
export function* analyzeUnitFileSteps(model: UnitModel, options: UnitAnalysisOptions): Steps<Finding[]> {
  const catalog = systemdCatalog();
  const suppressions = collectSuppressionComments(
    model.comments.map((span) => {
      const line = model.lines.positionAt(span.from).line;
      return { text: model.text.slice(span.from + 1, span.to), line, aloneOnLine: true };
    }),
  );
  const range = (span: { from: number; to: number }) => model.lines.range(span.from, span.to);
  const unitType = unitTypeOf(options.path);
  const dropIn = isDropIn(options.path);
  const systemd = options.systemd ?? resolveSystemdVersion('auto');
  return yield* ruleSteps({
    rules: options.rules ?? unitRules,
    severity: options.severity,
    suppressions,
    suppressionFix: (rule, line) => {
      // Unit files have no trailing comments (a '#' after a value is part of it): suppress on the line above.
      const indent = /^\s*/.exec(model.lines.lineText(line))![0];
      const start = { line, character: 0 };
      return {
        title: `Ignore ${rule} on this line`,
        edits: [
          {
            range: { start, end: start },
            newText: `${indent}# gunicorn-config: disable=${rule}${model.lines.eol}`,
          },
        ],
      };
    },
    ...versionChecks(
      options.gunicornVersion,
      options.versionLabel,
      options.versionAssumed,
      model.text.length,
    ),
    check: (rule, report, at) =>
      rule.check({
        model,
        catalog,
        unitType,
        isDropIn: dropIn,
        uri: options.uri,
        ...(options.workspaceUnits ? { workspaceUnits: options.workspaceUnits } : {}),
        get gunicornVersion() {
          return at.version;
        },
        get versionLabel() {
          return at.label;
        },
        systemd,
        range,
        report,
      }),
  });
}

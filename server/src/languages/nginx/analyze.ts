// Runs every nginx rule over a parsed configuration, then applies suppressions and severity overrides.

import type { Finding, SeverityOverride } from '../../core/findings';
import { finish, ruleSteps, type Steps } from '../../core/runRules';
import { collectSuppressionComments } from '../../core/suppression';
import type { Version } from '../../core/version';
import { versionChecks } from '../gunicorn/versionChecks';
import { nginxCatalog, nginxCatalogVersions } from './catalog';
import { isModuleCatalogLoaded, nginxModuleCatalog } from './modules';
import type { NginxModel, Span } from './parse';
import { nginxRulesBeforeBuild } from './rules/early';
import { nginxRules } from './rules/index';
import { foreignFormat, nginxForeignFile } from './rules/nginxForeignFile';
import type { NginxRule, NginxWorkspaceFacts } from './rules/types';
import { resolveNginxTarget, type NginxTarget } from './target';

export interface NginxAnalysisOptions {
  uri: string;
  path: string;
  gunicornVersion: Version;
  versionLabel: string;
  /** True when no pin and no setting gave the Gunicorn version: verdicts only it gives become warnings. */
  versionAssumed?: boolean;
  /** The nginx version to judge against; the newest release, assumed, when absent. */
  nginxTarget?: NginxTarget;
  severity?: Readonly<Record<string, SeverityOverride>>;
  workspace?: NginxWorkspaceFacts;
  /**
   * The host's workspace facts (include context, target, other files) are still being gathered: run only the rules
   * whose findings they cannot take back (rules/early.ts).
   */
  workspacePending?: boolean;
  rules?: readonly NginxRule[];
}

export function analyzeNginxConfig(model: NginxModel, options: NginxAnalysisOptions): Finding[] {
  return finish(analyzeNginxConfigSteps(model, options));
}

/** The same analysis, one step per rule. */
export function* analyzeNginxConfigSteps(model: NginxModel, options: NginxAnalysisOptions): Steps<Finding[]> {
  const nginxTarget = options.nginxTarget ?? defaultNginxTarget();
  const catalog = nginxCatalog(nginxTarget.version);
  // A name this release lacks sends the rules to the third-party modules' catalogue: it is loaded in a step of its
  // own (a few milliseconds on first use), not inside the first rule that asks.
  if (!isModuleCatalogLoaded() && model.all.some((directive) => !catalog.isKnown(directive.name))) {
    yield;
    nginxModuleCatalog();
    yield;
  }
  const suppressions = collectSuppressionComments(
    model.comments.map((comment) => ({
      text: model.text.slice(comment.span.from + 1, comment.span.to),
      line: model.lines.positionAt(comment.span.from).line,
      aloneOnLine: comment.aloneOnLine,
    })),
  );
  const range = (span: Span) => model.lines.range(span.from, span.to);
  return yield* ruleSteps({
    // Another program's file under an nginx path (and no nginx file includes it): said once, not checked as nginx.
    rules: ((rules) =>
      !model.rootContextKnown && foreignFormat(model)
        ? rules.filter((rule) => rule === nginxForeignFile)
        : rules)(options.rules ?? (options.workspacePending ? nginxRulesBeforeBuild : nginxRules)),
    severity: options.severity,
    suppressions,
    suppressionFix: (rule, line) => {
      // A trailing comment keeps the line numbers of everything below unchanged.
      const end = model.lines.lineEnd(line);
      const position = model.lines.positionAt(end);
      return {
        title: `Ignore ${rule} on this line`,
        edits: [
          { range: { start: position, end: position }, newText: ` # gunicorn-config: disable=${rule}` },
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
        nginxTarget,
        uri: options.uri,
        path: options.path,
        workspace: options.workspace ?? {},
        get gunicornVersion() {
          return at.version;
        },
        get versionLabel() {
          return at.label;
        },
        range,
        report,
      }),
  });
}

/** No setting and no workspace: the newest release, assumed. */
export function defaultNginxTarget(): NginxTarget {
  return resolveNginxTarget('auto', [], nginxCatalogVersions());
}

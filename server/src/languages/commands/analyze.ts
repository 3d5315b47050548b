// Runs the `commands` rules over a parsed file, then applies suppression comments and severity overrides.

import type { Finding, Fix, SeverityOverride } from '../../core/findings';
import { finish, ruleSteps, type Steps } from '../../core/runRules';
import { collectSuppressionComments } from '../../core/suppression';
import type { Version } from '../../core/version';
import { versionChecks } from '../gunicorn/versionChecks';
import type { ParsedSource } from '../gunicorn/launchSites';
import type { CommandsModel } from './parse';
import { commandRules } from './rules/index';
import type { CommandRule } from './rules/types';

export interface CommandsAnalysisOptions {
  uri: string;
  path: string;
  gunicornVersion: Version;
  versionLabel: string;
  /** True when no pin and no setting gave the Gunicorn version: verdicts only it gives become warnings. */
  versionAssumed?: boolean;
  severity?: Readonly<Record<string, SeverityOverride>>;
  rules?: readonly CommandRule[];
}

export function analyzeCommands(model: CommandsModel, options: CommandsAnalysisOptions): Finding[] {
  return finish(analyzeCommandsSteps(model, options));
}

/** The same analysis, one step per rule. */
export function* analyzeCommandsSteps(
  model: CommandsModel,
  options: CommandsAnalysisOptions,
): Steps<Finding[]> {
  const source = model.at(options.gunicornVersion);
  const { lines, text } = model;
  const suppressions = collectSuppressionComments(
    source.comments.map((span) => {
      const { line } = lines.positionAt(span.from);
      return {
        text: text.slice(span.from + 1, span.to),
        line,
        aloneOnLine:
          text
            .slice(lines.lineStart(line), span.from)
            .replace(/^\uFEFF/, '')
            .trim() === '',
      };
    }),
  );
  return yield* ruleSteps({
    rules: options.rules ?? commandRules,
    severity: options.severity,
    suppressions,
    suppressionFix: (rule, line) => suppressionFix(model, source, rule, line),
    ...versionChecks(options.gunicornVersion, options.versionLabel, options.versionAssumed, text.length),
    check: (rule, report, at) =>
      rule.check({
        model,
        // The launches as read for the version the rule is checked against (flags differ between releases).
        get source() {
          return model.at(at.version);
        },
        uri: options.uri,
        path: options.path,
        get gunicornVersion() {
          return at.version;
        },
        get versionLabel() {
          return at.label;
        },
        range: (from, to) => lines.range(from, to),
        report,
      }),
  });
}

/**
 * "Ignore <rule> on this line": a comment line above the finding's line. Where a comment line would change the
 * command (inside a shell continuation, a multi-line YAML scalar or a quoted string), the file-wide form at the top.
 */
function suppressionFix(model: CommandsModel, source: ParsedSource, rule: string, line: number): Fix {
  const { lines } = model;
  const eol = lines.eol;
  if (commentLineIsSafe(model, source, line)) {
    const indent = /^[ \t]*/.exec(lines.lineText(line).replace(/^\uFEFF/, ''))![0];
    const at = { line, character: line === 0 && model.text.startsWith('\uFEFF') ? 1 : 0 };
    return {
      title: `Ignore ${rule} on this line`,
      edits: [
        { range: { start: at, end: at }, newText: `${indent}# gunicorn-config: disable=${rule}${eol}` },
      ],
    };
  }
  // After a shebang line (scripts) and at the very top otherwise.
  const first = lines.lineText(0).replace(/^\uFEFF/, '');
  const target = first.startsWith('#!') ? 1 : 0;
  const at = {
    line: target,
    character: target === 0 && model.text.startsWith('\uFEFF') ? 1 : 0,
  };
  const newText =
    target >= lines.lineCount
      ? `${eol}# gunicorn-config: disable-file=${rule}`
      : `# gunicorn-config: disable-file=${rule}${eol}`;
  const position = target >= lines.lineCount ? { line: 0, character: first.length } : at;
  return {
    title: `Ignore ${rule} in this file`,
    edits: [{ range: { start: position, end: position }, newText }],
  };
}

function commentLineIsSafe(model: CommandsModel, source: ParsedSource, line: number): boolean {
  // Docker drops comment lines inside a continued instruction.
  if (model.kind === 'dockerfile' || line === 0) return true;
  const previous = model.lines.lineText(line - 1);
  if ((model.kind === 'shell' || model.kind === 'procfile') && /\\\s*$/.test(previous)) return false;
  const lineStart = model.lines.lineStart(line);
  // Inside a multi-line scalar or quoted word the comment would become part of the command.
  return !source.regions.some(
    (region) => region.form === 'shell' && region.from < lineStart && lineStart <= region.to,
  );
}

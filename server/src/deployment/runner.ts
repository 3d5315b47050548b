// Runs the deployment rules: severity overrides, suppression comments of the file a finding lands in, a suppression
// fix per finding, one internal-error hint for a rule that throws, and no duplicate findings.

import {
  releaseView,
  softenAssumed,
  VersionProbe,
  type TargetVersion,
  type VersionView,
} from '../core/assumedVersion';
import type { Finding, SeverityOverride } from '../core/findings';
import { finish } from '../core/runRules';
import { collectSuppressionComments, type CommentLine, type Suppressions } from '../core/suppression';
import { readableStandIns } from '../core/templates';
import type { LineIndex } from '../core/text';
import { parseGunicornConfig } from '../languages/gunicorn/parse';
import { collectSuppressions } from '../languages/gunicorn/suppression';
import { parseNginxFile } from '../languages/nginx/parse';
import type { DeploymentFacts } from './model';
import type { DeploymentReport, DeploymentRule } from './rules/types';
import type { Version } from '../core/version';
import type { WorkspaceSource } from './types';

/** `#` comments of a line-oriented file: whole-line ones always, trailing ones after a blank outside quotes. */
function hashComments(lines: LineIndex, trailing: boolean): CommentLine[] {
  const comments: CommentLine[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    const trimmed = text.trimStart();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed.startsWith('#') || !trailing) {
        comments.push({ text: trimmed.slice(1), line, aloneOnLine: true });
      }
      continue;
    }
    if (!trailing) continue;
    let quote: string | null = null;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (ch === '#' && i > 0 && /\s/.test(text[i - 1]!)) {
        comments.push({ text: text.slice(i + 1), line, aloneOnLine: false });
        break;
      }
    }
  }
  return comments;
}

/** The suppression comments of a file, from the parse the model already made of it where there is one. */
function suppressionsOf(source: WorkspaceSource, lines: LineIndex, facts: DeploymentFacts): Suppressions {
  switch (source.kind) {
    case 'gunicorn':
      return collectSuppressions(facts.parsed(source.uri)?.config ?? parseGunicornConfig(source.text));
    case 'nginx': {
      const model = facts.parsed(source.uri)?.nginx ?? parseNginxFile(source.path, source.text);
      return collectSuppressionComments(
        model.comments.map((comment) => ({
          text: model.text.slice(comment.span.from + 1, comment.span.to),
          line: model.lines.positionAt(comment.span.from).line,
          aloneOnLine: comment.aloneOnLine,
        })),
      );
    }
    case 'systemd':
      // Unit files only have whole-line comments: a '#' after a value is part of the value.
      return collectSuppressionComments(hashComments(lines, false));
    default:
      return collectSuppressionComments(hashComments(lines, true));
  }
}

/** The target Gunicorn version, every release, and the model's facts as another release would see them. */
export interface DeploymentVersions {
  target: TargetVersion;
  releases: readonly Version[];
  factsAt(at: VersionView): DeploymentFacts;
}

/**
 * Runs the rules. With `narrow`, rules that judge one deployment at a time see the facts it gives (the deployments
 * whose findings are wanted): the findings are then complete only for the files those deployments cover.
 */
export function runDeploymentRules(
  rules: readonly DeploymentRule[],
  facts: DeploymentFacts,
  severity: Readonly<Record<string, SeverityOverride>> | undefined,
  versions?: DeploymentVersions,
  narrow?: (facts: DeploymentFacts) => DeploymentFacts,
): Map<string, Finding[]> {
  const findings = new Map<string, Finding[]>();
  const suppressions = new Map<string, Suppressions>();
  const seen = new Set<string>();
  const suppressed = (uri: string, rule: string, line: number): boolean => {
    let set = suppressions.get(uri);
    if (!set) {
      const source = facts.sources.get(uri);
      const lines = facts.lines(uri);
      set = source && lines ? suppressionsOf(source, lines, facts) : { isSuppressed: () => false };
      suppressions.set(uri, set);
    }
    return set.isSuppressed(rule, line);
  };
  const push = (uri: string, finding: Finding): void => {
    const list = findings.get(uri) ?? [];
    list.push(finding);
    findings.set(uri, list);
  };
  for (const rule of rules) {
    const id = rule.meta.id;
    const override = severity?.[id];
    if (override === 'ignore') continue;
    const report = ({ uri, ...reported }: DeploymentReport): void => {
      const line = reported.range.start.line;
      const key = `${uri}\u0000${id}\u0000${line}:${reported.range.start.character}\u0000${reported.message}`;
      if (seen.has(key) || suppressed(uri, id, line)) return;
      seen.add(key);
      const lines = facts.lines(uri);
      const indent = lines ? (/^\s*/.exec(lines.lineText(line))?.[0] ?? '') : '';
      const start = { line, character: 0 };
      push(uri, {
        ...reported,
        message: readableStandIns(reported.message),
        rule: id,
        severity: override ?? reported.severity ?? rule.meta.defaultSeverity,
        fixes: [
          ...(reported.fixes ?? []),
          {
            title: `Ignore ${id} on this line`,
            edits: [
              {
                range: { start, end: start },
                newText: `${indent}# gunicorn-config: disable=${id}${lines?.eol ?? '\n'}`,
              },
            ],
          },
        ],
      });
    };
    const reported: DeploymentReport[] = [];
    const probe = versions && new VersionProbe(versions.target);
    const shown = (all: DeploymentFacts): DeploymentFacts =>
      narrow && rule.scope !== 'workspace' ? narrow(all) : all;
    try {
      rule.check({
        facts: shown(probe ? versions.factsAt(probe) : facts),
        report: (finding) => reported.push(finding),
      });
      let kept = reported;
      if (versions?.target.assumed && probe?.read && reported.length) {
        kept = finish(
          softenAssumed(
            reported,
            rule.meta.defaultSeverity,
            versions.target,
            versions.releases,
            (release) => {
              const again: DeploymentReport[] = [];
              try {
                rule.check({
                  facts: shown(versions.factsAt(releaseView(release))),
                  report: (f) => again.push(f),
                });
              } catch {
                // A release the rule cannot judge does not confirm the verdict.
              }
              return again;
            },
          ),
        );
      }
      kept.forEach(report);
    } catch (error) {
      reported.forEach(report);
      const first = facts.deployments[0];
      const uri = first?.launch?.uri ?? first?.config?.uri;
      if (!uri) continue;
      push(uri, {
        rule: 'internal-error',
        severity: 'hint',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Rule ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  for (const list of findings.values()) {
    list.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  }
  return findings;
}

// The `commands` language's entry point: Dockerfiles, Procfiles, compose files and shell scripts that start Gunicorn.
// One parse per document version; analyze, hover and completion all read it.

import type { CompletionEntry, HoverResult } from '../../core/features';
import type { Finding, SeverityOverride } from '../../core/findings';
import type { Version } from '../../core/version';
import type { AppSpecSourceAt } from '../python/appCompletion';
import { analyzeCommandsSteps } from './analyze';
import { finish, type Steps } from '../../core/runRules';
import { commandsCompletions } from './completion';
import { commandsHover } from './hover';
import { parseCommands, type CommandSourceKind, type CommandsModel } from './parse';

export { commandRules } from './rules/index';
export type { CommandRule, CommandRuleContext } from './rules/types';
export type { CommandSourceKind, CommandsModel } from './parse';

/** What the features need besides the text (a subset of the registry's DocumentContext). */
export interface CommandsDocumentContext {
  uri: string;
  path: string;
  version: Version;
  versionLabel: string;
  versionAssumed?: boolean;
  severity?: Readonly<Record<string, SeverityOverride>>;
  /** The modules the launch at a position can import, for completing its app spec. */
  appSpec?: AppSpecSourceAt;
}

/** A parsed command source, shaped like the registry's ParsedDocument. */
export interface CommandsDocument {
  language: 'commands';
  model: CommandsModel;
  analyze(ctx: CommandsDocumentContext): Finding[];
  /** The same analysis, one step per rule. */
  analyzeSteps(ctx: CommandsDocumentContext): Steps<Finding[]>;
  hover(offset: number, ctx: CommandsDocumentContext): HoverResult | null;
  completions(offset: number, ctx: CommandsDocumentContext): CompletionEntry[];
}

/** Parses a Dockerfile, Procfile, compose file or shell script for the features; never throws. */
export function parseCommandSource(
  kind: CommandSourceKind,
  text: string,
  version: Version,
  /** The file's path: manifests are told apart by name (render.yaml, fly.toml) and Helm templates by folder. */
  path = '',
): CommandsDocument {
  const model = parseCommands(kind, text, version, path);
  const analyzeSteps = (ctx: CommandsDocumentContext) =>
    analyzeCommandsSteps(model, {
      uri: ctx.uri,
      path: ctx.path,
      gunicornVersion: ctx.version,
      versionLabel: ctx.versionLabel,
      ...(ctx.versionAssumed ? { versionAssumed: true } : {}),
      ...(ctx.severity ? { severity: ctx.severity } : {}),
    });
  const feature = (ctx: CommandsDocumentContext) => ({
    version: ctx.version,
    versionLabel: ctx.versionLabel,
    ...(ctx.versionAssumed ? { versionAssumed: true } : {}),
  });
  return {
    language: 'commands',
    model,
    analyze: (ctx) => finish(analyzeSteps(ctx)),
    analyzeSteps,
    hover: (offset, ctx) => commandsHover(model, offset, feature(ctx)),
    completions: (offset, ctx) =>
      commandsCompletions(model, offset, {
        ...feature(ctx),
        ...(ctx.appSpec ? { appSpec: ctx.appSpec } : {}),
      }),
  };
}

// Hover in Dockerfiles, Procfiles, compose files and scripts: Gunicorn's launcher, flags, app, and the options inside
// GUNICORN_CMD_ARGS values.

import type { HoverResult } from '../../core/features';
import { formatVersion, isAtLeast } from '../../core/version';
import type { CliOption, GunicornInvocation } from '../gunicorn/commandLine';
import type { ToDocument } from '../gunicorn/launchSites';
import { appMarkdown, launcherMarkdown, optionMarkdown, type CliFeatureContext } from './cliFeatures';
import type { CommandsModel } from './parse';

export type { HoverResult } from '../../core/features';

const CMD_ARGS_NOTE =
  'Set through `GUNICORN_CMD_ARGS`: Gunicorn splits the value like a shell command line and reads it with its command-line parser. It overrides the config file and is overridden by the command line.';

export function commandsHover(
  model: CommandsModel,
  offset: number,
  ctx: CliFeatureContext,
): HoverResult | null {
  const source = model.at(ctx.version);
  const range = (from: number, to: number) => model.lines.range(from, to);
  const within = (from: number, to: number) => offset >= from && offset <= to;
  for (const record of source.records) {
    const invocation = record.launch.invocation;
    const { launcher } = invocation;
    if (within(launcher.from, launcher.to)) {
      return { markdown: launcherMarkdown(invocation, ctx), range: range(launcher.from, launcher.to) };
    }
    const option = optionHover(invocation, (from, to) => ({ from, to }), offset, ctx);
    if (option) return { markdown: option.markdown, range: range(option.from, option.to) };
    for (const positional of invocation.positionals) {
      if (!within(positional.from, positional.to)) continue;
      return { markdown: appMarkdown(positional, ctx), range: range(positional.from, positional.to) };
    }
  }
  for (const definition of source.cmdArgsDefinitions) {
    const { span } = definition;
    if (!within(span.from, span.to)) continue;
    const option = optionHover(definition.invocation, definition.toDocument, offset, ctx);
    if (option) {
      return { markdown: `${option.markdown}\n\n${CMD_ARGS_NOTE}`, range: range(option.from, option.to) };
    }
    const read = isAtLeast(ctx.version, '19.7.0')
      ? ''
      : `\n\n⚠ Gunicorn ${formatVersion(ctx.version)} does not read it (it is read since 19.7.0).`;
    return {
      markdown: `**GUNICORN_CMD_ARGS** — Gunicorn options from the environment\n\n${CMD_ARGS_NOTE}${read}`,
      range: range(span.from, span.to),
    };
  }
  return null;
}

function optionHover(
  invocation: GunicornInvocation,
  toDocument: ToDocument,
  offset: number,
  ctx: CliFeatureContext,
): { markdown: string; from: number; to: number } | undefined {
  for (const option of invocation.options) {
    const spans = optionSpans(option, toDocument);
    const hit = spans.find((span) => offset >= span.from && offset <= span.to);
    if (!hit) continue;
    const markdown = optionMarkdown(option, ctx);
    return markdown ? { markdown, ...hit } : undefined;
  }
  return undefined;
}

function optionSpans(option: CliOption, toDocument: ToDocument): { from: number; to: number }[] {
  const spans = [toDocument(option.flagToken.from, option.flagToken.to)];
  if (option.valueFrom !== undefined && option.valueTo !== undefined) {
    spans.push(toDocument(option.valueFrom, option.valueTo));
  }
  return spans;
}

// Hover text and completion entries for Gunicorn command lines, shared by every file kind that holds one.

import type { CompletionEntry } from '../../core/features';
import { checkedAgainst, PIN_ADVICE } from '../../core/assumedVersion';
import type { Version } from '../../core/version';
import type { AppSpecSourceAt } from '../python/appCompletion';
import { gunicornCatalog } from '../gunicorn/catalog';
import type { CliOption, GunicornInvocation } from '../gunicorn/commandLine';
import type { Token } from '../gunicorn/commandWords';
import { settingMarkdown } from '../gunicorn/hover';
import { workerPackageLine } from '../packages/workerPackages';

export interface CliFeatureContext {
  version: Version;
  versionLabel: string;
  versionAssumed?: boolean;
  /** The modules the launch at a position can import, for completing its app spec (completion only). */
  appSpec?: AppSpecSourceAt;
}

/** Markdown for the launcher word (`gunicorn`, `python -m gunicorn`). */
export function launcherMarkdown(invocation: GunicornInvocation, ctx: CliFeatureContext): string {
  const how = invocation.interpreter
    ? ` (\`${invocation.interpreter.text} -m ${invocation.launcher.text}\`)`
    : '';
  return [
    `**${invocation.launcher.text}** — recognised as Gunicorn`,
    '',
    `This command starts Gunicorn${how}: its options and app are checked against Gunicorn ${ctx.versionLabel}.`,
    '',
    ctx.versionAssumed
      ? PIN_ADVICE
      : 'Set `gunicornConfig.gunicornVersion` (or pin gunicorn in the workspace) to check against another version.',
  ].join('\n');
}

/** Markdown for an option (its setting's documentation), or undefined for flags without a setting (-h, -v). */
export function optionMarkdown(option: CliOption, ctx: CliFeatureContext): string | undefined {
  const setting = option.setting ? gunicornCatalog().get(option.setting) : undefined;
  if (setting) {
    const markdown = settingMarkdown(setting, ctx);
    const needs =
      option.setting === 'worker_class' && option.value && !option.valueDynamic
        ? workerPackageLine(option.value, ctx.version)
        : undefined;
    return needs ? `${markdown}\n\n**\`${option.value}\`** ${needs}` : markdown;
  }
  if (option.problem?.kind === 'unknown' || option.problem?.kind === 'ambiguous') {
    return `**${option.flag}** — not an option of Gunicorn ${ctx.versionLabel}.`;
  }
  return undefined;
}

/** Markdown for the app positional. */
export function appMarkdown(token: Token, ctx: CliFeatureContext): string {
  return `**${token.text}** — the application Gunicorn loads, as \`MODULE:VARIABLE\` (a dotted module path, no \`.py\`).\n\n${checkedAgainst(ctx.versionLabel, ctx.versionAssumed)}`;
}

/**
 * Flag entries for a command line where `partial` (possibly empty, or `-`/`--` plus letters) is being typed;
 * `suffix` follows the inserted flag (a blank in shell words, nothing inside a JSON string).
 */
export function flagCompletionEntries(
  partial: string,
  ctx: CliFeatureContext,
  suffix = ' ',
): CompletionEntry[] {
  const dashes = /^-*/.exec(partial)![0].length;
  const entries: CompletionEntry[] = [];
  for (const setting of gunicornCatalog().availableIn(ctx.version)) {
    for (const flag of setting.cli) {
      const long = flag.startsWith('--');
      if (dashes === 2 && !long) continue;
      const rest = flag.slice(Math.min(dashes, 2));
      entries.push({
        label: flag,
        kind: 'setting',
        detail: `${setting.name} — ${setting.type}`,
        documentation: settingMarkdown(setting, ctx),
        insertText: `${rest}${suffix}`,
        isSnippet: false,
        filterText: rest,
        deprecated: !!setting.deprecated,
        sortText: `${setting.deprecated ? 2 : 0}${long ? 0 : 1}${flag}`,
      });
    }
  }
  return entries;
}

// Completion in Dockerfiles, Procfiles, compose files and scripts: Gunicorn flags inside a Gunicorn command line
// (shell words, and the strings of a Dockerfile exec-form array).

import type { CompletionEntry } from '../../core/features';
import { findGunicornInvocation } from '../gunicorn/commandLine';
import { splitCommands, tokensFromJsonArray, type Token } from '../gunicorn/commandWords';
import type { CommandRegion } from '../gunicorn/launchSites';
import { flagCompletionEntries, type CliFeatureContext } from './cliFeatures';
import type { CommandsModel } from './parse';
import { appSpecCompletions, isAppSpecPosition, wordTextStart } from '../python/appCompletion';

export type { CompletionEntry } from '../../core/features';

const PARTIAL_FLAG = /^-{0,2}[\w-]*$/;

export function commandsCompletions(
  model: CommandsModel,
  offset: number,
  ctx: CliFeatureContext,
): CompletionEntry[] {
  const source = model.at(ctx.version);
  const { text } = model;
  // The cursor may sit in blanks typed after the command's last word.
  const region = source.regions.find(
    (r) => r.from <= offset && (offset <= r.to || /^[ \t]*$/.test(text.slice(r.to, offset))),
  );
  if (!region) return [];
  if (region.form === 'shell') return shellCompletions(model, region, offset, ctx);
  if (model.kind !== 'dockerfile') return [];
  const before = source.regions.filter((r) => r.form === 'json' && r.to < region.from);
  return jsonCompletions(model, region, before, offset, ctx);
}

function shellCompletions(
  model: CommandsModel,
  region: CommandRegion,
  offset: number,
  ctx: CliFeatureContext,
): CompletionEntry[] {
  const prefix = region.text.slice(0, offset);
  const commands = splitCommands(prefix, region.from, 'shell');
  const words = [...(commands[commands.length - 1] ?? [])];
  const last = words[words.length - 1];
  let partial = '';
  if (last && last.to === offset) {
    words.pop();
    if (!last.text.startsWith('-')) {
      return appSpecEntries(model, words, last.text, wordTextStart(model.text, last), offset, ctx);
    }
    if (last.quoted || !PARTIAL_FLAG.test(last.text)) return [];
    partial = last.text;
  }
  return flagsAfter(words, partial, ctx, ' ');
}

/** The app spec being typed as Gunicorn's positional argument: modules, then the module's names after the colon. */
function appSpecEntries(
  model: CommandsModel,
  words: Token[],
  typed: string,
  start: number,
  offset: number,
  ctx: CliFeatureContext,
): CompletionEntry[] {
  const source = ctx.appSpec?.(offset);
  if (!source || !isAppSpecPosition(words, ctx.version)) return [];
  return appSpecCompletions(typed, model.lines.range(start, offset), source, ctx.version);
}

function flagsAfter(
  words: Token[],
  partial: string,
  ctx: CliFeatureContext,
  suffix: string,
): CompletionEntry[] {
  if (partial !== '' && !partial.startsWith('-')) return [];
  const invocation = findGunicornInvocation(words, { version: ctx.version });
  if (!invocation) return [];
  const lastWord = words[words.length - 1];
  // After a flag that still needs its value, a value comes next, not another flag.
  const pending = invocation.options.find(
    (o) => o.flagToken === lastWord && o.problem?.kind === 'missing-value',
  );
  if (pending && partial === '') return [];
  if (invocation.args.some((t) => t.text === '--')) return [];
  return flagCompletionEntries(partial, ctx, suffix);
}

/** Inside a string of `["gunicorn", "-|"]`: the strings before it are the words. */
function jsonCompletions(
  model: CommandsModel,
  region: CommandRegion,
  earlier: CommandRegion[],
  offset: number,
  ctx: CliFeatureContext,
): CompletionEntry[] {
  const { text } = region;
  let open: number | undefined;
  for (let i = region.from + 1; i < offset; i++) {
    const ch = text[i];
    if (open !== undefined && ch === '\\') i++;
    else if (ch === '"') open = open === undefined ? i : undefined;
  }
  if (open === undefined) return [];
  const partial = text.slice(open + 1, offset);
  const head = text.slice(0, open).replace(/[\s,]*$/, '');
  const words = tokensFromJsonArray(`${head}]`, region.from);
  if (!words) return [];
  const entrypoint = earlier.flatMap((r) => tokensFromJsonArray(r.text, r.from) ?? []);
  if (partial !== '' && !partial.startsWith('-')) {
    const direct = appSpecEntries(model, words, partial, open + 1, offset, ctx);
    return direct.length || !entrypoint.length
      ? direct
      : appSpecEntries(model, [...entrypoint, ...words], partial, open + 1, offset, ctx);
  }
  if (!PARTIAL_FLAG.test(partial)) return [];
  const direct = flagsAfter(words, partial, ctx, '');
  return direct.length || !entrypoint.length
    ? direct
    : flagsAfter([...entrypoint, ...words], partial, ctx, '');
}

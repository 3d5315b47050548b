// Edits inside command lines of Dockerfiles, Procfiles, compose files and scripts: fixes from the command-line
// checks placed in the document (JSON strings stay JSON strings), and removal of a whole flag word.

import type { Fix } from '../../core/findings';
import type { CliOption, GunicornInvocation } from '../gunicorn/commandLine';
import type { CommandLineIssue } from '../gunicorn/commandLineCheck';
import type { Token } from '../gunicorn/commandWords';
import type { ToDocument } from '../gunicorn/launchSites';
import type { CommandRuleContext } from './rules/types';

/** A shell word back to its plain text (`'a b'` → `a b`). */
function unshellWord(text: string): string {
  const m = /^'(.*)'$/s.exec(text);
  return m ? m[1]!.replace(/'\\''/g, "'") : text;
}

/** True when [from, to) is a whole double-quoted string of an exec-form (JSON or YAML list) command. */
function isListString(context: CommandRuleContext, from: number, to: number): boolean {
  const { text } = context.model;
  if (text[from] !== '"' || text[to - 1] !== '"' || to - from < 2) return false;
  return context.source.regions.some(
    (region) => region.form === 'json' && region.from <= from && to <= region.to,
  );
}

/** The quick fix of a command-line issue, placed in the document; undefined when it cannot be placed exactly. */
export function issueFix(
  context: CommandRuleContext,
  issue: CommandLineIssue,
  toDocument: ToDocument,
  exact: boolean,
): Fix | undefined {
  const fix = issue.fix;
  if (!fix || !exact) return undefined;
  const span = toDocument(fix.from, fix.to);
  const newText = isListString(context, span.from, span.to)
    ? JSON.stringify(unshellWord(fix.newText))
    : fix.newText;
  return {
    title: fix.title,
    edits: [{ range: context.range(span.from, span.to), newText }],
    isPreferred: true,
  };
}

/**
 * A fix that removes a value-less option word (`--reload`, `"--daemon",`) together with the separator before it.
 * Undefined for glued clusters (`-Dw4`) and when anything but blanks, commas or continuations separates the words.
 */
export function removeOptionFix(
  context: CommandRuleContext,
  invocation: GunicornInvocation,
  option: CliOption,
  toDocument: ToDocument,
  exact: boolean,
): Fix | undefined {
  if (!exact || option.value !== undefined || option.flagToken.text !== option.flag) return undefined;
  const words: Token[] = [invocation.launcher, ...invocation.args];
  const at = words.indexOf(option.flagToken);
  const token = toDocument(option.flagToken.from, option.flagToken.to);
  const { text } = context.model;
  let from: number;
  let to: number;
  const before = at > 0 ? words[at - 1] : undefined;
  const after = words[at + 1];
  if (before && before.to <= option.flagToken.from && before.text !== 'GUNICORN_CMD_ARGS') {
    from = toDocument(before.from, before.to).to;
    to = token.to;
  } else if (after) {
    from = token.from;
    to = toDocument(after.from, after.to).from;
  } else {
    from = token.from;
    to = token.to;
    while (from > 0 && /[ \t]/.test(text[from - 1]!)) from--;
  }
  const removed = text.slice(from, to);
  const rest = removed.replace(text.slice(token.from, token.to), '');
  if (!/^[\s,\\]*$/.test(rest)) return undefined;
  return {
    title: `Remove ${option.flag}`,
    edits: [{ range: context.range(from, to), newText: '' }],
    isPreferred: true,
  };
}

// Shared by the container rules: the options of every launch (and of GUNICORN_CMD_ARGS values) that set a setting.

import { removeOptionFix } from '../edits';
import type { CliOption, GunicornInvocation } from '../../gunicorn/commandLine';
import type { ToDocument } from '../../gunicorn/launchSites';
import type { CommandRuleContext } from './types';

export interface FoundOption {
  option: CliOption;
  invocation: GunicornInvocation;
  toDocument: ToDocument;
  exact: boolean;
  /** True when the option is written in a GUNICORN_CMD_ARGS value. */
  inCmdArgs: boolean;
}

/** Accepted options setting `setting`, on command lines and in GUNICORN_CMD_ARGS values, in document order. */
export function optionsSetting(context: CommandRuleContext, setting: string): FoundOption[] {
  const found: FoundOption[] = [];
  for (const record of context.source.records) {
    for (const option of record.parsed.options) {
      if (option.setting !== setting || option.problem) continue;
      found.push({
        option,
        invocation: record.parsed,
        toDocument: record.toDocument,
        exact: record.exact,
        inCmdArgs: false,
      });
    }
  }
  for (const definition of context.source.cmdArgsDefinitions) {
    for (const option of definition.invocation.options) {
      if (option.setting !== setting || option.problem) continue;
      found.push({
        option,
        invocation: definition.invocation,
        toDocument: definition.toDocument,
        exact: definition.exact,
        inCmdArgs: true,
      });
    }
  }
  return found;
}

/** Reports every place `setting`'s flag is given, with a fix that removes it when it is on the command line itself. */
export function reportFlag(
  context: CommandRuleContext,
  setting: string,
  message: (flag: string) => string,
): void {
  for (const found of optionsSetting(context, setting)) {
    const span = found.toDocument(found.option.flagToken.from, found.option.flagToken.to);
    const fix = found.inCmdArgs
      ? undefined
      : removeOptionFix(context, found.invocation, found.option, found.toDocument, found.exact);
    context.report({
      range: context.range(span.from, span.to),
      message: message(found.option.flag),
      ...(fix ? { fixes: [fix] } : {}),
    });
  }
}

// Shared by the container rules: the options of every launch (and of GUNICORN_CMD_ARGS values) that set a setting.

import type { CliOption, GunicornInvocation } from '../../gunicorn/commandLine';
import type { ToDocument } from '../../../deployment/launches';
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

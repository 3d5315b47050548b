// Rule: gunicorn-cmd-args — GUNICORN_CMD_ARGS values that Gunicorn's argument parser rejects, or that the target
// version ignores.

import { formatVersion, isAtLeast } from '../../../core/version';
import { checkGunicornCommandLine } from '../../gunicorn/commandLineCheck';
import { issueFix } from '../edits';
import type { CommandRule } from './types';
import { commandRuleDocsUrl } from './types';

export const gunicornCmdArgs: CommandRule = {
  meta: {
    id: 'gunicorn-cmd-args',
    defaultSeverity: 'error',
    description:
      'A GUNICORN_CMD_ARGS value with an unknown flag or an invalid value (Gunicorn parses it like its command line and exits), or one the target version does not read.',
    docsUrl: commandRuleDocsUrl('gunicorn-cmd-args'),
  },
  check(context) {
    const { source, gunicornVersion, range, report } = context;
    const label = formatVersion(gunicornVersion);
    for (const definition of source.cmdArgsDefinitions) {
      const whole = range(definition.span.from, definition.span.to);
      if (!isAtLeast(gunicornVersion, '19.7.0')) {
        report({
          range: whole,
          severity: 'warning',
          message: `Gunicorn ${label} does not read GUNICORN_CMD_ARGS (it is read since 19.7.0); these options have no effect.`,
        });
        continue;
      }
      for (const issue of checkGunicornCommandLine(definition.invocation, { version: gunicornVersion })) {
        const span = definition.toDocument(issue.from, issue.to);
        const fix = issueFix(context, issue, definition.toDocument, definition.exact);
        report({
          range: range(span.from, span.to),
          severity: issue.severity,
          message: `In GUNICORN_CMD_ARGS: ${issue.message}`,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
      const config = definition.invocation.options.find((o) => o.setting === 'config' && !o.problem);
      if (config && !isAtLeast(gunicornVersion, '19.8.0')) {
        const span = definition.toDocument(config.flagToken.from, config.flagToken.to);
        report({
          range: range(span.from, span.to),
          severity: 'warning',
          message: `Gunicorn ${label} ignores ${config.flag} in GUNICORN_CMD_ARGS (honoured since 19.8.0); pass the config file on the command line.`,
        });
      }
    }
    // A config file named both on the command line and in GUNICORN_CMD_ARGS: Gunicorn loads the command line's.
    const reported = new Set<string>();
    for (const record of source.records) {
      const fromEnv = record.launch.cmdArgs.get('config');
      const fromCli = record.launch.commandLine.get('config');
      if (!fromEnv || !fromCli || !isAtLeast(gunicornVersion, '19.8.0')) continue;
      const key = JSON.stringify(fromEnv.range);
      if (reported.has(key)) continue;
      reported.add(key);
      report({
        range: fromEnv.range,
        severity: 'info',
        message: `This config file is never loaded: the command line's ${JSON.stringify(fromCli.value)} takes its place (Gunicorn reads -c from GUNICORN_CMD_ARGS only when the command line has none).`,
      });
    }
  },
};

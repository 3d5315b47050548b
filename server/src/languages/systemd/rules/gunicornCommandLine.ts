// Rule: gunicorn-command-line — what Gunicorn's argument parser would reject in an ExecStart= command line.

import { checkGunicornCommandLine } from '../../gunicorn/commandLineCheck';
import { gunicornExecs } from '../gunicornExec';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const gunicornCommandLine: UnitRule = {
  meta: {
    id: 'gunicorn-command-line',
    defaultSeverity: 'error',
    description:
      'A Gunicorn command line (ExecStart=, Dockerfile CMD/ENTRYPOINT, Procfile, compose, script) with an unknown flag, a missing or invalid value, a file path as the app, or a flag the target version lacks.',
    docsUrl: unitRuleDocsUrl('gunicorn-command-line'),
  },
  check({ model, gunicornVersion, range, report }) {
    for (const exec of gunicornExecs(model, gunicornVersion)) {
      for (const issue of checkGunicornCommandLine(exec.invocation, { version: gunicornVersion })) {
        const fix = issue.fix;
        report({
          range: range(exec.span(issue.from, issue.to)),
          severity: issue.severity,
          message: issue.message,
          ...(fix
            ? {
                fixes: [
                  {
                    title: fix.title,
                    edits: [{ range: range(exec.span(fix.from, fix.to)), newText: fix.newText }],
                    isPreferred: true,
                  },
                ],
              }
            : {}),
        });
      }
    }
  },
};

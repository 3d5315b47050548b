// Rule: gunicorn-command-line (shared with unit files) — what Gunicorn's argument parser would reject in a command
// line of a Dockerfile, Procfile, compose file or script.

import { checkGunicornCommandLine } from '../../gunicorn/commandLineCheck';
import { gunicornCommandLine as unitRule } from '../../systemd/rules/gunicornCommandLine';
import { issueFix } from '../edits';
import type { CommandRule } from './types';

export const gunicornCommandLine: CommandRule = {
  meta: unitRule.meta,
  check(context) {
    const { source, gunicornVersion, range, report } = context;
    for (const record of source.records) {
      for (const issue of checkGunicornCommandLine(record.parsed, { version: gunicornVersion })) {
        const span = record.toDocument(issue.from, issue.to);
        const fix = issueFix(context, issue, record.toDocument, record.exact);
        report({
          range: range(span.from, span.to),
          severity: issue.severity,
          message: issue.message,
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  },
};

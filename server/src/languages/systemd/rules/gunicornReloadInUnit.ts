// Rule: gunicorn-reload-in-unit — `--reload` in a systemd service, i.e. a development option in production.

import { flagSpan, gunicornExecs, optionsFor, removeFlagEdit } from '../gunicornExec';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const gunicornReloadInUnit: UnitRule = {
  meta: {
    id: 'gunicorn-reload-in-unit',
    defaultSeverity: 'warning',
    description:
      'Gunicorn started with --reload by a systemd unit: code reloading is a development aid that restarts workers whenever files change.',
    docsUrl: unitRuleDocsUrl('gunicorn-reload-in-unit'),
  },
  check({ model, gunicornVersion, range, report }) {
    for (const exec of gunicornExecs(model, gunicornVersion)) {
      for (const option of optionsFor(exec, 'reload')) {
        const removal = removeFlagEdit(model, exec, option);
        report({
          range: range(flagSpan(exec, option)),
          message: `${option.flag} is meant for development: workers restart whenever a watched file changes (a deploy half-way through copying files included) and the file watching costs CPU. In a service, reload deliberately with \`systemctl reload\` (SIGHUP) after a deploy.`,
          ...(removal
            ? { fixes: [{ title: `Remove ${option.flag}`, edits: [removal], isPreferred: true }] }
            : {}),
        });
      }
    }
  },
};

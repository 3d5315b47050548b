// Rule: gunicorn-daemon-under-systemd — `-D`/`--daemon` in ExecStart=: the master leaves the process systemd watches.

import type { Fix } from '../../../core/findings';
import type { TextEdit } from '../../../core/text';
import { isAtLeast } from '../../../core/version';
import {
  flagSpan,
  gunicornExecs,
  optionsFor,
  removeFlagEdit,
  replaceValueEdit,
  serviceDirective,
} from '../gunicornExec';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const gunicornDaemonUnderSystemd: UnitRule = {
  meta: {
    id: 'gunicorn-daemon-under-systemd',
    defaultSeverity: 'error',
    description:
      'Gunicorn started with -D/--daemon by systemd: the master forks into the background, so systemd loses the process it started.',
    docsUrl: unitRuleDocsUrl('gunicorn-daemon-under-systemd'),
  },
  check({ model, gunicornVersion, range, report }) {
    const type = serviceDirective(model, 'Type');
    const forking = type?.value === 'forking';
    for (const exec of gunicornExecs(model, gunicornVersion)) {
      for (const option of optionsFor(exec, 'daemon')) {
        const removal = removeFlagEdit(model, exec, option);
        const edits: TextEdit[] = removal ? [removal] : [];
        const fixes: Fix[] = [];
        if (forking && type && removal) {
          // Without --daemon Gunicorn stays in the foreground, which Type=forking would wait on forever.
          const newType = isAtLeast(gunicornVersion, '20.0.0') ? 'notify' : 'exec';
          edits.push(replaceValueEdit(model, type, newType));
          fixes.push({ title: `Remove ${option.flag} and set Type=${newType}`, edits, isPreferred: true });
        } else if (removal) {
          fixes.push({ title: `Remove ${option.flag}`, edits, isPreferred: true });
        }
        report({
          range: range(flagSpan(exec, option)),
          ...(forking ? { severity: 'info' as const } : {}),
          message: forking
            ? `${option.flag} with Type=forking works only while systemd guesses the right main process; let Gunicorn stay in the foreground and use Type=${isAtLeast(gunicornVersion, '20.0.0') ? 'notify' : 'exec'} instead.`
            : `${option.flag} makes the Gunicorn master fork into the background and the process systemd started exit at once; systemd then takes the service as finished (or failed) and kills what is left of it. Let systemd keep Gunicorn in the foreground.`,
          fixes,
        });
      }
    }
  },
};

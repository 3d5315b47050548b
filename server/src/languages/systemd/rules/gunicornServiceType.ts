// Rule: gunicorn-service-type — the Type= of a service that runs Gunicorn: notify fits, forking and oneshot do not.

import type { Fix } from '../../../core/findings';
import { formatVersion, isAtLeast } from '../../../core/version';
import {
  gunicornExecs,
  insertLineBefore,
  serviceGunicornExec,
  optionsFor,
  replaceValueEdit,
  serviceDirective,
} from '../gunicornExec';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

/** Gunicorn tells systemd it is ready (sd_notify READY=1) since 20.0. */
const NOTIFY_SINCE = '20.0.0';

export const gunicornServiceType: UnitRule = {
  meta: {
    id: 'gunicorn-service-type',
    defaultSeverity: 'info',
    description:
      'The Type= of a service running Gunicorn: Type=notify lets systemd know when Gunicorn is ready; forking or oneshot make the start hang.',
    docsUrl: unitRuleDocsUrl('gunicorn-service-type'),
  },
  check(context) {
    const { model, gunicornVersion, isDropIn, range, report } = context;
    const exec = serviceGunicornExec(context);
    if (!exec) return;
    const notifies = isAtLeast(gunicornVersion, NOTIFY_SINCE);
    const type = serviceDirective(model, 'Type');
    const value = type?.value ?? '';
    const daemonized = gunicornExecs(model, gunicornVersion).some((e) => optionsFor(e, 'daemon').length > 0);
    const foreground = notifies ? 'notify' : 'exec';
    const change = (to: string): Fix[] =>
      type
        ? [{ title: `Change to Type=${to}`, edits: [replaceValueEdit(model, type, to)], isPreferred: true }]
        : [];

    if (type && (value === 'forking' || value === 'oneshot')) {
      // With --daemon the forking case is the daemon rule's business.
      if (value === 'forking' && daemonized) return;
      report({
        range: range(type.valueSpan),
        severity: 'warning',
        message:
          value === 'forking'
            ? 'Type=forking waits for the started process to fork and exit, but Gunicorn stays in the foreground: the start hangs until TimeoutStartSec= and systemd then kills it.'
            : 'Type=oneshot waits for the command to exit, but Gunicorn keeps running: the service never leaves "activating" and units ordered after it wait forever.',
        fixes: change(foreground),
      });
      return;
    }
    if (value === 'notify' && !notifies) {
      report({
        range: range(type!.valueSpan),
        severity: 'warning',
        message: `Gunicorn ${formatVersion(gunicornVersion)} never notifies systemd (readiness notification came in Gunicorn 20.0), so with Type=notify the start times out and the service is killed.`,
        fixes: change('exec'),
      });
      return;
    }
    if (!notifies || !exec.direct) return;
    if (value !== '' && value !== 'simple' && value !== 'exec' && value !== 'idle') return;
    if (!type && isDropIn) return;
    report({
      range: range(type ? type.valueSpan : exec.directive.keySpan),
      message: `${type ? `Type=${value}` : 'Without Type=, the service is Type=simple and'} counts as started as soon as the program runs, before Gunicorn has bound its socket or booted a worker. Gunicorn ${formatVersion(gunicornVersion)} reports readiness to systemd, so Type=notify makes \`systemctl start\` and units ordered after this one wait until it really serves.`,
      fixes: type
        ? change('notify')
        : [
            {
              title: 'Add Type=notify',
              edits: [insertLineBefore(model, exec.directive, 'Type=notify')],
              isPreferred: true,
            },
          ],
    });
  },
};

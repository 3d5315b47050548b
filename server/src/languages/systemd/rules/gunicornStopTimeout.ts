// Rule: gunicorn-stop-timeout — systemd's stop timeout shorter than Gunicorn's graceful shutdown.

import type { RelatedInfo } from '../../../core/findings';
import { gunicornCatalog } from '../../gunicorn/catalog';
import {
  insertLineAfter,
  serviceGunicornExec,
  optionValueSpan,
  replaceValueEdit,
  serviceDirective,
} from '../gunicornExec';
import { parseTimespan } from '../values';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

/** Extra seconds beyond the graceful timeout, for the master to reap its workers and exit. */
const MARGIN = 5;

function formatSeconds(seconds: number): string {
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))} s`;
}

export const gunicornStopTimeout: UnitRule = {
  meta: {
    id: 'gunicorn-stop-timeout',
    defaultSeverity: 'warning',
    description:
      "TimeoutStopSec= shorter than Gunicorn's graceful timeout, so systemd kills workers that are still finishing requests.",
    docsUrl: unitRuleDocsUrl('gunicorn-stop-timeout'),
  },
  check(context) {
    const { model, uri, range, report } = context;
    const exec = serviceGunicornExec(context);
    if (!exec) return;
    // Only SIGTERM starts a graceful shutdown; SIGINT and SIGQUIT make Gunicorn stop at once.
    const killSignal = serviceDirective(model, 'KillSignal')?.value ?? '';
    if (!['', 'SIGTERM', 'TERM', '15'].includes(killSignal)) return;
    const stop = serviceDirective(model, 'TimeoutStopSec');
    const both = serviceDirective(model, 'TimeoutSec');
    const timeout = stop && stop.value !== '' ? stop : both && both.value !== '' ? both : undefined;
    if (!timeout) return; // systemd's default (90 s) outlasts Gunicorn's default grace.
    const seconds = parseTimespan(timeout.value);
    // 0 and infinity turn the timeout off; an unreadable value is invalid-directive-value's business.
    if (seconds === undefined || seconds === 0 || seconds === Infinity) return;
    const flag = exec.settings.get('graceful_timeout');
    let graceful: number;
    let source: string;
    if (flag) {
      if (typeof flag.value !== 'string' || flag.option.valueDynamic || !/^\d+$/.test(flag.value.trim())) {
        return;
      }
      graceful = Number(flag.value.trim());
      source = `${flag.option.flag} ${graceful}`;
    } else {
      graceful = Number(gunicornCatalog().get('graceful_timeout')?.default ?? '30');
      if (!Number.isFinite(graceful)) return;
      source = exec.settings.has('config')
        ? `Gunicorn's default graceful_timeout, unless the configuration file sets another`
        : `Gunicorn's default graceful_timeout; the command line does not set --graceful-timeout`;
    }
    if (seconds >= graceful) return;
    const wanted = `${graceful + MARGIN}s`;
    const related: RelatedInfo[] = [];
    const valueSpan = flag && optionValueSpan(exec, flag.option);
    if (valueSpan) related.push({ uri, range: range(valueSpan), message: 'the graceful timeout' });
    report({
      range: range(timeout.valueSpan),
      message: `${timeout.key}=${timeout.value} gives Gunicorn ${formatSeconds(seconds)} to stop, but its workers may take ${formatSeconds(graceful)} to finish their requests (${source}). systemd then sends SIGKILL and the requests still running are cut off.`,
      ...(related.length ? { related } : {}),
      fixes: [
        timeout === stop
          ? {
              title: `Change to TimeoutStopSec=${wanted}`,
              edits: [replaceValueEdit(model, timeout, wanted)],
              isPreferred: true,
            }
          : {
              title: `Add TimeoutStopSec=${wanted}`,
              edits: [insertLineAfter(model, timeout, `TimeoutStopSec=${wanted}`)],
              isPreferred: true,
            },
      ],
    });
  },
};

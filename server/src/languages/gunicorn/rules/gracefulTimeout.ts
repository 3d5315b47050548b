// Rule: graceful-timeout — graceful_timeout and timeout that disagree: requests cut off at every restart, or stops that wait for nothing.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import {
  effectiveInt,
  effectiveWorker,
  insertLineAfter,
  lastBinding,
  replaceFix,
  spanRange,
} from './ruleUtils';

export const gracefulTimeout: GunicornRule = {
  meta: {
    id: 'graceful-timeout',
    defaultSeverity: 'info',
    description:
      'timeout raised above graceful_timeout (long requests are killed at every stop or restart), or a sync-worker graceful_timeout longer than any request can run.',
    docsUrl: ruleDocsUrl('graceful-timeout'),
  },
  check(context) {
    const { model, report } = context;
    const timeoutBinding = lastBinding(model, 'timeout');
    const graceBinding = lastBinding(model, 'graceful_timeout');
    if (!timeoutBinding && !graceBinding) return;
    const timeout = effectiveInt(context, 'timeout');
    const grace = effectiveInt(context, 'graceful_timeout');
    // timeout = 0 switches the worker timeout off; nothing to compare with.
    if (timeout === undefined || grace === undefined || timeout <= 0) return;
    if (timeoutBinding && timeout > grace) {
      report({
        range: spanRange(model, timeoutBinding.value.span),
        message: `timeout = ${timeout} lets a request run ${timeout} s, but graceful_timeout${graceBinding ? '' : ' (default)'} = ${grace} kills it after ${grace} s whenever Gunicorn stops or restarts (deploys, systemd stop). Raise graceful_timeout to match.`,
        fixes: [
          graceBinding
            ? replaceFix(model, graceBinding.value.span, String(timeout), `Set graceful_timeout = ${timeout}`)
            : {
                title: `Add graceful_timeout = ${timeout}`,
                edits: [insertLineAfter(model, timeoutBinding, `graceful_timeout = ${timeout}`)],
                isPreferred: true,
              },
        ],
      });
      return;
    }
    // Only the sync worker kills a request at `timeout`; other workers' timeout is a heartbeat, so a long grace can matter.
    if (graceBinding && grace > timeout && effectiveWorker(context)?.name === 'sync') {
      report({
        range: spanRange(model, graceBinding.value.span),
        message: `graceful_timeout = ${grace} is longer than timeout = ${timeout}: a sync worker never runs a request past ${timeout} s, so a stop can only wait longer for nothing.`,
        fixes: [
          replaceFix(model, graceBinding.value.span, String(timeout), `Set graceful_timeout = ${timeout}`),
        ],
      });
    }
  },
};

// Rule: stop-timeout-below-graceful — systemd stops the service sooner than Gunicorn's configured graceful shutdown.

import { serviceStopBudget, SYSTEMD_DEFAULT_STOP_SECONDS } from './stopBudget';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import {
  execStartOf,
  fixAcross,
  insertUnitLineAfter,
  originLabel,
  replaceUnitValue,
  replaceSettingEdit,
  seconds,
  unitRelated,
} from './shared';

/** Extra seconds for the master to reap its workers and exit. */
const MARGIN = 5;

export const stopTimeoutBelowGraceful: DeploymentRule = {
  meta: {
    id: 'stop-timeout-below-graceful',
    defaultSeverity: 'warning',
    description:
      "The service's TimeoutStopSec= (90 s by default) is shorter than the graceful_timeout Gunicorn gets from its config file or GUNICORN_CMD_ARGS, so systemd kills requests still finishing.",
    docsUrl: deploymentRuleDocsUrl('stop-timeout-below-graceful'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const view = deployment.service?.view;
      if (!view || !deployment.launch) continue;
      const graceful = facts.setting(deployment, 'graceful_timeout');
      // The unit's own rule covers the command line and the default; this one covers what only the model knows.
      if (!graceful?.known || !graceful.where || graceful.parsed.num === undefined) continue;
      if (graceful.origin !== 'config' && graceful.origin !== 'GUNICORN_CMD_ARGS') continue;
      const killSignal = view.last('Service', 'KillSignal')?.directive.value ?? '';
      if (!['', 'SIGTERM', 'TERM', '15'].includes(killSignal)) continue;
      const budget = serviceStopBudget(deployment);
      if (!budget) continue;
      const timeout = budget.directive;
      const stop = budget.seconds;
      const grace = graceful.parsed.num;
      if (stop >= grace) continue;
      const wanted = `${grace + MARGIN}s`;
      const exec = execStartOf(deployment);
      const unitEdit = timeout
        ? timeout.directive.key === 'TimeoutStopSec'
          ? replaceUnitValue(timeout, wanted)
          : insertUnitLineAfter(timeout, `TimeoutStopSec=${wanted}`)
        : exec
          ? insertUnitLineAfter(exec, `TimeoutStopSec=${wanted}`)
          : undefined;
      const lower = stop > MARGIN ? Math.floor(stop - MARGIN) : undefined;
      const lowerEdit =
        lower !== undefined
          ? replaceSettingEdit(deployment, graceful, { python: String(lower), cli: String(lower) })
          : undefined;
      const uri = graceful.where.uri;
      report({
        uri,
        range: graceful.where.range,
        message: `graceful_timeout = ${grace} (from ${originLabel(graceful.origin)}) lets workers finish their requests for ${seconds(grace)} when Gunicorn stops, but ${deployment.service!.name} allows only ${seconds(stop)}${timeout ? ` (${timeout.directive.key}=${timeout.directive.value})` : " (systemd's default TimeoutStopSec)"}; systemd then sends SIGKILL and cuts off the requests still running.`,
        related: [
          timeout
            ? unitRelated(timeout, 'the stop timeout')
            : {
                uri: deployment.launch.uri,
                range: deployment.launch.range,
                message: `${deployment.service!.name} has no TimeoutStopSec=: systemd's default is ${SYSTEMD_DEFAULT_STOP_SECONDS} s`,
              },
        ],
        fixes: [
          ...(unitEdit
            ? [
                fixAcross(
                  uri,
                  `Set TimeoutStopSec=${wanted} in ${deployment.service!.name}`,
                  [unitEdit],
                  true,
                ),
              ]
            : []),
          ...(lowerEdit ? [fixAcross(uri, `Lower graceful_timeout to ${lower}`, [lowerEdit])] : []),
        ],
      });
    }
  },
};

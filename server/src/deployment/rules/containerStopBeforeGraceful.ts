// Rule: container-stop-before-graceful — the orchestrator kills Gunicorn's container before graceful_timeout ends.

import type { RelatedInfo } from '../../core/findings';
import { rangesEqual } from '../../core/text';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { nonDefaultStopSignal, stopGracePeriodEdit } from './containerShared';
import { manifestStopGraceEdit } from './manifestEdits';
import { containerStopBudget } from './stopBudget';
import { deploymentAnchor, fixAcross, originLabel, seconds, settingRelated } from './shared';

/** Extra seconds for the master to reap its workers and exit. */
const MARGIN = 5;

export const containerStopBeforeGraceful: DeploymentRule = {
  meta: {
    id: 'container-stop-before-graceful',
    defaultSeverity: 'warning',
    description:
      "The orchestrator kills Gunicorn's container before graceful_timeout ends (compose stop_grace_period, 10 s by default; Kubernetes terminationGracePeriodSeconds, 30 s, minus a preStop sleep; Fly kill_timeout, 5 s; Render, Heroku, Cloud Run), so requests still running at a deploy are cut off.",
    docsUrl: deploymentRuleDocsUrl('container-stop-before-graceful'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      const budget = containerStopBudget(deployment);
      if (!container || !budget) continue;
      // Another signal than SIGTERM is container-stop-signal-quick's business (Gunicorn does not drain then).
      if (nonDefaultStopSignal(container)) continue;
      const graceful = facts.setting(deployment, 'graceful_timeout');
      if (!graceful?.known || graceful.parsed.num === undefined) continue;
      const grace = graceful.parsed.num;
      if (budget.seconds >= grace) continue;
      // Both sides at their defaults (30 s against 10 s) is every compose file's state; it matters only for requests
      // longer than the budget, so it is said on hover, not reported.
      if (graceful.origin === 'default' && !budget.where) continue;
      const service = container.service?.value ?? 'the service';
      const wanted = `${grace + MARGIN}s`;
      const anchor = budget.where ?? graceful.where ?? container.service ?? deploymentAnchor(deployment);
      if (!anchor) continue;
      const uri = anchor.uri;
      const lines = facts.lines(container.stopGrace?.uri ?? container.stopGraceInsert?.uri ?? uri);
      // In a manifest the grace period also covers the preStop sleep: the new value adds it back.
      const manifestSeconds = grace + MARGIN + (budget.preStop?.seconds ?? 0);
      const edit = container.stopGraceKey
        ? manifestStopGraceEdit(container, manifestSeconds)
        : stopGracePeriodEdit(container, wanted, lines?.eol ?? '\n');
      const shown = container.stopGraceKey ? String(manifestSeconds) : wanted;
      const related: RelatedInfo[] = [];
      const gracefulInfo = settingRelated(
        deployment,
        graceful,
        `graceful_timeout = ${grace} (${originLabel(graceful.origin)})`,
      );
      if (gracefulInfo && !(gracefulInfo.uri === uri && rangesEqual(gracefulInfo.range, anchor.range))) {
        related.push(gracefulInfo);
      }
      if (budget.where && anchor !== budget.where) {
        related.push({
          uri: budget.where.uri,
          range: budget.where.range,
          message: `${budget.key}: ${budget.where.value}`,
        });
      } else if (!budget.where && container.service && anchor !== container.service) {
        related.push({
          uri: container.service.uri,
          range: container.service.range,
          message: `${service} has no ${budget.key}: ${budget.orchestrator} waits ${seconds(budget.grace ?? budget.seconds)}`,
        });
      }
      if (budget.preStop) {
        related.push({
          uri: budget.preStop.uri,
          range: budget.preStop.range,
          message: `preStop hook: sleeps ${seconds(budget.preStop.seconds ?? 0)} inside the grace period, before the stop signal`,
        });
      }
      const written = budget.where
        ? `${budget.key}: ${budget.where.value}`
        : `its default ${budget.key} of ${seconds(budget.grace ?? budget.seconds)}`;
      const budgetText = budget.preStop
        ? `${written}, less the preStop hook's ${seconds(budget.preStop.seconds ?? 0)}`
        : written;
      report({
        uri,
        range: anchor.range,
        message: `graceful_timeout is ${seconds(grace)} (${originLabel(graceful.origin)}), but ${budget.orchestrator} stops ${service} after ${seconds(budget.seconds)} (${budgetText}) and then sends SIGKILL: requests still running when a deploy stops the container are cut off. Give the container graceful_timeout plus a few seconds.`,
        related,
        ...(edit
          ? { fixes: [fixAcross(uri, `Set ${budget.key}: ${shown} for ${service}`, [edit], true)] }
          : {}),
      });
    }
  },
};

// How long whatever stops Gunicorn lets it finish before SIGKILL: one shape for systemd services and containers (and
// the orchestrators to come), used by the stop-timeout rules and the graceful_timeout hover.

import { parseTimespan } from '../../languages/systemd/values';
import type { Located } from '../../languages/gunicorn/launch';
import type { Deployment } from '../model';
import { orchestratorDefaults, orchestratorName } from '../orchestrators';
import type { UnitDirective } from '../systemdFacts';

/** How long an orchestrator lets Gunicorn stop before SIGKILL: one shape for every orchestrator that runs it. */
export interface StopBudget {
  /** Who stops it, for messages (`Docker Compose`). */
  orchestrator: string;
  seconds: number;
  /** Where the budget is written; undefined when the orchestrator's default applies. */
  where?: Located<string>;
  /** The default's source, when the default applies. */
  source?: string;
  /** The key that sets it in the orchestrator's file (`stop_grace_period`, `terminationGracePeriodSeconds`). */
  key: string;
  /** The whole grace period, when a preStop hook's sleep takes `grace - seconds` of it before the stop signal. */
  grace?: number;
  /** The preStop hook that sleeps inside the grace period. */
  preStop?: Located<string> & { seconds?: number };
}

/**
 * The stop budget of a deployment's container, when its orchestrator is known and the budget readable. A Dockerfile
 * alone says nothing: the same image may run under compose, Kubernetes or a platform, each with its own default.
 */
export function containerStopBudget(deployment: Deployment): StopBudget | undefined {
  const container = deployment.launch?.container;
  if (!container || container.orchestrator === 'docker') return undefined;
  const orchestrator = orchestratorName(container.orchestrator);
  const key = container.stopGraceKey ?? 'stop_grace_period';
  let budget: StopBudget;
  if (container.stopGrace) {
    const seconds = container.stopGrace.seconds;
    if (seconds === undefined) return undefined;
    budget = { orchestrator, seconds, where: container.stopGrace, key };
  } else if (container.stopGraceDefault) {
    const fallback = container.stopGraceDefault;
    budget = { orchestrator, seconds: fallback.seconds, source: fallback.source, key };
  } else if (container.orchestrator === 'compose') {
    const fallback = orchestratorDefaults(container.orchestrator).stopGraceSeconds;
    budget = { orchestrator, seconds: fallback.value, source: fallback.source, key };
  } else {
    // A platform whose documentation states no grace period (App Engine, Railway): nothing to compare.
    return undefined;
  }
  // Kubernetes counts the preStop hook inside the grace period: a hook that sleeps leaves Gunicorn the rest.
  const preStop = container.preStop;
  if (preStop) {
    if (preStop.seconds === undefined) return undefined;
    return {
      ...budget,
      grace: budget.seconds,
      seconds: Math.max(0, budget.seconds - preStop.seconds),
      preStop,
    };
  }
  return budget;
}

/** systemd's DefaultTimeoutStopSec= unless system.conf changes it. */
export const SYSTEMD_DEFAULT_STOP_SECONDS = 90;

/**
 * The stop budget of a deployment's systemd service: TimeoutStopSec= (or TimeoutSec=), else systemd's default;
 * undefined without a service or when the timeout is off or unreadable.
 */
export function serviceStopBudget(
  deployment: Deployment,
): (StopBudget & { directive?: UnitDirective }) | undefined {
  const service = deployment.service;
  if (!service) return undefined;
  const timeout =
    service.view.last('Service', 'TimeoutStopSec') ?? service.view.last('Service', 'TimeoutSec');
  const seconds = timeout ? parseTimespan(timeout.directive.value) : SYSTEMD_DEFAULT_STOP_SECONDS;
  if (seconds === undefined || seconds === 0 || seconds === Infinity) return undefined;
  if (!timeout) return { orchestrator: service.name, seconds, key: 'TimeoutStopSec' };
  const { unit, directive } = timeout;
  const where = {
    value: directive.value,
    uri: unit.uri,
    range: unit.model.lines.range(directive.valueSpan.from, directive.valueSpan.to),
  };
  return { orchestrator: service.name, seconds, where, directive: timeout, key: timeout.directive.key };
}

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
}

/**
 * The stop budget of a deployment's container, when its orchestrator is known and the budget readable. A Dockerfile
 * alone says nothing: the same image may run under compose, Kubernetes or a platform, each with its own default.
 */
export function containerStopBudget(deployment: Deployment): StopBudget | undefined {
  const container = deployment.launch?.container;
  if (!container || container.orchestrator === 'docker') return undefined;
  const orchestrator = orchestratorName(container.orchestrator);
  if (container.stopGrace) {
    const seconds = container.stopGrace.seconds;
    return seconds === undefined ? undefined : { orchestrator, seconds, where: container.stopGrace };
  }
  const fallback = orchestratorDefaults(container.orchestrator).stopGraceSeconds;
  return { orchestrator, seconds: fallback.value, source: fallback.source };
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
  if (!timeout) return { orchestrator: service.name, seconds };
  const { unit, directive } = timeout;
  const where = {
    value: directive.value,
    uri: unit.uri,
    range: unit.model.lines.range(directive.valueSpan.from, directive.valueSpan.to),
  };
  return { orchestrator: service.name, seconds, where, directive: timeout };
}

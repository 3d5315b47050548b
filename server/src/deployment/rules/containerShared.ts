// Helpers shared by the container rules: the stop budget an orchestrator gives Gunicorn, and edits in compose files.

import type { TextEdit } from '../../core/text';
import type { ContainerFacet, Located } from '../../languages/gunicorn/launch';
import type { Deployment } from '../model';
import { orchestratorDefaults, orchestratorName } from '../orchestrators';

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

/** The signal name without `SIG`, upper case (`15` → `TERM`, `2` → `INT`, `3` → `QUIT`); undefined when unknown. */
export function signalName(text: string): string | undefined {
  const value = text.trim().toUpperCase();
  const numbers: Record<string, string> = { '2': 'INT', '3': 'QUIT', '9': 'KILL', '15': 'TERM' };
  if (numbers[value]) return numbers[value];
  const m = /^(?:SIG)?([A-Z0-9+-]+)$/.exec(value);
  return m && !/^\d/.test(m[1]!) ? m[1] : undefined;
}

/** The signal the container is stopped with, when it is not the default SIGTERM (and where it is written). */
export function nonDefaultStopSignal(container: ContainerFacet): Located<string> | undefined {
  const signal = container.stopSignal;
  if (!signal) return undefined;
  return signalName(signal.value) === 'TERM' ? undefined : signal;
}

/** An edit setting a compose service's `stop_grace_period`: the written value replaced, or a line added. */
export function stopGracePeriodEdit(
  container: ContainerFacet,
  value: string,
  eol: string,
): { uri: string; edit: TextEdit } | undefined {
  if (container.stopGrace) {
    return { uri: container.stopGrace.uri, edit: { range: container.stopGrace.range, newText: value } };
  }
  const insert = container.stopGraceInsert;
  if (!insert) return undefined;
  const at = { line: insert.line + 1, character: 0 };
  return {
    uri: insert.uri,
    edit: { range: { start: at, end: at }, newText: `${insert.indent}stop_grace_period: ${value}${eol}` },
  };
}

// The defaults of each orchestrator that stops Gunicorn's container (stop grace period, stop signal), from
// server/data/orchestrators-docker.json where each fact names its source.

import facts from '../../data/orchestrators-docker.json';
import type { Orchestrator } from '../languages/gunicorn/launch';

interface Fact<T> {
  value: T;
  source: string;
  note: string;
}

interface OrchestratorFacts {
  stopGraceSeconds: Fact<number>;
  stopSignal: Fact<string>;
}

const table = facts as Record<string, OrchestratorFacts>;

/** The defaults an orchestrator applies when its files say nothing. */
export function orchestratorDefaults(orchestrator: Orchestrator): OrchestratorFacts {
  return table[orchestrator] ?? table.docker!;
}

/** How an orchestrator is named in messages. */
export function orchestratorName(orchestrator: Orchestrator): string {
  return orchestrator === 'compose' ? 'Docker Compose' : 'Docker';
}

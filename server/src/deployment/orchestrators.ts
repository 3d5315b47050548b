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

/**
 * The defaults Docker or compose apply when their files say nothing. Manifests' launches carry their orchestrator's
 * default on the facet (read from server/data/orchestrators.json by the commands language).
 */
export function orchestratorDefaults(orchestrator: Orchestrator): OrchestratorFacts {
  return table[orchestrator] ?? table.docker!;
}

const NAMES: Record<Orchestrator, string> = {
  docker: 'Docker',
  compose: 'Docker Compose',
  kubernetes: 'Kubernetes',
  'cloud-run': 'Cloud Run',
  fly: 'Fly.io',
  render: 'Render',
  heroku: 'Heroku',
  dokku: 'Dokku',
  railway: 'Railway',
  'app-engine-standard': 'App Engine',
  'app-engine-flexible': 'App Engine',
};

/** How an orchestrator is named in messages. */
export function orchestratorName(orchestrator: Orchestrator): string {
  return NAMES[orchestrator] ?? orchestrator;
}

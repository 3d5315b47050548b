// The orchestrators' documented defaults (server/data/orchestrators.json) as typed look-ups for the manifest readers.

import type { OrchestratorName, PlatformDefault } from './containerFacts';

/** One fact as stored: a value (null when the documentation states none), where it was read, our note. */
export interface OrchestratorFact {
  value: unknown;
  source: string;
  note: string;
}

export type OrchestratorFacts = Readonly<
  Record<OrchestratorName, Readonly<Record<string, OrchestratorFact>>>
>;

let facts: OrchestratorFacts | undefined;

/** Every orchestrator's facts (read on first use; a few kilobytes). */
export function orchestratorFacts(): OrchestratorFacts {
  facts ??= (() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { $comment, ...data } = require('../../../data/orchestrators.json') as Record<string, unknown>;
    void $comment;
    return data as unknown as OrchestratorFacts;
  })();
  return facts;
}

/** The default `fact` of `orchestrator`, typed by the caller; a null value when the data has none. */
export function platformDefault<T>(orchestrator: OrchestratorName, fact: string): PlatformDefault<T> {
  const entry = orchestratorFacts()[orchestrator]?.[fact];
  return {
    value: (entry?.value ?? null) as T | null,
    orchestrator,
    fact,
    source: entry?.source ?? '',
  };
}

/** The same default as a `Fact` (origin `default`), for the launch shape. */
export function defaultFact<T>(
  orchestrator: OrchestratorName,
  fact: string,
): { origin: 'default' } & PlatformDefault<T> {
  return { origin: 'default', ...platformDefault<T>(orchestrator, fact) };
}

// The CPU and memory limits of a launch's container, whoever sets them (compose cpus/mem_limit, Kubernetes
// resources.limits, …), with words for messages: one accessor for the rules that ask "is Gunicorn under a limit?".

import type { RelatedInfo } from '../../core/findings';
import type { Deployment } from '../model';
import { orchestratorName } from '../orchestrators';

/** A limit as the rules need it: the number when readable, a sentence naming who sets it, where it is written. */
export interface ContainerLimit<T> {
  value?: T;
  /** "the Kubernetes container web is limited to 500m CPU". */
  text: string;
  related: RelatedInfo;
}

function who(deployment: Deployment): string {
  const container = deployment.launch!.container!;
  const name = container.service?.value ?? deployment.launch!.unit ?? '';
  const kind =
    container.orchestrator === 'compose'
      ? 'compose service'
      : `${orchestratorName(container.orchestrator)} container`;
  return `the ${kind}${name ? ` ${name}` : ''}`;
}

/** The container's CPU limit (`cpus: 1.5`, `limits.cpu: 500m`), in CPUs when readable. */
export function containerCpuLimit(deployment: Deployment): ContainerLimit<number> | undefined {
  const cpus = deployment.launch?.container?.cpus;
  if (!cpus) return undefined;
  return {
    ...(cpus.count !== undefined ? { value: cpus.count } : {}),
    text: `${who(deployment)} is limited to ${cpus.value} CPU${cpus.count === 1 ? '' : 's'}`,
    related: { uri: cpus.uri, range: cpus.range, message: `CPU limit: ${cpus.value}` },
  };
}

/** The container's memory limit (`mem_limit: 512m`, `limits.memory: 1Gi`), in bytes when readable. */
export function containerMemoryLimit(deployment: Deployment): ContainerLimit<number> | undefined {
  const memory = deployment.launch?.container?.memory;
  if (!memory) return undefined;
  return {
    ...(memory.bytes !== undefined ? { value: memory.bytes } : {}),
    text: `${who(deployment)} is limited to ${memory.value} of memory`,
    related: { uri: memory.uri, range: memory.range, message: `memory limit: ${memory.value}` },
  };
}

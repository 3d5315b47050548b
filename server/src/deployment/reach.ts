// Which deployments each nginx pass reaches: the addresses deployments listen on are indexed (one lookup per pass,
// not a scan of every deployment), and when several listen where a pass connects, the ones nearest the nginx file win.

import { FolderIndex, foldersOf } from '../core/folderIndex';
import { endpointKey, endpointsMatch, type Endpoint } from './addresses';
import type { Deployment } from './model';
import type { NginxTarget } from './nginxFacts';

/** Where a deployment is written: its launch's file, else its config's. */
function homeOf(deployment: Deployment): string | undefined {
  return deployment.launch?.path ?? deployment.config?.path;
}

/** The listening deployments by address: unix sockets by path, TCP by port (hosts are compared per lookup). */
class ListenIndex {
  private readonly unix = new Map<string, number[]>();
  private readonly tcp = new Map<number, { listen: Endpoint; at: number }[]>();

  constructor(private readonly deployments: readonly Deployment[]) {
    deployments.forEach((deployment, at) => {
      for (const { endpoint } of deployment.listens ?? []) {
        if (endpoint.kind === 'unix') push(this.unix, endpoint.path, at);
        else if (endpoint.kind === 'tcp') {
          const list = this.tcp.get(endpoint.port) ?? [];
          list.push({ listen: endpoint, at });
          this.tcp.set(endpoint.port, list);
        }
      }
    });
  }

  /** The deployments a client connecting to `endpoint` reaches, in deployment order. */
  reached(endpoint: Endpoint): Deployment[] {
    const found = new Set<number>();
    if (endpoint.kind === 'unix') this.unix.get(endpoint.path)?.forEach((at) => found.add(at));
    else if (endpoint.kind === 'tcp') {
      for (const { listen, at } of this.tcp.get(endpoint.port) ?? []) {
        if (endpointsMatch(endpoint, listen)) found.add(at);
      }
    }
    return [...found].sort((a, b) => a - b).map((at) => this.deployments[at]!);
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) {
    if (list.at(-1) !== value) list.push(value);
  } else map.set(key, [value]);
}

/**
 * Adds each target to the `nginx` list of the deployments it reaches. Several deployments listening on one address
 * are usually copies of one service in separate projects (each on its own machine): the nginx file belongs with the
 * ones in its own folder tree, so only those sharing the most folders with it are kept (all of them on a tie); a compose
 * service named as the host says which container is meant.
 */
export function connectTargets(
  deployments: readonly Deployment[],
  targets: readonly NginxTarget[],
  composeServiceOf: (deployment: Deployment) => string | undefined,
): void {
  const index = new ListenIndex(deployments);
  const nearest = new Map<string, FolderIndex<Deployment>>();
  // The same address gives the same deployments: they are looked up, and mapped by folder, once per address.
  const byAddress = new Map<string, Deployment[]>();
  for (const target of targets) {
    const endpoint = target.endpoint;
    const key = endpointKey(endpoint);
    let reached = byAddress.get(key);
    if (!reached) {
      reached = index.reached(endpoint);
      if (reached.length > 1 && endpoint.kind === 'tcp') {
        const named = reached.filter((d) => composeServiceOf(d) === endpoint.host);
        if (named.length) reached = named;
      }
      byAddress.set(key, reached);
    }
    if (reached.length > 1) {
      let index = nearest.get(key);
      if (!index) {
        const homed = reached.filter((deployment) => homeOf(deployment) !== undefined);
        nearest.set(key, (index = new FolderIndex(homed, (deployment) => foldersOf(homeOf(deployment)!))));
      }
      // Sharing no folder at all (not even the root) says nothing: then all of them.
      const { items, shared } = index.nearestShared(foldersOf(target.file.path));
      if (shared > 0) reached = [...items];
    }
    for (const deployment of reached) deployment.nginx.push(target);
  }
}

// Which deployments each nginx pass reaches: the addresses deployments listen on are indexed (one lookup per pass,
// not a scan of every deployment), and when several listen where a pass connects, the ones nearest the nginx file win.

import { endpointKey, endpointsMatch, type Endpoint } from './addresses';
import type { Deployment } from './model';
import type { NginxTarget } from './nginxFacts';

const norm = (path: string): string => path.replace(/\\/g, '/');

/** Where a deployment is written: its launch's file, else its config's. */
function homeOf(deployment: Deployment): string | undefined {
  return deployment.launch?.path ?? deployment.config?.path;
}

/** The folders above a file, deepest first: "/srv/a/b.conf" → "/srv/a", "/srv", "". */
function foldersAbove(path: string): string[] {
  const folders: string[] = [];
  let at = norm(path).lastIndexOf('/');
  while (at >= 0) {
    const folder = norm(path).slice(0, at);
    folders.push(folder);
    at = folder.lastIndexOf('/');
  }
  return folders;
}

/** Deployments by every folder above their home, so the ones nearest a file are a walk up from it. */
function byFolder(deployments: readonly Deployment[]): Map<string, Deployment[]> {
  const map = new Map<string, Deployment[]>();
  for (const deployment of deployments) {
    const home = homeOf(deployment);
    for (const folder of home ? foldersAbove(home) : []) {
      const list = map.get(folder) ?? [];
      list.push(deployment);
      map.set(folder, list);
    }
  }
  return map;
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
  const nearest = new Map<string, Map<string, Deployment[]>>();
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
      let folders = nearest.get(key);
      if (!folders) nearest.set(key, (folders = byFolder(reached)));
      const home = foldersAbove(target.file.path).find((folder) => folders.has(folder));
      if (home !== undefined) reached = folders.get(home)!;
    }
    for (const deployment of reached) deployment.nginx.push(target);
  }
}

// Joins what two files say about one container: the compose service that runs an image and the Dockerfile that builds
// it. A Dockerfile launch run by a compose service (without its own command) becomes that service's container; a
// compose launch that builds its image learns the image's STOPSIGNAL, EXPOSE and USER.

import type { ContainerFacet, LaunchDetails } from '../languages/gunicorn/launch';
import { readComposeContainers, type ComposeContainer } from '../languages/commands/composeContainer';
import { joinPath } from './appTarget';
import type { WorkspaceSource } from './types';
import { dirname, forwardSlashes as norm } from '../core/paths';

const DYNAMIC = /[$%`~]/;

/** The Dockerfile path a compose `build:` names (relative to the compose file), unless it holds variables. */
function dockerfilePath(
  composePath: string,
  build: { context: string; dockerfile?: string },
): string | undefined {
  if (DYNAMIC.test(build.context + (build.dockerfile ?? ''))) return undefined;
  // A remote context (git URL) has no Dockerfile in the workspace.
  if (/^[a-z]+:\/\//i.test(build.context) || build.context.startsWith('git@')) return undefined;
  const context = joinPath(dirname(composePath), build.context);
  return joinPath(context, build.dockerfile ?? 'Dockerfile');
}

/** A compose service's facet over its image's: compose's own keys win; both declare ports. */
export function mergeContainers(compose: ContainerFacet, image: ContainerFacet | undefined): ContainerFacet {
  if (!image) return compose;
  const merged: ContainerFacet = { ...compose, ports: [...compose.ports, ...image.ports] };
  if (!merged.image && image.image) merged.image = image.image;
  if (!merged.stopSignal && image.stopSignal) merged.stopSignal = image.stopSignal;
  if (!merged.healthcheck && image.healthcheck) merged.healthcheck = image.healthcheck;
  if (!merged.user && image.user) merged.user = image.user;
  if (image.portsUnknown) merged.portsUnknown = true;
  if (!merged.shell && image.shell) merged.shell = image.shell;
  if (!merged.initProgram && image.initProgram) merged.initProgram = image.initProgram;
  return merged;
}

/** The launches of every source with container facts joined across compose files and Dockerfiles. */
export function linkContainers(
  launches: ReadonlyMap<WorkspaceSource, LaunchDetails[]>,
): Map<WorkspaceSource, LaunchDetails[]> {
  const composeFiles = [...launches.keys()].filter((source) => source.kind === 'compose');
  if (!composeFiles.length) return new Map(launches);
  // Which compose service runs each Dockerfile's own command (the first one that builds it without overriding it).
  const runners = new Map<string, ComposeContainer>();
  const imageFacets = new Map<string, ContainerFacet>();
  for (const [source, list] of launches) {
    if (source.kind !== 'dockerfile') continue;
    const facet = list.find((launch) => launch.container)?.container;
    if (facet) imageFacets.set(joinPath('/', norm(source.path)), facet);
  }
  for (const source of composeFiles) {
    for (const container of readComposeContainers(source)) {
      if (!container.build || container.overridesCommand) continue;
      const path = dockerfilePath(source.path, container.build);
      if (path && !runners.has(path)) runners.set(path, container);
    }
  }
  const result = new Map<WorkspaceSource, LaunchDetails[]>();
  for (const [source, list] of launches) {
    if (source.kind === 'dockerfile') {
      const runner = runners.get(joinPath('/', norm(source.path)));
      result.set(
        source,
        runner
          ? list.map((launch) => withContainer(launch, mergeContainers(runner.container, launch.container)))
          : list,
      );
    } else if (source.kind === 'compose') {
      result.set(
        source,
        list.map((launch) => {
          const path =
            launch.build && launch.container ? dockerfilePath(source.path, launch.build) : undefined;
          const image = path ? imageFacets.get(path) : undefined;
          return image
            ? withContainer(launch, mergeContainers(launch.container!, withoutCommand(image)))
            : launch;
        }),
      );
    } else {
      result.set(source, list);
    }
  }
  return result;
}

/** An image's facts without what belongs to its own command (a compose command replaces it). */
function withoutCommand(image: ContainerFacet): ContainerFacet {
  const { shell: _shell, initProgram: _init, ...rest } = image;
  return rest;
}

function withContainer(launch: LaunchDetails, container: ContainerFacet): LaunchDetails {
  return { ...launch, container };
}

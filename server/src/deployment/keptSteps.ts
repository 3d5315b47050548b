// The steps of a model build that an edit rarely changes, each kept from the last build while the files it reads are
// the same (stageMemo.ts): the workspace's units and sockets, its launches, the config lookup, and what each launch is
// joined to. An edited config changes none of them, so a rebuild after typing in it makes only the deployments, their
// settings and the rules' answers; an edited unit makes the units and the joins again, and so on.

import { FileParseCache } from '../core/fileParseCache';
import { formatVersion, type Version } from '../core/version';
import { ConfigLookup, isConfigCandidate } from './configLookup';
import { linkContainers } from './containers';
import { linkServices } from './kubernetesServices';
import { launchesIn, type LaunchDetails } from './launches';
import { forgetNginxWorkspace, nginxWorkspaceHeld } from './nginxFacts';
import { LastStep } from './stageMemo';
import {
  SocketIndex,
  isDropInPath,
  parseUnits,
  socketFacts,
  unitNameOf,
  unitViews,
  type NamedUnits,
  type SocketFacts,
} from './systemdFacts';
import type { ServiceUnit } from './model';
import type { Located, WorkspaceSource } from './types';
import { dirname } from '../core/paths';

/** Joins a path to a directory and removes `.` and `..` segments. */
function resolvePath(cwd: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${cwd.replace(/\/$/, '')}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The workspace's units by name (drop-ins merged) and their sockets. */
export interface UnitFacts {
  views: ReadonlyMap<string, NamedUnits>;
  sockets: SocketIndex;
}

const unitStep = new LastStep<UnitFacts>(true);

/** The units and sockets of these sources, kept while no unit file changed. */
export function keptUnits(sources: readonly WorkspaceSource[]): UnitFacts {
  const units = sources.filter((source) => source.kind === 'systemd');
  return unitStep.get(units, undefined, () => {
    const views = unitViews(parseUnits(units));
    const sockets = new SocketIndex(
      [...views]
        .filter(([name]) => name.endsWith('.socket'))
        .flatMap(([, named]) => named.views.flatMap((view) => socketFacts(view) ?? [])),
    );
    return { views, sockets };
  });
}

/** A file that can hold Gunicorn launches (a unit's drop-in only changes its service: the service's file has them). */
function isLaunchSource(source: WorkspaceSource): boolean {
  switch (source.kind) {
    case 'gunicorn':
    case 'nginx':
    case 'python':
    case 'dependencies':
      return false;
    case 'systemd':
      return !isDropInPath(source.path);
    default:
      return true;
  }
}

/**
 * Each file's launches, kept across builds per file (by URI: launches carry it; a key made of more than the URI was a
 * string per file), Gunicorn version and text (launches are never changed after they are read: linking containers and
 * services makes new ones). Beside the kept step below: when one launch file changes, the others' are not read again.
 */
const launchesRead = new Map<
  string,
  FileParseCache<{ path: string; kind: string; launches: LaunchDetails[] }>
>();

function launchesCached(source: WorkspaceSource, version: Version): LaunchDetails[] {
  const read = (): LaunchDetails[] => {
    try {
      return launchesIn(source, version);
    } catch {
      return [];
    }
  };
  const label = formatVersion(version);
  let cache = launchesRead.get(label);
  if (!cache) {
    // One Gunicorn version at a time in practice: a new one replaces the old cache.
    launchesRead.clear();
    launchesRead.set(label, (cache = new FileParseCache(4_000, 4_000_000)));
  }
  const kept = cache.get(source.uri, source.text, () => ({
    path: source.path,
    kind: source.kind,
    launches: read(),
  }));
  // The same URI with another path or kind (never from a host, which derives both from the path): read afresh.
  return kept.path === source.path && kept.kind === source.kind ? kept.launches : read();
}

const launchStep = new LastStep<ReadonlyMap<WorkspaceSource, LaunchDetails[]>>(true);

/**
 * Each launch file's launches, linked across files (containers to the compose services that run them, Kubernetes
 * Services), kept while no launch file changed and the Gunicorn version is the same. The map's keys may be the last
 * build's source objects: the same files by path and kind, and by text.
 */
export function keptLaunches(
  sources: readonly WorkspaceSource[],
  version: Version,
): ReadonlyMap<WorkspaceSource, LaunchDetails[]> {
  const files = sources.filter(isLaunchSource);
  return launchStep.get(files, formatVersion(version), () => {
    const found = new Map<WorkspaceSource, LaunchDetails[]>();
    for (const source of files) found.set(source, launchesCached(source, version));
    try {
      return linkServices(linkContainers(found));
    } catch {
      // Keep each file's own container facts.
      return found;
    }
  });
}

const lookupStep = new LastStep<ConfigLookup>(false);

/** The config lookup over these sources, kept while the files a config can be have the same names (it reads no text). */
export function keptConfigLookup(
  sources: readonly WorkspaceSource[],
  dirs: ReadonlySet<string> | undefined,
): ConfigLookup {
  const candidates = sources.filter(isConfigCandidate);
  return lookupStep.get(candidates, dirs, () => new ConfigLookup(candidates, dirs));
}

/** What a launch is joined to in the workspace, apart from its config's parse (the build's own, by `configUri`). */
export interface LaunchLinks {
  cwd?: string;
  configRef?: Located<string>;
  configUnknown: boolean;
  /** The workspace file it loads as its config, by URI (the lookup's source may be the last build's object). */
  configUri?: string;
  service?: ServiceUnit;
  sockets: SocketFacts[];
}

let lastLinks:
  { units: UnitFacts; lookup: ConfigLookup; links: WeakMap<LaunchDetails, LaunchLinks> } | undefined;

/**
 * What each launch is joined to, worked out once per launch while the units, sockets and config lookup are the ones
 * it was worked out with (launches are kept objects too, see keptLaunches).
 */
export function keptLinks(
  units: UnitFacts,
  lookup: ConfigLookup,
): (source: WorkspaceSource, launch: LaunchDetails) => LaunchLinks {
  if (lastLinks?.units !== units || lastLinks.lookup !== lookup) {
    lastLinks = { units, lookup, links: new WeakMap() };
  }
  const links = lastLinks.links;
  return (source, launch) => {
    let link = links.get(launch);
    if (!link) links.set(launch, (link = linksOf(source, launch, units, lookup)));
    return link;
  };
}

function linksOf(
  source: WorkspaceSource,
  launch: LaunchDetails,
  units: UnitFacts,
  lookup: ConfigLookup,
): LaunchLinks {
  const cwdText = launch.workingDirectory?.value.trim();
  const staticCwd = !!cwdText && cwdText.startsWith('/') && !/[$%`]/.test(cwdText);
  // systemd and Docker start in / unless told otherwise, and a manifest's container in its image's WORKDIR (not in
  // the manifest's folder); Procfiles, compose files and scripts run from their folder.
  const cwd = staticCwd
    ? resolvePath('/', cwdText)
    : cwdText || source.kind === 'systemd' || source.kind === 'dockerfile' || source.kind === 'manifest'
      ? undefined
      : dirname(source.path);
  const link: LaunchLinks = { configUnknown: false, sockets: [], ...(cwd ? { cwd } : {}) };
  attachConfig(link, source, launch, cwd, lookup);
  if (source.kind === 'systemd') {
    const name = launch.unit ?? unitNameOf(source.path);
    const view = name ? units.views.get(name)?.nearest(source.path) : undefined;
    if (name && view) {
      link.service = { name, view };
      link.sockets = units.sockets.activating(view, name);
    }
  }
  return link;
}

/** The config file a launch loads: `-c FILE`, else ./gunicorn.conf.py in its working directory. */
function attachConfig(
  link: LaunchLinks,
  source: WorkspaceSource,
  launch: LaunchDetails,
  cwd: string | undefined,
  lookup: ConfigLookup,
): void {
  const written = launch.configFile;
  if (written) {
    link.configRef = written;
    const value = written.value.trim();
    if (/^python:/.test(value) || /[$%`]/.test(value) || !value) {
      link.configUnknown = true;
      return;
    }
    const path = value.replace(/^file:/, '');
    const base = cwd ?? dirname(source.path);
    const found = lookup.find(
      path.startsWith('/') ? path : resolvePath(base, path),
      source.path,
      true,
      cwd !== undefined || path.startsWith('/'),
    );
    if (found) link.configUri = found.uri;
    else link.configUnknown = true;
    return;
  }
  if (!cwd) return;
  const found = lookup.find(resolvePath(cwd, 'gunicorn.conf.py'), source.path, false, true);
  if (found) link.configUri = found.uri;
}

/** Whether any step of a build is kept (for tests: a host that builds once must let them go). */
export function holdsKeptSteps(): boolean {
  return (
    nginxWorkspaceHeld() || unitStep.held || launchStep.held || lookupStep.held || lastLinks !== undefined
  );
}

/**
 * Forgets every kept step, the nginx facts' too (a host that builds once lets them go with its model; tests compare a
 * build that reuses them with one made from nothing).
 */
export function forgetKeptSteps(): void {
  forgetNginxWorkspace();
  unitStep.clear();
  launchStep.clear();
  lookupStep.clear();
  lastLinks = undefined;
}

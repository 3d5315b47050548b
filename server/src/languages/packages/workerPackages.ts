// Which packages a Gunicorn worker class needs, per Gunicorn release: Gunicorn's own workers from its source
// (server/data/packages/gunicorn-workers.json, generated), other projects' classes from a hand-written data file.

import { compareVersions, isAtLeast, parseVersion, type Version } from '../../core/version';
import { gunicornCatalog } from '../gunicorn/catalog';
import gunicornWorkers from '../../../data/packages/gunicorn-workers.json';
import thirdParty from '../../../data/packages/third-party-workers.json';

/** One package a worker class cannot start without. */
export interface WorkerNeed {
  /** PEP 503 name. */
  package: string;
  /** The oldest version this Gunicorn release accepts; `enforced` when the worker refuses older ones at start-up. */
  min?: { version: string; enforced: boolean };
  /** Declaring any of these declares the package too: Gunicorn's extras (`gunicorn[gevent]`), packages that need it. */
  providedBy: { name: string; extra?: string }[];
  /** The class's module is deprecated by the package's own project from that version on. */
  deprecated?: { since: string; replacement: string; replacementClass?: string; source: string };
}

interface ReleaseWorkers {
  workers: Record<string, { package: string; min?: string; enforced?: boolean }>;
  extras: Record<string, string[]>;
}

const releases = (gunicornWorkers as { releases: Record<string, ReleaseWorkers> }).releases;

interface ThirdPartyWorker {
  classes: string[];
  package: string;
  also?: string[];
  deprecated?: {
    since: string;
    replacement: string;
    replacementClasses?: Record<string, string>;
    source: string;
  };
}

const thirdPartyData = thirdParty as unknown as {
  workers: ThirdPartyWorker[];
  brings: Record<string, string[] | string>;
};

/** The newest catalogued release at or below `version` (the oldest one for anything older). */
function releaseFor(version: Version): ReleaseWorkers | undefined {
  let best: ReleaseWorkers | undefined;
  let first: ReleaseWorkers | undefined;
  for (const [name, data] of Object.entries(releases)) {
    const v = parseVersion(name);
    if (!v) continue;
    first ??= data;
    if (compareVersions(v, version) <= 0) best = data;
  }
  return best ?? first;
}

/** Packages that bring `name` along as their own requirement (`uvicorn-worker` brings `uvicorn`). */
function bringers(name: string): { name: string; extra?: string }[] {
  const result: { name: string; extra?: string }[] = [];
  for (const [by, list] of Object.entries(thirdPartyData.brings)) {
    if (by.startsWith('$') || !Array.isArray(list) || !list.includes(name)) continue;
    const m = /^([^[]+)(?:\[([^\]]+)\])?$/.exec(by)!;
    result.push({ name: m[1]!, ...(m[2] ? { extra: m[2] } : {}) });
  }
  return result;
}

/** The class a `worker_class` value names: a shortcut (`gevent`), `egg:gunicorn#gevent`, or a dotted path. */
function className(value: string): string {
  const egg = /^egg:gunicorn#(\w+)$/.exec(value);
  const name = egg ? egg[1]! : value;
  return gunicornCatalog().workerClass(name)?.className ?? name;
}

/**
 * The packages a worker class needs under a Gunicorn release: [] for classes that need none (sync, gthread, asgi),
 * undefined for a class we know nothing about (a project's own worker: nothing can be said).
 */
export function workerNeeds(value: string, version: Version): WorkerNeed[] | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  const resolved = className(trimmed);
  const own = /^gunicorn\.workers\.(\w+)\.\w+$/.exec(resolved);
  if (own) {
    const release = releaseFor(version);
    const module = release?.workers[own[1]!];
    if (!module) {
      // A Gunicorn module that imports nothing optional (sync, gthread, asgi), or one this release no longer has
      // (the catalogue's version checks report that, not a missing package).
      const info = gunicornCatalog().workerClass(resolved);
      if (info?.removed && isAtLeast(version, info.removed.since)) return undefined;
      return info?.requires ? [{ package: info.requires, providedBy: bringers(info.requires) }] : [];
    }
    const extras = Object.entries(release!.extras)
      .filter(([, packages]) => packages.includes(module.package))
      .map(([extra]) => ({ name: 'gunicorn', extra }));
    return [
      {
        package: module.package,
        ...(module.min ? { min: { version: module.min, enforced: module.enforced === true } } : {}),
        providedBy: [...extras, ...bringers(module.package)],
      },
    ];
  }
  const known = thirdPartyData.workers.find(
    (w) => w.classes.includes(trimmed) || w.classes.includes(resolved),
  );
  if (!known) return undefined;
  const main: WorkerNeed = { package: known.package, providedBy: bringers(known.package) };
  if (known.deprecated) {
    const replacementClass = known.deprecated.replacementClasses?.[trimmed];
    main.deprecated = {
      since: known.deprecated.since,
      replacement: known.deprecated.replacement,
      ...(replacementClass ? { replacementClass } : {}),
      source: known.deprecated.source,
    };
  }
  return [main, ...(known.also ?? []).map((name) => ({ package: name, providedBy: bringers(name) }))];
}

/** One hover line: the packages a worker class needs under a release, and the Gunicorn extra that installs each. */
export function workerPackageLine(value: string, version: Version): string | undefined {
  const needs = workerNeeds(value, version);
  if (!needs?.length) return undefined;
  const parts = needs.map((need) => {
    const extra = need.providedBy.find((p) => p.name === 'gunicorn' && p.extra);
    const min = need.min?.enforced ? ` ${need.min.version} or newer` : '';
    return `\`${need.package}\`${min}${extra ? ` (or \`gunicorn[${extra.extra}]\`)` : ''}`;
  });
  return `Needs the package${parts.length > 1 ? 's' : ''} ${parts.join(' and ')}: Gunicorn stops at start-up without ${parts.length > 1 ? 'them' : 'it'}.`;
}

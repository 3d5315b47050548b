// The one API over the Gunicorn catalogue: lookups by name, flag and version. Features never read raw JSON.

import { closestMatches } from '../../core/editDistance';
import { BoundedMemo } from '../../core/memo';
import { compareVersions, isAtLeast, parseVersion, type Version } from '../../core/version';
import type { CatalogData, LogAtomInfo, SettingInfo, WorkerClassInfo } from './catalogTypes';

export type Availability = 'available' | 'not-yet' | 'removed' | 'unreleased';

export class GunicornCatalog {
  readonly settings: ReadonlyMap<string, SettingInfo>;
  readonly workerClasses: readonly WorkerClassInfo[];
  readonly accessLogAtoms: readonly LogAtomInfo[];
  /** Released versions, oldest first. */
  readonly versions: readonly string[];
  private readonly byFlag = new Map<string, SettingInfo>();

  constructor(
    readonly data: CatalogData,
    versions: readonly string[] = gunicornVersions(),
  ) {
    this.settings = new Map(data.settings.map((s) => [s.name, s]));
    this.workerClasses = data.workerClasses;
    this.accessLogAtoms = data.accessLogAtoms;
    this.versions = versions;
    for (const setting of data.settings) {
      for (const flag of setting.cli) if (!setting.removed) this.byFlag.set(flag, setting);
    }
  }

  get latest(): Version {
    return parseVersion(this.versions[this.versions.length - 1]) ?? [0, 0, 0];
  }

  get(name: string): SettingInfo | undefined {
    return this.settings.get(name);
  }

  /** The setting behind a command-line flag such as `-w` or `--workers`. */
  byCliFlag(flag: string): SettingInfo | undefined {
    return this.byFlag.get(flag);
  }

  availability(setting: SettingInfo, version: Version): Availability {
    if (setting.unreleased) return 'unreleased';
    if (!isAtLeast(version, setting.since)) return 'not-yet';
    if (setting.removed && isAtLeast(version, setting.removed.since)) return 'removed';
    return 'available';
  }

  private readonly availableCache = new Map<string, SettingInfo[]>();

  /** Settings and hooks that exist in `version` (computed once per version: rules ask for every binding). */
  availableIn(version: Version): SettingInfo[] {
    const key = version.join('.');
    let list = this.availableCache.get(key);
    if (!list) {
      list = this.data.settings.filter((s) => this.availability(s, version) === 'available');
      this.availableCache.set(key, list);
    }
    return list;
  }

  /** The validator that judges a setting's value in `version`. */
  validatorFor(setting: SettingInfo, version: Version): string {
    let current = setting.validator;
    for (const step of setting.validators) {
      const since = parseVersion(step.since);
      if (!since || compareVersions(version, since) >= 0) current = step.name;
    }
    return current;
  }

  isDeprecatedIn(setting: SettingInfo, version: Version): boolean {
    return !!setting.deprecated && isAtLeast(version, setting.deprecated.since);
  }

  workerClass(name: string): WorkerClassInfo | undefined {
    return this.workerClasses.find((w) => w.name === name || w.className === name);
  }

  /** The access-log atom for the text inside `%(…)s`: `h`, or a braced form like `{user-agent}i` → `{header}i`. */
  logAtom(atom: string): LogAtomInfo | undefined {
    const braced = /^\{[^}]+\}([ieo])$/.exec(atom);
    const key = braced ? `{${braced[1] === 'e' ? 'variable' : 'header'}}${braced[1]}` : atom;
    return this.accessLogAtoms.find((a) => a.atom === key);
  }

  private readonly suggestions = new BoundedMemo<string[]>();

  /** Up to `limit` setting names close to `word`, among those available in `version` (memoised: typos repeat). */
  suggest(word: string, version: Version, limit = 3): string[] {
    return this.suggestions.get(`${version.join('.')} ${limit} ${word}`, () =>
      closestMatches(
        word,
        this.availableIn(version).map((s) => s.name),
        limit,
      ),
    );
  }
}

let shared: GunicornCatalog | undefined;
let versions: readonly string[] | undefined;

/**
 * Released Gunicorn versions, oldest first. A file of its own, read without the catalogue: every document's target
 * version is resolved from it (an nginx file's first diagnostics must not wait for Gunicorn's settings to load).
 */
export function gunicornVersions(): readonly string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  versions ??= require('../../../data/gunicorn/versions.json') as string[];
  return versions;
}

let releases: readonly Version[] | undefined;

/** Every release the catalogue knows, as versions, oldest first: those a project without a pin may run. */
export function releasedVersions(): readonly Version[] {
  releases ??= gunicornVersions()
    .map((text) => parseVersion(text))
    .filter((v): v is Version => v !== undefined);
  return releases;
}

/** The newest release the catalogue knows. */
export function latestGunicornVersion(): Version {
  const all = gunicornVersions();
  return parseVersion(all[all.length - 1]) ?? [0, 0, 0];
}

/** The bundled catalogue, loaded once. */
export function gunicornCatalog(): GunicornCatalog {
  // Required on first use, not imported: a server that never sees this language never builds these objects (the
  // bundler keeps a required JSON module unevaluated until then), which keeps one open config's memory small.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  shared ??= new GunicornCatalog(require('../../../data/gunicorn/catalog.json') as CatalogData);
  return shared;
}

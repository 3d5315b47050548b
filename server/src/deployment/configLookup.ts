// Which workspace file a launch loads as its Gunicorn config: the path it names (`-c FILE`, or the default
// ./gunicorn.conf.py in its working directory) mapped onto the workspace, where the server's paths are not the
// workspace's: the same path, else the file sharing the longest tail with it, nearest the launch.

import { FolderIndex } from '../core/folderIndex';
import type { WorkspaceSource } from './types';
import { dirname, forwardSlashes as norm } from '../core/paths';

interface ConfigCandidates {
  byPath: Map<string, WorkspaceSource[]>;
  /**
   * By their last segments ("gunicorn.conf.py", "app/gunicorn.conf.py"…), in source order: the candidates sharing the
   * longest tail with a path are one lookup per segment, not a comparison with every file of the same name.
   */
  byTail: Map<string, WorkspaceSource[]>;
  /** nearestIndex of the usable candidates per tail (and -c or not), made on first lookup. */
  nearest: Map<string, NearestCandidates | undefined>;
}

/** A candidate with its place in source order (ties go to the first). */
interface Ordered {
  candidate: WorkspaceSource;
  order: number;
}

/**
 * Candidates by the leading segments of their paths, Gunicorn configs and other files apart: the closest to a launch
 * is then a walk down the launch's own path.
 */
interface NearestCandidates {
  gunicorn: FolderIndex<Ordered>;
  other: FolderIndex<Ordered>;
}

const segmentsOf = (path: string): string[] => norm(path).split('/');

function nearestIndex(candidates: readonly WorkspaceSource[]): NearestCandidates {
  const ordered = candidates.map((candidate, order) => ({ candidate, order }));
  const index = (list: Ordered[]): FolderIndex<Ordered> =>
    new FolderIndex(list, ({ candidate }) => segmentsOf(candidate.path));
  return {
    gunicorn: index(ordered.filter(({ candidate }) => candidate.kind === 'gunicorn')),
    other: index(ordered.filter(({ candidate }) => candidate.kind !== 'gunicorn')),
  };
}

/**
 * The candidate sharing the most leading segments with the launch's path, where a Gunicorn config counts one segment
 * more; on a tie, the first in source order.
 */
function closestTo(index: NearestCandidates, from: readonly string[]): WorkspaceSource | undefined {
  const deepest = (kind: FolderIndex<Ordered>): { n: number; order: number; candidate?: WorkspaceSource } => {
    const { items, shared } = kind.nearestShared(from);
    return items[0] ? { n: shared, ...items[0] } : { n: -Infinity, order: Infinity };
  };
  const config = deepest(index.gunicorn);
  const other = deepest(index.other);
  const configScore = config.n + 1;
  if (configScore > other.n) return config.candidate;
  if (other.n > configScore) return other.candidate;
  return config.order < other.order ? config.candidate : other.candidate;
}

/** The keys a path is found by when looked up by its last segments: "name", "dir/name", "parent/dir/name"… */
function tailKeys(path: string): string[] {
  const segments = norm(path).split('/').filter(Boolean);
  const keys: string[] = [];
  for (let k = 1; k <= segments.length; k++) keys.push(segments.slice(-k).join('/'));
  return keys;
}

/** Whether a source can be a launch's config file: any file but an nginx file, unit, Python module or dependency file. */
export function isConfigCandidate(source: WorkspaceSource): boolean {
  return (
    source.kind !== 'nginx' &&
    source.kind !== 'systemd' &&
    source.kind !== 'python' &&
    source.kind !== 'dependencies'
  );
}

/** Config lookups over one build's sources (the indexes are made on first use, once per build). */
export class ConfigLookup {
  private candidates: ConfigCandidates | undefined;

  constructor(
    private readonly sources: readonly WorkspaceSource[],
    /** The workspace's folders, when the listing is known. */
    private readonly dirs: ReadonlySet<string> | undefined,
  ) {}

  /**
   * The workspace file a server path names: the same path, else the longest shared tail (closest to the launch).
   * `known`: the path is where Gunicorn really looks (not resolved against a folder we only guessed).
   */
  find(serverPath: string, from: string, named: boolean, known: boolean): WorkspaceSource | undefined {
    const candidates = this.configCandidates();
    // Without -c, only a file named gunicorn.conf.py is the default config.
    const usable = (candidate: WorkspaceSource): boolean => named || candidate.kind === 'gunicorn';
    const exact = candidates.byPath.get(serverPath)?.find(usable);
    if (exact) return exact;
    // A folder the workspace has (a Procfile's or compose file's own folder as the working directory): Gunicorn looks
    // there and nowhere else, so a file of that name elsewhere in the workspace is not its config.
    // Not the file system root, which is above every workspace folder (an image's `/` is its own).
    const folder = dirname(serverPath);
    if (known && folder !== '/' && this.dirs?.has(folder)) return undefined;
    // The longest shared tail first: the files sharing it are the only ones that can win.
    const keys = tailKeys(serverPath);
    let bestTail = 0;
    let sharing: NearestCandidates | undefined;
    for (let k = keys.length; k >= 1; k--) {
      sharing = this.nearestCandidates(keys[k - 1]!, named);
      if (sharing) {
        bestTail = k;
        break;
      }
    }
    // Of those, the one closest to the launch (the longest shared start), a Gunicorn config before other files.
    const best = sharing && closestTo(sharing, segmentsOf(from));
    // Only the file name in common says little: take it only from the launch's own folder tree (its folder, one below
    // it, or one above it, as with deploy/shop.service beside a root gunicorn.conf.py), never from another project's.
    if (best && bestTail === 1) {
      const launchDir = dirname(norm(from));
      const configDir = dirname(norm(best.path));
      const related = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b === '/';
      if (!related(configDir, launchDir) && !related(launchDir, configDir)) return undefined;
    }
    return best;
  }

  /** The usable candidates sharing a tail, indexed by the folders they start with; undefined when there are none. */
  private nearestCandidates(tail: string, named: boolean): NearestCandidates | undefined {
    const candidates = this.configCandidates();
    const key = `${named ? 'named' : 'default'}\u0000${tail}`;
    if (candidates.nearest.has(key)) return candidates.nearest.get(key);
    const listed = candidates.byTail.get(tail) ?? [];
    // Without -c, only a file named gunicorn.conf.py is the default config.
    const usable = named ? listed : listed.filter((candidate) => candidate.kind === 'gunicorn');
    const nearest = usable.length ? nearestIndex(usable) : undefined;
    candidates.nearest.set(key, nearest);
    return nearest;
  }

  /**
   * The sources a launch's config can be (no nginx, unit, Python module or dependency file), by path and by file
   * name, in source order: each launch looks its config up here instead of scanning every source.
   */
  private configCandidates(): ConfigCandidates {
    if (this.candidates) return this.candidates;
    const byPath = new Map<string, WorkspaceSource[]>();
    const byTail = new Map<string, WorkspaceSource[]>();
    const add = (map: Map<string, WorkspaceSource[]>, key: string, candidate: WorkspaceSource): void => {
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(candidate);
    };
    for (const candidate of this.sources) {
      if (!isConfigCandidate(candidate)) continue;
      add(byPath, norm(candidate.path), candidate);
      for (const key of tailKeys(candidate.path)) add(byTail, key, candidate);
    }
    return (this.candidates = { byPath, byTail, nearest: new Map() });
  }
}

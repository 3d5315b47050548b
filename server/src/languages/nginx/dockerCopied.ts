// nginx files by where a Dockerfile puts them: a file copied into nginx's configuration folder of the image is nginx's
// whatever its name (`proxy/default.conf.tpl` copied to `/etc/nginx/default.conf.tpl` and filled in by envsubst,
// `deploy/app` copied to `/etc/nginx/conf.d/app.conf`), which its path alone does not tell.

import { globToRegExp } from '../../core/glob';
import { dirname, forwardSlashes, joinPath } from '../../core/paths';
import { untemplatedPath } from '../../core/templates';
import { dockerCopies } from '../commands/dockerCopies';
import { commandSourceKindByName } from '../commands/paths';
import { isNginxPath } from './paths';

/** nginx's configuration folder in the images that run it (Debian/Alpine and the official image, OpenResty, Bitnami). */
const NGINX_CONF_DIR =
  /^\/(?:etc\/nginx|usr\/local\/openresty\/nginx\/conf|usr\/local\/nginx\/conf|opt\/bitnami\/nginx\/conf)\//;

/**
 * Only configuration lands as nginx's: a `.conf` file (once a template suffix is off), or a site in `sites-*`.
 * nginx's folder also holds what is not its syntax: `.htpasswd`, certificates and keys, `mime.types` copies.
 */
function isConfiguration(landing: string, source: string): boolean {
  return (
    /\.conf$/i.test(untemplatedPath(landing)) ||
    /\.conf$/i.test(untemplatedPath(source)) ||
    /\/sites-(?:available|enabled)\/[^/.][^/]*$/.test(landing)
  );
}

/** Dockerfiles read at most: the copies of a repository's images, not of every vendored example. */
const MAX_DOCKERFILES = 40;
/** Files taken at most: a folder copied whole into nginx's may be big. */
const MAX_FILES = 100;

/** A path as the comparisons here write it: forward slashes, absolute (`C:/x` becomes `/C:/x`), no `.` or `..`. */
function keyOf(path: string): string {
  return joinPath('/', forwardSlashes(path));
}

/**
 * The workspace's files that the `dockerfiles` copy into nginx's configuration folder, as `allPaths` writes them. A
 * source is resolved against its Dockerfile's folder (the usual build context); a source found nowhere there is left
 * out rather than guessed.
 */
export function nginxFilesCopiedByDockerfiles(
  dockerfiles: readonly string[],
  allPaths: readonly string[],
  read: (path: string) => string | undefined,
): string[] {
  const found = new Set<string>();
  for (const dockerfile of dockerfiles.slice(0, MAX_DOCKERFILES)) {
    const text = read(dockerfile);
    if (text === undefined) continue;
    const context = dirname(keyOf(dockerfile));
    for (const copy of dockerCopies(text).copies) {
      if (!NGINX_CONF_DIR.test(copy.target)) continue;
      // Only now the listing by key: most Dockerfiles copy nothing into nginx's folder.
      const byKey = listingByKey(allPaths);
      for (const source of copy.sources) {
        for (const [file, landing] of landings(byKey, context, source, copy.target)) {
          if (found.size < MAX_FILES && isConfiguration(landing, file)) found.add(byKey.get(file)!);
        }
      }
    }
  }
  return [...found];
}

/**
 * Where a folder's include index starts: the nginx files by their path, and those its Dockerfiles copy into nginx's
 * folder (the CLI's check and explain, which read the whole folder).
 */
export function nginxSeeds(all: readonly string[], read: (path: string) => string | undefined): string[] {
  const byPath = all.filter(isNginxPath);
  const copied = nginxFilesCopiedByDockerfiles(dockerfilesIn(all), all, read);
  return [...new Set([...byPath, ...copied])];
}

/** The Dockerfiles of a listing, by name (`Dockerfile`, `Dockerfile.prod`, `web.dockerfile`, `Containerfile`). */
export function dockerfilesIn(paths: readonly string[]): string[] {
  return paths.filter((path) => commandSourceKindByName(path) === 'dockerfile');
}

/**
 * The listing by key, made again only when the listing changed: the server builds the model after every edit, with
 * the same listing of up to tens of thousands of paths (which the workspace index only ever appends to).
 */
let lastListing: { paths: readonly string[]; length: number; byKey: Map<string, string> } | undefined;

function listingByKey(paths: readonly string[]): ReadonlyMap<string, string> {
  if (lastListing?.paths !== paths || lastListing.length !== paths.length) {
    lastListing = { paths, length: paths.length, byKey: new Map(paths.map((path) => [keyOf(path), path])) };
  }
  return lastListing.byKey;
}

/** The files one COPY source names (a file, a folder's files, or a glob's matches) with where each lands. */
function landings(
  byKey: ReadonlyMap<string, string>,
  context: string,
  source: string,
  target: string,
): [file: string, landing: string][] {
  if (/^[a-z]+:\/\//i.test(source)) return [];
  const into = (name: string): string => (target.endsWith('/') ? `${target}${name}` : target);
  const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
  if (/[*?[]/.test(source)) {
    const pattern = globToRegExp(joinPath(context, source));
    return [...byKey.keys()].filter((key) => pattern.test(key)).map((key) => [key, into(base(key))]);
  }
  const path = joinPath(context, source);
  if (byKey.has(path)) return [[path, into(base(path))]];
  // A folder: its files land under the target, at their places inside it.
  const prefix = `${path}/`;
  const folder = target.endsWith('/') ? target : `${target}/`;
  return [...byKey.keys()]
    .filter((key) => key.startsWith(prefix))
    .map((key) => [key, `${folder}${key.slice(prefix.length)}`]);
}

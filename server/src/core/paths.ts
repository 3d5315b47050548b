// Server paths as the analysis writes them (absolute, forward slashes): a path's folder, and joining a path onto a
// folder the way a shell, Docker or Python resolves it, without touching any file system.

/**
 * A path with forward slashes (Windows separators turned): the same string when it has none, so the loops over every
 * path of a big workspace that a model build runs allocate nothing for it.
 */
export function forwardSlashes(path: string): string {
  return path.includes('\\') ? path.replace(/\\/g, '/') : path;
}

/** The folder of a path (`/` for a file at the root, or a name without one), with forward slashes. */
export function dirname(path: string): string {
  const p = forwardSlashes(path);
  const index = p.lastIndexOf('/');
  return index <= 0 ? '/' : p.slice(0, index);
}

/** Joins `path` onto the absolute folder `dir` (an absolute `path` stands alone) and drops `.` and `..` segments. */
export function joinPath(dir: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${dir.replace(/\/$/, '')}/${path}`;
  const parts: string[] = [];
  for (const part of joined.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The same, keeping a trailing slash (`COPY . /srv/` names a folder): `.`, `./` and `x/` stay folders. */
export function joinDirPath(dir: string, path: string): string {
  const result = joinPath(dir, path);
  return (path.endsWith('/') || path === '.') && result !== '/' ? `${result}/` : result;
}

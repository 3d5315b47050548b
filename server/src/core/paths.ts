// Server paths as the analysis writes them (absolute, forward slashes): joining a path onto a folder the way a
// shell, Docker or Python resolves it, without touching any file system.

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

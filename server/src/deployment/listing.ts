// The workspace listing as the app resolution reads it: every file path, as sets of files and folders.

import type { AppWorkspace } from './appTarget';

const norm = (path: string): string => path.replace(/\\/g, '/');

function dirname(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

/** What the model may know of the workspace beyond the sources: every file path, to find the app's modules. */
export interface WorkspaceListing {
  paths: readonly string[];
}

/**
 * The listing as sets of files and folders, kept while the host passes the same array with the same length (the
 * workspace index appends created files to its array and replaces it when files go).
 */
let listingCache:
  { paths: readonly string[]; length: number; files: Set<string>; dirs: Set<string> } | undefined;

export function listingSets(listing: WorkspaceListing | undefined): Pick<AppWorkspace, 'files' | 'dirs'> {
  if (!listing) return {};
  if (listingCache?.paths !== listing.paths || listingCache.length !== listing.paths.length) {
    const files = new Set<string>();
    const dirs = new Set<string>();
    for (const raw of listing.paths) {
      const path = norm(raw);
      files.add(path);
      for (let dir = dirname(path); !dirs.has(dir); dir = dirname(dir)) {
        dirs.add(dir);
        if (dir === '/') break;
      }
    }
    listingCache = { paths: listing.paths, length: listing.paths.length, files, dirs };
  }
  return { files: listingCache.files, dirs: listingCache.dirs };
}

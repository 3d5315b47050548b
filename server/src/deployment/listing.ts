// The workspace listing as the app resolution reads it: every file path, as sets of files and folders.

import { perListing } from '../core/memo';
import type { AppWorkspace } from './appTarget';
import { forwardSlashes as norm } from '../core/paths';

function dirname(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

/** What the model may know of the workspace beyond the sources: every file path, to find the app's modules. */
export interface WorkspaceListing {
  paths: readonly string[];
}

/** The listing as sets of files and folders. */
const setsOf = perListing((paths): Required<Pick<AppWorkspace, 'files' | 'dirs'>> => {
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const raw of paths) {
    const path = norm(raw);
    files.add(path);
    for (let dir = dirname(path); !dirs.has(dir); dir = dirname(dir)) {
      dirs.add(dir);
      if (dir === '/') break;
    }
  }
  return { files, dirs };
});

export function listingSets(listing: WorkspaceListing | undefined): Pick<AppWorkspace, 'files' | 'dirs'> {
  return listing ? setsOf(listing.paths) : {};
}

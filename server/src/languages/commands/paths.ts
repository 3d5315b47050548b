// Which files are command sources by their name: Dockerfiles, Procfiles, compose files, shell scripts.

import { untemplatedPath } from '../../core/templates';
import type { CommandSourceKind } from './parse';

/** The command-source kind a file name says, whatever its directory; undefined for other names. */
export function commandSourceKindByName(path: string): CommandSourceKind | undefined {
  const name = (untemplatedPath(path).split(/[\\/]/).pop() ?? '').toLowerCase();
  if (/^(?:dockerfile|containerfile)(?:\..+)?$|\.(?:dockerfile|containerfile)$/.test(name)) {
    return 'dockerfile';
  }
  if (/^procfile(?:\..+)?$/.test(name)) return 'procfile';
  if (/^(?:docker-)?compose(?:[-.][\w.-]*)?\.ya?ml$/.test(name)) return 'compose';
  if (/\.(?:sh|bash)$/.test(name)) return 'shell';
  return undefined;
}

// Every Gunicorn launch of a workspace file, as its language reads it: unit files (systemd) and command sources
// (Dockerfiles, Procfiles, compose files, scripts). The model assembles deployments from these.

import type { Version } from '../core/version';
import type { LaunchDetails } from '../languages/gunicorn/launch';
import type { ParsedSource } from '../languages/gunicorn/launchSites';
import { LineIndex } from '../core/text';
import { readCommandSource } from '../languages/commands/sources';
import { readUnitLaunches } from '../languages/systemd/launchSites';
import type { WorkspaceSource } from './types';

export type { LaunchDetails } from '../languages/gunicorn/launch';

/** The launches of a workspace file with their parses, by its kind (nothing for other kinds); never throws. */
export function readLaunches(source: WorkspaceSource, version: Version): ParsedSource {
  try {
    switch (source.kind) {
      case 'systemd':
        return readUnitLaunches(source, version);
      case 'dockerfile':
      case 'procfile':
      case 'compose':
      case 'shell':
      case 'manifest':
        return readCommandSource(source, version);
      default:
        break;
    }
  } catch {
    // Each reader guards itself; this is the last net.
  }
  return {
    lines: new LineIndex(source.text),
    cmdArgsDefinitions: [],
    records: [],
    regions: [],
    comments: [],
  };
}

/** Every Gunicorn launch in a workspace file of a launch kind; [] for other kinds. Never throws. */
export function launchesIn(source: WorkspaceSource, version: Version): LaunchDetails[] {
  return readLaunches(source, version).records.map((record) => record.launch);
}

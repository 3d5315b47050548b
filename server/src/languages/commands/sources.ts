// Reads a command source (Dockerfile, Procfile, compose file, shell script, manifest) into its launches, regions and comments.

import type { Version } from '../../core/version';
import { readLaunchSource, type ParsedSource, type SiteSource } from '../gunicorn/launchSites';
import { composeSites } from './compose';
import { dockerfileSites } from './dockerfile';
import type * as Manifests from './manifests';
import { procfileSites } from './procfile';
import { shellFileSites } from './shell';

/** Launches with their parses, command regions and comments of a command source; never throws. */
export function readCommandSource(source: SiteSource, version: Version): ParsedSource {
  return readLaunchSource(source, version, (parsed) => {
    switch (source.kind) {
      case 'dockerfile':
        return dockerfileSites(source.text, version, parsed);
      case 'procfile':
        return procfileSites(source.text, version, parsed);
      case 'shell':
        return shellFileSites(source.text, version, parsed);
      case 'compose':
        return composeSites(source.text, version, parsed);
      case 'manifest':
        return manifestReaders().manifestSites(source.path, source.text, version, parsed);
      default:
        return [];
    }
  });
}

/**
 * The manifest readers, loaded with the first manifest read: they bring the yaml and TOML libraries, which most
 * sessions never need (esbuild bundles a required module so that it runs on first use; see composeYaml.ts).
 */
export function manifestReaders(): typeof Manifests {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./manifests') as typeof Manifests;
}

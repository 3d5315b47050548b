// Platform manifests: which files they are (render.yaml, an App Engine app.yaml, fly.toml, a Heroku/Dokku
// app.json, by name and content) and their container launches, read by the module of each format.

import { untemplatedPath } from '../../core/templates';
import { looksLikeAppEngineYaml, parseAppEngineYaml } from './appEngineYaml';
import { looksLikeAppJson, parseAppJson } from './appJson';
import type { ContainerLaunch } from './containerFacts';
import { parseFlyToml } from './flyToml';
import { parseRenderYaml } from './renderYaml';

export type PlatformManifestKind = 'render' | 'app-engine' | 'fly' | 'app-json';

export interface PlatformManifest {
  kind: PlatformManifestKind;
  launches: ContainerLaunch[];
}

function baseName(path: string): string {
  const normalized = untemplatedPath(path).replace(/\\/g, '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1).toLowerCase();
}

/**
 * The platform manifest a file is, from its name and (for the names other tools share: app.yaml, app.json) its
 * content; undefined for anything else. Fly's per-environment files (`fly.staging.toml`) count too.
 */
export function platformManifestKind(path: string, text: string): PlatformManifestKind | undefined {
  const name = baseName(path);
  if (name === 'render.yaml' || name === 'render.yml') {
    return /^\uFEFF?services[ \t]*:/m.test(text) ? 'render' : undefined;
  }
  if (/^fly(?:\.[\w-]+)?\.toml$/.test(name)) return 'fly';
  if (name === 'app.json') return looksLikeAppJson(text) ? 'app-json' : undefined;
  // App Engine deploys any YAML file named on `gcloud app deploy` (app.yaml by default, service-x.yaml too).
  if (/\.ya?ml$/.test(name) && looksLikeAppEngineYaml(text, name)) return 'app-engine';
  return undefined;
}

/** The manifest's launches, or undefined when the file is no platform manifest. Never throws. */
export function parsePlatformManifest(path: string, text: string): PlatformManifest | undefined {
  const kind = platformManifestKind(path, text);
  if (!kind) return undefined;
  try {
    const launches =
      kind === 'render'
        ? parseRenderYaml(text)
        : kind === 'fly'
          ? parseFlyToml(text)
          : kind === 'app-json'
            ? parseAppJson(text)
            : parseAppEngineYaml(text, baseName(path));
    return { kind, launches };
  } catch {
    return { kind, launches: [] };
  }
}

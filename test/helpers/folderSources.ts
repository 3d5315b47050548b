// A folder's deployment files as the model reads them (every file with a kind, in name order), for tests that build a
// model from a fixture or a project written to disk.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';

/** Every file under `dir`, in name order at each level. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** The files under `dir` that have a deployment kind, with their texts. */
export function folderSources(dir: string): WorkspaceSource[] {
  return sourcesOf(filesUnder(dir));
}

/** The files of `paths` that have a deployment kind, with their texts. */
export function sourcesOf(paths: readonly string[]): WorkspaceSource[] {
  return paths.flatMap((path) => {
    const kind = sourceKindOf(path);
    return kind ? [{ uri: pathToFileURL(path).href, path, kind, text: readFileSync(path, 'utf8') }] : [];
  });
}

/** The deployment fixture folders (in name order) and the example deployment, each with its files as the model reads them. */
export function fixtureWorkspaces(): { name: string; sources: WorkspaceSource[] }[] {
  const root = resolve(__dirname, '../../..');
  const fixtures = join(root, 'test/fixtures/deployments');
  return [
    ...readdirSync(fixtures)
      .sort()
      .map((name) => ({ name, sources: folderSources(join(fixtures, name)) })),
    { name: 'examples/deployment', sources: folderSources(join(root, 'examples/deployment')) },
  ];
}

// The deployment model of a folder `check` reads, reduced to what its per-file checks need from it.

import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, SeverityOverride } from './core/findings';
import type { ResolvedVersion } from './core/settings';
import type { ParseShare } from './core/sharedParses';
import { unreadAppModules } from './deployment/appTarget';
import { forgetKeptSteps } from './deployment/keptSteps';
import {
  buildDeploymentModel,
  MAX_MODELLED_SOURCES,
  type DeploymentModel,
  type DeploymentOptions,
} from './deployment/model';
import { gunicornFactsForNginx, unmatchedConfigCandidates } from './deployment/present';
import type { SourceKind, WorkspaceSource } from './deployment/types';
import { dependencyFileKind } from './languages/packages/index';
import { sourceKindOf } from './languages/sourceKinds';
import { readTextFile } from './workspaceFiles';

/** Dependency files read for the deployment model at most, found by name or included (the server's index has the same kind of bound). */
const MAX_DEPENDENCY_FILES = 500;

export interface FolderModelInput {
  /** The folder as the user named it (for the message about files left out). */
  target: string;
  /** Every file listed under the folder. */
  all: readonly string[];
  /** The files `check` checks, with their texts; Gunicorn configs the model finds by `-c` are added to it. */
  texts: Map<string, string>;
  /** Files the nginx include index reached: nginx whatever their name. */
  nginxPaths: ReadonlySet<string>;
  version: ResolvedVersion;
  severity: Readonly<Record<string, SeverityOverride>>;
  /** The run's parses: the model's are kept for the per-file checks. */
  parses: ParseShare;
}

/** What the per-file checks take from the model: the model itself is let go before they run. */
export interface FolderModel {
  /** Cross-file findings by file uri. */
  findings: ReadonlyMap<string, Finding[]>;
  /** What nginx files learn from the deployments (Gunicorn's addresses and worker class). */
  gunicornFacts: ReturnType<typeof gunicornFactsForNginx>;
  /** Files a launch names with -c: Gunicorn configs whatever their name (added to `texts`). */
  forcedGunicorn: ReadonlySet<string>;
}

/** What `buildUntilRead` builds from. */
export interface FolderSources {
  /** Every file listed under the folder. */
  all: readonly string[];
  /** The folder's deployment files by kind; Gunicorn configs launches name by `-c` are added as they are found. */
  kinds: Map<string, SourceKind>;
  /** A file's text (files of `kinds`, and the configs found by `-c`); undefined when it cannot be read. */
  textOf(path: string): string | undefined;
  options: DeploymentOptions;
  /** Runs each build (a ParseShare's `keep`, so builds share their parses); by default as it is. */
  around?: (build: () => DeploymentModel) => DeploymentModel;
}

/**
 * Builds the folder as one deployment, again each time the model names files it does not hold yet: Gunicorn configs
 * launches name under other names (`-c`), the app modules launches load, the files dependency files include. The
 * dependency files found by name are read for the model only, bounded like the server's index. Returns the last
 * model and the configs found by `-c`.
 */
export function buildUntilRead(input: FolderSources): {
  model: DeploymentModel;
  forcedGunicorn: Set<string>;
} {
  const { all, kinds, textOf } = input;
  const forcedGunicorn = new Set<string>();
  const uris = new Map<string, string>();
  const uriOf = (path: string): string => {
    let uri = uris.get(path);
    if (uri === undefined) uris.set(path, (uri = pathToFileURL(path).href));
    return uri;
  };
  // App modules the launches name, and dependency files: read for the model only (no files `check` checks).
  const appModules: WorkspaceSource[] = [];
  const dependencySources: WorkspaceSource[] = [];
  for (const file of all) {
    if (dependencySources.length >= MAX_DEPENDENCY_FILES) break;
    if (!dependencyFileKind(file) || kinds.has(file)) continue;
    const text = readTextFile(file, 1_000_000);
    if (text !== undefined) {
      dependencySources.push({ uri: uriOf(file), path: file, kind: 'dependencies', text });
    }
  }
  const sourcesOf = (): WorkspaceSource[] => [
    ...[...kinds].flatMap(([path, kind]) => {
      const text = textOf(path);
      return text === undefined ? [] : [{ uri: uriOf(path), path, kind, text }];
    }),
    ...appModules,
    ...dependencySources,
  ];
  const listing = { paths: all };
  const build = (): DeploymentModel => {
    const once = (): DeploymentModel => buildDeploymentModel(sourcesOf(), input.options, listing);
    return input.around ? input.around(once) : once();
  };
  let model = build();
  const configs = unmatchedConfigCandidates(model, all, kinds).filter((file) => textOf(file) !== undefined);
  for (const file of configs) {
    kinds.set(file, 'gunicorn');
    forcedGunicorn.add(file);
  }
  if (configs.length) model = build();
  for (const file of unreadAppModules(model.appTargets())) {
    const text = readTextFile(file);
    if (text !== undefined) appModules.push({ uri: uriOf(file), path: file, kind: 'python', text });
  }
  if (appModules.length) model = build();
  const included = model.unreadDependencyFiles().slice(0, MAX_DEPENDENCY_FILES);
  for (const file of included) {
    const text = readTextFile(file, 1_000_000);
    if (text !== undefined) {
      dependencySources.push({ uri: uriOf(file), path: file, kind: 'dependencies', text });
    }
  }
  if (included.length) model = build();
  return { model, forcedGunicorn };
}

/**
 * The folder's model for `check` (see `buildUntilRead`), saying on stderr which files are past its bound.
 */
export function folderModel(input: FolderModelInput): FolderModel {
  const { all, texts, nginxPaths, parses } = input;
  const kinds = new Map<string, SourceKind>();
  for (const file of texts.keys()) {
    const kind = nginxPaths.has(file) ? 'nginx' : sourceKindOf(file);
    if (kind) kinds.set(file, kind);
  }
  const { model, forcedGunicorn } = buildUntilRead({
    all,
    kinds,
    // A config a launch names by -c is read now, and checked with the other files.
    textOf: (path) => {
      let text = texts.get(path);
      if (text === undefined) {
        text = readTextFile(path);
        if (text !== undefined) texts.set(path, text);
      }
      return text;
    },
    options: {
      version: input.version.version,
      versionLabel: input.version.label,
      versionAssumed: input.version.assumed,
      severity: input.severity,
    },
    around: (build) => parses.keep(build),
  });
  if (model.leftOut.length) {
    // Never silent: the files past the model's bound get their own checks, but no cross-file ones.
    process.stderr.write(
      `gunicorn-config: the deployment model of ${input.target} holds ${MAX_MODELLED_SOURCES} files; ` +
        `${model.leftOut.length} more get no cross-file checks (e.g. ${model.leftOut
          .slice(0, 3)
          .map((file) => relative(process.cwd(), file))
          .join(', ')}). Check a smaller folder to model them.\n`,
    );
  }
  const result = { findings: model.findings, gunicornFacts: gunicornFactsForNginx(model), forcedGunicorn };
  // The model is let go before the per-file checks, and so are the steps kept for a next build (a server rebuilds
  // after edits; `check` builds once per folder): kept, they held the model's units, launches and nginx files through
  // the whole check (10,000 files: about 24 MB more peak RSS).
  forgetKeptSteps();
  return result;
}

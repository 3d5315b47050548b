// `gunicorn-config explain [DIR]`: the effective configuration of every deployment of a folder, as markdown or JSON
// (the same data the editor's "Show Effective Configuration" page shows).

import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { buildUntilRead } from './cliFolderModel';
import { resolveTargetVersion } from './core/settings';
import { ParseShare } from './core/sharedParses';
import { untemplatedPath } from './core/templates';
import { explainDeployments } from './deployment/explain';
import { explainMarkdown } from './deployment/explainMarkdown';
import type { DeploymentModel } from './deployment/model';
import type { SourceKind } from './deployment/types';
import { gunicornVersions, latestGunicornVersion } from './languages/gunicorn/catalog';
import { detectGunicornVersion, isPinFilePath } from './languages/gunicorn/versionPin';
import { indexNginxWorkspace } from './languages/nginx/workspace';
import { commandSourceKindOf, isNginxPath } from './languages/registry';
import { isGunicornConfigName, sourceKindOf } from './languages/sourceKinds';
import { isDropIn } from './languages/systemd/catalog';
import { nginxSeeds } from './languages/nginx/dockerCopied';
import { listWorkspaceFiles, readTextFile } from './workspaceFiles';

export const EXPLAIN_USAGE = `Usage: gunicorn-config explain [DIR] [--format markdown|json] [--gunicorn-version X]

explain: prints, for every Gunicorn deployment found in DIR (default .), where it is started, its config file and app,
every setting that is set somewhere with its effective value, where that value comes from and what it overrides, the
container's stop and resource facts, and a Mermaid diagram of how the files connect. Nothing is run.
--format json prints the same data as one JSON object (documented in README, "The deployment at a glance").
Exit code: 0 printed, 2 usage or read failure.`;

interface ExplainArgs {
  dir: string;
  format: 'markdown' | 'json';
  version: string;
}

function parseExplainArgs(argv: readonly string[]): ExplainArgs | string {
  const args: ExplainArgs = { dir: '', format: 'markdown', version: 'auto' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq >= 0 ? arg.slice(eq + 1) : argv[++i]);
    if (flag === '--help' || flag === '-h') return EXPLAIN_USAGE;
    if (flag === '--format') {
      const v = value();
      if (v !== 'markdown' && v !== 'json') return '--format takes markdown or json';
      args.format = v;
    } else if (flag === '--gunicorn-version') {
      const v = value();
      if (!v) return '--gunicorn-version takes a version such as 23.0.0';
      args.version = v;
    } else if (arg.startsWith('-')) {
      return `unknown option '${arg}'\n\n${EXPLAIN_USAGE}`;
    } else if (args.dir) {
      return `explain takes one directory, got '${args.dir}' and '${arg}'`;
    } else {
      args.dir = arg;
    }
  }
  return args;
}

/** Ends a command whose arguments gave a message: the usage on stdout (exit 0), anything else on stderr (exit 2). */
export function usageExit(message: string, usage: string): number {
  const help = message === usage;
  (help ? process.stdout : process.stderr).write(`${message}\n`);
  return help ? 0 : 2;
}

/** The folder a command works on (default `.`), or undefined after saying on stderr that it is no readable folder. */
export function readableFolder(command: string, dir: string | undefined): string | undefined {
  const root = resolve(dir || '.');
  try {
    if (statSync(root).isDirectory()) return root;
  } catch {
    // Reported below, as a file is.
  }
  process.stderr.write(`gunicorn-config ${command}: ${dir || '.'} is not a readable directory\n`);
  return undefined;
}

/** Runs `explain`; returns the exit code. */
export function explainCommand(argv: readonly string[]): number {
  const args = parseExplainArgs(argv);
  if (typeof args === 'string') return usageExit(args, EXPLAIN_USAGE);
  const root = readableFolder('explain', args.dir);
  if (!root) return 2;
  const { model, versionLabel } = folderModel(root, args.version);
  const report = explainDeployments(model, { root, versionLabel });
  process.stdout.write(
    args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : explainMarkdown(report),
  );
  return 0;
}

/**
 * The deployment model of a folder, built the way `check` builds it: the files by kind, then again with the configs
 * launches name under unusual names, the app modules and the dependency files those name.
 */
export function folderModel(
  root: string,
  versionSetting: string,
): { model: DeploymentModel; versionLabel: string } {
  // The include index and every build of the model share one parse per file (as `check` does).
  return new ParseShare().keep(() => buildFolderModel(root, versionSetting));
}

function buildFolderModel(
  root: string,
  versionSetting: string,
): { model: DeploymentModel; versionLabel: string } {
  const all = listWorkspaceFiles([root], { maxDepth: 12 });
  const read = new Map<string, string | undefined>();
  const readOnce = (path: string): string | undefined => {
    if (!read.has(path)) read.set(path, readTextFile(path));
    return read.get(path);
  };
  const nginx = indexNginxWorkspace({ seeds: nginxSeeds(all, readOnce), allPaths: all, read: readOnce });
  const nginxPaths = new Set(nginx.paths);
  const kinds = new Map<string, SourceKind>();
  for (const file of new Set([...all, ...nginx.paths])) {
    const isUnit = /\.(service|socket|timer|path)$/.test(untemplatedPath(file)) || isDropIn(file);
    if (!(
      isGunicornConfigName(file) ||
      isUnit ||
      isNginxPath(file) ||
      commandSourceKindOf(file) ||
      nginxPaths.has(file)
    )) {
      continue;
    }
    const kind = nginxPaths.has(file) ? 'nginx' : sourceKindOf(file);
    if (kind) kinds.set(file, kind);
  }
  const pinFiles = all.filter(isPinFilePath);
  const pin = detectGunicornVersion(
    pinFiles.map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') })),
    gunicornVersions(),
  );
  const target = resolveTargetVersion(versionSetting, pin, latestGunicornVersion(), '--gunicorn-version');
  const { model } = buildUntilRead({
    all,
    kinds,
    textOf: readOnce,
    options: { version: target.version, versionLabel: target.label, versionAssumed: target.assumed },
  });
  return { model, versionLabel: target.label };
}

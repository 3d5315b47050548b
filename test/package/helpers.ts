// What the packaging tests share: the repository root, the bundles built when missing, npm without the variables of
// the `npm run` that started mocha, and the packed tarball installed into a throwaway prefix.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

/** The environment without `npm_*` variables, so an npm started by a test reads no settings of the outer `npm run`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** dist/ as `npm run build` leaves it (git-ignored); built once when a fresh checkout has none. */
export function ensureBundles(): void {
  const bundles = ['cli.js', 'server.js', 'worker.js', 'client.js'].map((name) => join(ROOT, 'dist', name));
  if (bundles.every((file) => existsSync(file))) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Installed {
  /** The throwaway folder holding the tarball and the prefix. */
  dir: string;
  tarball: string;
  /** `npm install -g --prefix` target: bins in bin/, the package in lib/node_modules/gunicorn-config. */
  prefix: string;
  bin(name: string): string;
}

let installed: Installed | undefined;

/**
 * `npm pack` of the repository (scripts skipped: the tests pack the bundles already built) into a temporary folder,
 * then `npm install -g --prefix` of that tarball offline: the package has no run-time dependencies to fetch.
 */
export function packAndInstall(): Installed {
  if (installed) return installed;
  ensureBundles();
  const dir = mkdtempSync(join(tmpdir(), 'gc-package-'));
  const env = cleanEnv({ npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false' });
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
    cwd: ROOT,
    env,
  });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  const prefix = join(dir, 'prefix');
  execFileSync(
    'npm',
    ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(dir, tarball)],
    { cwd: dir, env, stdio: 'pipe' },
  );
  installed = { dir, tarball: join(dir, tarball), prefix, bin: (name) => join(prefix, 'bin', name) };
  return installed;
}

/** Removes the throwaway folder of packAndInstall. */
export function removeInstalled(): void {
  if (installed) rmSync(installed.dir, { recursive: true, force: true });
  installed = undefined;
}

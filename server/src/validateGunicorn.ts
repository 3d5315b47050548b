// Runs the project's own Gunicorn with --check-config (and --print-config where the release has it) on one launch's
// config and app. This runs the user's code (the config file and the app's import): only ever on an explicit request
// (the CLI's `validate`, the editor's "Validate with Gunicorn" in a trusted workspace), never from the language server.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExplainDeployment, ExplainPlace } from './deployment/explain';
import { parseGunicornCheck, type GunicornCheckProblem } from './languages/gunicorn/checkOutput';

export interface ValidateRequest {
  /** The gunicorn executable. */
  gunicorn: string;
  /** The config file (`-c`), when the launch has one. */
  config?: string;
  /** The app spec (`shop.wsgi:application`), when the launch names one. */
  app?: string;
  /** Where Gunicorn runs (the folder the app is imported from). */
  cwd: string;
  timeoutMs: number;
  /** Also print the resolved settings (Gunicorn 20.1.0 and later). */
  printConfig?: boolean;
}

export interface ValidateResult {
  status: 'passed' | 'failed' | 'timeout' | 'not-started';
  exitCode: number | null;
  /** The command as run, for the report. */
  command: string[];
  stdout: string;
  stderr: string;
  problems: GunicornCheckProblem[];
}

const MAX_OUTPUT = 1_000_000;

/** The project's Gunicorn: a virtual environment in the folder (`.venv/`, `venv/`), else the first one on PATH. */
export function findGunicorn(folder: string, path = process.env.PATH ?? ''): string | undefined {
  const bin = process.platform === 'win32' ? join('Scripts', 'gunicorn.exe') : join('bin', 'gunicorn');
  for (const venv of ['.venv', 'venv']) {
    const candidate = join(folder, venv, bin);
    if (existsSync(candidate)) return candidate;
  }
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, process.platform === 'win32' ? 'gunicorn.exe' : 'gunicorn');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The release `gunicorn --version` reports (`[20, 1, 0]`), or undefined when it cannot be run within the time. */
export function gunicornRelease(gunicorn: string, timeoutMs = 10_000): [number, number, number] | undefined {
  const result = spawnSync(gunicorn, ['--version'], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: minimalEnv(),
  });
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

/** True when the release has --print-config (added in 20.1.0). */
export function hasPrintConfig(release: readonly number[] | undefined): boolean {
  if (!release) return false;
  const [major = 0, minor = 0] = release;
  return major > 20 || (major === 20 && minor >= 1);
}

/**
 * The environment Gunicorn gets: enough to find Python and decode text, nothing of the caller's secrets or
 * GUNICORN_CMD_ARGS (which would change the settings being checked).
 */
export function minimalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP']) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

/** Runs the check; resolves when Gunicorn exits or the time is up (then its whole process group is killed). */
export function validateWithGunicorn(request: ValidateRequest): Promise<ValidateResult> {
  const args = [request.printConfig ? '--print-config' : '--check-config'];
  if (request.config) args.push('-c', request.config);
  if (request.app) args.push(request.app);
  const command = [request.gunicorn, ...args];
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const child = spawn(request.gunicorn, args, {
      cwd: request.cwd,
      env: minimalEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout also ends what the config or the app started.
      detached: process.platform !== 'win32',
    });
    const kill = (): void => {
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8');
    });
    const finish = (status: ValidateResult['status'], exitCode: number | null, extra = ''): void => {
      clearTimeout(timer);
      const err = stderr + extra;
      resolve({
        status,
        exitCode,
        command,
        stdout,
        stderr: err,
        problems: status === 'failed' ? parseGunicornCheck(`${stdout}\n${err}`) : [],
      });
    };
    child.on('error', (error) => finish('not-started', null, error.message));
    child.on('close', (code) => {
      if (timedOut) finish('timeout', code);
      else finish(code === 0 ? 'passed' : 'failed', code);
    });
  });
}

const pathOf = (place: ExplainPlace): string => fileURLToPath(place.link.replace(/#L\d+$/, ''));

/** What to run for one deployment: the config file and app as local paths, and where to run. */
export function validationTarget(
  deployment: ExplainDeployment,
  root: string,
): { config?: string; app?: string; cwd: string } {
  const config = deployment.config?.place ? pathOf(deployment.config.place) : undefined;
  const cwd = deployment.app?.importDir ?? (config ? dirname(config) : root);
  return {
    ...(config ? { config } : {}),
    ...(deployment.app ? { app: deployment.app.spec } : {}),
    cwd,
  };
}

/** Where a problem is written: the traceback's line, else the place that sets the setting Gunicorn rejected. */
export function problemPlace(
  problem: GunicornCheckProblem,
  deployment: ExplainDeployment,
  cwd: string,
): { file: string; line: number } | undefined {
  if (problem.file) return { file: resolve(cwd, problem.file), line: problem.line ?? 1 };
  const setting = problem.setting && deployment.settings.find((s) => s.setting === problem.setting);
  if (setting && setting.place) return { file: pathOf(setting.place), line: setting.place.line };
  return undefined;
}

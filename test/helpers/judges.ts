// The oracle judges of two Debian releases, described alike so every oracle suite runs its fixtures past both:
// Debian 12 "bookworm" (installed on the host by apt) and Debian 13 "trixie" (a debootstrapped root in .tools/trixie,
// made by scripts/install-trixie-judges.sh, whose programs run through chroot).

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type JudgeSetName = 'bookworm' | 'trixie';

/** What a judge printed and how it exited. */
export interface JudgeRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeout?: number;
}

export interface NginxJudge {
  /** The version Debian ships, e.g. "1.26.3". */
  version: string;
  /** Where this release's dynamic modules live, as a path the judge itself sees. */
  modulesDir: string;
  /** True when the stream module is installed (a host path, for `existsSync`). */
  hasStream(): boolean;
  run(args: readonly string[], options?: RunOptions): JudgeRun;
}

export interface SystemdJudge {
  /** The major version, e.g. "257". */
  version: string;
  /** `systemd-analyze verify ARGS` with systemd's logging set for parsing (plain, info level, no pager). */
  verify(args: readonly string[]): JudgeRun;
  /** `systemd ARGS` (the manager binary, e.g. for --dump-configuration-items). */
  manager(args: readonly string[]): JudgeRun;
}

export interface GunicornJudge {
  /** The version Debian ships, e.g. "23.0.0". */
  version: string;
  /** Runs this release's python3, which has Gunicorn installed, with `args`. */
  python(args: readonly string[], options?: RunOptions): JudgeRun;
}

export interface JudgeSet {
  name: JudgeSetName;
  /** For test titles: 'Debian 13 "trixie"'. */
  debian: string;
  nginx: NginxJudge;
  systemd: SystemdJudge;
  gunicorn: GunicornJudge;
  /** Where a file of this release (say /etc/nginx/proxy_params) is on the host, to read or test it. */
  hostPath(path: string): string;
  /** Why the judges of this set cannot run here (what to install), or undefined when they can. */
  missing(tool: JudgeTool): string | undefined;
}

export type JudgeTool = 'nginx' | 'systemd' | 'gunicorn';

const REPO = join(__dirname, '..', '..', '..');
/** The trixie root; TRIXIE_JUDGES_DIR moves it, as it does for the install script. */
export const TRIXIE_ROOT = join(process.env.TRIXIE_JUDGES_DIR ?? join(REPO, '.tools', 'trixie'), 'root');
const SYSTEMD_ENV = { SYSTEMD_LOG_LEVEL: 'info', SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: 'cat' };
const MAX_BUFFER = 64 * 1024 * 1024;

function result(r: SpawnSyncReturns<string>): JudgeRun {
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`,
  };
}

/** Runs a program of the host. */
function onHost(program: string, args: readonly string[], options: RunOptions = {}): JudgeRun {
  return result(
    spawnSync(program, [...args], {
      encoding: 'utf8',
      maxBuffer: MAX_BUFFER,
      input: options.input,
      env: options.env ?? process.env,
      timeout: options.timeout ?? 60_000,
    }),
  );
}

/**
 * Inside a private mount namespace (everything mounted here vanishes with the process, whatever happens): the root
 * read-only, fresh tmpfs on its /run, /var/log and /tmp, the host's temp folder bound at the same path (the files
 * under test, which the tests write there), and /proc; then chroot. So the judge reads the tests' files under the
 * same names and writes nothing into the repository.
 */
const CHROOT_SCRIPT = [
  'set -e',
  'root=$1 tmp=$2',
  'shift 2',
  'mount --bind "$root" "$root"',
  'mount -o remount,bind,ro "$root"',
  'for d in run var/log tmp; do mount -t tmpfs tmpfs "$root/$d"; done',
  'mkdir -p "$root$tmp"',
  'mount --bind "$tmp" "$root$tmp"',
  'mount -t proc proc "$root/proc"',
  'exec chroot "$root" "$@"',
].join('\n');

let hostTmp: string | undefined;

/** Runs a program of the trixie root. Needs root (chroot, mount): CI runs as root. */
function inTrixie(program: string, args: readonly string[], options: RunOptions = {}): JudgeRun {
  hostTmp ??= realpathSync(tmpdir());
  return onHost(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      CHROOT_SCRIPT,
      'sh',
      TRIXIE_ROOT,
      hostTmp,
      program,
      ...args,
    ],
    options,
  );
}

type Runner = typeof onHost;

/** The last line a failed run printed, for the message that says why a judge is missing. */
function why(r: JudgeRun): string {
  return `${r.stderr}${r.stdout}`.trim().split('\n')[0]!.trim() || `exit ${r.status}`;
}

/** The three judges of one release, each run by `run` (on the host or in the chroot). */
function judgeSet(
  name: JudgeSetName,
  debian: string,
  versions: Record<JudgeTool, string>,
  run: Runner,
  hostPath: (path: string) => string,
  install: string,
  /** Why nothing of this set can run in this process, if so. */
  blocked: () => string | undefined = () => undefined,
): JudgeSet {
  const NGINX = '/usr/sbin/nginx';
  const PYTHON = '/usr/bin/python3';
  const MODULES = '/usr/lib/nginx/modules';
  const probes: Record<JudgeTool, () => string | undefined> = {
    nginx: () => {
      const r = run(NGINX, ['-v']);
      const found = /nginx\/(\S+)/.exec(r.stderr)?.[1];
      return found === versions.nginx ? undefined : `${NGINX} ${found ?? `does not run: ${why(r)}`}`;
    },
    systemd: () => {
      const r = run('/usr/bin/systemd-analyze', ['--version']);
      const found = /^systemd (\d+)/.exec(r.stdout)?.[1];
      return found === versions.systemd ? undefined : `systemd-analyze ${found ?? `does not run: ${why(r)}`}`;
    },
    gunicorn: () => {
      const r = run(PYTHON, ['-c', 'import gunicorn; print(gunicorn.__version__)']);
      const found = r.status === 0 ? r.stdout.trim() : undefined;
      return found === versions.gunicorn ? undefined : `Gunicorn ${found ?? `cannot be imported: ${why(r)}`}`;
    },
  };
  const known = new Map<JudgeTool, string | undefined>();
  return {
    name,
    debian,
    hostPath,
    missing(tool) {
      if (!known.has(tool)) {
        const problem = blocked() ?? probes[tool]();
        known.set(
          tool,
          problem && `${debian}'s ${tool} ${versions[tool]} is not available (${problem}): ${install}`,
        );
      }
      return known.get(tool);
    },
    nginx: {
      version: versions.nginx,
      modulesDir: MODULES,
      hasStream: () => existsSync(hostPath(`${MODULES}/ngx_stream_module.so`)),
      run: (args, options) => run(NGINX, args, options),
    },
    systemd: {
      version: versions.systemd,
      verify: (args) =>
        run('/usr/bin/systemd-analyze', ['verify', ...args], { env: { ...process.env, ...SYSTEMD_ENV } }),
      manager: (args) => run('/usr/lib/systemd/systemd', args, { env: { ...process.env, ...SYSTEMD_ENV } }),
    },
    gunicorn: {
      version: versions.gunicorn,
      python: (args, options) => run(PYTHON, args, options),
    },
  };
}

export const BOOKWORM: JudgeSet = judgeSet(
  'bookworm',
  'Debian 12 "bookworm"',
  { nginx: '1.22.1', systemd: '252', gunicorn: '20.1.0' },
  onHost,
  (path) => path,
  "install the Debian packages 'nginx-light', 'libnginx-mod-stream', 'systemd' and 'gunicorn'",
);

export const TRIXIE: JudgeSet = judgeSet(
  'trixie',
  'Debian 13 "trixie"',
  { nginx: '1.26.3', systemd: '257', gunicorn: '23.0.0' },
  inTrixie,
  (path) => join(TRIXIE_ROOT, path),
  `run 'bash scripts/install-trixie-judges.sh' as root (it builds ${TRIXIE_ROOT})`,
  () => {
    if (!existsSync(join(TRIXIE_ROOT, 'usr', 'bin'))) return `there is no trixie root at ${TRIXIE_ROOT}`;
    return process.getuid?.() === 0 ? undefined : 'chroot and mount need root; CI runs the tests as root';
  },
);

/** Both judge sets, older first. */
export const JUDGE_SETS: readonly JudgeSet[] = [BOOKWORM, TRIXIE];

/**
 * Skips the test or suite when the judge is missing; on CI (CI=true), where scripts/test-all.sh installs every judge,
 * a missing judge fails instead, so an oracle cannot pass by not running.
 */
export function requireJudge(context: Mocha.Context, set: JudgeSet, tool: JudgeTool): void {
  const missing = set.missing(tool);
  if (!missing) return;
  if (process.env.CI) throw new Error(missing);
  console.log(`      skipped: ${missing}`);
  context.skip();
}

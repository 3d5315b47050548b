// The shape of one place Gunicorn is started from, as the languages that read launches report it (units, Dockerfiles,
// Procfiles, compose files, scripts) and the deployment model assembles it.

import type { Range } from '../../core/text';
import type { SourceKind } from '../sourceKinds';
import type { GunicornInvocation } from './commandLine';

/** A value together with where it was written. */
export interface Located<T> {
  value: T;
  uri: string;
  range: Range;
}

export type LaunchKind = Exclude<SourceKind, 'gunicorn' | 'nginx' | 'python' | 'dependencies'>;

/** One place Gunicorn is started from: a unit's ExecStart=, a Dockerfile CMD/ENTRYPOINT, a Procfile line, … */
export interface GunicornLaunch {
  uri: string;
  path: string;
  kind: LaunchKind;
  /** The whole command line (for related information and hovers). */
  range: Range;
  invocation: GunicornInvocation;
  /** Settings given as flags, by setting name; `values` for append settings such as bind. */
  commandLine: ReadonlyMap<string, Located<string | true> & { values?: string[] }>;
  /** Settings given through GUNICORN_CMD_ARGS in this launch's environment, by setting name. */
  cmdArgs: ReadonlyMap<string, Located<string | true> & { values?: string[] }>;
  /** Environment visible to the command: Environment=, ENV, compose `environment:`, `VAR=x gunicorn …`. */
  env: ReadonlyMap<string, Located<string>>;
  /** `-c FILE` / `--config FILE` as written, when given. */
  configFile?: Located<string>;
  /** The directory the command runs in when stated (WorkingDirectory=, WORKDIR, compose working_dir). */
  workingDirectory?: Located<string>;
  /** For systemd: the unit's file name (`shop.service`). For compose: the service name. */
  unit?: string;
  /** The app spec (`shop.wsgi:application`), when given. */
  app?: Located<string>;
  /** For compose: the service's `build:` context and Dockerfile, as written (relative to the compose file). */
  build?: { context: string; dockerfile?: string };
  /** What the container it runs in says about stopping, ports and limits (Dockerfile, compose). */
  container?: ContainerFacet;
}

/** Who stops a container, as a key of the orchestrator facts (server/data/orchestrators*.json). */
export type Orchestrator =
  | 'docker'
  | 'compose'
  | 'kubernetes'
  | 'cloud-run'
  | 'fly'
  | 'render'
  | 'heroku'
  | 'dokku'
  | 'railway'
  | 'app-engine-standard'
  | 'app-engine-flexible';

/** A port a container declares: a Dockerfile EXPOSE, a compose `ports:` target or `expose:` entry. */
export interface ContainerPort {
  /** The port inside the container (the first of a range). */
  port: number;
  /** The last port of a range (`8000-8010`); the same as `port` otherwise. */
  last: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  /**
   * `containerPort` (Kubernetes), `targetPort` (a Kubernetes Service that selects the pod), `internal_port` (Fly),
   * `PORT` (the port a platform routes to and sets in $PORT).
   */
  declaredBy: 'EXPOSE' | 'ports' | 'expose' | 'containerPort' | 'targetPort' | 'internal_port' | 'PORT';
  /** A Kubernetes port's name (`http`), which Services' targetPort may give instead of a number. */
  name?: string;
  where: Located<string>;
}

/** The shell between the container runtime and Gunicorn: Docker's `/bin/sh -c` for a shell form, or `sh -c …`. */
export interface ShellWrapper {
  /** The shell as named (`sh`, `/bin/bash`); `/bin/sh` for Docker's shell form. */
  program: string;
  /** True for a Dockerfile shell form (Docker adds `/bin/sh -c` itself). */
  implicit: boolean;
  /** True when the Gunicorn command starts with `exec` (the shell replaces itself by Gunicorn). */
  execs: boolean;
  /** The shell's script (or the shell-form arguments). */
  where: Located<string>;
}

/**
 * What a launch's container says about how it is stopped, reached and limited: facts read from one file each (the
 * Dockerfile that builds the image, the compose service that runs it) and merged by the deployment model. Other
 * orchestrators (a Kubernetes container, a fly.toml process) fill the same fields.
 */
export interface ContainerFacet {
  /** Who stops it: `docker` when only a Dockerfile is known (the runtime is not), `compose` for a compose service. */
  orchestrator: Orchestrator;
  /** The compose service (its key). */
  service?: Located<string>;
  /** The image it runs (`FROM` of the last stage, compose `image:`). */
  image?: Located<string>;
  /** Seconds between the stop signal and SIGKILL, when written (`stop_grace_period`); `seconds` when readable. */
  stopGrace?: Located<string> & { seconds?: number };
  /** The key that sets the grace period in this orchestrator's file (`terminationGracePeriodSeconds`, `kill_timeout`). */
  stopGraceKey?: string;
  /** The orchestrator's documented grace period when the file sets none (manifests; compose reads orchestrators.ts). */
  stopGraceDefault?: { seconds: number; source: string };
  /** A Kubernetes preStop hook that sleeps: it runs inside the grace period, before the stop signal. */
  preStop?: Located<string> & { seconds?: number };
  /** The orchestrator's stop signal when the file sets none (manifests), with its source. */
  stopSignalDefault?: { signal: string; source: string };
  /** Where a `stop_grace_period:` line can go when there is none: after this line, with this indentation. */
  stopGraceInsert?: { uri: string; line: number; indent: string };
  /** The signal that asks it to stop (`STOPSIGNAL`, `stop_signal`), as written. */
  stopSignal?: Located<string>;
  /** A health check command (`HEALTHCHECK CMD …`, compose `healthcheck.test`), as written. */
  healthcheck?: Located<string>;
  /** CPU limit (compose `cpus`, `deploy.resources.limits.cpus`); `count` when readable. */
  cpus?: Located<string> & { count?: number };
  /** Memory limit (compose `mem_limit`, `deploy.resources.limits.memory`); `bytes` when readable. */
  memory?: Located<string> & { bytes?: number };
  /** Ports it declares; `portsUnknown` when some could not be read (a variable). */
  ports: ContainerPort[];
  portsUnknown?: boolean;
  /** compose `init: true` / `false`: an init process (tini) as PID 1 that forwards signals. */
  init?: Located<string> & { enabled: boolean };
  /** An init named in the command (`tini`, `dumb-init`) before Gunicorn or its shell. */
  initProgram?: string;
  /** `USER` of the image or compose `user:`. */
  user?: Located<string>;
  /** compose `network_mode:` (`host`, `service:web`…), as written. */
  networkMode?: Located<string>;
  /** True when another compose service shares this one's network namespace (`network_mode: service:<this>`). */
  networkShared?: boolean;
  /** The platform sets $PORT (Render, Heroku, App Engine, Cloud Run): its value when known, and where it is said. */
  portEnv?: { port?: number; where?: Located<string>; source?: string };
  /** Kubernetes pod labels (what Services select), for joining Services of other files. */
  podLabels?: ReadonlyMap<string, string>;
  /** How a manifest runs the command: `exec` (an argv: nothing expands `$PORT`) or `shell` (a shell line). */
  commandForm?: 'exec' | 'shell';
  /** True when other containers share the pod (a sidecar may be what a Service's numeric targetPort reaches). */
  sharedPod?: boolean;
  /** Probes the orchestrator runs against the container (Kubernetes liveness/readiness/startup, platform checks). */
  probes?: ContainerProbeFacet[];
  /** A shell that runs Gunicorn, when one does. */
  shell?: ShellWrapper;
  /** A Dockerfile SHELL instruction (shell forms do not run under `/bin/sh` then). */
  shellInstruction?: Located<string>;
}

/** A launch with what its file also says about it. */
export interface LaunchDetails extends GunicornLaunch {
  /** systemd EnvironmentFile= and compose `env_file:` entries: they add variables this model does not read. */
  environmentFiles?: Located<string>[];
}

/** A liveness, readiness, startup or platform health check, with the numbers that decide when it acts. */
export interface ContainerProbeFacet {
  role: 'liveness' | 'readiness' | 'startup' | 'health';
  kind: 'http' | 'tcp' | 'exec' | 'grpc' | 'unknown';
  where: Located<string>;
  /** The port probed: a number, a Kubernetes port name, or undefined when not written or unreadable. */
  port?: Located<string> & { target?: number | string };
  /** Seconds, or counts; undefined when written but unreadable (a template). */
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

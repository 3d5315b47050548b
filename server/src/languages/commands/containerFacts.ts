// The plain shape of "a container launch" that every orchestrator source produces (Kubernetes containers, Render
// services, App Engine apps, Fly process groups, Heroku/Dokku app.json; compose services later): the Gunicorn
// command lines with their words, the environment, ports, probes, limits and how the container is stopped.
// Every fact carries where it is written (offsets into the document's text, BOM and CRLF included), or, when the file
// leaves it to the orchestrator, the documented default with its source (server/data/orchestrators.json).

import type { Token } from '../gunicorn/commandWords';

/** Orchestrators and platforms whose defaults are in server/data/orchestrators.json. */
export type OrchestratorName =
  | 'kubernetes'
  | 'docker'
  | 'heroku'
  | 'fly'
  | 'render'
  | 'app-engine-standard'
  | 'app-engine-flexible'
  | 'cloud-run'
  | 'dokku'
  | 'railway';

/** Offsets in the document's text. */
export interface Span {
  from: number;
  to: number;
}

/**
 * A value written in the file. `value` is undefined when it is written but cannot be known here: a template
 * placeholder (`{{ .Values.port }}`), a reference (`valueFrom`, `$(VAR)`, a generated secret) or a malformed value.
 */
export interface Written<T> {
  value?: T;
  /** The text as written (for messages). */
  text: string;
  span: Span;
}

/** A fact the file leaves to the orchestrator: its documented default (value null: the documentation gives none). */
export interface PlatformDefault<T> {
  value: T | null;
  orchestrator: OrchestratorName;
  /** The fact's key in orchestrators.json (`stopGraceSeconds`). */
  fact: string;
  /** The page the default was read on. */
  source: string;
}

/** Either written in the file or the orchestrator's default. */
export type Fact<T> = ({ origin: 'file' } & Written<T>) | ({ origin: 'default' } & PlatformDefault<T>);

/** One Gunicorn command line, ready for `findGunicornInvocation` (languages/gunicorn/commandLine.ts). */
export interface ContainerCommand {
  /** The command's words; token offsets are document offsets. */
  words: Token[];
  /** The whole command line in the document. */
  span: Span;
  /**
   * False when the words could only be placed on their whole value (escapes, folded lines): each token then spans
   * the value, and no fix may edit inside it.
   */
  exact: boolean;
  /**
   * `exec`: the words are the argv, nothing expands `$PORT` (a Kubernetes `command` list, a Fly process);
   * `shell`: a shell runs the line (`sh -c` scripts, Render `startCommand`, App Engine `entrypoint`).
   */
  form: 'exec' | 'shell';
  /** The key the command comes from (`command`, `args`, `startCommand`, `entrypoint`, `processes.web`…). */
  field: string;
  /**
   * For `form: 'shell'`: how many commands the script or line holds (with one, a shell may replace itself by it;
   * with more, the shell stays the parent that gets the stop signal, unless the command is run by `exec`), and the
   * shell when the file names it (`/bin/sh` of `["/bin/sh", "-c", …]`).
   */
  shell?: { commands: number; program?: string };
}

/** One environment variable of the container. */
export interface ContainerEnvVar {
  name: string;
  nameSpan: Span;
  /** Undefined `value`: set, but to something unknown here (a secret, `valueFrom`, a generator, a placeholder). */
  value: Written<string>;
}

/** A port the container listens on or the platform routes to. */
export interface ContainerPort {
  port: Written<number>;
  /** Kubernetes port name (`http`), which probes and Services may refer to. */
  name?: string;
  /** `container`: declared by the container (Kubernetes containerPort); `routed`: where the platform connects. */
  role: 'container' | 'routed';
}

/** A liveness, readiness, startup or platform health check. */
export interface ContainerProbe {
  role: 'liveness' | 'readiness' | 'startup' | 'health';
  kind: 'http' | 'tcp' | 'exec' | 'grpc' | 'unknown';
  span: Span;
  path?: Written<string>;
  /** A number, or a Kubernetes port name. */
  port?: Written<number | string>;
  initialDelaySeconds?: Fact<number>;
  periodSeconds?: Fact<number>;
  timeoutSeconds?: Fact<number>;
  failureThreshold?: Fact<number>;
}

/** What runs before the stop signal (Kubernetes `lifecycle.preStop`), counted inside the grace period. */
export interface PreStopHook {
  kind: 'sleep' | 'exec' | 'http' | 'unknown';
  /** Seconds the hook sleeps, when it is a plain sleep (`sleep 5`, `sleep: {seconds: 5}`). */
  seconds?: number;
  span: Span;
}

/** A container, service or process group that may start Gunicorn, with what its orchestrator does to it. */
export interface ContainerLaunch {
  orchestrator: OrchestratorName;
  /** Container, service or process-group name. */
  name: string;
  /** The container's / service's entry in the file. */
  span: Span;
  /** The image it runs, when named (its CMD is what runs when no command is given). */
  image?: Written<string>;
  /** The Gunicorn command lines found (empty when the command is another program or left to the image). */
  commands: ContainerCommand[];
  env: ReadonlyMap<string, ContainerEnvVar>;
  /** Sources of variables whose names are unknown here (`envFrom`, env groups, secrets): any name may be set. */
  unknownEnv: Span[];
  workingDir?: Written<string>;
  ports: ContainerPort[];
  /** Whether the platform sets $PORT to the port it routes to (Heroku, Render, App Engine, Cloud Run). */
  portEnv?: Fact<boolean>;
  /** The value $PORT gets, when known: written (Render envVars PORT, Cloud Run containerPort) or the default. */
  portEnvValue?: Fact<number>;
  probes: ContainerProbe[];
  /** CPU limit in CPUs (`500m` = 0.5), memory limit in bytes. */
  cpuLimit?: Fact<number>;
  memoryLimit?: Fact<number>;
  /** Seconds between the stop signal (or the preStop hook) and the forced kill. */
  stopGrace: Fact<number>;
  stopSignal: Fact<string>;
  preStop?: PreStopHook;
  /** The platform's machine size or plan as written (`standard-2x`, `starter`, `F2`, `shared-cpu-1x`). */
  machineSize?: Written<string>;
  /** Number of instances, when written (`replicas`, `numInstances`). */
  instances?: Written<number>;
}

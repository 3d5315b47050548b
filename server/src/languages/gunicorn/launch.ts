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

export type LaunchKind = Exclude<SourceKind, 'gunicorn' | 'nginx' | 'python'>;

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
}

/** A launch with what its file also says about it. */
export interface LaunchDetails extends GunicornLaunch {
  /** systemd EnvironmentFile= and compose `env_file:` entries: they add variables this model does not read. */
  environmentFiles?: Located<string>[];
}

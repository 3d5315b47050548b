// The rules of the `commands` language (Dockerfiles, Procfiles, compose files, shell scripts).

import { gunicornCmdArgs } from './gunicornCmdArgs';
import { gunicornCommandLine } from './gunicornCommandLine';
import { gunicornDaemonInContainer } from './gunicornDaemonInContainer';
import { gunicornReloadInContainer } from './gunicornReloadInContainer';
import type { CommandRule } from './types';

export const commandRules: readonly CommandRule[] = [
  gunicornCommandLine,
  gunicornCmdArgs,
  gunicornReloadInContainer,
  gunicornDaemonInContainer,
];

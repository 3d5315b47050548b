// Rule: gunicorn-daemon-in-container — `-D`/`--daemon` where the starting process must stay: a container's main
// process or a Procfile process.

import { reportFlag } from './containerFlags';
import type { CommandRule } from './types';
import { commandRuleDocsUrl } from './types';

export const gunicornDaemonInContainer: CommandRule = {
  meta: {
    id: 'gunicorn-daemon-in-container',
    defaultSeverity: 'error',
    description:
      'Gunicorn started with -D/--daemon by a Dockerfile, compose file or Procfile: the master forks into the background and the started process exits, so the container stops (or the process manager restarts it).',
    docsUrl: commandRuleDocsUrl('gunicorn-daemon-in-container'),
  },
  check(context) {
    const { model } = context;
    if (model.kind === 'shell') return;
    const consequence =
      model.kind === 'procfile'
        ? 'the process manager sees the process end at once and restarts it (or gives up and reports a crash)'
        : 'the container stops as soon as its main process has exited, taking the detached Gunicorn with it';
    reportFlag(
      context,
      'daemon',
      (flag) =>
        `${flag} makes the Gunicorn master fork into the background and the command exit; ${consequence}. Keep Gunicorn in the foreground.`,
    );
  },
};

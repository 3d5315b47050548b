// Rule: gunicorn-reload-in-container — `--reload` in a Dockerfile or Procfile, a development option shipped.

import { reportFlag } from './containerFlags';
import type { CommandRule } from './types';
import { commandRuleDocsUrl, isDevelopmentFile } from './types';

export const gunicornReloadInContainer: CommandRule = {
  meta: {
    id: 'gunicorn-reload-in-container',
    defaultSeverity: 'warning',
    description:
      'Gunicorn started with --reload by a Dockerfile or Procfile: code reloading is a development aid that watches every source file and restarts workers when one changes.',
    docsUrl: commandRuleDocsUrl('gunicorn-reload-in-container'),
  },
  check(context) {
    const { model, path } = context;
    // compose files and files named for development (Dockerfile.dev, Procfile.local) mount code to reload on purpose.
    if ((model.kind !== 'dockerfile' && model.kind !== 'procfile') || isDevelopmentFile(path)) return;
    const where =
      model.kind === 'dockerfile' ? 'an image, where the code does not change' : 'a deployed process';
    reportFlag(
      context,
      'reload',
      (flag) =>
        `${flag} is a development option: Gunicorn watches every imported file and restarts its workers when one changes. In ${where}, that only costs CPU and memory; drop it for production and keep it to a development override.`,
    );
  },
};

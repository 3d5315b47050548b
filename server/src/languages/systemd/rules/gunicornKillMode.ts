// Rule: gunicorn-kill-mode — KillMode=control-group signals Gunicorn's workers behind the master's back on stop.

import { insertLineAfter, serviceGunicornExec, replaceValueEdit, serviceDirective } from '../gunicornExec';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

export const gunicornKillMode: UnitRule = {
  meta: {
    id: 'gunicorn-kill-mode',
    defaultSeverity: 'info',
    description:
      'A Gunicorn service with KillMode=control-group (the default): stopping it signals every worker at once instead of letting the master shut them down.',
    docsUrl: unitRuleDocsUrl('gunicorn-kill-mode'),
  },
  check(context) {
    const { model, isDropIn, range, report } = context;
    const exec = serviceGunicornExec(context);
    if (!exec?.direct) return;
    const killMode = serviceDirective(model, 'KillMode');
    const value = killMode?.value ?? '';
    if (value !== '' && value !== 'control-group') return;
    if (!killMode && isDropIn) return;
    report({
      range: range(killMode ? killMode.valueSpan : exec.directive.keySpan),
      message: `${killMode ? 'KillMode=control-group' : 'Without KillMode=, systemd uses control-group, which'} sends SIGTERM to the master and every worker at the same moment on stop, so the master may still be replacing workers that exit while it shuts down. With KillMode=mixed only the master gets SIGTERM and stops its workers gracefully; whatever is left still gets SIGKILL at the stop timeout.`,
      fixes: [
        {
          title: killMode ? 'Change to KillMode=mixed' : 'Add KillMode=mixed',
          edits: [
            killMode
              ? replaceValueEdit(model, killMode, 'mixed')
              : insertLineAfter(model, exec.directive, 'KillMode=mixed'),
          ],
          isPreferred: true,
        },
      ],
    });
  },
};

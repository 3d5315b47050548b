// Rule: daemon-under-supervisor — daemon = True makes Gunicorn fork into the background, which systemd, supervisord and Docker lose track of.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { isTrueSetting, lastBinding, replaceFix, spanRange } from './ruleUtils';

export const daemonUnderSupervisor: GunicornRule = {
  meta: {
    id: 'daemon-under-supervisor',
    defaultSeverity: 'warning',
    description:
      'daemon = True detaches Gunicorn, so a process supervisor sees it exit and restarts or gives up on it.',
    docsUrl: ruleDocsUrl('daemon-under-supervisor'),
  },
  check({ model, report }) {
    const binding = lastBinding(model, 'daemon');
    const value = binding?.value;
    if (!binding || !value || !isTrueSetting(value)) return;
    const range = spanRange(model, value.span);
    report({
      range,
      message:
        'daemon = True: Gunicorn detaches into the background. Under systemd, supervisord or a container the supervisor loses the process; keep it in the foreground.',
      fixes: [replaceFix(model, value.span, 'False')],
    });
  },
};

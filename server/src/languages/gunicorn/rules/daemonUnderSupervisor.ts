// Rule: daemon-under-supervisor — daemon = True makes Gunicorn fork into the background, which systemd, supervisord and Docker lose track of.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

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
    if (
      !binding ||
      !value ||
      !(
        (value.kind === 'bool' && value.value) ||
        (value.kind === 'str' && value.value.toLowerCase() === 'true')
      )
    ) {
      return;
    }
    const range = spanRange(model, value.span);
    report({
      range,
      message:
        'daemon = True: Gunicorn detaches into the background. Under systemd, supervisord or a container the supervisor loses the process; keep it in the foreground.',
      fixes: [{ title: 'Change to False', edits: [{ range, newText: 'False' }], isPreferred: true }],
    });
  },
};

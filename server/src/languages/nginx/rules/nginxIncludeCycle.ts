// Rule: nginx-include-cycle — an include that leads back to a file already being included; nginx recurses until it
// crashes instead of reporting an error.

import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxIncludeCycle: NginxRule = {
  meta: {
    id: 'nginx-include-cycle',
    defaultSeverity: 'error',
    description:
      'An include that pulls in a file already on the include chain; nginx includes it again and again until it crashes.',
    docsUrl: nginxRuleDocsUrl('nginx-include-cycle'),
  },
  check({ model, workspace, range, report }) {
    for (const cycle of workspace.includeCycles ?? []) {
      const directive = model.all.find(
        (d) => d.name === 'include' && model.lines.positionAt(d.span.from).line === cycle.line,
      );
      if (!directive) continue;
      const name = cycle.target.slice(cycle.target.lastIndexOf('/') + 1);
      report({
        range: range(directive.args[0]?.span ?? directive.nameToken.span),
        message: `This include brings ${name} in again while it is already being included, so the files include each other without end; nginx -t and nginx itself crash on it (stack overflow) rather than reporting an error.`,
      });
    }
  },
};

// Rule: nginx-directive-context — a known directive written in a block where nginx does not accept it.

import type { NginxContext } from '../catalogTypes';
import { describeContext, governingEntries } from './genericShared';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxDirectiveContext: NginxRule = {
  meta: {
    id: 'nginx-directive-context',
    defaultSeverity: 'error',
    description:
      'A directive nginx knows, written in a block where it is not allowed (proxy_pass directly in server {}); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-directive-context'),
  },
  check({ model, catalog, path, range, report }) {
    for (const directive of model.all) {
      const entries = governingEntries(catalog, model, path, directive);
      if (!entries || entries.length || directive.context === null) continue;
      const allowed = [
        ...new Set(catalog.entries(directive.name).flatMap((e) => e.contexts)),
      ] as NginxContext[];
      const here = describeContext(directive.context, directive);
      const where = allowed.length
        ? ` It belongs in ${allowed.map((c) => describeContext(c)).join(', ')}.`
        : '';
      report({
        range: range(directive.nameToken.span),
        message: `"${directive.name}" is not allowed in ${here}; nginx will refuse to start.${where}`,
      });
    }
  },
};

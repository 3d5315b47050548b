// Rule: nginx-directive-context — a known directive written in a block where nginx does not accept it.

import type { NginxContext } from '../catalogTypes';
import { describeContext, governingEntries, otherReleaseVerdict } from './genericShared';
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
  check({ model, catalog, nginxTarget, path, range, report }) {
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
      const context = directive.context;
      const other = otherReleaseVerdict(catalog, nginxTarget, directive.name, (e) =>
        e.contexts.includes(context),
      );
      report({
        range: range(directive.nameToken.span),
        message: `"${directive.name}" is not allowed in ${here}${
          other ? ` in this nginx version` : ''
        }; nginx will refuse to start.${where}${other?.note ?? ''}`,
        ...(other ? { severity: other.severity } : {}),
      });
    }
  },
};

// Rule: nginx-block-mismatch — a block directive ended with ";", a simple directive given a block, or a block inside a value list.

import { describeContext, governingEntries } from './genericShared';
import { VALUE_CONTEXTS } from '../catalog';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxBlockMismatch: NginxRule = {
  meta: {
    id: 'nginx-block-mismatch',
    defaultSeverity: 'error',
    description:
      'A block directive without its { } (http;), a simple directive followed by a block, or a block inside map/geo/types; nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-block-mismatch'),
  },
  check({ model, catalog, path, range, report }) {
    for (const directive of model.all) {
      const name = directive.name;
      const where = range(directive.nameToken.span);
      if (directive.context && VALUE_CONTEXTS.has(directive.context) && directive.end === '{') {
        report({
          range: where,
          message: `A block cannot be opened inside ${describeContext(directive.context)}: its body holds only "key value;" lines. nginx will refuse to start.`,
        });
        continue;
      }
      const entries = governingEntries(catalog, model, path, directive);
      if (!entries?.length) continue;
      if (directive.end === ';' && entries.every((e) => e.block)) {
        const semicolon = directive.semicolon;
        report({
          range: where,
          message: `"${name}" opens a block: write ${name} ${directive.args.length ? '… ' : ''}{ … } instead of ending it with ";". nginx will refuse to start.`,
          fixes: semicolon
            ? [
                {
                  title: `Open an empty ${name} block`,
                  edits: [{ range: range(semicolon), newText: ' {\n}' }],
                },
              ]
            : [],
        });
      } else if (directive.end === '{' && entries.every((e) => !e.block)) {
        report({
          range: where,
          message: `"${name}" is a simple directive: it ends with ";" and takes no { } block. nginx will refuse to start.`,
        });
      }
    }
  },
};

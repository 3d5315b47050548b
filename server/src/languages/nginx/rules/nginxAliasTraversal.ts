// Rule: nginx-alias-traversal — `location /static` with `alias …/static/;`: `/static../` climbs out of the folder.

import type { Fix } from '../../../core/findings';
import { valueSpan } from '../gunicornProxy';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxAliasTraversal: NginxRule = {
  meta: {
    id: 'nginx-alias-traversal',
    defaultSeverity: 'warning',
    description:
      'A prefix location without a trailing slash whose alias ends in one: a request for /static../ then reads the parent of the aliased folder.',
    docsUrl: nginxRuleDocsUrl('nginx-alias-traversal'),
  },
  check({ model, uri, range, report }) {
    for (const alias of model.all) {
      if (alias.name !== 'alias' || alias.context !== 'location') continue;
      const aliasToken = alias.args[0];
      const location = alias.parent;
      if (!aliasToken || location?.name !== 'location') continue;
      const args = location.args;
      let prefixToken;
      if (args.length === 1) prefixToken = args[0]!;
      else if (args.length === 2 && args[0]!.value === '^~') prefixToken = args[1]!;
      else continue;
      const prefix = prefixToken.value;
      const target = aliasToken.value;
      if (!prefix.startsWith('/') || prefix.endsWith('/')) continue;
      if (!target.endsWith('/') || target.includes('$')) continue;
      // An internal location answers only nginx's own redirects (X-Accel-Redirect, error_page), never a client's URI.
      if (location.block?.children.some((d) => d.name === 'internal')) continue;
      const prefixEnd = valueSpan(prefixToken).to;
      const aliasEnd = valueSpan(aliasToken).to;
      const fixes: Fix[] = [
        {
          title: `Change the location to ${prefix}/`,
          edits: [{ range: range({ from: prefixEnd, to: prefixEnd }), newText: '/' }],
          isPreferred: true,
        },
      ];
      if (target.length > 1) {
        fixes.push({
          title: `Change the alias to ${target.replace(/\/+$/, '')}`,
          edits: [{ range: range({ from: aliasEnd - 1, to: aliasEnd }), newText: '' }],
        });
      }
      report({
        range: range(prefixToken.span),
        message: `location ${prefix} also matches ${prefix}../, and with alias ${target} nginx maps that to ${target}../, the folder above: anyone can read files next to the aliased folder (source code, settings, secrets). End the location with a slash (${prefix}/) or drop the alias's trailing slash.`,
        related: [{ uri, range: range(aliasToken.span), message: 'the alias ends with a slash' }],
        fixes,
      });
    }
  },
};

// Rule: nginx-empty-upstream — an upstream block without a single `server`; nginx refuses to start.

import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxEmptyUpstream: NginxRule = {
  meta: {
    id: 'nginx-empty-upstream',
    defaultSeverity: 'error',
    description: 'An upstream block with no server line (only keepalive, zone, …); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-empty-upstream'),
  },
  check({ model, catalog, workspace, range, report }) {
    for (const directive of model.all) {
      if (directive.name !== 'upstream' || !directive.block?.close) continue;
      if (directive.context !== 'http' && directive.context !== 'stream') continue;
      const children = directive.block.children;
      // An include may bring the servers in; what it holds is not known here. A module's directive (one no nginx
      // release has, such as nchan's nchan_redis_server) may give the upstream its peers in its own way.
      if (
        children.some(
          (child) =>
            child.name === 'server' || child.name === 'include' || !catalog.isKnownInAnyRelease(child.name),
        )
      ) {
        continue;
      }
      const name = directive.args[0];
      const addresses = [...(workspace.gunicornAddresses ?? [])];
      const indent = /^[ \t]*/.exec(
        model.lines.lineText(model.lines.positionAt(directive.span.from).line),
      )![0];
      const inner = `${indent}${indent.includes('\t') ? '\t' : '    '}`;
      const at = model.lines.positionAt(directive.block.open.to);
      report({
        range: range(
          name ? { from: directive.nameToken.span.from, to: name.span.to } : directive.nameToken.span,
        ),
        message: `upstream ${name?.value ?? ''} has no server line: nginx refuses to start ("no servers are inside upstream"). Add the address Gunicorn listens on.`,
        // One Gunicorn address known from the deployment: offer it.
        fixes:
          addresses.length === 1 && directive.context === 'http'
            ? [
                {
                  title: `Add server ${addresses[0]}`,
                  isPreferred: true,
                  edits: [
                    {
                      range: { start: at, end: at },
                      newText: `${model.lines.eol}${inner}server ${addresses[0]} fail_timeout=0;`,
                    },
                  ],
                },
              ]
            : [],
      });
    }
  },
};

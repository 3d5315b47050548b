// Rule: nginx-fail-timeout — several local Gunicorn servers in an upstream without fail_timeout=0 (or max_fails=0).

import { addressKey, isGunicornAddress, isLocalAddress, upstreamBlocks } from '../gunicornProxy';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxFailTimeout: NginxRule = {
  meta: {
    id: 'nginx-fail-timeout',
    defaultSeverity: 'info',
    description:
      'An upstream of several local Gunicorn servers without fail_timeout=0: after a restart nginx keeps answering 502 for up to 10 seconds.',
    docsUrl: nginxRuleDocsUrl('nginx-fail-timeout'),
  },
  check({ model, workspace, range, report }) {
    for (const block of upstreamBlocks(model).values()) {
      const active = block.servers.filter((server) => !server.args.some((arg) => arg.value === 'backup'));
      // With a single server nginx never marks it unavailable: failure counting only applies between several.
      if (active.length < 2) continue;
      const addresses = active.map((server) => server.args[0]!.value);
      if (addresses.some((address) => address.includes('$'))) continue;
      const gunicornLike = addresses.every(
        (address) =>
          isLocalAddress(addressKey(address)) ||
          isGunicornAddress(address, workspace) ||
          /gunicorn/i.test(address),
      );
      if (!gunicornLike) continue;
      for (const server of active) {
        const params = server.args.slice(1).map((arg) => arg.value.toLowerCase());
        if (params.some((param) => param.startsWith('fail_timeout=') || param === 'max_fails=0')) continue;
        const last = server.args[server.args.length - 1]!;
        const end = range({ from: last.span.to, to: last.span.to });
        report({
          range: range(server.args[0]!.span),
          message: `When this server fails a request (say Gunicorn is restarting), nginx stops using it for fail_timeout (10s by default); once every server of upstream "${block.name}" is marked, nginx answers 502 "no live upstreams" for up to 10 seconds even though Gunicorn is back. Local Gunicorn servers do not need that pause: add fail_timeout=0.`,
          fixes: [
            {
              title: 'Add fail_timeout=0',
              edits: [{ range: end, newText: ' fail_timeout=0' }],
              isPreferred: true,
            },
          ],
        });
      }
    }
  },
};

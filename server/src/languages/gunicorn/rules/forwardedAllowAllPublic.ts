// Rule: forwarded-allow-all-public — trusting forwarding headers from anyone while listening on a public address lets clients spoof scheme and IP.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

/** True for addresses other machines can reach: all interfaces, or a non-loopback host. */
function isPublic(address: string): boolean {
  if (address.startsWith('unix:') || address.startsWith('fd://')) return false;
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address.split(':')[0]!;
  return !['127.0.0.1', 'localhost', '::1'].includes(host) && !host.startsWith('127.');
}

export const forwardedAllowAllPublic: GunicornRule = {
  meta: {
    id: 'forwarded-allow-all-public',
    defaultSeverity: 'warning',
    description:
      'forwarded_allow_ips = "*" while bound to a reachable address: any client can claim HTTPS or another IP.',
    docsUrl: ruleDocsUrl('forwarded-allow-all-public'),
  },
  check({ model, uri, report }) {
    const allow = lastBinding(model, 'forwarded_allow_ips');
    if (!allow || allow.value.kind !== 'str' || allow.value.value.trim() !== '*') return;
    const bind = lastBinding(model, 'bind');
    const values = !bind
      ? []
      : bind.value.kind === 'list' || bind.value.kind === 'tuple'
        ? bind.value.items
        : [bind.value];
    const publicAddress = values.find((v) => v.kind === 'str' && isPublic(v.value));
    if (!bind || !publicAddress) return;
    report({
      range: spanRange(model, allow.value.span),
      message:
        'forwarded_allow_ips = "*" while Gunicorn listens on a reachable address: any client can send X-Forwarded-Proto/For and be believed. List the proxy\u2019s address instead, or bind to a unix socket or 127.0.0.1.',
      related: [{ uri, range: spanRange(model, publicAddress.span), message: 'reachable bind address' }],
    });
  },
};

// Rule: invalid-bind — a bind address Gunicorn cannot parse; it only finds out when creating sockets, and then exits.

import type { Value } from '../model';
import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';
import { isAtLeast } from '../../../core/version';

/** Why Gunicorn would reject an address, or undefined when it parses. */
export function bindProblem(
  address: string,
  fdSupported: boolean,
): { problem: string; fixed?: string } | undefined {
  if (address.startsWith('unix:')) {
    return address.length > 5 ? undefined : { problem: 'a unix socket address needs a path' };
  }
  if (address.startsWith('fd://')) {
    if (!fdSupported) return { problem: 'fd:// addresses need Gunicorn 20.0 or newer' };
    return /^fd:\/\/\d+$/.test(address)
      ? undefined
      : { problem: `'${address.slice(5)}' is not a file descriptor number` };
  }
  // Gunicorn strips a leading tcp:// itself; other schemes are URLs, not addresses.
  if (address.startsWith('tcp://')) return bindProblem(address.slice(6), fdSupported);
  const url = /^(?:https?):\/\/(.*)$/.exec(address);
  if (url) return { problem: 'a URL is not an address; write HOST:PORT', fixed: url[1]!.replace(/\/$/, '') };
  if (address.trim() === '') return { problem: 'the address is empty' };
  let port: string | undefined;
  if (address.startsWith('[')) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(address);
    if (!m) return { problem: 'an IPv6 address must be written [ADDRESS]:PORT' };
    port = m[2];
  } else if (address.includes(':')) {
    port = address.slice(address.lastIndexOf(':') + 1);
    if (address.indexOf(':') !== address.lastIndexOf(':')) {
      return { problem: 'an IPv6 address must be written [ADDRESS]:PORT' };
    }
  }
  if (port === undefined) return undefined;
  if (!/^\d+$/.test(port)) {
    return {
      problem: port === '' ? 'the port is missing after the colon' : `'${port}' is not a valid port number`,
    };
  }
  return Number(port) > 65535 ? { problem: `port ${port} is out of range (0–65535)` } : undefined;
}

export const invalidBind: GunicornRule = {
  meta: {
    id: 'invalid-bind',
    defaultSeverity: 'error',
    description: 'A bind address Gunicorn cannot parse; --check-config misses it, but start-up fails.',
    docsUrl: ruleDocsUrl('invalid-bind'),
  },
  check({ model, version, report }) {
    const bind = lastBinding(model, 'bind');
    if (!bind || bind.kind === 'import') return;
    const addresses: Value[] =
      bind.value.kind === 'list' || bind.value.kind === 'tuple' ? bind.value.items : [bind.value];
    for (const address of addresses) {
      if (address.kind !== 'str') continue;
      const verdict = bindProblem(address.value, isAtLeast(version, '20.0.0'));
      if (!verdict) continue;
      const range = spanRange(model, address.span);
      report({
        range,
        message: `Gunicorn will fail to start: bind address '${address.value}': ${verdict.problem}.`,
        fixes:
          verdict.fixed !== undefined
            ? [
                {
                  title: `Change to "${verdict.fixed}"`,
                  edits: [{ range, newText: JSON.stringify(verdict.fixed) }],
                  isPreferred: true,
                },
              ]
            : [],
      });
    }
  },
};

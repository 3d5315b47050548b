// Rule: forwarded-headers-untrusted — nginx sends X-Forwarded-Proto (or another scheme header) over TCP from an
// address that Gunicorn's forwarded_allow_ips does not trust, so Gunicorn ignores it.

import { isLoopbackHost } from '../addresses';
import type { NginxTarget } from '../nginxFacts';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import {
  deploymentAnchor,
  deploymentName,
  distinctPasses,
  fixAcross,
  originLabel,
  pyString,
  replaceSettingEdit,
} from './shared';

const DEFAULT_SCHEME_HEADERS = ['x-forwarded-protocol', 'x-forwarded-proto', 'x-forwarded-ssl'];

/** True when `address` is listed, or lies inside a listed IPv4 network. */
function trusts(list: readonly string[], address: string): boolean {
  const toInt = (text: string): number => text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  for (const entry of list) {
    if (entry === '*' || entry === address || entry === `${address}/${address.includes(':') ? 128 : 32}`) {
      return true;
    }
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(entry);
    if (!cidr || !/^\d+\.\d+\.\d+\.\d+$/.test(address)) continue;
    const size = 2 ** (32 - Math.min(32, Number(cidr[2])));
    if (Math.floor(toInt(cidr[1]!) / size) === Math.floor(toInt(address) / size)) return true;
  }
  return false;
}

/** A pass that connects over TCP (Gunicorn trusts every peer of a unix socket). */
type TcpTarget = NginxTarget & { endpoint: Extract<NginxTarget['endpoint'], { kind: 'tcp' }> };

export const forwardedHeadersUntrusted: DeploymentRule = {
  meta: {
    id: 'forwarded-headers-untrusted',
    defaultSeverity: 'warning',
    description:
      "nginx sets X-Forwarded-Proto (or another secure-scheme header) but connects over TCP from an address Gunicorn's forwarded_allow_ips does not list, so Gunicorn ignores the header and sees every request as plain http.",
    docsUrl: deploymentRuleDocsUrl('forwarded-headers-untrusted'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const allowed = facts.setting(deployment, 'forwarded_allow_ips');
      if (!allowed?.known || allowed.parsed.str === undefined) continue;
      const list = allowed.parsed.str
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (list.includes('*')) continue;
      const schemeHeaders = facts.setting(deployment, 'secure_scheme_headers');
      const names =
        schemeHeaders?.known && schemeHeaders.parsed.dict
          ? schemeHeaders.parsed.dict.map(([key]) => key.toLowerCase())
          : schemeHeaders?.origin === 'default'
            ? DEFAULT_SCHEME_HEADERS
            : undefined;
      if (!names?.length) continue;
      // Gunicorn trusts every peer of a unix socket.
      const overTcp = (t: NginxTarget): t is TcpTarget => t.protocol === 'http' && t.endpoint.kind === 'tcp';
      for (const target of distinctPasses(deployment, overTcp)) {
        const headers = facts.nginx.headers(target.file, target.pass);
        if (headers === 'unknown') continue;
        const sent = names.map((name) => headers.get(name)).find((h) => h !== undefined);
        if (!sent) continue;
        const host = target.endpoint.host;
        let sources: string[];
        if (isLoopbackHost(host)) {
          sources = host === 'localhost' ? ['127.0.0.1', '::1'] : host === '::1' ? ['::1'] : ['127.0.0.1'];
          if (sources.some((s) => trusts(list, s))) continue;
        } else {
          // nginx connects from one of its own non-loopback addresses: a list of loopback addresses trusts none.
          if (!list.every((entry) => isLoopbackHost(entry.replace(/\/\d+$/, '')))) continue;
          sources = [];
        }
        const header = sent.directive.args[0]!.value;
        const headerRange = sent.file.model.lines.range(sent.directive.span.from, sent.directive.span.to);
        const consequence = `Gunicorn only honours ${header} from addresses in forwarded_allow_ips (${allowed.value}, from ${originLabel(allowed.origin)}), so it ignores it: request.scheme stays "http", and apps that redirect to HTTPS or build absolute URLs loop or produce http:// links.`;
        const from = sources.length
          ? `from ${sources.join(' or ')}`
          : `from its own network address (it proxies to ${target.endpoint.host})`;
        if (allowed.where && allowed.origin !== 'default') {
          const wanted = [...list, ...sources.slice(0, 1)].join(',');
          const edit = sources.length
            ? replaceSettingEdit(deployment, allowed, { python: pyString(wanted), cli: wanted })
            : undefined;
          report({
            uri: allowed.where.uri,
            range: allowed.where.range,
            message: `nginx connects to ${deploymentName(deployment)} ${from} and sends ${header}. ${consequence}`,
            related: [{ uri: sent.file.uri, range: headerRange, message: `nginx sets ${header}` }],
            ...(edit
              ? {
                  fixes: [
                    fixAcross(allowed.where.uri, `Trust ${sources[0]!} in forwarded_allow_ips`, [edit], true),
                  ],
                }
              : {}),
          });
        } else {
          const anchor = deploymentAnchor(deployment);
          report({
            uri: sent.file.uri,
            range: headerRange,
            message: `nginx connects to ${deploymentName(deployment)} ${from} and sends ${header}. ${consequence} List nginx's address in forwarded_allow_ips (or FORWARDED_ALLOW_IPS).`,
            ...(anchor
              ? {
                  related: [
                    {
                      ...anchor,
                      message: `${deploymentName(deployment)}: forwarded_allow_ips is ${allowed.value}`,
                    },
                  ],
                }
              : {}),
          });
        }
      }
    }
  },
};

// Rule: protocol-mismatch — nginx speaks HTTP to a Gunicorn with protocol = "uwsgi", or uwsgi to an HTTP Gunicorn.

import type { Fix } from '../../core/findings';
import { compareVersions } from '../../core/version';
import { formatEndpoint } from '../addresses';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import {
  appendConfigLine,
  deploymentAnchor,
  deploymentName,
  fixAcross,
  originLabel,
  settingRelated,
} from './shared';

export const protocolMismatch: DeploymentRule = {
  meta: {
    id: 'protocol-mismatch',
    defaultSeverity: 'error',
    description:
      'nginx uses proxy_pass to a Gunicorn configured with protocol = "uwsgi", or uwsgi_pass to a Gunicorn that speaks HTTP: every request fails.',
    docsUrl: deploymentRuleDocsUrl('protocol-mismatch'),
  },
  check({ facts, report }) {
    const uwsgiCapable = compareVersions(facts.version, [24, 0, 0]) >= 0;
    for (const deployment of facts.deployments) {
      if (!deployment.nginx.length) continue;
      const protocol = uwsgiCapable ? facts.setting(deployment, 'protocol') : undefined;
      if (uwsgiCapable && !protocol?.known) continue;
      const speaks = protocol?.parsed.str === 'uwsgi' ? 'uwsgi' : 'http';
      const reported = new Set<string>();
      for (const target of deployment.nginx) {
        if (target.protocol === 'other' || target.protocol === speaks) continue;
        const passRange = target.file.model.lines.range(target.pass.span.from, target.pass.span.to);
        if (speaks === 'uwsgi' && protocol?.where) {
          const key = `${protocol.where.uri}`;
          if (reported.has(key)) continue;
          reported.add(key);
          report({
            uri: protocol.where.uri,
            range: protocol.where.range,
            message: `${deploymentName(deployment)} expects the uwsgi protocol (protocol = "uwsgi", from ${originLabel(protocol.origin)}), but nginx sends it plain HTTP with ${target.pass.name}; Gunicorn cannot parse those requests and every one fails. Use uwsgi_pass (with include uwsgi_params) in nginx, or drop protocol = "uwsgi".`,
            related: [{ uri: target.file.uri, range: passRange, message: `nginx: ${target.pass.name}` }],
          });
          continue;
        }
        if (speaks !== 'http') continue;
        const token = target.pass.args[0]!;
        const address = target.upstream ?? formatEndpoint(target.endpoint, true);
        const url = `http://${address}`;
        const related =
          (protocol && settingRelated(deployment, protocol, `${deploymentName(deployment)} speaks HTTP`)) ??
          (() => {
            const anchor = deploymentAnchor(deployment);
            return anchor ? { ...anchor, message: `${deploymentName(deployment)} speaks HTTP` } : undefined;
          })();
        const fixes: Fix[] = [
          {
            title: `Change to proxy_pass ${url}`,
            edits: [
              {
                range: target.file.model.lines.range(
                  target.pass.nameToken.span.from,
                  target.pass.nameToken.span.to,
                ),
                newText: 'proxy_pass',
              },
              { range: target.file.model.lines.range(token.span.from, token.span.to), newText: url },
            ],
            isPreferred: true,
          },
        ];
        const add = uwsgiCapable ? appendConfigLine(deployment, 'protocol = "uwsgi"') : undefined;
        if (add) {
          fixes.push(fixAcross(target.file.uri, 'Set protocol = "uwsgi" in the Gunicorn config', [add]));
        }
        report({
          uri: target.file.uri,
          range: passRange,
          message: uwsgiCapable
            ? `uwsgi_pass speaks the uwsgi protocol, but ${deploymentName(deployment)} speaks HTTP (protocol is ${protocol?.value ?? 'http'}, from ${originLabel(protocol?.origin ?? 'default')}), so every request fails. Use proxy_pass ${url}, or set protocol = "uwsgi" in Gunicorn.`
            : `uwsgi_pass speaks the uwsgi protocol, but Gunicorn ${facts.versionLabel} only speaks HTTP (protocol = "uwsgi" came in 24.0), so every request fails. Use proxy_pass ${url}.`,
          ...(related ? { related: [related] } : {}),
          fixes,
        });
      }
    }
  },
};

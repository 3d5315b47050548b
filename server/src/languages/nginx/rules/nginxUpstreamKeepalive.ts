// Rule: nginx-upstream-keepalive — an upstream with keepalive used without HTTP/1.1 and a cleared Connection header.

import type { TextEdit } from '../../../core/text';
import {
  couldBeUpstreamName,
  directivesIn,
  effectiveDirective,
  effectiveHeaders,
  headerLines,
  insertBefore,
  parsePassTarget,
  PROXY_CONTEXTS,
  replaceValue,
  upstreamBlocks,
  workerKind,
} from '../gunicornProxy';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxUpstreamKeepalive: NginxRule = {
  meta: {
    id: 'nginx-upstream-keepalive',
    defaultSeverity: 'warning',
    description:
      'An upstream with keepalive is proxied to without proxy_http_version 1.1 and proxy_set_header Connection "", so no connection is ever reused.',
    docsUrl: nginxRuleDocsUrl('nginx-upstream-keepalive'),
  },
  check({ model, uri, workspace, range, report }) {
    const upstreams = upstreamBlocks(model);
    if (![...upstreams.values()].some((block) => block.keepalive)) return;
    const sync = workerKind(workspace.gunicornWorkerClass) === 'sync';
    for (const pass of directivesIn(model, 'proxy_pass', PROXY_CONTEXTS)) {
      const token = pass.args[0];
      if (!token) continue;
      const target = parsePassTarget(token);
      if (!couldBeUpstreamName(target)) continue;
      const block = upstreams.get(target.host.toLowerCase());
      if (!block?.keepalive) continue;
      const version = effectiveDirective(model, pass, 'proxy_http_version');
      const set = effectiveHeaders(model, pass);
      const versionOk = version.status === 'unknown' || version.directive?.args[0]?.value.trim() === '1.1';
      const connection = set.status === 'known' ? set.headers.get('connection') : undefined;
      const connectionOk =
        set.status === 'unknown' || (!!connection && connection.value.trim().toLowerCase() !== 'close');
      if (versionOk && connectionOk) continue;
      const missing: string[] = [];
      const edits: TextEdit[] = [];
      const inserted: string[] = [];
      if (!versionOk) {
        missing.push('proxy_http_version 1.1');
        const own =
          version.status === 'known' && version.directive?.parent === pass.parent ? version.directive : null;
        if (own) edits.push(replaceValue(model, own.args[0]!, '1.1'));
        else inserted.push('proxy_http_version 1.1;');
      }
      if (!connectionOk) {
        missing.push('proxy_set_header Connection ""');
        if (
          connection &&
          set.status === 'known' &&
          set.own &&
          connection.directive.name === 'proxy_set_header'
        ) {
          edits.push(replaceValue(model, connection.directive.args[1] ?? connection.directive.args[0]!, ''));
        } else {
          inserted.push(
            ...headerLines(model, set, ['proxy_set_header Connection "";'], new Set(['connection'])).lines,
          );
        }
      }
      if (inserted.length) edits.push(insertBefore(model, pass, inserted));
      const why = sync
        ? " (Gunicorn's sync worker closes every connection after its response anyway, so with it keepalive gains nothing at all.)"
        : '';
      report({
        range: range(pass.nameToken.span),
        message: `Upstream "${block.name}" keeps idle connections open (keepalive), but this proxy_pass lacks ${missing.join(' and ')}: nginx then talks HTTP/1.0 with "Connection: close", so every request still opens a new connection.${why}`,
        related: [{ uri, range: range(block.keepalive.span), message: 'keepalive is set here' }],
        fixes: [{ title: `Add ${missing.join(' and ')}`, edits, isPreferred: true }],
      });
    }
  },
};

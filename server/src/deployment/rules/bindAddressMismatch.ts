// Rule: bind-address-mismatch — nginx proxies to an address where no Gunicorn of the workspace listens.

import type { Fix, RelatedInfo } from '../../core/findings';
import {
  endpointKey,
  formatEndpoint,
  formatListenStream,
  isLocalEndpoint,
  type Endpoint,
} from '../addresses';
import { composeServiceOf, type Deployment } from '../model';
import type { NginxTarget } from '../nginxFacts';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import {
  deploymentAnchor,
  deploymentName,
  fixAcross,
  pyString,
  replaceSettingEdit,
  replaceUnitValue,
} from './shared';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function describeListens(deployment: Deployment): string {
  const listens = deployment.listens ?? [];
  return listens.map((l) => formatEndpoint(l.endpoint)).join(', ');
}

/** The deployments a target that reaches nobody was evidently meant for, or [] when that is not evident. */
function intendedFor(
  target: NginxTarget,
  candidates: readonly Deployment[],
  unmatchedLocalKeys: ReadonlySet<string>,
): Deployment[] {
  const endpoint = target.endpoint;
  const text = `${target.upstream ?? ''} ${endpointKey(endpoint)}`;
  if (/gunicorn/i.test(text)) return [...candidates];
  if (endpoint.kind === 'unix') {
    const similar = candidates.filter((d) =>
      d.listens!.some(
        (l) =>
          l.endpoint.kind === 'unix' &&
          (baseName(l.endpoint.path) === baseName(endpoint.path) ||
            dirName(l.endpoint.path) === dirName(endpoint.path)),
      ),
    );
    if (similar.length) return similar;
  }
  if (endpoint.kind === 'tcp') {
    const byService = candidates.filter((d) => composeServiceOf(d) === endpoint.host);
    if (byService.length) return byService;
  }
  // One local address nginx proxies to that nothing serves, and Gunicorns that no nginx location reaches.
  if (isLocalEndpoint(endpoint) && unmatchedLocalKeys.size === 1) {
    const lonely = candidates.filter((d) => d.nginx.length === 0);
    if (lonely.length === 1) return lonely;
  }
  return [];
}

/** The fix that makes Gunicorn listen where nginx points, when its address is written in one place. */
function gunicornSideFix(
  facts: Parameters<DeploymentRule['check']>[0]['facts'],
  deployment: Deployment,
  wanted: Endpoint,
  uri: string,
): Fix | undefined {
  if (wanted.kind === 'other') return undefined;
  if (deployment.sockets.length) {
    const listens = deployment.sockets.flatMap((s) => s.listens);
    if (listens.length !== 1) return undefined;
    const value = formatListenStream(wanted);
    return fixAcross(uri, `Change ListenStream= to ${value}`, [replaceUnitValue(listens[0]!.where, value)]);
  }
  const bind = facts.setting(deployment, 'bind');
  if (!bind?.known || bind.origin === 'default' || bind.parsed.list?.length !== 1) return undefined;
  const address = formatEndpoint(wanted);
  const edit = replaceSettingEdit(deployment, bind, { python: pyString(address), cli: address });
  return edit ? fixAcross(uri, `Make Gunicorn bind to ${address}`, [edit]) : undefined;
}

export const bindAddressMismatch: DeploymentRule = {
  meta: {
    id: 'bind-address-mismatch',
    defaultSeverity: 'warning',
    description:
      "nginx proxies to a unix socket or local port that no Gunicorn in the workspace listens on (its effective bind, or its .socket's ListenStream=).",
    docsUrl: deploymentRuleDocsUrl('bind-address-mismatch'),
  },
  // An address is mismatched only when no deployment of the workspace listens there.
  scope: 'workspace',
  check({ facts, report }) {
    const candidates = facts.deployments.filter((d) => d.listens?.length && (d.launch || d.config));
    if (!candidates.length) return;
    // Any deployment whose addresses are unknown might be the one a target reaches.
    if (facts.deployments.some((d) => (d.launch || d.config) && d.listens === undefined)) return;
    const matched = new Set<NginxTarget>(facts.deployments.flatMap((d) => d.nginx));
    const unmatched = facts.nginx.targets.filter((t) => t.protocol !== 'other' && !matched.has(t));
    const unmatchedLocalKeys = new Set(
      unmatched.filter((t) => isLocalEndpoint(t.endpoint)).map((t) => endpointKey(t.endpoint)),
    );
    const seen = new Set<string>();
    for (const target of unmatched) {
      const site = target.site;
      const key = `${site.file.uri}:${site.from}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const intended = intendedFor(target, candidates, unmatchedLocalKeys);
      if (!intended.length) continue;
      const related: RelatedInfo[] = [];
      for (const deployment of intended.slice(0, 5)) {
        for (const listen of deployment.listens!) {
          const message = `${deploymentName(deployment)} listens on ${formatEndpoint(listen.endpoint)}`;
          if (listen.where) related.push({ uri: listen.where.uri, range: listen.where.range, message });
          else {
            const anchor = deploymentAnchor(deployment);
            if (anchor) related.push({ ...anchor, message: `${message} (Gunicorn's default bind)` });
          }
        }
      }
      const fixes: Fix[] = [];
      const only = intended.length === 1 ? intended[0]! : undefined;
      const listens = only?.listens ?? [];
      if (only && listens.length === 1) {
        const address = formatEndpoint(listens[0]!.endpoint, true);
        fixes.push({
          title: `Point nginx at ${address}`,
          edits: [{ range: site.file.model.lines.range(site.from, site.to), newText: address }],
          isPreferred: true,
        });
        const other = gunicornSideFix(facts, only, target.endpoint, site.file.uri);
        if (other) fixes.push(other);
      }
      // Name a few; in a big workspace the rest are in the related information, not in one endless message.
      const shown = intended.slice(0, 3).map((d) => `${deploymentName(d)} listens on ${describeListens(d)}`);
      const where = `${shown.join('; ')}${intended.length > 3 ? `; and ${intended.length - 3} more` : ''}`;
      report({
        uri: site.file.uri,
        range: site.file.model.lines.range(site.from, site.to),
        message: `nginx sends these requests to ${endpointKey(target.endpoint)}${target.upstream ? ` (upstream ${target.upstream})` : ''}, but no Gunicorn in the workspace listens there (${where}), so they fail with 502 Bad Gateway. Make both sides name the same address.`,
        related,
        fixes,
      });
    }
  },
};

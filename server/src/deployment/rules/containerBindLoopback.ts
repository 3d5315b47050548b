// Rule: container-bind-loopback — Gunicorn in a container listens on loopback only, so nothing outside reaches it.

import type { RelatedInfo } from '../../core/findings';
import { isLoopbackHost, type Endpoint } from '../addresses';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { deploymentAnchor, fixAcross, originLabel, pyString, replaceSettingEdit } from './shared';

const loopbackTcp = (endpoint: Endpoint): endpoint is Extract<Endpoint, { kind: 'tcp' }> =>
  endpoint.kind === 'tcp' && isLoopbackHost(endpoint.host);

export const containerBindLoopback: DeploymentRule = {
  meta: {
    id: 'container-bind-loopback',
    defaultSeverity: 'warning',
    description:
      "Gunicorn in a container binds only a loopback address (127.0.0.1, localhost, or Gunicorn's default bind): published ports, other containers and proxies connect to the container's own address and are refused.",
    docsUrl: deploymentRuleDocsUrl('container-bind-loopback'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      if (!container) continue;
      // A namespace shared with the host or another container makes loopback reachable from there.
      if (container.networkMode || container.networkShared) continue;
      const listens = deployment.listens;
      if (!listens?.length || !listens.every((listen) => loopbackTcp(listen.endpoint))) continue;
      const bind = facts.setting(deployment, 'bind');
      if (!bind?.known) continue;
      // Gunicorn's default bind follows $PORT, which `docker run -e` or a platform (Cloud Run, Heroku) sets at run
      // time: only a compose file says the whole environment.
      if (bind.origin === 'default' && container.orchestrator === 'docker') continue;
      const anchor = bind.where ?? deploymentAnchor(deployment);
      if (!anchor) continue;
      const ports = [...new Set(listens.map((listen) => (listen.endpoint as { port: number }).port))];
      const address = `0.0.0.0:${ports[0]}`;
      const edit =
        ports.length === 1 && listens.length === 1
          ? replaceSettingEdit(deployment, bind, { python: pyString(address), cli: address })
          : undefined;
      const related: RelatedInfo[] = [];
      const published = container.ports.filter((port) => port.declaredBy === 'ports');
      for (const port of published.slice(0, 3)) {
        related.push({
          uri: port.where.uri,
          range: port.where.range,
          message: `published: ${port.where.value}`,
        });
      }
      const where = container.service
        ? `the ${container.service.value} service's container`
        : 'the container this Dockerfile builds';
      report({
        uri: anchor.uri,
        range: anchor.range,
        message: `Gunicorn binds ${bind.value} (${originLabel(bind.origin)}) inside ${where}: a loopback address is reachable only from inside that container, so published ports, nginx and other containers get "connection refused". Bind 0.0.0.0 (every interface of the container) instead.`,
        related,
        ...(edit ? { fixes: [fixAcross(anchor.uri, `Bind ${address}`, [edit], true)] } : {}),
      });
    }
  },
};

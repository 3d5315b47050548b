// Rule: container-port-not-declared — Gunicorn's port is none of the ports its container declares (EXPOSE, compose
// ports and expose).

import type { RelatedInfo } from '../../core/findings';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { deploymentAnchor, originLabel, outwardTcp } from './shared';

export const containerPortNotDeclared: DeploymentRule = {
  meta: {
    id: 'container-port-not-declared',
    defaultSeverity: 'warning',
    description:
      'Gunicorn listens on a port that is none of those its container declares (Dockerfile EXPOSE, compose ports targets and expose), so the published port or the proxy points where nothing listens.',
    docsUrl: deploymentRuleDocsUrl('container-port-not-declared'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      if (!container || container.portsUnknown) continue;
      // Kubernetes and platforms route to other ports than a Dockerfile's: orchestrator-port-mismatch judges them.
      if (container.orchestrator !== 'docker' && container.orchestrator !== 'compose') continue;
      const declared = container.ports.filter((port) => port.protocol === 'tcp');
      if (!declared.length) continue;
      const tcp = outwardTcp(deployment);
      if (!tcp) continue;
      if (
        tcp.some((endpoint) =>
          declared.some((port) => port.port <= endpoint.port && endpoint.port <= port.last),
        )
      ) {
        continue;
      }
      const bind = facts.setting(deployment, 'bind');
      if (!bind?.known) continue;
      const anchor = bind.where ?? deploymentAnchor(deployment);
      if (!anchor) continue;
      const related: RelatedInfo[] = declared.slice(0, 5).map((port) => ({
        uri: port.where.uri,
        range: port.where.range,
        message: `${port.declaredBy === 'EXPOSE' ? 'EXPOSE' : `compose ${port.declaredBy}`} ${port.where.value}`,
      }));
      const ports = [...new Set(tcp.map((endpoint) => endpoint.port))].join(', ');
      const wanted = [
        ...new Set(
          declared.map((port) => (port.last > port.port ? `${port.port}-${port.last}` : `${port.port}`)),
        ),
      ].join(', ');
      report({
        uri: anchor.uri,
        range: anchor.range,
        message: `Gunicorn listens on port ${ports} (bind ${bind.value}, ${originLabel(bind.origin)}), but its container declares ${wanted}: connections to the declared port find nothing listening. Make the bind and the container's ports agree.`,
        related,
      });
    }
  },
};

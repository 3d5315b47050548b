// Rule: orchestrator-port-mismatch — Gunicorn in a Kubernetes pod or on a platform listens on another port than the
// one traffic is sent to (containerPort / Service targetPort, Fly internal_port, the $PORT a platform sets).

import type { RelatedInfo } from '../../core/findings';
import type { ContainerFacet, ContainerPort } from '../../languages/gunicorn/launch';
import { orchestratorName } from '../orchestrators';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { deploymentAnchor, fixAcross, originLabel, outwardTcp, pyString, replaceSettingEdit } from './shared';

/** Platforms that route to $PORT and do not look for another port (Render detects the port a service binds). */
const PORT_PLATFORMS = new Set<ContainerFacet['orchestrator']>([
  'heroku',
  'cloud-run',
  'app-engine-standard',
  'app-engine-flexible',
]);

const DESCRIBE: Record<ContainerPort['declaredBy'], string> = {
  EXPOSE: 'EXPOSE',
  ports: 'ports',
  expose: 'expose',
  containerPort: 'containerPort',
  targetPort: 'Service targetPort',
  internal_port: 'internal_port',
  PORT: '$PORT',
};

export const orchestratorPortMismatch: DeploymentRule = {
  meta: {
    id: 'orchestrator-port-mismatch',
    defaultSeverity: 'warning',
    description:
      "Gunicorn in a Kubernetes pod or on a platform binds a port traffic is not sent to (the containerPort or a Service's targetPort, Fly's internal_port, or the $PORT that Heroku, Cloud Run and App Engine set), so requests find nothing listening.",
    docsUrl: deploymentRuleDocsUrl('orchestrator-port-mismatch'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      if (!container || container.orchestrator === 'docker' || container.orchestrator === 'compose') continue;
      const tcp = outwardTcp(deployment);
      if (!tcp) continue;
      const bind = facts.setting(deployment, 'bind');
      if (!bind?.known) continue;
      // Gunicorn's default bind follows $PORT: on a platform that sets it, it is right by construction.
      if (bind.origin === 'default' && container.portEnv) continue;
      const bound = new Set(tcp.map((endpoint) => endpoint.port));
      const anchor = bind.where ?? deploymentAnchor(deployment);
      if (!anchor) continue;
      const platform = orchestratorName(container.orchestrator);
      const service = container.service?.value ?? 'the container';
      const portList = [...bound].join(', ');
      if (PORT_PLATFORMS.has(container.orchestrator) && container.portEnv) {
        const port = container.portEnv.port;
        if (port !== undefined && bound.has(port)) continue;
        // In an argv nothing expands `$PORT`: the fix is offered only where a shell reads the line.
        const edit =
          container.commandForm === 'shell' && tcp.length === 1
            ? replaceSettingEdit(deployment, bind, {
                python: pyString('0.0.0.0:$PORT'),
                cli: '0.0.0.0:$PORT',
              })
            : undefined;
        const related: RelatedInfo[] = container.portEnv.where
          ? [
              {
                uri: container.portEnv.where.uri,
                range: container.portEnv.where.range,
                message: `PORT ${port}`,
              },
            ]
          : [];
        const which = port === undefined ? 'a port it chooses' : `port ${port}`;
        report({
          uri: anchor.uri,
          range: anchor.range,
          message: `Gunicorn binds port ${portList} (bind ${bind.value}, ${originLabel(bind.origin)}), but ${platform} sends requests for ${service} to ${which}, which it passes in $PORT: nothing answers there. Bind 0.0.0.0:$PORT (a shell expands it; Gunicorn's default bind reads PORT too).`,
          related,
          ...(edit && bind.origin !== 'default'
            ? { fixes: [fixAcross(anchor.uri, 'Bind 0.0.0.0:$PORT', [edit], true)] }
            : {}),
        });
        continue;
      }
      if (container.portsUnknown) continue;
      const targets = container.ports.filter(
        (port) =>
          port.declaredBy === 'containerPort' ||
          port.declaredBy === 'targetPort' ||
          port.declaredBy === 'internal_port',
      );
      if (!targets.length) continue;
      // Kubernetes: one of the declared or targeted ports is enough (the others may belong to a metrics endpoint).
      if (targets.some((port) => bound.has(port.port))) continue;
      const wanted = [...new Set(targets.map((port) => port.port))];
      const related: RelatedInfo[] = targets.slice(0, 5).map((port) => ({
        uri: port.where.uri,
        range: port.where.range,
        message: `${DESCRIBE[port.declaredBy]} ${port.where.value}`,
      }));
      const address = `0.0.0.0:${wanted[0]}`;
      const edit =
        wanted.length === 1 && tcp.length === 1 && bind.origin !== 'default'
          ? replaceSettingEdit(deployment, bind, { python: pyString(address), cli: address })
          : undefined;
      const kinds = [...new Set(targets.map((port) => DESCRIBE[port.declaredBy]))].join(' and ');
      report({
        uri: anchor.uri,
        range: anchor.range,
        message: `Gunicorn binds port ${portList} (bind ${bind.value}, ${originLabel(bind.origin)}), but ${platform} sends traffic for ${service} to ${wanted.join(', ')} (${kinds}): connections find nothing listening. Make the bind and the port agree.`,
        related,
        ...(edit ? { fixes: [fixAcross(anchor.uri, `Bind ${address}`, [edit], true)] } : {}),
      });
    }
  },
};

// Rule: probe-port-mismatch — a Kubernetes HTTP or TCP probe knocks on a port Gunicorn does not listen on, so it
// fails every time: a liveness or startup probe restarts the container forever, a readiness probe keeps it out of
// its Services.

import type { ContainerProbeFacet } from '../../languages/gunicorn/launch';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { originLabel, outwardTcp, settingRelated } from './shared';

const CONSEQUENCE: Record<ContainerProbeFacet['role'], string> = {
  liveness: 'the kubelet restarts the container again and again',
  startup: 'the kubelet restarts the container again and again',
  readiness: 'the pod never becomes ready and its Services send it no traffic',
  health: 'the platform takes the instance for unhealthy',
};

export const probePortMismatch: DeploymentRule = {
  meta: {
    id: 'probe-port-mismatch',
    defaultSeverity: 'warning',
    description:
      "A Kubernetes httpGet or tcpSocket probe of Gunicorn's container checks a port Gunicorn does not listen on, so it always fails: liveness and startup probes restart the container forever, a readiness probe keeps the pod out of its Services.",
    docsUrl: deploymentRuleDocsUrl('probe-port-mismatch'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      // In a pod with sidecars the probed port may be a sidecar's (the pod shares one network namespace).
      if (!container?.probes?.length || container.sharedPod || container.orchestrator !== 'kubernetes') {
        continue;
      }
      // Loopback only is container-bind-loopback's finding (the probe comes from the node, not from inside).
      const tcp = outwardTcp(deployment);
      if (!tcp) continue;
      const bind = facts.setting(deployment, 'bind');
      if (!bind?.known) continue;
      const bound = new Set(tcp.map((endpoint) => endpoint.port));
      for (const probe of container.probes) {
        if ((probe.kind !== 'http' && probe.kind !== 'tcp') || !probe.port) continue;
        const target = probe.port.target;
        const port =
          typeof target === 'number'
            ? target
            : container.ports.find((p) => p.declaredBy === 'containerPort' && p.name === target)?.port;
        if (port === undefined || bound.has(port)) continue;
        const related = settingRelated(deployment, bind, `bind ${bind.value} (${originLabel(bind.origin)})`);
        const named = typeof target === 'string' ? ` (${target})` : '';
        report({
          uri: probe.port.uri,
          range: probe.port.range,
          message: `The ${probe.role} probe checks port ${port}${named}, but Gunicorn listens on ${[...bound].join(', ')} (bind ${bind.value}): the probe fails every time and ${CONSEQUENCE[probe.role]}. Probe the port Gunicorn binds.`,
          ...(related ? { related: [related] } : {}),
        });
      }
    }
  },
};

// Rule: daemon-service-type — daemon = True (from the config file or GUNICORN_CMD_ARGS) under a service that is not
// Type=forking: the process systemd started exits and systemd stops the service.

import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { execStartOf, fixAcross, originLabel, replaceSettingEdit, unitRelated } from './shared';

export const daemonServiceType: DeploymentRule = {
  meta: {
    id: 'daemon-service-type',
    defaultSeverity: 'error',
    description:
      'Gunicorn daemonizes (daemon = True in its config file or GUNICORN_CMD_ARGS) under a systemd service whose Type= expects it to stay in the foreground.',
    docsUrl: deploymentRuleDocsUrl('daemon-service-type'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const view = deployment.service?.view;
      if (!view || !deployment.launch) continue;
      const daemon = facts.setting(deployment, 'daemon');
      // -D on the command line is the unit's own rule.
      if (!daemon?.known || daemon.parsed.bool !== true || !daemon.where) continue;
      if (daemon.origin !== 'config' && daemon.origin !== 'GUNICORN_CMD_ARGS') continue;
      const type = view.last('Service', 'Type');
      const value = type?.directive.value ?? 'simple';
      if (value === 'forking') continue;
      const anchor = type ?? execStartOf(deployment);
      const edit =
        daemon.origin === 'config'
          ? replaceSettingEdit(deployment, daemon, { python: 'False', cli: 'false' })
          : undefined;
      report({
        uri: daemon.where.uri,
        range: daemon.where.range,
        message: `daemon = True (from ${originLabel(daemon.origin)}) makes the Gunicorn master fork into the background and the process systemd started exit, but ${deployment.service!.name} is Type=${value}${type ? '' : ' (the default)'}: systemd takes the exit as the service stopping and kills what is left${value === 'notify' ? ', or waits for a readiness message that never comes' : ''}. Let systemd keep Gunicorn in the foreground.`,
        ...(anchor
          ? { related: [unitRelated(anchor, type ? `Type=${value}` : 'the service starts Gunicorn here')] }
          : {}),
        ...(edit ? { fixes: [fixAcross(daemon.where.uri, 'Set daemon = False', [edit], true)] } : {}),
      });
    }
  },
};

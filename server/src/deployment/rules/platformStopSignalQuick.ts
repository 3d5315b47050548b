// Rule: platform-stop-signal-quick — the orchestrator stops Gunicorn with a signal that means "quick shutdown" by
// default (Fly.io sends SIGINT unless fly.toml sets kill_signal), so every deploy cuts running requests.

import { signalName } from './containerShared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { fixAcross } from './shared';
import { orchestratorName } from '../orchestrators';

export const platformStopSignalQuick: DeploymentRule = {
  meta: {
    id: 'platform-stop-signal-quick',
    defaultSeverity: 'warning',
    description:
      'The platform stops Gunicorn with SIGINT when its file names no signal (Fly.io without kill_signal): Gunicorn then stops at once and kills running requests instead of shutting down gracefully on SIGTERM.',
    docsUrl: deploymentRuleDocsUrl('platform-stop-signal-quick'),
  },
  check({ facts, report }) {
    const seen = new Set<string>();
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      const fallback = container?.stopSignalDefault;
      if (!container || container.stopSignal || !fallback) continue;
      const name = signalName(fallback.signal);
      if (name !== 'INT' && name !== 'QUIT') continue;
      const anchor = container.service;
      if (!anchor) continue;
      // One finding per file: the signal is the app's, not each process group's.
      if (seen.has(anchor.uri)) continue;
      seen.add(anchor.uri);
      const platform = orchestratorName(container.orchestrator);
      const start = { line: 0, character: 0 };
      const fix =
        container.orchestrator === 'fly'
          ? [
              fixAcross(
                anchor.uri,
                'Set kill_signal = "SIGTERM"',
                [
                  {
                    uri: anchor.uri,
                    edit: {
                      range: { start, end: start },
                      newText: `kill_signal = "SIGTERM"${facts.lines(anchor.uri)?.eol ?? '\n'}`,
                    },
                  },
                ],
                true,
              ),
            ]
          : [];
      report({
        uri: anchor.uri,
        range: anchor.range,
        message: `${platform} stops ${anchor.value} with SIG${name} when no kill_signal is set (${fallback.source}): Gunicorn takes it as "quick shutdown" and kills its workers with their requests at every deploy. Set kill_signal = "SIGTERM" for the graceful shutdown, which waits up to graceful_timeout.`,
        ...(fix.length ? { fixes: fix } : {}),
      });
    }
  },
};

// Rule: container-stop-signal-quick — the container is stopped with SIGINT or SIGQUIT, on which Gunicorn shuts down at
// once instead of letting its workers finish.

import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { signalName } from './containerShared';
import { shellKeepsStopSignal } from './containerShellSignals';
import { fixAcross } from './shared';

export const containerStopSignalQuick: DeploymentRule = {
  meta: {
    id: 'container-stop-signal-quick',
    defaultSeverity: 'warning',
    description:
      "The container's STOPSIGNAL or stop_signal is SIGINT or SIGQUIT, which make Gunicorn stop at once (workers killed mid-request) instead of the graceful shutdown SIGTERM starts.",
    docsUrl: deploymentRuleDocsUrl('container-stop-signal-quick'),
  },
  check({ facts, report }) {
    const seen = new Set<string>();
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      const signal = container?.stopSignal;
      if (!container || !signal) continue;
      const name = signalName(signal.value);
      if (name !== 'INT' && name !== 'QUIT') continue;
      // A shell that keeps the signal to itself does not let Gunicorn see it yet (container-shell-signals says so), but
      // the quick shutdown comes as soon as that is fixed: still reported, saying so.
      const heldByShell = shellKeepsStopSignal(container);
      const key = `${signal.uri}:${signal.range.start.line}:${signal.range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const written = /^\d+$/.test(signal.value.trim())
        ? '15'
        : signal.value.trim().toUpperCase().startsWith('SIG')
          ? 'SIGTERM'
          : 'TERM';
      report({
        uri: signal.uri,
        range: signal.range,
        message: heldByShell
          ? `The container is stopped with SIG${name}, which the shell in front of Gunicorn keeps for now (container-shell-signals); once Gunicorn gets it (with exec), it takes it as "quick shutdown" and kills its workers with their requests. SIGTERM (the default) starts the graceful shutdown, which waits up to graceful_timeout for running requests.`
          : `The container is stopped with SIG${name}: Gunicorn takes it as "quick shutdown" and kills its workers with their requests. SIGTERM (the default) starts the graceful shutdown, which waits up to graceful_timeout for running requests.`,
        fixes: [
          fixAcross(
            signal.uri,
            `Stop with ${written}`,
            [{ uri: signal.uri, edit: { range: signal.range, newText: written } }],
            true,
          ),
        ],
      });
    }
  },
};

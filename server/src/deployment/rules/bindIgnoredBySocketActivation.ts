// Rule: bind-ignored-by-socket-activation — a bind Gunicorn never uses because systemd hands it the socket's listeners.

import type { RelatedInfo } from '../../core/findings';
import type { TextEdit } from '../../core/text';
import type { Deployment, DeploymentFacts } from '../model';
import { hasPlaceholder } from '../../core/templates';
import { endpointsMatch, gunicornBindEndpoint } from '../addresses';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { deleteConfigStatement, fixAcross, originLabel, unitRelated } from './shared';

export const bindIgnoredBySocketActivation: DeploymentRule = {
  meta: {
    id: 'bind-ignored-by-socket-activation',
    defaultSeverity: 'warning',
    description:
      'A bind setting for a Gunicorn that a systemd .socket activates: Gunicorn serves the inherited listeners and ignores bind.',
    docsUrl: deploymentRuleDocsUrl('bind-ignored-by-socket-activation'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      if (!deployment.launch || !deployment.sockets.length) continue;
      const bind = facts.setting(deployment, 'bind');
      if (!bind?.where || bind.origin === 'default') continue;
      const listens = deployment.sockets.flatMap((socket) => socket.listens);
      const related: RelatedInfo[] = listens.map((listen) =>
        unitRelated(listen.where, `${listen.where.unit.name} listens here`),
      );
      if (!related.length) {
        for (const socket of deployment.sockets) {
          related.push({
            uri: socket.unit.uri,
            range: socket.unit.model.lines.range(0, 0),
            message: socket.unit.name,
          });
        }
      }
      const endpoints =
        bind.known && bind.parsed.list
          ? bind.parsed.list.map((b) => gunicornBindEndpoint(b, deployment.cwd))
          : [];
      const same =
        endpoints.length > 0 &&
        endpoints.every((e) => e && listens.some((listen) => endpointsMatch(e, listen.endpoint)));
      // A placeholder on either side (`{{ socket_path }}` in both, as templates write it) leaves the two addresses
      // unknown: the bind still does nothing, but nothing says it misleads.
      const unknown =
        !same &&
        (hasPlaceholder(bind.value) ||
          listens.some((listen) => hasPlaceholder(listen.where.directive.value)));
      const socketNames = deployment.sockets.map((s) => s.unit.name).join(', ');
      const removal =
        bind.origin === 'config'
          ? deleteConfigStatement(deployment, 'bind')
          : bind.origin === 'command-line'
            ? removeCommandLineBinds(facts, deployment)
            : undefined;
      report({
        uri: bind.where.uri,
        range: bind.where.range,
        ...(same || unknown ? { severity: 'info' as const } : {}),
        message: unknown
          ? `This bind (${bind.value}, from ${originLabel(bind.origin)}) has no effect: ${deployment.service?.name ?? 'the service'} is socket-activated by ${socketNames}, so Gunicorn serves the listeners systemd passes (LISTEN_FDS). Keep the address in one place, the .socket.`
          : same
            ? `This bind (${bind.value}, from ${originLabel(bind.origin)}) repeats what ${socketNames} listens on, but it has no effect: systemd starts ${deployment.service?.name ?? 'the service'} with the socket's listeners (LISTEN_FDS) and Gunicorn then ignores bind. Keep the address in one place, the .socket.`
            : `Gunicorn ignores this bind (${bind.value}, from ${originLabel(bind.origin)}): ${deployment.service?.name ?? 'the service'} is socket-activated by ${socketNames}, so it serves the listeners systemd passes (LISTEN_FDS) instead. Clients must use the .socket's address; the bind only misleads.`,
        related,
        ...(removal
          ? { fixes: [fixAcross(bind.where.uri, 'Remove the bind setting', [removal], true)] }
          : {}),
      });
    }
  },
};

/** Edits removing every `-b/--bind` option of the launch with the blanks before it, when each sits on one line. */
function removeCommandLineBinds(
  facts: DeploymentFacts,
  deployment: Deployment,
): { uri: string; edit: TextEdit } | undefined {
  const launch = deployment.launch;
  const text = launch && facts.sources.get(launch.uri)?.text;
  const lines = launch && facts.lines(launch.uri);
  if (!launch || text === undefined || !lines) return undefined;
  const options = launch.invocation.options.filter((o) => o.setting === 'bind' && !o.problem);
  // One edit per fix keeps it simple; several -b options are rare.
  if (options.length !== 1) return undefined;
  const option = options[0]!;
  const end = option.valueTo ?? option.flagToken.to;
  let start = option.flagToken.from;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (/[\r\n]/.test(text.slice(start, end))) return undefined;
  return { uri: launch.uri, edit: { range: lines.range(start, end), newText: '' } };
}

// Rule: socket-permission-denied — nginx's worker user cannot connect to the unix socket a .socket unit creates.

import type { Severity } from '../../core/findings';
import type { ParsedUnit, UnitDirective } from '../systemdFacts';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { fixAcross, insertUnitLineAfter, replaceUnitValue, unitRelated } from './shared';

export const socketPermissionDenied: DeploymentRule = {
  meta: {
    id: 'socket-permission-denied',
    defaultSeverity: 'warning',
    description:
      "A .socket unit's SocketUser=, SocketGroup= and SocketMode= leave nginx's worker user (its `user` directive) without write access to the unix socket it proxies to.",
    docsUrl: deploymentRuleDocsUrl('socket-permission-denied'),
  },
  check({ facts, report }) {
    const nginxUser = facts.nginx.workerUser();
    if (!nginxUser || nginxUser.user === 'root' || /\$/.test(nginxUser.user)) return;
    const done = new Set<string>();
    for (const deployment of facts.deployments) {
      for (const socket of deployment.sockets) {
        const listen = socket.listens.find(
          (l) =>
            l.endpoint.kind === 'unix' &&
            deployment.nginx.some(
              (t) =>
                t.endpoint.kind === 'unix' &&
                l.endpoint.kind === 'unix' &&
                t.endpoint.path === l.endpoint.path,
            ),
        );
        if (!listen || done.has(socket.unit.uri)) continue;
        done.add(socket.unit.uri);
        const view = { last: (key: string) => lastIn(socket.unit, key) };
        const modeDirective = view.last('SocketMode');
        const userDirective = view.last('SocketUser');
        const groupDirective = view.last('SocketGroup');
        const modeText = modeDirective?.directive.value ?? '0666';
        if (!/^[0-7]{3,4}$/.test(modeText)) continue;
        const mode = parseInt(modeText, 8);
        const owner = userDirective?.directive.value ?? 'root';
        const group = groupDirective?.directive.value ?? 'root';
        if (/[%$]/.test(owner + group)) continue;
        const { user, group: nginxGroup } = nginxUser;
        let certain: boolean;
        if (owner === user) {
          if (mode & 0o200) continue;
          certain = true;
        } else if (group === nginxGroup) {
          if (mode & 0o020) continue;
          certain = true;
        } else {
          if (mode & 0o002) continue;
          // nginx's user might belong to the socket's group through a supplementary group we cannot see.
          certain = !(mode & 0o020);
        }
        const severity: Severity = certain ? 'error' : 'warning';
        const wantedMode = ((mode | 0o660) & 0o7777).toString(8).padStart(4, '0');
        const anchor = modeDirective ?? groupDirective ?? userDirective ?? listen.where;
        const edits = [];
        if (groupDirective) edits.push(replaceUnitValue(groupDirective, nginxGroup));
        else edits.push(insertUnitLineAfter(listen.where, `SocketGroup=${nginxGroup}`));
        if (modeDirective) {
          if ((mode & 0o060) !== 0o060) edits.push(replaceUnitValue(modeDirective, wantedMode));
        } else if ((mode & 0o060) !== 0o060) {
          edits.push(insertUnitLineAfter(listen.where, `SocketMode=${wantedMode}`));
        }
        const uri = socket.unit.uri;
        report({
          uri,
          range: anchor.unit.model.lines.range(anchor.directive.span.from, anchor.directive.span.to),
          severity,
          message: `nginx's workers run as ${user}${nginxGroup !== user ? `:${nginxGroup}` : ''}, but ${socket.unit.name} creates ${listen.endpoint.kind === 'unix' ? listen.endpoint.path : 'its socket'} owned by ${owner}:${group} with mode ${modeText.padStart(4, '0')}, which gives them no write access${certain ? '' : ` (unless ${user} is a member of the group ${group})`}: connecting fails with "Permission denied" and nginx answers 502. Give the socket nginx's group with SocketGroup= and a mode such as 0660.`,
          related: [
            {
              uri: nginxUser.file.uri,
              range: nginxUser.file.model.lines.range(
                nginxUser.directive.span.from,
                nginxUser.directive.span.to,
              ),
              message: "nginx's worker user",
            },
            unitRelated(listen.where, 'the socket'),
          ],
          fixes: [fixAcross(uri, `Set SocketGroup=${nginxGroup} with group write access`, edits, true)],
        });
      }
    }
  },
};

function lastIn(unit: ParsedUnit, key: string): UnitDirective | undefined {
  let found: UnitDirective | undefined;
  for (const directive of unit.model.directives) {
    if (directive.key === key && directive.section?.name === 'Socket') {
      found = directive.value === '' ? undefined : { unit, directive };
    }
  }
  return found;
}

// Rule: socket-in-private-tmp — Gunicorn binds a unix socket under /tmp while its service has a private /tmp.

import type { RelatedInfo } from '../../core/findings';
import type { TextEdit } from '../../core/text';
import { booleanValue } from '../../languages/systemd/values';
import { gunicornBindEndpoint } from '../addresses';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { execStartOf, fixAcross, originLabel, pyString, replaceSettingEdit, unitRelated } from './shared';

const TMP = /^\/(?:var\/)?tmp\/(?:.*\/)?([^/]+)$/;

export const socketInPrivateTmp: DeploymentRule = {
  meta: {
    id: 'socket-in-private-tmp',
    defaultSeverity: 'warning',
    description:
      'Gunicorn binds a unix socket under /tmp (from its config file or GUNICORN_CMD_ARGS) while its service has PrivateTmp=, so nginx cannot see the socket.',
    docsUrl: deploymentRuleDocsUrl('socket-in-private-tmp'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const view = deployment.service?.view;
      if (!view || deployment.sockets.length) continue;
      const privateTmp = view.last('Service', 'PrivateTmp');
      const value = privateTmp?.directive.value ?? '';
      if (!privateTmp || (booleanValue(value) !== true && value !== 'disconnected')) continue;
      const bind = facts.setting(deployment, 'bind');
      // The unit's own rule covers a bind on the command line.
      if (!bind?.known || !bind.where || !bind.parsed.list) continue;
      if (bind.origin !== 'config' && bind.origin !== 'GUNICORN_CMD_ARGS') continue;
      for (const entry of bind.parsed.list) {
        const endpoint = gunicornBindEndpoint(entry, deployment.cwd);
        if (endpoint?.kind !== 'unix') continue;
        const match = TMP.exec(endpoint.path);
        if (!match) continue;
        const reached = deployment.nginx.filter(
          (t) => t.endpoint.kind === 'unix' && t.endpoint.path === endpoint.path,
        );
        const related: RelatedInfo[] = [unitRelated(privateTmp, 'the service gets its own /tmp')];
        for (const target of reached) {
          related.push({
            uri: target.site.file.uri,
            range: target.site.file.model.lines.range(target.site.from, target.site.to),
            message: 'nginx looks for the socket in the real /tmp',
          });
        }
        const runtime = view.last('Service', 'RuntimeDirectory');
        const existing = runtime?.directive.value.split(/\s+/)[0];
        const directory = existing ?? deployment.service!.name.replace(/\.service$/, '').replace(/@.*$/, '');
        const fixes = [];
        if (/^[\w.-]+$/.test(directory) && /^[\w.-]+$/.test(match[1]!) && bind.parsed.list.length === 1) {
          const path = `/run/${directory}/${match[1]!}`;
          const bindEdit = replaceSettingEdit(deployment, bind, {
            python: pyString(`unix:${path}`),
            cli: `unix:${path}`,
          });
          const exec = execStartOf(deployment);
          if (bindEdit && (existing || exec)) {
            const edits: { uri: string; edit: TextEdit }[] = [bindEdit];
            if (!existing && exec) {
              const at = { line: exec.directive.line, character: 0 };
              const indent = /^\s*/.exec(exec.unit.model.lines.lineText(exec.directive.line))?.[0] ?? '';
              edits.push({
                uri: exec.unit.uri,
                edit: {
                  range: { start: at, end: at },
                  newText: `${indent}RuntimeDirectory=${directory}${exec.unit.model.lines.eol}`,
                },
              });
            }
            for (const target of reached) {
              edits.push({
                uri: target.site.file.uri,
                edit: {
                  range: target.site.file.model.lines.range(target.site.from, target.site.to),
                  newText: `unix:${path}`,
                },
              });
            }
            fixes.push(
              fixAcross(
                bind.where.uri,
                `Move the socket to ${path}${existing ? '' : ` (RuntimeDirectory=${directory})`}`,
                edits,
                true,
              ),
            );
          }
        }
        report({
          uri: bind.where.uri,
          range: bind.where.range,
          ...(reached.length ? { severity: 'error' as const } : {}),
          message: `Gunicorn creates the socket ${endpoint.path} (bind from ${originLabel(bind.origin)}), but ${deployment.service!.name} has PrivateTmp=${value}: the service gets its own private /tmp and /var/tmp, so the socket never appears where nginx ${reached.length ? 'looks for it' : 'or any other service would look'}${reached.length ? ' and every request fails with 502' : ''}. Put it under /run/NAME with RuntimeDirectory=NAME.`,
          related,
          fixes,
        });
      }
    }
  },
};

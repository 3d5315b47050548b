// Rule: socket-unit-missing — a dependency on a `.socket` unit that the workspace does not contain.

import { closestMatches } from '../../../core/editDistance';
import { valueSubSpan } from '../parse';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

const DEPENDENCIES = new Set([
  'Requires',
  'Requisite',
  'BindsTo',
  'Wants',
  'Upholds',
  'PartOf',
  'After',
  'Before',
]);

/** Sockets that come with the operating system or common packages, never with an application's deployment files. */
const SYSTEM_SOCKET =
  /^(?:systemd-.*|dbus|syslog|docker|containerd|podman|snapd|sshd?|cups|avahi-daemon|uuidd|rpcbind|pcscd|iscsid|multipathd|dm-event|lvm2-.*|libvirtd.*|virt.*|gpg-agent.*|dirmngr|pipewire.*|pulseaudio|lxd|incus|nscd|sssd.*|cockpit.*)(?:@.*)?\.socket$/;

function consequence(key: string, name: string): string {
  switch (key) {
    case 'Requires':
    case 'Requisite':
    case 'BindsTo':
      return `if it is not installed on the machine either, systemd refuses to start this unit ("Unit ${name} not found")`;
    case 'Wants':
    case 'Upholds':
      return 'if it is not installed on the machine either, systemd silently starts this unit without it';
    default:
      return 'if it is not installed on the machine either, systemd silently ignores the dependency';
  }
}

export const socketUnitMissing: UnitRule = {
  meta: {
    id: 'socket-unit-missing',
    defaultSeverity: 'warning',
    description:
      'Requires=, After=, Wants=, BindsTo= (and similar) name a .socket unit that is not among the unit files of the workspace.',
    docsUrl: unitRuleDocsUrl('socket-unit-missing'),
  },
  check({ model, workspaceUnits, range, report }) {
    if (!workspaceUnits) return;
    const sockets = [...workspaceUnits].filter((unit) => unit.endsWith('.socket'));
    for (const directive of model.directives) {
      if (directive.section?.name !== 'Unit' || !DEPENDENCIES.has(directive.key)) continue;
      const words = /\S+/g;
      for (let match = words.exec(directive.value); match; match = words.exec(directive.value)) {
        const name = match[0];
        if (
          !name.endsWith('.socket') ||
          name.includes('%') ||
          name.includes('$') ||
          SYSTEM_SOCKET.test(name)
        ) {
          continue;
        }
        // An instance (app@1.socket) is installed by its template (app@.socket).
        const template = name.replace(/@[^.]*\.socket$/, '@.socket');
        if (workspaceUnits.has(name) || workspaceUnits.has(template)) continue;
        const [closest] = closestMatches(name, sockets, 1);
        const span = valueSubSpan(directive, match.index, match.index + name.length);
        report({
          range: range(span),
          message: `${directive.key}= names ${name}, but no unit file of that name is in the workspace; ${consequence(directive.key, name)}.${closest ? ` Did you mean ${closest}?` : ''}`,
          ...(closest
            ? {
                fixes: [
                  {
                    title: `Change to ${closest}`,
                    edits: [{ range: range(span), newText: closest }],
                    isPreferred: true,
                  },
                ],
              }
            : {}),
        });
      }
    }
  },
};

// Rule: missing-install — a unit without an [Install] section cannot be enabled; `systemctl enable` refuses it.

import { untemplatedPath } from '../../../core/templates';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

/** The target a unit of each type is usually enabled into. */
const WANTED_BY: Record<string, string> = {
  service: 'multi-user.target',
  socket: 'sockets.target',
  timer: 'timers.target',
  path: 'paths.target',
};

export const missingInstall: UnitRule = {
  meta: {
    id: 'missing-install',
    defaultSeverity: 'info',
    description:
      'A service, socket, timer or path unit without [Install], so `systemctl enable` cannot enable it.',
    docsUrl: unitRuleDocsUrl('missing-install'),
  },
  check({ model, unitType, isDropIn, workspaceUnits, uri, report }) {
    if (isDropIn || !unitType || !WANTED_BY[unitType] || !model.sections.length) return;
    if (model.sections.some((s) => s.name === 'Install')) return;
    // A socket-activated service is started by its socket; only the socket needs enabling.
    const base = /([^/\\]+)\.service$/.exec(untemplatedPath(decodeURIComponent(uri)))?.[1];
    if (unitType === 'service' && base && workspaceUnits?.has(`${base}.socket`)) return;
    const header = model.sections[0]!;
    const lastLine = model.lines.lineCount - 1;
    const end = { line: lastLine, character: model.lines.lineText(lastLine).length };
    const eol = model.lines.eol;
    const lead = model.lines.lineText(lastLine) === '' ? '' : eol;
    report({
      range: model.lines.range(header.nameSpan.from, header.nameSpan.to),
      message: `No [Install] section: \`systemctl enable\` cannot enable this ${unitType}, so it will not start at boot.`,
      fixes: [
        {
          title: `Add [Install] WantedBy=${WANTED_BY[unitType]!}`,
          edits: [
            {
              range: { start: end, end },
              newText: `${lead}${eol}[Install]${eol}WantedBy=${WANTED_BY[unitType]!}${eol}`,
            },
          ],
          isPreferred: true,
        },
      ],
    });
  },
};

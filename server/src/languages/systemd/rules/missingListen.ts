// Rule: missing-listen — a .socket unit that listens on nothing: systemd refuses to load it.

import { sectionHeaderSpan } from '../parse';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

const LISTEN_KEYS = [
  'ListenStream',
  'ListenDatagram',
  'ListenSequentialPacket',
  'ListenFIFO',
  'ListenSpecial',
  'ListenNetlink',
  'ListenMessageQueue',
  'ListenUSBFunction',
];

export const missingListen: UnitRule = {
  meta: {
    id: 'missing-listen',
    defaultSeverity: 'error',
    description: 'A .socket unit without any Listen…= directive; systemd refuses to load it.',
    docsUrl: unitRuleDocsUrl('missing-listen'),
  },
  check({ model, unitType, isDropIn, range, report }) {
    if (unitType !== 'socket' || isDropIn) return;
    if (model.directives.some((d) => LISTEN_KEYS.includes(d.key) && d.value !== '')) return;
    const anchor = sectionHeaderSpan(model, 'Socket');
    if (!anchor) return;
    report({
      range: range(anchor),
      message:
        'This socket has no ListenStream= (or another Listen…=): systemd refuses a socket that listens on nothing.',
    });
  },
};

// Rule: missing-timer-trigger — a .timer with no On…= setting: systemd refuses to load it.

import { booleanValue } from '../values';
import { sectionHeaderSpan } from '../parse';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

const TRIGGER_KEYS = [
  'OnActiveSec',
  'OnBootSec',
  'OnStartupSec',
  'OnUnitActiveSec',
  'OnUnitInactiveSec',
  'OnCalendar',
];

export const missingTimerTrigger: UnitRule = {
  meta: {
    id: 'missing-timer-trigger',
    defaultSeverity: 'error',
    description: 'A .timer without OnCalendar=, OnBootSec= or another trigger; systemd refuses to load it.',
    docsUrl: unitRuleDocsUrl('missing-timer-trigger'),
  },
  check({ model, unitType, isDropIn, range, report }) {
    if (unitType !== 'timer' || isDropIn) return;
    const set = (key: string) => model.directives.some((d) => d.key === key && d.value !== '');
    const on = (key: string) => model.directives.some((d) => d.key === key && booleanValue(d.value) === true);
    if (TRIGGER_KEYS.some(set) || on('OnClockChange') || on('OnTimezoneChange')) return;
    const anchor = sectionHeaderSpan(model, 'Timer');
    if (!anchor) return;
    report({
      range: range(anchor),
      message:
        'This timer never fires: add OnCalendar= or OnBootSec=/OnUnitActiveSec=; systemd refuses it otherwise.',
    });
  },
};

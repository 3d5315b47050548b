// A unit with its drop-ins, as the deployment model reads it: the assignments of a key in the order systemd applies
// them, the same whether the view answers by scanning (its first questions) or from its index (once asked often).

import { strict as assert } from 'node:assert';
import { parseUnits, unitViews, type UnitView } from '../../server/src/deployment/systemdFacts';
import type { WorkspaceSource } from '../../server/src/deployment/types';

const unit = (path: string, text: string): WorkspaceSource => ({
  uri: `file://${path}`,
  path,
  kind: 'systemd',
  text,
});

function serviceView(): UnitView {
  const views = unitViews(
    parseUnits([
      unit(
        '/w/deploy/app.service',
        [
          '[Unit]',
          'Description=App',
          'After=network.target',
          '[Service]',
          'Environment=A=1',
          'Environment=B=2',
          'ExecStart=/srv/venv/bin/gunicorn app:app',
          'Sockets=app.socket',
          'TimeoutStopSec=30',
          '[Install]',
          'After=ignored.target',
        ].join('\n'),
      ),
      unit(
        '/w/deploy/app.service.d/override.conf',
        '[Service]\nEnvironment=\nEnvironment=C=3\nTimeoutStopSec=\nSockets=extra.socket\n',
      ),
      unit('/other/app.service', '[Service]\nTimeoutStopSec=5\n'),
    ]),
  );
  return views.get('app.service')!.nearest('/w/deploy/app.service')!;
}

/** What a view answers, as text (file, key and value of each assignment), for the questions rules ask. */
function answers(view: UnitView): string[] {
  return [
    view.all('Service', 'Environment').map((w) => `${w.unit.path} ${w.directive.key}=${w.directive.value}`),
    view.all('Unit', 'After').map((w) => w.directive.value),
    view.all('Service', 'Missing').map((w) => w.directive.value),
    [view.last('Service', 'TimeoutStopSec')?.directive.value ?? 'default'],
    view.words('Service', 'Sockets').map((w) => w.word),
  ].map((list) => list.join(' | '));
}

describe('a unit with its drop-ins', () => {
  it('gives every assignment of a key in order, main file first, only from the section asked', () => {
    assert.deepEqual(answers(serviceView()), [
      '/w/deploy/app.service Environment=A=1 | /w/deploy/app.service Environment=B=2 | ' +
        '/w/deploy/app.service.d/override.conf Environment= | /w/deploy/app.service.d/override.conf Environment=C=3',
      'network.target',
      '',
      // The drop-in's empty assignment resets it to the default.
      'default',
      'app.socket | extra.socket',
    ]);
  });

  it('answers the same once it has been asked often enough to index its assignments', () => {
    const view = serviceView();
    const first = answers(view);
    // Each round asks six questions: the later rounds are answered from the index.
    for (let round = 0; round < 3; round++) assert.deepEqual(answers(view), first);
  });
});

// What the deployment model hands to hovers, to nginx checks and to hosts resolving `-c FILE`.

import { strict as assert } from 'node:assert';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { buildDeploymentModel, effectiveAtOffset } from '../../server/src/deployment/model';
import {
  describeEffective,
  gunicornFactsForNginx,
  unmatchedConfigCandidates,
} from '../../server/src/deployment/present';
import type { WorkspaceSource } from '../../server/src/deployment/types';

function source(path: string, text: string, kind = sourceKindOf(path) ?? 'gunicorn'): WorkspaceSource {
  return { uri: `file://${path}`, path, kind, text };
}

const build = (sources: WorkspaceSource[]) =>
  buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });

const SERVICE = (flags: string) =>
  `[Unit]\nDescription=app\n\n[Service]\nType=notify\nWorkingDirectory=/srv/app\n` +
  `ExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py ${flags} app:app\n\n` +
  `[Install]\nWantedBy=multi-user.target\n`;

describe('deployment model: presentation', () => {
  it('describes an effective value overridden on the command line, and says nothing where nothing is added', () => {
    const config = source('/w/gunicorn.conf.py', 'bind = "127.0.0.1:8000"\nworkers = 2\ntimeout = 30\n');
    const model = build([config, source('/w/deploy/app.service', SERVICE('--workers 4'))]);
    const workers = model.effectiveAt(config.uri, config.text.indexOf('workers') + 1)!;
    assert.equal(
      describeEffective(workers, config.uri, 1),
      '**Effective in this deployment:** `4`, from the command line (app.service:7); overrides `2` from the config ' +
        'file (gunicorn.conf.py:2).',
    );
    const timeout = model.effectiveAt(config.uri, config.text.indexOf('timeout') + 1)!;
    assert.equal(
      describeEffective(timeout, config.uri, 2),
      undefined,
      'the value is the one under the cursor',
    );
  });

  it('hands hovers every place of a file with an effective value, as plain data that survives a thread hop', () => {
    const config = source(
      '/w/gunicorn.conf.py',
      'bind = "127.0.0.1:8000"\nworkers = 2\nimport os\nworkers = 3\n',
    );
    const unit = source('/w/deploy/app.service', SERVICE('--workers 4 --timeout 60'));
    const model = build([config, unit]);
    // What the worker posts to the main thread is a structured clone.
    const configSites = structuredClone(model.effectiveSites(config.uri));
    const unitSites = structuredClone(model.effectiveSites(unit.uri));
    const at = (text: string, needle: string, sites = configSites) =>
      effectiveAtOffset(sites, text.indexOf(needle) + 1);
    assert.equal(at(config.text, 'workers = 3')?.value, '4');
    assert.equal(at(config.text, 'workers = 2')?.origin, 'command-line');
    assert.equal(at(config.text, 'bind')?.value, '127.0.0.1:8000');
    assert.equal(at(config.text, 'import'), undefined, 'no setting there');
    assert.equal(
      configSites.settings.filter((s) => s.setting === 'workers').length,
      1,
      'one copy per setting',
    );
    assert.equal(at(unit.text, '--timeout', unitSites)?.value, '60');
    assert.equal(at(unit.text, 'Description', unitSites), undefined);
    for (const [file, sites] of [
      [config, configSites],
      [unit, unitSites],
    ] as const) {
      for (let offset = 0; offset <= file.text.length; offset++) {
        assert.deepEqual(
          effectiveAtOffset(sites, offset),
          model.effectiveAt(file.uri, offset),
          `offset ${offset}`,
        );
      }
    }
  });

  it('tells nginx where Gunicorn listens and which worker class it runs, when every Gunicorn agrees', () => {
    const sync = build([
      source('/w/gunicorn.conf.py', 'bind = "unix:/run/app.sock"\n'),
      source('/w/deploy/app.service', SERVICE('')),
    ]);
    assert.deepEqual(gunicornFactsForNginx(sync), {
      gunicornAddresses: new Set(['unix:/run/app.sock']),
      gunicornAddressesComplete: true,
      gunicornWorkerClass: 'sync',
    });
    // A config nobody launches with the default bind may be started with any -b: the list is not complete.
    const unlaunched = build([
      source('/w/a/gunicorn.conf.py', 'bind = "127.0.0.1:8001"\n'),
      source('/w/b/gunicorn.conf.py', 'workers = 2\n'),
    ]);
    assert.equal(gunicornFactsForNginx(unlaunched).gunicornAddressesComplete, undefined);
    const mixed = build([
      source('/w/a/gunicorn.conf.py', 'bind = "127.0.0.1:8001"\nworker_class = "gthread"\n'),
      source('/w/b/gunicorn.conf.py', 'bind = "0.0.0.0:8002"\n'),
    ]);
    const facts = gunicornFactsForNginx(mixed);
    assert.deepEqual([...(facts.gunicornAddresses ?? [])].sort(), ['127.0.0.1:8001', '127.0.0.1:8002']);
    assert.equal(facts.gunicornWorkerClass, undefined, 'two Gunicorns with different worker classes');
  });

  it('finds the workspace files an unmatched -c FILE may be, by name and tail', () => {
    const service = source(
      '/w/deploy/app.service',
      SERVICE('').replace('-c /srv/app/gunicorn.conf.py', '-c /srv/app/deploy/prod_settings.py'),
    );
    const model = build([service]);
    const paths = [
      '/w/deploy/prod_settings.py',
      '/w/other/prod_settings.py',
      '/w/deploy/app.service',
      '/w/x.py',
    ];
    assert.deepEqual(unmatchedConfigCandidates(model, paths, new Set(['/w/deploy/app.service'])), [
      '/w/deploy/prod_settings.py',
    ]);
  });
});

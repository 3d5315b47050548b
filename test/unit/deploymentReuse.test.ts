// A build that takes steps from the last one (units, launches, the config lookup, what each launch is joined to) gives
// the same model as a build made from nothing, whatever file changed, appeared, went or moved since.

import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { forgetKeptSteps, holdsKeptSteps } from '../../server/src/deployment/keptSteps';
import { folderModel } from '../../server/src/cliFolderModel';
import { ParseShare } from '../../server/src/core/sharedParses';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { fixtureWorkspaces, folderSources } from '../helpers/folderSources';

const ROOT = resolve(__dirname, '../../..');

function build(sources: readonly WorkspaceSource[]): DeploymentModel {
  return buildDeploymentModel(
    sources,
    { version: [23, 0, 0], versionLabel: '23.0.0' },
    { paths: sources.map((s) => s.path) },
  );
}

/** What a build decided, as text: every deployment's joins and settings, every finding, every hover site. */
function decided(model: DeploymentModel, sources: readonly WorkspaceSource[]): string {
  return JSON.stringify({
    deployments: model.deployments.map((d) => ({
      id: d.id,
      config: d.config && [d.config.uri, d.config.model.bindings.map((b) => b.name)],
      configUnknown: d.configUnknown,
      cwd: d.cwd,
      env: [...d.env],
      service: d.service && [
        d.service.name,
        d.service.view.files.map((f) => [f.uri, f.model.directives.map((x) => `${x.key}=${x.value}`)]),
      ],
      sockets: d.sockets.map((s) => [s.unit.uri, s.listens.map((l) => l.endpoint)]),
      listens: d.listens?.map((l) => l.endpoint),
      nginx: d.nginx.map((t) => [t.file.uri, t.endpoint, t.upstream]),
      settings: ['bind', 'workers', 'timeout', 'graceful_timeout'].map((s) => model.effective(d, s)),
    })),
    findings: [...model.findings].sort(([a], [b]) => (a < b ? -1 : 1)),
    sites: sources.map((s) => model.effectiveSites(s.uri)),
  });
}

/** A change that means something in most files: the first number one higher, the first socket path another. */
function edited(text: string): string {
  return text
    .replace(/\d+/, (n) => String(Number(n) + 1))
    .replace('.sock', '-2.sock')
    .concat('\n# edited\n');
}

/** New objects for every file, as a host makes for each build. */
const copies = (sources: readonly WorkspaceSource[]): WorkspaceSource[] => sources.map((s) => ({ ...s }));

describe('a build that takes steps from the last one', () => {
  afterEach(() => forgetKeptSteps());

  it('decides what a build from nothing decides, after any file changes, goes, comes back or moves', () => {
    let changed = 0;
    let steps = 0;
    for (const { name, sources } of fixtureWorkspaces()) {
      for (let i = 0; i < sources.length; i++) {
        const file = sources[i]!;
        const others = sources.filter((_, j) => j !== i);
        // The last build of each step is kept for the next: edited, back, gone, back, then first (as an open file).
        const sequence: [string, WorkspaceSource[]][] = [
          ['as it is', sources],
          ['edited', sources.map((s, j) => (j === i ? { ...s, text: edited(s.text) } : s))],
          ['back', sources],
          ['gone', others],
          ['back again', sources],
          ['moved first', [file, ...others]],
        ];
        let before: string | undefined;
        for (const [step, files] of sequence) {
          const reused = decided(build(copies(files)), files);
          forgetKeptSteps();
          const fresh = decided(build(copies(files)), files);
          // The fresh build's steps are kept for the next step's build: reuse is tested from both kinds of build.
          assert.equal(reused, fresh, `${name}: ${file.path} ${step}`);
          if (before !== undefined && fresh !== before) changed++;
          before = fresh;
          steps++;
        }
      }
    }
    // The comparisons mean something only where the changes changed what was decided.
    assert.ok(changed >= steps / 4, `only ${changed} of ${steps} steps changed the model`);
  });

  it('gives the same steps again when only a config changed', () => {
    const sources = folderSources(join(ROOT, 'examples/deployment'));
    const first = build(copies(sources));
    const config = sources.findIndex((s) => s.path.endsWith('gunicorn.conf.py'));
    const next = build(
      copies(sources.map((s, j) => (j === config ? { ...s, text: `${s.text}\nworkers = 9\n` } : s))),
    );
    const launched = (model: DeploymentModel) => model.deployments.find((d) => d.service)!;
    // The same unit view and socket facts (kept), a deployment and config of its own (made again).
    assert.equal(launched(next).service!.view, launched(first).service!.view);
    assert.equal(launched(next).sockets[0], launched(first).sockets[0]);
    assert.equal(launched(next).launch, launched(first).launch);
    assert.notEqual(launched(next), launched(first));
    assert.equal(next.effective(launched(next), 'workers')?.value, '9');
  });

  it('lets them go in `check`, which builds once per folder, before the per-file checks', () => {
    const sources = folderSources(join(ROOT, 'examples/deployment'));
    build(copies(sources));
    assert.ok(holdsKeptSteps(), 'a build keeps its steps for the next one');
    const model = folderModel({
      target: 'examples/deployment',
      all: sources.map((s) => s.path),
      texts: new Map(sources.map((s) => [s.path, s.text])),
      nginxPaths: new Set(sources.filter((s) => s.kind === 'nginx').map((s) => s.path)),
      version: { version: [23, 0, 0], label: '23.0.0', assumed: false },
      severity: {},
      parses: new ParseShare(),
    });
    assert.ok([...model.findings.values()].flat().length, 'the folder has cross-file findings');
    assert.equal(holdsKeptSteps(), false);
  });
});

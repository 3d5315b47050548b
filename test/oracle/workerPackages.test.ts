// Oracle: Debian's Gunicorn (12's 20.1.0 and 13's 23.0.0) loads each worker class the way its arbiter does at start-up
// (the `worker_class` setting's class, imported through gunicorn.util.load_class), in its own python3 where only some
// worker packages are installed. Our model is given a requirements.txt that declares exactly the worker packages that
// python3 can import; worker-package-missing must warn exactly for the classes that Gunicorn cannot load.

import { strict as assert } from 'node:assert';
import { parseVersion } from '../../server/src/core/version';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { findGunicornInvocation } from '../../server/src/languages/gunicorn/commandLine';
import { checkGunicornCommandLine } from '../../server/src/languages/gunicorn/commandLineCheck';
import { JUDGE_SETS, requireJudge } from '../helpers/judges';

/** Worker classes, and the import name of each package some of them need (PEP 503 name → module). */
const CLASSES = [
  'sync',
  'gthread',
  'gevent',
  'eventlet',
  'tornado',
  'uvicorn.workers.UvicornWorker',
  'uvicorn_worker.UvicornWorker',
  'aiohttp.GunicornWebWorker',
];
const MODULES: Record<string, string> = {
  gevent: 'gevent',
  eventlet: 'eventlet',
  tornado: 'tornado',
  uvicorn: 'uvicorn',
  'uvicorn-worker': 'uvicorn_worker',
  aiohttp: 'aiohttp',
};

const SCRIPT = `
import importlib.util, json, sys
from gunicorn.config import Config
installed = [name for name, module in json.loads(sys.argv[1]).items() if importlib.util.find_spec(module)]
loads = {}
for value in json.loads(sys.argv[2]):
    cfg = Config()
    cfg.set("worker_class", value)
    try:
        cfg.worker_class
        loads[value] = ""
    except BaseException as e:
        loads[value] = "%s: %s" % (type(e).__name__, e)
print(json.dumps({"installed": installed, "loads": loads}))
`;

function warned(workerClass: string, requirements: string, version: string): string[] {
  const files: Record<string, string> = {
    '/p/Procfile': `web: gunicorn -k ${workerClass} app:app\n`,
    '/p/app.py': 'def app(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n',
    '/p/requirements.txt': requirements,
  };
  const sources: WorkspaceSource[] = Object.entries(files).map(([path, text]) => ({
    uri: `file://${path}`,
    path,
    kind: path.endsWith('Procfile') ? 'procfile' : path.endsWith('.py') ? 'python' : 'dependencies',
    text,
  }));
  const model = buildDeploymentModel(
    sources,
    { version: parseVersion(version)!, versionLabel: version },
    { paths: Object.keys(files) },
  );
  return [...model.findings.values()]
    .flat()
    .filter((f) => f.rule === 'worker-package-missing' && f.severity === 'warning')
    .map((f) => f.message);
}

/**
 * Worker class names whose loading needs no optional package: Gunicorn loads them or fails with "class uri …
 * invalid or not found" on every machine, so the command-line check must report exactly the ones that fail.
 */
const NAMES = ['sync', 'gthread', 'gthreads', 'syncc', 'thread', 'threads', 'asyncio', 'Sync'];

/** Whether our command-line check says `-k NAME` cannot be loaded by that release. */
function weRejectWorkerClass(name: string, version: string): boolean {
  const tokens = ['gunicorn', '-k', name, 'app:app'].map((text) => ({ text, from: 0, to: 0, quoted: false }));
  const target = parseVersion(version)!;
  const invocation = findGunicornInvocation(tokens, { version: target });
  if (!invocation) throw new Error('no invocation');
  return checkGunicornCommandLine(invocation, { version: target }).some(
    (i) => i.rule === 'unknown-cli-worker-class',
  );
}

for (const set of JUDGE_SETS) {
  describe(`oracle: worker class names on the command line against ${set.debian}'s Gunicorn ${set.gunicorn.version}`, function () {
    this.timeout(60_000);
    it('reports exactly the names Gunicorn cannot load', function () {
      requireJudge(this, set, 'gunicorn');
      const run = set.gunicorn.python(['-c', SCRIPT, JSON.stringify({}), JSON.stringify(NAMES)]);
      assert.equal(run.status, 0, run.stderr);
      const { loads } = JSON.parse(run.stdout) as { loads: Record<string, string> };
      const disagreements = NAMES.filter(
        (name) => weRejectWorkerClass(name, set.gunicorn.version) !== !!loads[name],
      ).map(
        (name) => `${name}: Gunicorn ${loads[name] ? `fails (${loads[name]!.split('\n')[0]})` : 'loads it'}`,
      );
      assert.deepEqual(disagreements, []);
      // Both outcomes are exercised.
      assert.ok(NAMES.some((name) => loads[name]) && NAMES.some((name) => !loads[name]));
    });
  });

  describe(`oracle: worker packages against ${set.debian}'s Gunicorn ${set.gunicorn.version}`, function () {
    this.timeout(60_000);
    let judged: { installed: string[]; loads: Record<string, string> };
    before(function () {
      requireJudge(this, set, 'gunicorn');
      const run = set.gunicorn.python(['-c', SCRIPT, JSON.stringify(MODULES), JSON.stringify(CLASSES)]);
      assert.equal(run.status, 0, run.stderr);
      judged = JSON.parse(run.stdout) as typeof judged;
    });

    for (const workerClass of CLASSES) {
      it(`-k ${workerClass}`, () => {
        const requirements = [`gunicorn==${set.gunicorn.version}`, ...judged.installed].join('\n') + '\n';
        const ours = warned(workerClass, requirements, set.gunicorn.version);
        const error = judged.loads[workerClass]!;
        if (error) {
          assert.equal(ours.length, 1, `Gunicorn cannot load it (${error}); we said nothing`);
          // The package we name is the module Gunicorn failed to import.
          const named = /needs the (\S+) package/.exec(ours[0]!)?.[1] ?? '';
          assert.ok(error.includes(MODULES[named] ?? named), `we named ${named}; Gunicorn said ${error}`);
        } else {
          assert.deepEqual(ours, [], 'Gunicorn loads it with what is installed');
        }
      });
    }
  });
}

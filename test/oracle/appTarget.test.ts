// Oracle: Debian's Gunicorn (12's 20.1.0 and 13's 23.0.0, each with its own python3) imports the app of each fixture
// project with its own import_app (in the folder --chdir names, as the arbiter does), then one WSGI request is made the
// way the sync worker makes it. Our verdict, at that Gunicorn version, must agree: an error where the import fails (no
// worker boots), a warning where it boots but the request fails, nothing where both work.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import {
  APP_CASES,
  appFindings,
  FRAMEWORK_STUBS,
  procfileFor,
  projectModel,
  removeProject,
  writeProject,
} from '../unit/appProjects';
import { JUDGE_SETS, requireJudge } from '../helpers/judges';
import { gunicornTarget } from '../helpers/targets';

const SCRIPT = `
import json, os, sys
root, chdir, spec = sys.argv[1:4]
cwd = os.path.join(root, chdir) if chdir else root
os.chdir(cwd)
sys.path.insert(0, cwd)
from gunicorn import util
try:
    app = util.import_app(spec)
except BaseException as e:
    print(json.dumps({"boots": False, "serves": False, "why": "%s: %s" % (type(e).__name__, e)}))
    sys.exit(0)
try:
    started = []
    result = app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda status, headers, exc_info=None: started.append(status))
    body = b"".join(result)
    print(json.dumps({"boots": True, "serves": bool(started) and isinstance(body, bytes), "why": ""}))
except BaseException as e:
    print(json.dumps({"boots": True, "serves": False, "why": "%s: %s" % (type(e).__name__, e)}))
`;

interface Verdict {
  boots: boolean;
  serves: boolean;
  why: string;
}

for (const set of JUDGE_SETS) {
  describe(`oracle: app targets against ${set.debian}'s Gunicorn ${set.gunicorn.version} import_app`, function () {
    this.timeout(60_000);
    let stubs: string;
    before(function () {
      requireJudge(this, set, 'gunicorn');
      stubs = writeProject(FRAMEWORK_STUBS);
    });
    after(() => stubs && removeProject(stubs));

    for (const c of APP_CASES) {
      it(`${c.name}: ${c.spec}${c.chdir ? ` (--chdir ${c.chdir})` : ''}`, () => {
        const root = writeProject({ ...c.files, Procfile: procfileFor(c) });
        try {
          const result = set.gunicorn.python(['-c', SCRIPT, root, c.chdir ?? '', c.spec], {
            env: { ...process.env, PYTHONPATH: stubs, PYTHONDONTWRITEBYTECODE: '1', ...(c.env ?? {}) },
          });
          assert.equal(result.status, 0, result.stderr);
          const gunicorn = JSON.parse(result.stdout) as Verdict;
          const ours = appFindings(projectModel(join(root), gunicornTarget(set).gunicornVersion));
          assert.deepEqual(
            ours.map((f) => f.rule),
            c.expect ? [c.expect] : [],
            ours.map((f) => f.message).join('\n'),
          );
          const severity = ours[0]?.severity;
          if (severity === 'error') assert.equal(gunicorn.boots, false, `Gunicorn boots: ${gunicorn.why}`);
          else if (severity === 'warning') {
            assert.deepEqual([gunicorn.boots, gunicorn.serves], [true, false], gunicorn.why);
          } else assert.deepEqual([gunicorn.boots, gunicorn.serves], [true, true], gunicorn.why);
        } finally {
          removeProject(root);
        }
      });
    }
  });
}

// The CLI on the fixture projects of test/fixtures/apps: a good variant has no app finding, a broken one reports its
// boot error (text and SARIF alike), and the exit code follows the severity.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { APP_FIXTURES_LIST, fixtureDir, REPO_ROOT } from '../helpers/appFixtures';

const CLI = join(REPO_ROOT, 'out', 'server', 'src', 'cli.js');

interface Row {
  file: string;
  line: number;
  rule: string;
  severity: string;
  message: string;
}

function check(folder: string, format = 'json') {
  const result = spawnSync(process.execPath, [CLI, 'check', folder, '--format', format], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const isApp = (row: Row) => row.rule.startsWith('app-') || row.rule.startsWith('django-');

describe('gunicorn-config check on the fixture projects', function () {
  this.timeout(20_000);
  for (const fixture of APP_FIXTURES_LIST) {
    it(`${fixture.project}: good is clean, broken reports ${fixture.broken.rule}`, () => {
      const good = check(fixtureDir(fixture, 'good'));
      assert.deepEqual((JSON.parse(good.stdout) as Row[]).filter(isApp), [], good.stderr);
      const brokenDir = fixtureDir(fixture, 'broken');
      const broken = check(brokenDir);
      const rows = (JSON.parse(broken.stdout) as Row[]).filter(isApp);
      assert.deepEqual(
        rows.map((r) => [r.rule, relative(brokenDir, join(REPO_ROOT, r.file)), r.severity]),
        [[fixture.broken.rule, fixture.broken.file, fixture.broken.severity]],
        broken.stderr,
      );
      if (fixture.broken.severity === 'error') assert.equal(broken.status, 1);
      const sarif = check(brokenDir, 'sarif');
      assert.match(sarif.stdout, new RegExp(`"ruleId": "${fixture.broken.rule}"`));
    });
  }
});

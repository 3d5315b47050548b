// Reading what `gunicorn --check-config` prints (the real runs are in test/oracle/validateGunicorn.test.ts).

import { strict as assert } from 'node:assert';
import { parseGunicornCheck } from '../../server/src/languages/gunicorn/checkOutput';
import { hasPrintConfig } from '../../server/src/validateGunicorn';

describe('reading gunicorn --check-config output', () => {
  it('names the setting of an invalid value, with the reason', () => {
    const [problem] = parseGunicornCheck(
      "Invalid value for workers: abc\n\nError: invalid literal for int() with base 0: 'abc'\n",
    );
    assert.equal(problem?.setting, 'workers');
    assert.match(problem?.message ?? '', /workers = abc: invalid literal/);
  });

  it('points at the config file line of a traceback, and maps a rejected flag to its setting', () => {
    const [read] = parseGunicornCheck(
      'Failed to read config file: conf.py\nTraceback (most recent call last):\n' +
        '  File "/usr/lib/python3/dist-packages/gunicorn/app/base.py", line 111, in get_config_from_filename\n' +
        '  File "/srv/conf.py", line 3, in <module>\n    x = 1/0\nZeroDivisionError: division by zero\n',
    );
    assert.deepEqual([read?.file, read?.line], ['/srv/conf.py', 3]);
    assert.match(read?.message ?? '', /ZeroDivisionError/);
    const [flag] = parseGunicornCheck("gunicorn: error: argument -w/--workers: invalid int value: 'x'\n");
    assert.equal(flag?.setting, 'workers');
  });

  it('knows which releases have --print-config', () => {
    assert.equal(hasPrintConfig([20, 0, 4]), false);
    assert.equal(hasPrintConfig([20, 1, 0]), true);
    assert.equal(hasPrintConfig([23, 0, 0]), true);
  });
});

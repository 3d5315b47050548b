import { strict as assert } from 'node:assert';
import { sharedName } from '../../server/src/core/memo';

describe('shared names', () => {
  it('give back the same name, cut from a text or not, also once the table is full', () => {
    const text = `ExecStart=x\n${'#'.repeat(1000)}\nTimeoutStopSecond=5\n`;
    const long = text.slice(
      text.indexOf('TimeoutStopSecond'),
      text.indexOf('='.repeat(1), text.indexOf('Timeout')),
    );
    assert.equal(sharedName(long), 'TimeoutStopSecond');
    assert.equal(sharedName(text.slice(0, 9)), 'ExecStart');
    // Far past the bound: every name still comes back as itself.
    for (let i = 0; i < 10_000; i++) assert.equal(sharedName(`name${i}`), `name${i}`);
    assert.equal(sharedName('ExecStart'), 'ExecStart');
    assert.equal(sharedName(''), '');
  });
});

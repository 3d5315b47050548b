// Oracle: Python's own `ipaddress` module (which Gunicorn validates with), in the python3 of Debian 12 and of Debian 13,
// judges the same strings as our parser.

import { strict as assert } from 'node:assert';
import { ipAddressProblem, ipNetworkProblem } from '../../server/src/core/ipAddress';
import { check } from '../helpers/check';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';

const CASES = [
  '127.0.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '256.1.1.1',
  '1.2.3',
  '1.2.3.4.5',
  '01.2.3.4',
  '1.2.3.04',
  '1.2.3.4 ',
  '',
  '*',
  'localhost',
  '::1',
  '::',
  '2001:db8::1',
  '2001:db8::',
  '2001:0db8:0000:0000:0000:0000:0000:0001',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7::8',
  '1::2::3',
  '::ffff:192.0.2.1',
  '::ffff:192.0.2.256',
  '64:ff9b::1.2.3.4',
  'fe80::1%eth0',
  'fe80::1%',
  '12345::1',
  'g::1',
  ':1',
  '1:',
  '[::1]',
  '10.0.0.0/8',
  '10.0.0.1/8',
  '192.168.1.0/24',
  '192.168.1.1/24',
  '192.168.1.1/32',
  '192.168.1.0/33',
  '192.168.1.0/-1',
  '192.168.1.0/024',
  '10.0.0.0/255.0.0.0',
  '10.0.0.0/0.255.255.255',
  '10.0.0.0/255.0.255.0',
  '10.1.0.0/255.0.0.0',
  '0.0.0.0/0',
  '1.2.3.4/0',
  '2001:db8::/32',
  '2001:db8::1/32',
  '2001:db8::/129',
  '::/0',
  '::1/128',
  '10.0.0.0/8/8',
  '10.0.0.0/',
  '/8',
];

function pythonVerdicts(set: JudgeSet): { address: boolean; strict: boolean; loose: boolean }[] {
  const script = [
    'import ipaddress, json, sys',
    'def ok(f):',
    '    try:',
    '        f()',
    '        return True',
    '    except ValueError:',
    '        return False',
    'print(json.dumps([{"address": ok(lambda: ipaddress.ip_address(c)),',
    '                   "strict": ok(lambda: ipaddress.ip_network(c)),',
    '                   "loose": ok(lambda: ipaddress.ip_network(c, strict=False))} for c in json.load(sys.stdin)]))',
  ].join('\n');
  const result = set.gunicorn.python(['-c', script], { input: JSON.stringify(CASES) });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { address: boolean; strict: boolean; loose: boolean }[];
}

for (const set of JUDGE_SETS) {
  describe(`oracle: IP addresses and networks as ${set.debian}'s Python parses them`, function () {
    let verdicts: ReturnType<typeof pythonVerdicts> | undefined;
    before(function () {
      requireJudge(this, set, 'gunicorn');
      verdicts = pythonVerdicts(set);
    });

    it('agrees with ipaddress.ip_address, ip_network(strict) and ip_network(strict=False)', () => {
      const disagreements: string[] = [];
      CASES.forEach((text, i) => {
        const python = verdicts![i]!;
        const ours = {
          address: ipAddressProblem(text) === undefined,
          strict: ipNetworkProblem(text, true) === undefined,
          loose: ipNetworkProblem(text, false) === undefined,
        };
        for (const mode of ['address', 'strict', 'loose'] as const) {
          if (ours[mode] !== python[mode]) {
            disagreements.push(
              `${JSON.stringify(text)} ${mode}: python ${python[mode] ? 'accepts' : 'rejects'}`,
            );
          }
        }
      });
      assert.deepEqual(disagreements, []);
    });
  });
}

describe('forwarded_allow_ips across Gunicorn versions', () => {
  it('judges forwarded_allow_ips per Gunicorn version (23.0 addresses, 24.1 networks, 25.0 strict networks)', () => {
    const flagged = (value: string, version: string): boolean =>
      check(`forwarded_allow_ips = ${JSON.stringify(value)}\n`, version).some(
        (f) => f.rule === 'invalid-value',
      );
    assert.equal(flagged('10.0.0.0/8', '22.0.0'), false, 'no IP validation before 23.0');
    assert.equal(flagged('10.0.0.0/8', '23.0.0'), true);
    assert.equal(flagged('10.0.0.0/8', '24.1.0'), false);
    assert.equal(flagged('10.0.0.1/8', '24.1.0'), false);
    assert.equal(flagged('10.0.0.1/8', '25.0.0'), true);
    assert.equal(flagged('127.0.0.1, ::1,*', '26.1.0'), false);
    assert.equal(
      flagged('127.0.0.1, ,::1', '26.1.0'),
      true,
      'a blank entry between commas is not an address',
    );
    assert.equal(flagged('127.0.0.1,', '26.1.0'), false, 'a trailing comma leaves no entry');
    assert.equal(flagged('nginx', '26.1.0'), true);
  });
});

// Oracle: real Gunicorn (Debian 12's 20.1.0 and Debian 13's 23.0.0, each with its own python3) judges the same values
// as our invalid-value and hook-arity rules, checked against that Gunicorn version; both must agree. Also checks that
// our catalogue matches each installed Gunicorn's settings.

import { strict as assert } from 'node:assert';
import { check } from '../helpers/check';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';
import { gunicornTarget } from '../helpers/targets';
import { gunicornCatalog } from '../../server/src/languages/gunicorn/catalog';

function runPython(set: JudgeSet, script: string, input: string): string {
  const result = set.gunicorn.python(['-c', script], { input });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

/**
 * Asks real Gunicorn whether `Config().set(name, value)` accepts each case; `valueExpression` is Python that builds
 * the value from `case` (a dict with the case's fields).
 */
function gunicornAccepts(set: JudgeSet, cases: object[], valueExpression: string, prelude = ''): boolean[] {
  const script = [
    'import json, sys',
    'from gunicorn.config import Config',
    'out = []',
    'for case in json.load(sys.stdin):',
    ...(prelude ? [`    ${prelude}`] : []),
    '    try:',
    `        Config().set(case["name"], ${valueExpression})`,
    '        out.append(True)',
    '    except Exception:',
    '        out.append(False)',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(runPython(set, script, JSON.stringify(cases))) as boolean[];
}

/** Literals tried for each validator: typical good and bad values. */
const LITERALS: Record<string, string[]> = {
  validate_pos_int: [
    '4',
    '0',
    '-1',
    '2.5',
    '3.0',
    '"4"',
    '" 7 "',
    '"0x10"',
    '"four"',
    '"022"',
    '"0o22"',
    'True',
    'None',
    '[1]',
  ],
  validate_bool: ['True', 'False', '"true"', '"FALSE"', '"yes"', '1', '0', 'None', '[]'],
  validate_string: ['"x"', 'None', '5', '["a"]', 'True'],
  validate_list_string: ['"a"', '["a", "b"]', '("a",)', 'None', '[]', '5', '0', '[1]', '{"a": 1}'],
  validate_string_to_list: ['"a,b"', '"*"', '["a"]', 'None', '5'],
  validate_dict: ['{}', '{"A": "b"}', '[]', '"x"', 'None'],
  validate_class: ['"sync"', '"pkg.Mod"', '5', 'None'],
  validate_hostport: [
    '"localhost:8125"',
    '"localhost"',
    '"a:b:c"',
    '"host:port"',
    '"host: 12"',
    '"host:1_000"',
    '"[::1]:8125"',
    '"unix:/x"',
    '" h:1 "',
    'None',
    '5',
  ],
  validate_reload_engine: ['"auto"', '"poll"', '"inotify"', '"fast"', '"AUTO"'],
};

const MACHINE_DEPENDENT = new Set([
  'user',
  'group',
  'chdir',
  'reload_extra_files',
  'config',
  'paste',
  'logconfig',
]);

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s Gunicorn ${set.gunicorn.version} against our checker`, function () {
    const version = gunicornTarget(set).gunicornVersion;
    this.timeout(60000);
    before(function () {
      requireJudge(this, set, 'gunicorn');
    });

    it('agrees on every value of every setting we can judge', () => {
      const catalog = gunicornCatalog();
      const cases: { name: string; literal: string }[] = [];
      for (const setting of catalog.availableIn(version)) {
        if (setting.hook || MACHINE_DEPENDENT.has(setting.name)) continue;
        const literals = LITERALS[catalog.validatorFor(setting, version)];
        if (!literals) continue;
        for (const literal of literals) cases.push({ name: setting.name, literal });
      }
      const accepted = gunicornAccepts(set, cases, 'eval(case["literal"])');
      const disagreements: string[] = [];
      cases.forEach((c, i) => {
        const ours = !check(`${c.name} = ${c.literal}\n`, set.gunicorn.version).some(
          (f) => f.rule === 'invalid-value',
        );
        if (ours !== accepted[i]) {
          disagreements.push(
            `${c.name} = ${c.literal}: gunicorn ${accepted[i] ? 'accepts' : 'rejects'}, we ${ours ? 'accept' : 'reject'}`,
          );
        }
      });
      assert.ok(cases.length > 300, `only ${cases.length} cases`);
      assert.deepEqual(disagreements, []);
    });

    it('agrees on hook arity', () => {
      const hooks = gunicornCatalog()
        .availableIn(version)
        .filter((s) => s.hook);
      const signatures = [
        '(a)',
        '(a, b)',
        '(a, b, c)',
        '(a, b, c, d)',
        '(a, b=1)',
        '(*args)',
        '(a, *, b)',
        '(a, b, c, d, e)',
      ];
      const cases = hooks.flatMap((h) => signatures.map((sig) => ({ name: h.name, sig })));
      const accepted = gunicornAccepts(
        set,
        cases,
        'ns["f"]',
        'ns = {}; exec("def f" + case["sig"] + ": pass", ns)',
      );
      const disagreements = cases
        .map((c, i) => ({
          c,
          theirs: accepted[i],
          ours: !check(`def ${c.name}${c.sig}:\n    pass\n`, set.gunicorn.version).some(
            (f) => f.rule === 'hook-arity',
          ),
        }))
        .filter((r) => r.ours !== r.theirs)
        .map((r) => `${r.c.name}${r.c.sig}: gunicorn ${r.theirs ? 'accepts' : 'rejects'}`);
      assert.deepEqual(disagreements, []);
    });

    it('agrees on hooks set to values that are not functions', () => {
      const hooks = gunicornCatalog()
        .availableIn(version)
        .filter((s) => s.hook);
      // Dotted strings are imported by Gunicorn, which depends on the machine; they are left out.
      const literals = ['None', '5', '"nodot"', 'True', '[]', '"x"', 'lambda *a: None'];
      const cases = hooks.flatMap((h) => literals.map((literal) => ({ name: h.name, literal })));
      const accepted = gunicornAccepts(set, cases, 'eval(case["literal"])');
      const disagreements = cases
        .map((c, i) => ({
          c,
          theirs: accepted[i],
          ours: !check(`${c.name} = ${c.literal}\n`, set.gunicorn.version).some(
            (f) => f.rule === 'invalid-hook' || f.rule === 'hook-arity',
          ),
        }))
        .filter((r) => r.ours !== r.theirs)
        .map((r) => `${r.c.name} = ${r.c.literal}: gunicorn ${r.theirs ? 'accepts' : 'rejects'}`);
      assert.ok(cases.length > 100, `only ${cases.length} cases`);
      assert.deepEqual(disagreements, []);
    });

    it('agrees on which bind addresses parse', () => {
      const addresses = [
        '127.0.0.1:8000',
        '0.0.0.0:notaport',
        'localhost',
        '[::1]:8000',
        '[::1]',
        'unix:/run/x.sock',
        'fd://3',
        'fd://x',
        '127.0.0.1:',
        'example.com:80',
        ':8000',
        '[::1:8000',
        'tcp://127.0.0.1:8000',
        'tcp://[::1]:80',
        'http://127.0.0.1:8000',
      ];
      const script = [
        'import json, sys',
        'from gunicorn.util import parse_address',
        'out = []',
        'for address in json.load(sys.stdin):',
        '    try:',
        '        parse_address(address)',
        '        out.append(True)',
        '    except Exception:',
        '        out.append(False)',
        'print(json.dumps(out))',
      ].join('\n');
      const accepted = JSON.parse(runPython(set, script, JSON.stringify(addresses))) as boolean[];
      const disagreements = addresses
        .map((address, i) => ({
          address,
          theirs: accepted[i],
          ours: !check(`bind = ${JSON.stringify(address)}\n`, set.gunicorn.version).some(
            (f) => f.rule === 'invalid-bind',
          ),
        }))
        .filter((r) => r.ours !== r.theirs)
        .map((r) => `${r.address}: gunicorn ${r.theirs ? 'accepts' : 'rejects'}`);
      assert.deepEqual(disagreements, []);
    });

    it('knows every setting of the installed Gunicorn, with the same flags and defaults', () => {
      const script = [
        'import json',
        'from gunicorn.config import KNOWN_SETTINGS',
        'print(json.dumps([{"name": s.name, "cli": list(s.cli or []), "default": s.default if isinstance(s.default, (int, str, bool, type(None))) else "<expr>"} for s in KNOWN_SETTINGS]))',
      ].join('\n');
      const theirs = JSON.parse(runPython(set, script, '')) as {
        name: string;
        cli: string[];
        default: unknown;
      }[];
      const catalog = gunicornCatalog();
      const problems: string[] = [];
      for (const setting of theirs) {
        const ours = catalog.get(setting.name);
        // Debian backports tolerate_dangerous_framing (CVE-2024-1135) into 20.1.0; upstream has it only in 22.0.
        if (setting.name === 'tolerate_dangerous_framing') {
          if (!ours) problems.push('tolerate_dangerous_framing missing');
          continue;
        }
        if (!ours) {
          problems.push(`${setting.name}: missing`);
          continue;
        }
        if (catalog.availability(ours, version) !== 'available') {
          problems.push(
            `${setting.name}: we say ${catalog.availability(ours, version)} in ${set.gunicorn.version}`,
          );
        }
        if (JSON.stringify(ours.cli) !== JSON.stringify(setting.cli)) {
          problems.push(`${setting.name}: flags ${ours.cli} vs ${setting.cli}`);
        }
        const def = setting.default;
        // Compare literal defaults only; computed ones (workers, user) and ones whose value form changed since
        // 20.1.0 (more than one validator in the history, e.g. proxy_protocol) are version- or machine-dependent.
        const literalDefault = /^(-?\d+|True|False)$/.test(ours.default) && ours.validators.length === 1;
        if (
          ours.kind === 'setting' &&
          literalDefault &&
          (typeof def === 'number' || typeof def === 'boolean')
        ) {
          if (ours.default !== String(def === true ? 'True' : def === false ? 'False' : def)) {
            problems.push(`${setting.name}: default ${ours.default} vs ${String(def)}`);
          }
        }
      }
      assert.ok(theirs.length >= 85);
      assert.deepEqual(problems, []);
    });
  });
}

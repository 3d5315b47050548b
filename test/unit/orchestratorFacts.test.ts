// The orchestrators' facts (server/data/orchestrators.json) are sourced and well formed, and the small readers the
// manifest modules share (quantities, durations, TOML key locations) read what the platforms write.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrchestratorName } from '../../server/src/languages/commands/containerFacts';
import { orchestratorFacts, platformDefault } from '../../server/src/languages/commands/orchestratorFacts';
import {
  durationSeconds,
  flyMemory,
  kubernetesQuantity,
} from '../../server/src/languages/commands/quantities';
import { tomlLocations } from '../../server/src/languages/commands/tomlLocations';
import { ROOT } from './fuzzHelpers';

const NAMES: readonly OrchestratorName[] = [
  'kubernetes',
  'docker',
  'heroku',
  'fly',
  'render',
  'app-engine-standard',
  'app-engine-flexible',
  'cloud-run',
  'dokku',
  'railway',
];

describe('orchestrator facts', () => {
  const raw = JSON.parse(readFileSync(join(ROOT, 'server/data/orchestrators.json'), 'utf8')) as Record<
    string,
    unknown
  >;

  it('says in a $comment why it is written by hand', () => {
    assert.match(String(raw['$comment']), /by hand/);
    assert.match(String(raw['$comment']), /source/);
  });

  it('has exactly the orchestrators the launch shape names', () => {
    assert.deepEqual(Object.keys(orchestratorFacts()).sort(), [...NAMES].sort());
  });

  it('gives every fact a value (null when undocumented), a source URL and a note', () => {
    for (const [orchestrator, facts] of Object.entries(orchestratorFacts())) {
      assert.ok(Object.keys(facts).length > 0, orchestrator);
      for (const [name, fact] of Object.entries(facts)) {
        const where = `${orchestrator}.${name}`;
        assert.deepEqual(Object.keys(fact).sort(), ['note', 'source', 'value'], where);
        assert.match(fact.source, /^https:\/\/[\w.-]+\.[a-z]{2,}\//, `${where}: source URL`);
        assert.ok(fact.note.length >= 10, `${where}: note`);
      }
    }
  });

  it('states how each orchestrator stops a process, in seconds and signal names', () => {
    for (const name of NAMES) {
      const grace = platformDefault<number>(name, 'stopGraceSeconds');
      assert.ok(grace.value === null || (Number.isInteger(grace.value) && grace.value > 0), name);
      const signal = platformDefault<string>(name, 'stopSignal');
      assert.ok(signal.value === null || /^SIG[A-Z0-9]+$/.test(signal.value), name);
      assert.ok(signal.source, `${name}: stopSignal has a source`);
    }
  });

  it('answers an unknown fact with null and no source', () => {
    assert.deepEqual(platformDefault('fly', 'noSuchFact'), {
      value: null,
      orchestrator: 'fly',
      fact: 'noSuchFact',
      source: '',
    });
  });
});

describe('quantities and durations', () => {
  it('reads Kubernetes CPU quantities in CPUs', () => {
    assert.equal(kubernetesQuantity('500m'), 0.5);
    assert.equal(kubernetesQuantity('2'), 2);
    assert.equal(kubernetesQuantity(2), 2);
    assert.equal(kubernetesQuantity('1.5'), 1.5);
    assert.equal(kubernetesQuantity('100m'), 0.1);
  });

  it('reads Kubernetes memory quantities in bytes, decimal and binary', () => {
    assert.equal(kubernetesQuantity('512Mi'), 512 * 1024 * 1024);
    assert.equal(kubernetesQuantity('1G'), 1e9);
    assert.equal(kubernetesQuantity('1Gi'), 2 ** 30);
    assert.equal(kubernetesQuantity('128974848'), 128974848);
    assert.equal(kubernetesQuantity('129e6'), 129e6);
    assert.equal(kubernetesQuantity('64k'), 64000);
  });

  it('rejects what is no quantity', () => {
    for (const value of ['lots', '', '1GB', '-1', '1.2.3', 'Mi', null, [1], '__XXXX__']) {
      assert.equal(kubernetesQuantity(value), undefined, String(value));
    }
  });

  it('reads Fly memory sizes (a bare number is megabytes)', () => {
    assert.equal(flyMemory('1gb'), 2 ** 30);
    assert.equal(flyMemory('512mb'), 512 * 2 ** 20);
    assert.equal(flyMemory(256), 256 * 2 ** 20);
    assert.equal(flyMemory('2GB'), 2 * 2 ** 30);
    assert.equal(flyMemory('big'), undefined);
  });

  it('reads durations as seconds', () => {
    assert.equal(durationSeconds('5s'), 5);
    assert.equal(durationSeconds('1m30s'), 90);
    assert.equal(durationSeconds('250ms'), 0.25);
    assert.equal(durationSeconds('2h'), 7200);
    assert.equal(durationSeconds(30), 30);
    assert.equal(durationSeconds('30'), 30);
    assert.equal(durationSeconds('5 s'), undefined);
    assert.equal(durationSeconds('soon'), undefined);
    assert.equal(durationSeconds(''), undefined);
  });
});

describe('TOML key locations', () => {
  const TEXT = `# top\napp = "x" # name\nkill_timeout = 5\n\n[env]\n  PORT = '8000'\n  "QUOTED.KEY" = "a"\n\n[[services]]\n  internal_port = 8080\n  ports = [\n    80, # http\n    443,\n  ]\n  [[services.ports]]\n    port = 80\n\n[[services]]\n  internal_port = 9090\n\n[http_service]\ncmd = ["gunicorn", 'app:app']\nmulti = """\nline\n"""\nnested.key = true\ninline = { a = 1, b = "}" }\n`;
  const found = tomlLocations(TEXT);
  const value = (path: string) => {
    const where = found.get(path);
    assert.ok(where, `no location for ${path}`);
    return TEXT.slice(where.value.from, where.value.to);
  };

  it('locates keys of the root, tables and arrays of tables by index', () => {
    assert.equal(value('app'), '"x"');
    assert.equal(value('kill_timeout'), '5');
    assert.equal(value('env.PORT'), "'8000'");
    assert.equal(value('env.QUOTED.KEY'), '"a"');
    assert.equal(value('services.0.internal_port'), '8080');
    assert.equal(value('services.0.ports.0.port'), '80');
    assert.equal(value('services.1.internal_port'), '9090');
    assert.equal(value('http_service.nested.key'), 'true');
    assert.equal(value('http_service.inline'), '{ a = 1, b = "}" }');
    assert.match(value('http_service.multi'), /^"""\nline\n"""$/);
  });

  it('locates table headers under their path', () => {
    const header = (path: string) => {
      const where = found.get(path);
      assert.ok(where, `no header for ${path}`);
      return TEXT.slice(where.key.from, where.key.to);
    };
    assert.equal(header('env'), '[env]');
    assert.equal(header('services.1'), '[[services]]');
    assert.equal(header('services.0.ports.0'), '[[services.ports]]');
  });

  it('gives the items of array values', () => {
    const cmd = found.get('http_service.cmd');
    assert.deepEqual(
      cmd?.items?.map((item) => TEXT.slice(item.from, item.to)),
      ['"gunicorn"', "'app:app'"],
    );
    assert.deepEqual(
      found.get('services.0.ports')?.items?.map((item) => TEXT.slice(item.from, item.to)),
      ['80', '443'],
    );
  });

  it('stops at what it cannot read, keeping what came before', () => {
    const partial = tomlLocations('a = 1\n= broken\nb = 2\n');
    assert.ok(partial.has('a'));
    assert.equal(partial.has('b'), false);
  });
});

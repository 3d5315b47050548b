import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseGunicornConfig } from '../../server/src/languages/gunicorn/parse';
import type { Value } from '../../server/src/languages/gunicorn/model';

const valueOf = (text: string, name: string): Value | undefined => {
  const model = parseGunicornConfig(text);
  return [...model.bindings].reverse().find((b) => b.name === name)?.value;
};

describe('parseGunicornConfig', () => {
  it('evaluates literals, arithmetic and names bound earlier', () => {
    assert.deepEqual((({ span: _s, ...v }) => v)(valueOf('port = 8000\nbind = f"0.0.0.0:{port}"', 'bind')!), {
      kind: 'str',
      value: '0.0.0.0:8000',
    });
    assert.equal((valueOf('timeout = 10 * 6 + 0x10', 'timeout') as { value: number }).value, 76);
    assert.equal((valueOf('umask = 0o022', 'umask') as { value: number }).value, 18);
    assert.equal((valueOf('x = 7 // 2', 'x') as { value: number }).value, 3);
    assert.equal(valueOf('x = 7 / 2', 'x')!.kind, 'float');
    assert.equal((valueOf("name = 'a' 'b'", 'name') as { value: string }).value, 'ab');
    assert.equal((valueOf('s = "a\\tb"', 's') as { value: string }).value, 'a\tb');
    assert.equal((valueOf("s = r'a\\tb'", 's') as { value: string }).value, 'a\\tb');
  });

  it('knows cpu_count() and environment reads are unknown but typed', () => {
    const workers = valueOf(
      'import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1',
      'workers',
    )!;
    assert.deepEqual([workers.kind, workers.kind === 'unknown' && workers.type], ['unknown', 'int']);
    const level = valueOf('import os\nloglevel = os.environ.get("LOG_LEVEL", "info")', 'loglevel')!;
    assert.ok(
      level.kind === 'unknown' &&
        level.type === 'str' &&
        level.env?.name === 'LOG_LEVEL' &&
        level.env.fallback === 'info',
    );
    const maybe = valueOf('import os\nx = os.getenv("X")', 'x')!;
    assert.ok(maybe.kind === 'unknown' && maybe.type === undefined);
    const forced = valueOf('import os\nw = int(os.environ["W"])', 'w')!;
    assert.ok(forced.kind === 'unknown' && forced.type === 'int');
  });

  it('records annotated, augmented, tuple and import bindings', () => {
    const model = parseGunicornConfig(
      'from hooks import when_ready as ready, x\nworkers: int = 2\nworkers += 1\na, b = 1, "s"\ndef post_fork(server, worker): pass\n',
    );
    const summary = model.bindings.map((b) => `${b.name}:${b.kind}`);
    assert.deepEqual(summary, [
      'ready:import',
      'x:import',
      'workers:annotated',
      'workers:augmented',
      'a:tuple-target',
      'b:tuple-target',
      'post_fork:def',
    ]);
    assert.equal((model.bindings[3]!.value as { value: number }).value, 3);
    assert.equal((model.bindings[5]!.value as { value: string }).value, 's');
  });

  it('marks if/else arms as exclusive branches', () => {
    const model = parseGunicornConfig('if DEBUG:\n    loglevel = "debug"\nelse:\n    loglevel = "info"\n');
    const [first, second] = model.bindings.filter((b) => b.name === 'loglevel');
    assert.equal(first!.branch[0]!.statement, second!.branch[0]!.statement);
    assert.notEqual(first!.branch[0]!.arm, second!.branch[0]!.arm);
    assert.ok(first!.branch[0]!.exclusive);
  });

  it('reads hook parameters with their kinds, and lambdas', () => {
    const model = parseGunicornConfig(
      'def post_request(worker, req, env=None, *args, key=1, **kw):\n    pass\npre_fork = lambda server, worker: None\n',
    );
    assert.deepEqual(
      model.functions[0]!.params.map((p) => `${p.name}:${p.kind}:${p.hasDefault}`),
      [
        'worker:positional:false',
        'req:positional:false',
        'env:positional:true',
        'args:vararg:false',
        'key:keyword-only:true',
        'kw:kwarg:false',
      ],
    );
    const lambda = model.bindings.find((b) => b.name === 'pre_fork')!.value;
    assert.ok(lambda.kind === 'function' && lambda.fn.isLambda && lambda.fn.params.length === 2);
  });

  it('collects names read, calls with their function, and comments', () => {
    const model = parseGunicornConfig(
      'import os\nBASE = os.getcwd()\nengine = create_engine(BASE)\ndef post_fork(server, worker):\n    engine.dispose()  # reset\n',
    );
    assert.ok(
      model.readNames.has('BASE') && model.readNames.has('engine') && !model.readNames.has('post_fork'),
    );
    assert.deepEqual(
      model.calls.map((c) => `${c.callee}@${c.inFunction ?? ''}`),
      ['os.getcwd@', 'create_engine@', 'engine.dispose@post_fork'],
    );
    assert.deepEqual(
      model.comments.map((c) => c.text),
      [' reset'],
    );
  });

  it('reports syntax errors with a clear message inside the text', () => {
    const text = 'workers = (\n';
    const model = parseGunicornConfig(text);
    assert.equal(model.errors.length, 1);
    assert.match(model.errors[0]!.message, /^Python syntax error/);
    assert.ok(model.errors[0]!.span.to <= text.length);
  });

  it('keeps offsets right with a BOM and CRLF line ends', () => {
    const text = '\uFEFFworkers = 2\r\ntimeout = 30\r\n';
    const model = parseGunicornConfig(text);
    const timeout = model.bindings.find((b) => b.name === 'timeout')!;
    assert.equal(text.slice(timeout.nameSpan.from, timeout.nameSpan.to), 'timeout');
    assert.deepEqual(model.lines.positionAt(timeout.nameSpan.from), { line: 1, character: 0 });
    assert.equal(model.errors.length, 0);
  });

  it('never throws and keeps every span inside the text (property test)', () => {
    const sample =
      'import os\nbind = ["0.0.0.0:" + os.environ.get("PORT", "8000")]\nworkers = 3\ndef post_fork(server, worker):\n    pass\n';
    const mutated = fc
      .tuple(fc.nat(sample.length), fc.nat(5), fc.string({ maxLength: 8 }))
      .map(([at, cut, insert]) => sample.slice(0, at) + insert + sample.slice(at + cut));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), mutated, fc.string({ unit: 'binary', maxLength: 200 })),
        (text) => {
          const model = parseGunicornConfig(text);
          const spans = [
            ...model.bindings.map((b) => b.nameSpan),
            ...model.errors.map((e) => e.span),
            ...model.comments.map((c) => c.span),
          ];
          return spans.every((s) => 0 <= s.from && s.from <= s.to && s.to <= text.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('analyses the rest of a file whose brackets nest thousands of levels deep, and says what it left out', () => {
    for (const depth of [5_000, 50_000]) {
      const text = `bind = "127.0.0.1:8000"\nx = ${'['.repeat(depth)}${']'.repeat(depth)}\nworkers = 3\n`;
      const model = parseGunicornConfig(text);
      assert.deepEqual(
        model.bindings.map((b) => b.name),
        ['bind', 'x', 'workers'],
      );
      const nesting = model.errors.filter((e) => /nest more than 100 levels/.test(e.message));
      assert.equal(nesting.length, 1, JSON.stringify(model.errors.map((e) => e.message)));
      // Offsets still point into the original text: the problem sits at the 101st bracket.
      assert.equal(nesting[0]!.span.from, text.indexOf('[') + 100);
    }
    // Ordinary nesting is parsed as it is.
    const normal = parseGunicornConfig(`x = ${'['.repeat(50)}${']'.repeat(50)}\n`);
    assert.deepEqual(normal.errors, []);
  });

  it('survives deep nesting and very long lines', () => {
    assert.doesNotThrow(() => parseGunicornConfig('x = ' + '['.repeat(3000) + ']'.repeat(3000)));
    assert.doesNotThrow(() => parseGunicornConfig('x = "' + 'a'.repeat(200_000) + '"'));
    assert.doesNotThrow(() => parseGunicornConfig('x = ' + '1 + '.repeat(5000) + '1'));
  });
});

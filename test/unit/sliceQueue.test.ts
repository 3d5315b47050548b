// The server's check scheduler: one slice of one document per turn of the event loop, the documents in turn.

import { strict as assert } from 'node:assert';
import { SliceQueue } from '../../server/src/lsp/sliceQueue';

/** Holds long enough that no test machine's stall can outlast them (the tests below end them themselves). */
const LONG_HOLDS = { frameMs: 60_000, answerMs: 60_000 };

/** A job of `slices` slices that writes its name into `log` at each. */
function job(name: string, slices: number, log: string[]): () => boolean {
  let left = slices;
  return () => {
    log.push(name);
    return --left > 0;
  };
}

/** Resolves once the queue has run every job to its end (it runs on turns of the event loop). */
async function drained(queue: SliceQueue): Promise<void> {
  while (queue.size) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('slice queue', () => {
  it('runs one slice per turn, the jobs in turn', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    const turns: number[] = [];
    queue.add('a', job('a', 3, log));
    queue.add('b', job('b', 2, log));
    // What another turn of the event loop (a request being answered) sees: one slice more each time.
    while (queue.size) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turns.push(log.length);
    }
    assert.deepEqual(log, ['a', 'b', 'a', 'b', 'a']);
    assert.ok(
      turns.every((count, index) => count - (turns[index - 1] ?? 0) <= 1),
      `at most one slice between two turns: ${turns.join(',')}`,
    );
  });

  it('drops a cancelled job, and a replaced job runs only its new slices, behind the others', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    queue.add('a', job('a-old', 5, log));
    queue.add('b', job('b', 2, log));
    queue.add('c', job('c', 5, log));
    queue.add('a', job('a-new', 1, log));
    queue.cancel('c');
    await drained(queue);
    assert.deepEqual(log, ['b', 'a-new', 'b']);
  });

  it('drops a job whose slice throws, says so, and gives the others their turns', async () => {
    const errors: unknown[] = [];
    const queue = new SliceQueue((error) => errors.push(error));
    const log: string[] = [];
    queue.add('bad', () => {
      throw new Error('a rule bug');
    });
    queue.add('good', job('good', 2, log));
    await drained(queue);
    assert.equal(errors.length, 1);
    assert.deepEqual(log, ['good', 'good']);
  });

  it('starts no slice while a request is being answered, until a turn after its answer', async () => {
    const queue = new SliceQueue(undefined, LONG_HOLDS);
    const log: string[] = [];
    queue.add('a', job('a', 3, log));
    let finish!: () => void;
    // A handler that answers on a later turn (as an async one does), like the hover handler awaiting its document.
    const answered = queue.answer(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(log, [], 'no slice while the answer is pending');
    finish();
    await answered;
    // The answer is written on the next turn (the writer queues it): still no slice in that turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(log, []);
    await drained(queue);
    assert.deepEqual(log, ['a', 'a', 'a']);
  });

  it('gives way to a frame on its way to its handler, and goes on once the handler has answered', async () => {
    const queue = new SliceQueue(undefined, LONG_HOLDS);
    const log: string[] = [];
    queue.frameArrived();
    queue.add('a', job('a', 2, log));
    // The reader takes turns of its own before the handler runs.
    for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(log, [], 'no slice between the frame and its handler');
    assert.equal(
      queue.answer(() => 'hover'),
      'hover',
      'the handler’s own answer comes back',
    );
    await drained(queue);
    assert.deepEqual(log, ['a', 'a']);
  });

  it('does not wait for ever: a notification’s frame (no handler tells) and a slow handler hold it only a while', async () => {
    const queue = new SliceQueue(undefined, { frameMs: 5, answerMs: 5 });
    const log: string[] = [];
    queue.frameArrived();
    queue.add('a', job('a', 1, log));
    await drained(queue);
    assert.deepEqual(log, ['a'], 'the frame’s hold ran out');
    // A handler that never answers (one waiting for a build) lets the slices go on after a while.
    void queue.answer(() => new Promise<void>(() => undefined));
    queue.add('b', job('b', 1, log));
    await drained(queue);
    assert.deepEqual(log, ['a', 'b']);
  });

  it('lets a handler’s error through, and the slices go on', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    queue.add('a', job('a', 1, log));
    assert.throws(
      () =>
        queue.answer(() => {
          throw new Error('bad params');
        }),
      /bad params/,
    );
    await assert.rejects(
      queue.answer(() => Promise.reject(new Error('later'))),
      /later/,
    );
    await drained(queue);
    assert.deepEqual(log, ['a']);
  });
});

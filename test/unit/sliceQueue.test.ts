// The server's check scheduler: one slice of one document per turn of the event loop, the documents in turn.

import { strict as assert } from 'node:assert';
import { SliceQueue } from '../../server/src/lsp/sliceQueue';

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
});

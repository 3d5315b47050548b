// Runs the slices of several long jobs (documents' checks) one slice per turn of the event loop, the jobs in turn, so
// that a request arriving meanwhile waits for one slice at most, however many documents are being checked.

/** One slice of a job's work; true while the job has more to do. */
export type Slice = () => boolean;

/**
 * How long a request's frame that just arrived keeps slices back while it travels to its handler (the reader decodes
 * it and queues it on later turns, well under a millisecond each); its handler then holds them itself.
 */
export const FRAME_HOLD_MS = 5;

/**
 * The longest a request holds slices back: a handler that waits for something else (a build) must not stop the
 * documents' checks meanwhile.
 */
export const ANSWER_HOLD_MS = 50;

export class SliceQueue {
  private readonly jobs = new Map<string, Slice>();
  private turn: NodeJS.Immediate | undefined;
  /** A retry once the frames' hold has run out. */
  private retry: NodeJS.Timeout | undefined;
  /** Requests whose answer has not been written yet. */
  private answering = 0;
  /** Frames on their way to a handler, and until when they hold slices back (performance.now()). */
  private arriving = 0;
  private arrivingUntil = 0;

  /**
   * `onError` hears of a slice that threw; its job is dropped, the others go on. `holds` sets how long a frame and a
   * request may hold slices back (tests).
   */
  constructor(
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly holds = { frameMs: FRAME_HOLD_MS, answerMs: ANSWER_HOLD_MS },
  ) {}

  /** Queues a job (replacing the one of the same key, which is dropped): its first slice runs on a later turn. */
  add(key: string, slice: Slice): void {
    // Deleted first so that a replaced job goes to the back, like a new one.
    this.jobs.delete(key);
    this.jobs.set(key, slice);
    this.schedule();
  }

  /** Drops a job's remaining slices. */
  cancel(key: string): void {
    this.jobs.delete(key);
  }

  get size(): number {
    return this.jobs.size;
  }

  /**
   * A message frame came in. Reading it, decoding it and answering it each take a turn of the event loop of their own
   * (vscode-jsonrpc queues each step), and a slice on every one of those turns made a hover wait for three slices.
   * `request`: whether the frame looks like a request (lsp/frames.ts).
   */
  frameArrived(request = true): void {
    // A notification has no handler that tells when it has been dispatched: it holds nothing (the documents' checks
    // it starts are themselves slices).
    if (!request) return;
    this.arriving++;
    this.arrivingUntil = performance.now() + this.holds.frameMs;
  }

  /**
   * Runs a request's handler; no slice starts until its answer is written (or the answer hold has passed), so a
   * request waits at most for the slice that was running when it came.
   */
  answer<R>(handler: () => R): R {
    // The frame that brought this request has reached its handler.
    if (this.arriving > 0) this.arriving--;
    this.answering++;
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      clearTimeout(timeout);
      this.answering--;
      this.schedule();
    };
    const timeout = setTimeout(release, this.holds.answerMs).unref();
    // The answer is written on a later turn (the writer queues it, as the reader does): released one turn after that.
    const afterWrite = (): void => void setImmediate(() => setImmediate(release));
    let result: R;
    try {
      result = handler();
    } catch (error) {
      afterWrite();
      throw error;
    }
    if (result instanceof Promise) result.then(afterWrite, afterWrite);
    else afterWrite();
    return result;
  }

  /** Whether frames on their way to a handler still hold slices back (forgotten once their hold has run out). */
  private framesHold(): boolean {
    if (this.arriving > 0 && performance.now() < this.arrivingUntil) return true;
    this.arriving = 0;
    return false;
  }

  private schedule(): void {
    if (!this.jobs.size || this.turn) return;
    // A turn now re-checks the holds (a request that answered may have ended them before the retry was due).
    clearTimeout(this.retry);
    this.retry = undefined;
    this.turn = setImmediate(() => this.runTurn());
  }

  private runTurn(): void {
    this.turn = undefined;
    if (this.answering > 0) return; // release() schedules the next turn
    if (this.framesHold()) {
      this.retry = setTimeout(
        () => {
          this.retry = undefined;
          this.schedule();
        },
        Math.max(1, this.arrivingUntil - performance.now()),
      ).unref();
      return;
    }
    const next = this.jobs.entries().next();
    if (next.done) return;
    const [key, slice] = next.value;
    this.jobs.delete(key);
    let more = false;
    try {
      more = slice();
    } catch (error) {
      this.onError(error);
    }
    // A job that goes on is put back behind the others, unless its slice replaced it meanwhile.
    if (more && !this.jobs.has(key)) this.jobs.set(key, slice);
    this.schedule();
  }
}

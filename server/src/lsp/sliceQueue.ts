// Runs the slices of several long jobs (documents' checks) one slice per turn of the event loop, the jobs in turn, so
// that a request arriving meanwhile waits for one slice at most, however many documents are being checked.

/** One slice of a job's work; true while the job has more to do. */
export type Slice = () => boolean;

export class SliceQueue {
  private readonly jobs = new Map<string, Slice>();
  private turn: NodeJS.Immediate | undefined;

  /** `onError` hears of a slice that threw; its job is dropped, the others go on. */
  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  /** Queues a job (replacing the one of the same key, which is dropped): its first slice runs on a later turn. */
  add(key: string, slice: Slice): void {
    // Deleted first so that a replaced job goes to the back, like a new one.
    this.jobs.delete(key);
    this.jobs.set(key, slice);
    this.turn ??= setImmediate(() => this.runTurn());
  }

  /** Drops a job's remaining slices. */
  cancel(key: string): void {
    this.jobs.delete(key);
  }

  get size(): number {
    return this.jobs.size;
  }

  private runTurn(): void {
    this.turn = undefined;
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
    if (this.jobs.size) this.turn = setImmediate(() => this.runTurn());
  }
}

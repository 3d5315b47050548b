// A framing guard in front of vscode-jsonrpc's stdio reader. That reader stops at a malformed header: with
// `Content-Length: abc` (or a header line without a colon) the rest of the chunk waits until more bytes arrive, and
// with a negative length (`Content-Length: -5`) it never parses another message. Here every header block is checked and
// a malformed one is dropped at once, so the messages after it are delivered as if it had not been sent.

import { Transform, type TransformCallback } from 'node:stream';

/** A header block without its blank line after this many bytes is garbage, not a header still arriving. */
const MAX_HEADER_BYTES = 16 * 1024;
const SEPARATOR = Buffer.from('\r\n\r\n', 'ascii');
/** How much of a body is looked at for a request's id: clients write `jsonrpc` and `id` before `method` and `params`. */
const REQUEST_PEEK_BYTES = 64;

/**
 * Whether a body's head looks like a request (an `id` before any `params`). A guess for scheduling only: a message is
 * decoded by the reader whatever this says, and a wrong guess only holds background work back briefly or not at all.
 */
function looksLikeRequest(head: Buffer): boolean {
  const text = head.toString('latin1');
  const id = text.indexOf('"id"');
  if (id < 0) return false;
  const params = text.indexOf('"params"');
  return (params < 0 || id < params) && text.includes('"method"');
}

export class FrameGuard extends Transform {
  /** Told about each dropped header or garbage run (for the client's log); set once the connection exists. */
  onDrop: (reason: string) => void = () => undefined;
  /**
   * Told as each whole frame goes on to the reader, with whether it looks like a request (the server lets requests
   * pass its background work).
   */
  onFrame: (request: boolean) => void = () => undefined;
  private chunks: Buffer[] = [];
  private length = 0;
  /** Bytes of the frame being received (header and body), once its header was read. */
  private frameBytes = -1;
  /** Where that frame's body starts. */
  private bodyStart = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    try {
      this.drain();
    } catch (error) {
      this.onDrop(`framing error: ${String(error)}`);
      this.chunks = [];
      this.length = 0;
      this.frameBytes = -1;
    }
    done();
  }

  private buffered(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(bytes: number): Buffer {
    const all = this.buffered();
    const taken = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    return taken;
  }

  private drain(): void {
    for (;;) {
      if (this.frameBytes >= 0) {
        // Waiting for a body: no copying until all of it is here (a 5 MB document arrives in many chunks).
        if (this.length < this.frameBytes) return;
        const frame = this.consume(this.frameBytes);
        // Told before the reader may see it, so that what it starts finds the hold in place.
        this.onFrame(looksLikeRequest(frame.subarray(this.bodyStart, this.bodyStart + REQUEST_PEEK_BYTES)));
        this.push(frame);
        this.frameBytes = -1;
        continue;
      }
      const all = this.buffered();
      const end = all.indexOf(SEPARATOR);
      if (end < 0) {
        if (this.length > MAX_HEADER_BYTES) {
          this.consume(this.length);
          this.onDrop(`dropped ${all.length} bytes without a header`);
        }
        return;
      }
      const header = all.subarray(0, end).toString('latin1');
      // Bytes before a header (the body of a frame whose header was dropped): resynchronize on the next header.
      const start = header.search(/content-length:/i);
      if (start > 0 && !/^content-/i.test(header)) {
        this.consume(start);
        this.onDrop(`dropped ${start} bytes before a header`);
        continue;
      }
      const lines = header.split('\r\n');
      const lengthLines = lines.filter((line) => /^content-length:/i.test(line));
      const value =
        lengthLines.length === 1
          ? /^content-length:[ \t]*(\d+)[ \t]*$/i.exec(lengthLines[0]!)?.[1]
          : undefined;
      const length = value === undefined ? NaN : Number(value);
      if (!lines.every((line) => line.includes(':')) || !Number.isSafeInteger(length)) {
        this.consume(end + SEPARATOR.length);
        this.onDrop(`dropped a malformed header: ${JSON.stringify(header.slice(0, 200))}`);
        continue;
      }
      this.bodyStart = end + SEPARATOR.length;
      this.frameBytes = this.bodyStart + length;
    }
  }
}

/**
 * One server-sent-events stream to one browser. A browser that stops reading is not buffered
 * for without bound: past `maxBufferedBytes` unsent, the stream is closed, and EventSource
 * reconnects to a fresh snapshot (what it missed is in the snapshot's state, never replayed
 * twice).
 */
import type { Writable } from 'node:stream';

/** A stream of named events over a response already headed `text/event-stream`. */
export class EventStream {
  private closed = false;

  constructor(
    private readonly out: Writable,
    private readonly maxBufferedBytes: number,
    private readonly onClose: () => void,
  ) {
    out.once('close', () => this.close());
  }

  /** `event: name` with `data` as one JSON line. */
  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line, which keeps idle proxies and the browser from timing the stream out. */
  heartbeat(): void {
    this.write(': keep-alive\n\n');
  }

  /** Ends the stream (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.destroy();
    this.onClose();
  }

  private write(text: string): void {
    if (this.closed) return;
    if (this.out.writableLength > this.maxBufferedBytes) {
      this.close();
      return;
    }
    this.out.write(text);
  }
}

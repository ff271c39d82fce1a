/** A reader of a server-sent-events response for tests: named events in order, and comment lines. */

/** One event as the stream carried it. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads `res.body` as SSE; `next` waits for the first unread event that matches. */
export class SseReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private read = 0;
  private waiters = new Set<() => void>();

  constructor(res: Response) {
    void this.pump(res.body!.getReader());
  }

  /** The next event named `name` (and matching `test`) after those already returned, within `ms`. */
  async next<T = Record<string, unknown>>(name: string, test: (data: T) => boolean = () => true, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (let i = this.read; i < this.events.length; i += 1) {
        const e = this.events[i]!;
        if (e.event === name && test(e.data as T)) {
          this.read = i + 1;
          return e.data as T;
        }
      }
      if (this.ended) throw new Error(`the stream ended before a "${name}" event`);
      if (Date.now() > deadline) throw new Error(`no "${name}" event within ${ms} ms; got ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
        setTimeout(wake, 50);
      });
    }
  }

  /** Resolves when the server has ended the stream. */
  async end(ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
        for (const wake of [...this.waiters]) wake();
      }
    } catch {
      // a destroyed connection ends the stream like a clean end
    }
    this.ended = true;
  }

  private parse(block: string): void {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments += 1;
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (data !== '') this.events.push({ event, data: JSON.parse(data) });
  }
}

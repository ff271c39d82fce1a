/**
 * The bridge's output side: protocol messages leave as one line per event-loop turn (its
 * records joined by {@link RECORD_SEPARATOR}), or per {@link OutboxOptions.maxHoldMs} of a long
 * turn, and wait when the reader falls behind.
 *
 * Why a line per turn: a write per message is a system call per message, and at tens of
 * thousands of quotes a second that, not the JSON, is what held the bridge's core.
 *
 * Why a turn's output may leave before the turn ends: the server's entries arrive in bursts (the
 * emulator's: a tick's worth every 10 ms, 50 entries at 5,000 a second), and the bridge
 * parses a burst in one turn, 40-60 µs an entry. Held to the turn's end, the first quote of a
 * burst waited for the last one's parse: the reader's median latency was the burst's parse time
 * (3.4 ms at 5,000 a second, 5.3 at 10,000, 9.9 at 20,000, against 1.1-2.9 ms for a client
 * reading the socket itself). So once the oldest waiting message has waited
 * {@link OutboxOptions.maxHoldMs}, the next one pushed writes the line at once.
 *
 * Backpressure: when the stream says the reader is behind (`write()` returned false), nothing
 * more is written until it drains. Messages wait here meanwhile, and memory stays bounded
 * because a quote for a (code, real type) that already waits replaces that waiting quote in
 * place (the reader sees the latest values, once, where the first one stood); each merge is
 * counted in {@link Outbox.coalesced} and reported to the reader as a `{"coalesced": n}`
 * message. Everything else (replies, order, chejan, TR and condition events) waits in order and
 * is never merged or dropped; it is bounded by what the program itself asks for.
 *
 * Why waiting quotes are indexed by key only while the reader is behind: merging happens only
 * then, and a long-lived Map given a key per quote and losing it at the write, 5,000 times a
 * second, kept the quotes it had held alive through young-generation collections (its tables
 * are old), so that they were promoted: 97% of what the bridge promoted at 5,000 quotes a
 * second (22.6 MB in 5 s, a major collection every 1.7 s, scavenges of 2.8 ms; 0.6 MB and
 * 0.9 ms without it). So the index is built when the reader falls behind, from what still waits.
 */
import { performance } from 'node:perf_hooks';

/** Where an {@link Outbox} writes: the shape of a Node writable stream. */
export interface OutboxSink {
  /** Writes one chunk; false when the reader is behind (the chunk is still taken). */
  write(chunk: string): boolean;
  /** Calls `listener` once, the next time the reader has caught up. */
  once(event: 'drain', listener: () => void): unknown;
}

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  /** Most characters of messages per line; a larger backlog leaves as several lines (default 256 Ki). */
  maxLineChars?: number;
  /** Schedules the end-of-turn flush (default `setImmediate`). */
  defer?: (flush: () => void) => void;
  /**
   * Longest a message waits within a busy turn, ms (default 2): a message pushed once the
   * oldest waiting one has waited this long writes the line now (still one write per line, at
   * most one line a `maxHoldMs` in a long turn).
   */
  maxHoldMs?: number;
  /** The clock `maxHoldMs` is measured with, ms (default `performance.now`). */
  now?: () => number;
}

/** Separates a line's records (ASCII RS: JSON escapes it, and compact quotes never hold it). */
export const RECORD_SEPARATOR = '\u001e';

/** Written slots kept at the head of the queue before it is compacted. */
const COMPACT_AT = 4_096;

interface Slot {
  text: string;
  /** Set for a quote: its (code, real type) key. */
  key?: string;
}

/** Batches protocol messages per turn and holds them, coalescing quotes, while the reader is behind. */
export class Outbox {
  /** Quotes merged into a waiting quote of the same code and real type because the reader was behind. */
  coalesced = 0;
  #reported = 0;
  #queue: Slot[] = [];
  #head = 0;
  /** While the reader is behind: key → its latest quote still waiting in #queue (empty otherwise). */
  readonly #waitingQuote = new Map<string, Slot>();
  #blocked = false;
  /** An end-of-turn flush is scheduled and has not run yet. */
  #scheduled = false;
  /** When the oldest message not yet written was pushed (NaN: none waits). */
  #heldSince = Number.NaN;
  readonly #maxLineChars: number;
  readonly #maxHoldMs: number;
  readonly #defer: (flush: () => void) => void;
  readonly #now: () => number;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.flush();
  };
  readonly #resume = (): void => {
    this.#blocked = false;
    this.flush();
  };

  constructor(
    private readonly sink: OutboxSink,
    options: OutboxOptions = {},
  ) {
    this.#maxLineChars = options.maxLineChars ?? 256 * 1024;
    this.#maxHoldMs = options.maxHoldMs ?? 2;
    this.#defer = options.defer ?? setImmediate;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Messages waiting to be written. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Whether the reader is behind (writes are held). */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Queues a message (a JSON object's text) that is never merged or dropped. */
  push(text: string): void {
    this.#queue.push({ text });
    this.#schedule();
  }

  /**
   * Queues a quote (its compact text, ./quotes.ts) for `key` (its code and real type). While the reader is behind,
   * a quote for a key that already waits replaces the waiting one's text in place.
   */
  pushQuote(key: string, text: string): void {
    const slot: Slot = { text, key };
    if (this.#blocked) {
      const waiting = this.#waitingQuote.get(key);
      if (waiting !== undefined) {
        waiting.text = text;
        this.coalesced++;
        return;
      }
      this.#waitingQuote.set(key, slot);
    }
    this.#queue.push(slot);
    this.#schedule();
  }

  /** Writes what waits, a line at a time, until done or the reader falls behind. */
  flush(): void {
    this.#heldSince = Number.NaN;
    while (!this.#blocked && (this.#head < this.#queue.length || this.coalesced !== this.#reported)) {
      const parts: string[] = [];
      let chars = 0;
      if (this.coalesced !== this.#reported) {
        this.#reported = this.coalesced;
        parts.push(`{"coalesced":${this.coalesced}}`);
      }
      while (this.#head < this.#queue.length && chars < this.#maxLineChars) {
        const slot = this.#queue[this.#head++]!;
        if (slot.key !== undefined && this.#waitingQuote.size > 0 && this.#waitingQuote.get(slot.key) === slot) this.#waitingQuote.delete(slot.key);
        parts.push(slot.text);
        chars += slot.text.length;
      }
      this.#compact();
      if (!this.sink.write(`${parts.join(RECORD_SEPARATOR)}\n`)) {
        this.#blocked = true;
        this.#indexWaitingQuotes();
        this.sink.once('drain', this.#resume);
      }
    }
  }

  /** The reader fell behind: index the quotes still waiting by key (the latest one per key), so that later ones merge into them. */
  #indexWaitingQuotes(): void {
    for (let i = this.#head; i < this.#queue.length; i++) {
      const slot = this.#queue[i]!;
      if (slot.key !== undefined) this.#waitingQuote.set(slot.key, slot);
    }
  }

  /** Drops the written prefix of the queue once it is worth it (a reader a little behind for hours never empties it). */
  #compact(): void {
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head >= COMPACT_AT && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  /** A message was queued: write now if the oldest waiting one has waited long enough, else at the turn's end. */
  #schedule(): void {
    if (this.#blocked) return;
    const now = this.#now();
    if (now - this.#heldSince >= this.#maxHoldMs) {
      this.flush();
      return;
    }
    if (Number.isNaN(this.#heldSince)) this.#heldSince = now;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#defer(this.#flush);
  }
}

/**
 * Hands parsed data items to the session's listeners: directly while they keep up, through
 * a bounded, coalescing buffer when they do not (policy documented on {@link BufferOptions}).
 * Deferring to later event-loop turns keeps the socket read, so PING echoes and control
 * replies are never stuck behind a slow listener.
 */
import { performance } from 'node:perf_hooks';
import { COALESCIBLE } from './catalog.js';
import type { BufferOptions, RealEvent } from './types.js';

export const DEFAULT_BUFFER: Required<BufferOptions> = { coalesceAbove: 1_000, maxBuffered: 20_000, dispatchBudgetMs: 50 };

/** Where compaction of the queue array pays off. */
const COMPACT_AT = 4_096;

export class Dispatcher {
  dispatched = 0;
  coalesced = 0;
  dropped = 0;

  /** Waiting entries live in `#queue[#head - #base ...]`; indices in `#slots` are absolute. */
  #queue: (RealEvent | undefined)[] = [];
  #base = 0;
  #head = 0;
  #tail = 0;
  /** type|item → absolute index of its waiting entry, for coalescing. */
  readonly #slots = new Map<string, number>();
  #paused = false;
  #deferring = false;
  #turnArmed = false;
  /** Listener time spent in this event-loop turn, ms. */
  #turnSpent = 0;
  #drainScheduled = false;
  readonly #opts: Required<BufferOptions>;

  constructor(
    private readonly deliver: (entry: RealEvent) => void,
    options: BufferOptions | undefined,
    private readonly onFirstDrop: () => void,
  ) {
    this.#opts = { ...DEFAULT_BUFFER, ...options };
  }

  /** Entries waiting. */
  get buffered(): number {
    return this.#tail - this.#head;
  }

  /** Whether an entry pushed now would be delivered at once (nothing waits, not paused or deferring). */
  get idle(): boolean {
    return !this.#paused && !this.#deferring && this.#tail === this.#head;
  }

  /** Deliver now, or queue when paused, behind others, or over this turn's budget. */
  push(entry: RealEvent): void {
    if (this.#paused || this.#deferring || this.#tail !== this.#head) {
      this.#enqueue(entry);
      return;
    }
    if (!this.#turnArmed) {
      this.#turnArmed = true;
      this.#turnSpent = 0;
      setImmediate(this.#endTurn);
    }
    // Only listener time counts: parsing a flood of frames is not a slow consumer.
    const start = performance.now();
    this.deliver(entry);
    this.dispatched++;
    this.#turnSpent += performance.now() - start;
    if (this.#turnSpent > this.#opts.dispatchBudgetMs) this.#deferring = true;
  }

  /** Queue everything until {@link resume}. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#scheduleDrain();
  }

  /** Forget waiting entries (the session closed for good). */
  clear(): void {
    this.#queue = [];
    this.#slots.clear();
    this.#base = this.#head = this.#tail = 0;
  }

  readonly #endTurn = (): void => {
    this.#turnArmed = false;
    if (this.#tail !== this.#head) this.#drain();
    else this.#deferring = false;
  };

  #scheduleDrain(): void {
    if (this.#drainScheduled || this.#tail === this.#head) return;
    this.#drainScheduled = true;
    setImmediate(() => {
      this.#drainScheduled = false;
      this.#drain();
    });
  }

  #drain(): void {
    const start = performance.now();
    while (!this.#paused && this.#tail !== this.#head) {
      const entry = this.#shift();
      if (entry) {
        this.deliver(entry);
        this.dispatched++;
      }
      if (performance.now() - start > this.#opts.dispatchBudgetMs) break;
    }
    if (this.#tail === this.#head) {
      this.#deferring = false;
      this.#compact(true);
    } else if (!this.#paused) {
      this.#scheduleDrain();
    }
  }

  #enqueue(entry: RealEvent): void {
    if (COALESCIBLE.has(entry.type) && this.buffered >= this.#opts.coalesceAbove) {
      const key = `${entry.type}|${entry.item}`;
      const slot = this.#slots.get(key);
      if (slot !== undefined && slot >= this.#head) {
        this.#queue[slot - this.#base] = entry;
        this.coalesced++;
        return;
      }
    }
    if (this.buffered >= this.#opts.maxBuffered) {
      this.#shift();
      if (this.dropped++ === 0) this.onFirstDrop();
    }
    const index = this.#tail++;
    this.#queue[index - this.#base] = entry;
    if (COALESCIBLE.has(entry.type)) this.#slots.set(`${entry.type}|${entry.item}`, index);
    if (!this.#paused) this.#scheduleDrain();
  }

  #shift(): RealEvent | undefined {
    const index = this.#head++;
    const entry = this.#queue[index - this.#base];
    this.#queue[index - this.#base] = undefined;
    if (entry && COALESCIBLE.has(entry.type)) {
      const key = `${entry.type}|${entry.item}`;
      if (this.#slots.get(key) === index) this.#slots.delete(key);
    }
    this.#compact(false);
    return entry;
  }

  #compact(empty: boolean): void {
    const used = this.#head - this.#base;
    if (empty ? used === 0 : used < COMPACT_AT || used * 2 < this.#queue.length) return;
    this.#queue = this.#queue.slice(used);
    this.#base = this.#head;
  }
}

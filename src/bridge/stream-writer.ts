/**
 * What the bridge's stream worker (./stream-worker.ts) does with frames and with the main
 * thread's output, apart from the thread and the sockets (so that it is tested in-process):
 *
 * - a plain REAL frame whose entries are all quotes the session wants (not order 00, balance
 *   04 or condition 02 entries, and of a real type OnReceiveRealData carries) is written as compact
 *   records, and its values are reported to the main thread's store of latest quotes;
 * - every other frame is handed to the main thread's session, and so is every frame after it
 *   until the main thread acknowledges it (its output is then queued here), a PING apart, which
 *   has no output. Why not hold the quotes that follow here instead: the main thread may
 *   acknowledge several frames at once, after all of their output, and a quote held behind the
 *   first would then be written after the later frames' events (a fill ahead of the quote that
 *   preceded it on the wire, and a stale last price);
 * - what was written is reported to the main thread's store of latest quotes before any frame is
 *   handed over, so that a balance (04) event it raises reads the quotes that preceded it;
 * - the main thread's output (replies, events) is queued in arrival order.
 *
 * The output is an {@link Outbox}, as on the main thread without the worker: one line per turn,
 * backpressure and coalescing while the reader is behind.
 */
import type { RawData } from 'ws';
import { REAL_TYPES } from '../compat/real-types.js';
import { scanRealBytes, type ScannedFrame } from '../realtime/real-text.js';
import { Outbox, type OutboxOptions, type OutboxSink } from './outbox.js';
import { QuoteEncoder, quoteKey } from './quotes.js';
import { writeRealData } from './server.js';
import type { FromWorker, OutItem } from './stream-relay.js';

/** Real type code → the OCX's name, for the types OnReceiveRealData carries. */
const OCX_NAME = new Map(Object.values(REAL_TYPES).map((t) => [t.code, t.ocxName]));
const PING = /^\{\s*"trnm"\s*:\s*"PING"/;
/** Entries that are not quotes: orders (00), balance (04) and real-time conditions (02) are the facade's to raise. */
const NOT_QUOTES = new Set(['00', '04', '02']);

/** The worker's frames and output: see the module's comment. */
export class StreamWriter {
  readonly outbox: Outbox;
  readonly #quotes = new QuoteEncoder();
  readonly #define = (text: string): void => this.outbox.push(text);
  /** Type → the items wanted (item "" for all), as the session last said. */
  #wanted = new Map<string, Set<string>>();
  /** The last frame handed over whose output later frames wait for, and the last one acknowledged. */
  #handedOver = 0;
  #acknowledged = 0;
  /** What was written since the last report to the main thread: frames, entries, and (type, item, values) in a row. */
  #seenFrames = 0;
  #seenEntries = 0;
  #remember: string[] = [];
  #reportScheduled = false;

  constructor(
    sink: OutboxSink,
    options: OutboxOptions,
    private readonly post: (msg: FromWorker) => void,
  ) {
    this.outbox = new Outbox(sink, options);
  }

  /** The session's wanted pairs. */
  wanted(pairs: [string, string[]][]): void {
    this.#wanted = new Map(pairs.map(([type, items]) => [type, new Set(items)]));
  }

  /** A frame from socket `id`: written here, or handed to the main thread. */
  frame(id: number, data: RawData): void {
    const frame = this.#handedOver === this.#acknowledged && Buffer.isBuffer(data) ? scanRealBytes(data) : undefined;
    if (frame !== undefined && this.#takeQuotes(frame)) return;
    if (this.#seenFrames > 0) this.#report();
    const text = data.toString();
    const seq = PING.test(text) ? 0 : ++this.#handedOver;
    this.post({ t: 'frame', id, seq, text });
  }

  /** The main thread's output, in order. */
  output(items: readonly OutItem[]): void {
    for (const item of items) {
      if (item[0] === 'p') this.outbox.push(item[1]);
      else if (item[0] === 'q') this.outbox.pushQuote(item[1], item[2]);
      // OnReceiveRealData raised on the main thread: encoded here, where the schemas are numbered.
      else if (item[0] === 'r') writeRealData(this.outbox, this.#quotes, this.#define, item[1], item[2], item[3]);
      else this.#acknowledged = item[1];
    }
  }

  /** The main thread has ended: frames are written here again, and the report is sent now. */
  release(): void {
    this.#acknowledged = this.#handedOver;
    if (this.#seenFrames > 0) this.#report();
  }

  #accepts(type: string, item: string): boolean {
    const items = this.#wanted.get(type);
    return items !== undefined && (items.has(item) || items.has(''));
  }

  /** Writes a frame of wanted quotes; false when the frame has anything else. */
  #takeQuotes({ text, entries }: ScannedFrame): boolean {
    for (const e of entries) if (NOT_QUOTES.has(e.type) || !OCX_NAME.has(e.type) || !this.#accepts(e.type, e.item)) return false;
    for (const e of entries) {
      const name = OCX_NAME.get(e.type)!;
      const record = this.#quotes.encodeText(e.item, name, text, e.start, e.end, this.#define, e);
      this.outbox.pushQuote(quoteKey(e.item, name), record);
      this.#remember.push(e.type, e.item, text.slice(e.start, e.end));
    }
    this.#seenFrames++;
    this.#seenEntries += entries.length;
    if (!this.#reportScheduled) {
      this.#reportScheduled = true;
      setImmediate(this.#report);
    }
    return true;
  }

  readonly #report = (): void => {
    this.#reportScheduled = false;
    if (this.#seenFrames === 0) return;
    this.post({ t: 'seen', frames: this.#seenFrames, entries: this.#seenEntries, remember: this.#remember });
    this.#seenFrames = 0;
    this.#seenEntries = 0;
    this.#remember = [];
  };
}

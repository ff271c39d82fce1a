/**
 * One stock's trade tape: the most recent trades, oldest first, for the tick TRs. A ring of
 * columns: printing a trade allocates nothing and evicting the oldest moves nothing, so the
 * cost of a trade stays the same once the tape is full. (An array of trade objects cut from
 * the front cost a copy of the whole tape per trade, and kept thousands of objects per code
 * alive for the collector: a long-running emulator got slower with every trade it printed.)
 */

import type { Quote } from '../types.js';

/** One printed trade. */
export interface Trade {
  /** HHMMSS */
  time: string;
  price: number;
  /** Positive buy-initiated, negative sell-initiated. */
  qty: number;
  /** Accumulated volume and value after this trade. */
  volume: number;
  value: number;
}

/** Rows a tape starts with; it doubles up to its capacity, so a code that trades little stays small. */
const FIRST_ROWS = 64;

export class Tape {
  /** HHMMSS as a number: a column of strings would keep one string per trade alive. */
  private times = new Int32Array(0);
  private prices = new Float64Array(0);
  private qtys = new Float64Array(0);
  private volumes = new Float64Array(0);
  private values = new Float64Array(0);
  /** Row of the oldest trade. */
  private head = 0;
  /** Trades held. */
  private held = 0;

  /** @param capacity the most trades kept; a trade beyond it evicts the oldest. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`tape capacity must be a positive integer, got ${capacity}`);
  }

  /** Trades held (at most the capacity). */
  get length(): number {
    return this.held;
  }

  /** Prints the quote's last trade (its price, `lastQty`, totals and time), evicting the oldest when full. */
  push(q: Pick<Quote, 'time' | 'price' | 'lastQty' | 'volume' | 'value'>): void {
    const rows = this.prices.length;
    if (this.held === rows && rows < this.capacity) this.grow(Math.min(this.capacity, Math.max(FIRST_ROWS, rows * 2)));
    const size = this.prices.length;
    let row: number;
    if (this.held < size) {
      // Not full yet, so never wrapped: the oldest is row 0.
      row = this.held++;
    } else {
      row = this.head;
      this.head = (this.head + 1) % size;
    }
    this.times[row] = Number(q.time);
    this.prices[row] = q.price;
    this.qtys[row] = q.lastQty;
    this.volumes[row] = q.volume;
    this.values[row] = q.value;
  }

  /** The trades held, oldest first (a copy: the tick TRs read it once per request). */
  trades(): Trade[] {
    const size = this.prices.length;
    const out: Trade[] = new Array<Trade>(this.held);
    for (let i = 0; i < this.held; i++) {
      const row = (this.head + i) % size;
      out[i] = { time: String(this.times[row]).padStart(6, '0'), price: this.prices[row] as number, qty: this.qtys[row] as number, volume: this.volumes[row] as number, value: this.values[row] as number };
    }
    return out;
  }

  /** Grows only while not yet wrapped (head 0), so the rows keep their order. */
  private grow(rows: number): void {
    const widen = <A extends Float64Array | Int32Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(rows);
      b.set(a);
      return b;
    };
    this.times = widen(this.times);
    this.prices = widen(this.prices);
    this.qtys = widen(this.qtys);
    this.volumes = widen(this.volumes);
    this.values = widen(this.values);
  }
}

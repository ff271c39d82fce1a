/**
 * What the WebSocket side derives from the simulated market beyond single quotes: each code's
 * buy/sell flow and change counter (from 'trade' events), 업종 index levels and breadth over
 * the master, and the international gold prices (a seeded walk of their own).
 */
import type { EmulatorState, Quote } from '../types.js';
import { TABLES, type GoldSpec, type IndexSpec } from './data.js';
import type { BookDelta, Breadth, Flow, Level } from './sources.js';
import { createRng, hashString } from '../state/prng.js';

/** Derived levels are recomputed at most this often: they summarise many stocks. */
const RECOMPUTE_MS = 200;

interface Derived {
  level: Level;
  breadth: Breadth;
  at: number;
  version: number;
}

export class MarketView {
  private readonly flows = new Map<string, Flow>();
  /** Each code's book quantities as of its last trade, and how each level changed with it (0D 81-100). */
  private readonly books = new Map<string, { ask: number[]; bid: number[]; delta: BookDelta }>();
  /** When each code's day low was printed, once a trade set it. */
  private readonly lowAt = new Map<string, { low: number; at: string }>();
  private readonly versions = new Map<string, number>();
  private readonly indices = new Map<string, Derived>();
  private readonly gold = new Map<string, Derived>();
  private readonly random: () => number;
  private readonly onTrade = (q: Quote): void => this.record(q);

  constructor(
    private readonly state: EmulatorState,
    seed: number,
  ) {
    const rng = createRng(seed * 7919 + 17);
    this.random = () => rng.next();
    state.on('trade', this.onTrade);
  }

  detach(): void {
    this.state.off('trade', this.onTrade);
  }

  /** Changes whenever the code trades: the key of cached frames. */
  version(code: string): number {
    return this.versions.get(code) ?? 0;
  }

  flow(code: string): Flow | undefined {
    return this.flows.get(code);
  }

  /**
   * When the code's open and low were printed. The open auction prints within the first minute
   * (live: "090015", "090029"), seconds apart per code; a low no trade here has undercut dates
   * from the open.
   */
  times(code: string): { open: string; low: string } {
    const open = `${TABLES.marketOpen.slice(0, 4)}${String(5 + (hashString(code) % 50)).padStart(2, '0')}`;
    return { open, low: this.lowAt.get(code)?.at ?? open };
  }

  /** How the code's book levels changed with its last trade; undefined before one. */
  bookDelta(code: string): BookDelta | undefined {
    return this.books.get(code)?.delta;
  }

  private record(q: Quote): void {
    this.versions.set(q.code, this.version(q.code) + 1);
    const before = this.books.get(q.code);
    const ask = [...q.askQtys];
    const bid = [...q.bidQtys];
    const change = (now: number[], was: number[] | undefined): number[] => now.map((v, i) => (was === undefined ? 0 : v - (was[i] ?? 0)));
    this.books.set(q.code, { ask, bid, delta: { ask: change(ask, before?.ask), bid: change(bid, before?.bid) } });
    const seen = this.lowAt.get(q.code);
    if (seen === undefined || q.low < seen.low) this.lowAt.set(q.code, { low: q.low, at: seen === undefined ? this.times(q.code).open : q.time });
    let f = this.flows.get(q.code);
    if (!f) this.flows.set(q.code, (f = { buyQty: 0, sellQty: 0, buyCount: 0, sellCount: 0 }));
    if (q.lastQty > 0) {
      f.buyQty += q.lastQty;
      f.buyCount++;
    } else if (q.lastQty < 0) {
      f.sellQty -= q.lastQty;
      f.sellCount++;
    }
  }

  /** An 업종 index: its base moved by the members' average change, with their volume. */
  index(spec: IndexSpec, now: string): Derived {
    const prev = this.indices.get(spec.code);
    if (prev && Date.now() - prev.at < RECOMPUTE_MS) return prev;
    const breadth: Breadth = { up: 0, upper: 0, flat: 0, down: 0, lower: 0, members: 0, traded: 0 };
    let ratio = 0;
    let volume = 0;
    let value = 0;
    for (const s of this.state.master) {
      if (!spec.markets.includes(s.market)) continue;
      const q = this.state.quote(s.code);
      if (!q) continue;
      breadth.members++;
      ratio += q.price / q.prevClose;
      volume += q.volume;
      value += q.value;
      if (q.volume > 0) breadth.traded++;
      if (q.price >= q.upperLimit) breadth.upper++;
      else if (q.price <= q.lowerLimit) breadth.lower++;
      else if (q.price > q.prevClose) breadth.up++;
      else if (q.price < q.prevClose) breadth.down++;
      else breadth.flat++;
    }
    const price = Math.round(spec.base * (breadth.members ? ratio / breadth.members : 1) * 100) / 100;
    const level: Level = {
      price,
      prevClose: spec.base,
      open: prev?.level.open ?? price,
      high: Math.max(prev?.level.high ?? price, price),
      low: Math.min(prev?.level.low ?? price, price),
      upperLimit: 0,
      lowerLimit: 0,
      volume,
      value,
      lastQty: volume - (prev?.level.volume ?? volume),
      time: now,
    };
    const next = { level, breadth, at: Date.now(), version: (prev?.version ?? 0) + 1 };
    this.indices.set(spec.code, next);
    return next;
  }

  /** International gold in won/g or $/oz: a small seeded walk around its base. */
  goldLevel(spec: GoldSpec, now: string): Derived {
    const prev = this.gold.get(spec.code);
    if (prev && Date.now() - prev.at < RECOMPUTE_MS) return prev;
    const last = prev?.level.price ?? spec.base;
    const unit = 10 ** -spec.decimals;
    const step = Math.round((last * (this.random() - 0.5) * 0.002) / unit) * unit;
    const price = Number((last + step).toFixed(spec.decimals));
    const level: Level = {
      price,
      prevClose: spec.base,
      open: prev?.level.open ?? spec.base,
      high: Math.max(prev?.level.high ?? price, price),
      low: Math.min(prev?.level.low ?? price, price),
      upperLimit: 0,
      lowerLimit: 0,
      volume: 0,
      value: 0,
      lastQty: 0,
      time: now,
    };
    const next = { level, breadth: { up: 0, upper: 0, flat: 0, down: 0, lower: 0, members: 0, traded: 0 }, at: Date.now(), version: (prev?.version ?? 0) + 1 };
    this.gold.set(spec.code, next);
    return next;
  }
}

/**
 * The simulated market: one live quote and a 10-level book per listed stock, moved one
 * trade at a time by a seeded random walk. Order fills consume the book through
 * {@link Market.applyFill}.
 */
import type { OrderSide, Quote, StockInfo } from '../types.js';
import type { Rng } from './prng.js';
import { priceLimits, stepTicks, floorToTick } from './pricing.js';
import { Tape, type Trade } from './tape.js';

const LEVELS = 10;

/** Trades kept per stock for the tick TRs (ka10003 체결정보, ka10079 틱차트). */
const TAPE = 2000;

export type { Trade } from './tape.js';

/** Weights of a trade's move in ticks: mostly flat, sometimes one tick, rarely two. */
const MOVES: readonly number[] = [-2, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2];

/** Shares per book unit: about a million won, so cheap stocks rest in bigger sizes. */
function lotFor(price: number): number {
  return Math.max(1, Math.round(1_000_000 / price));
}

export class Market {
  private readonly quotes = new Map<string, Quote>();
  private readonly markets = new Map<string, string>();
  private readonly tapes = new Map<string, Tape>();

  constructor(
    master: readonly StockInfo[],
    private readonly rng: Rng,
    private readonly clock: () => string,
  ) {
    for (const s of master) {
      this.markets.set(s.code, s.market);
      this.quotes.set(s.code, this.openingQuote(s));
    }
  }

  /** The live quote, or undefined for an unknown code. */
  quote(code: string): Quote | undefined {
    return this.quotes.get(code);
  }

  /** Today's trades on `code`, oldest first (the most recent few thousand). */
  tape(code: string): readonly Trade[] {
    return this.tapes.get(code)?.trades() ?? [];
  }

  /** Shares per book unit of a stock. */
  lot(code: string): number {
    const q = this.quotes.get(code);
    return q ? lotFor(q.price) : 1;
  }

  /** One random trade on `code`; returns the quote after it. */
  step(code: string): Quote {
    const q = this.must(code);
    const market = this.markets.get(code) ?? '0';
    const move = this.rng.pick(MOVES);
    const price = Math.min(q.upperLimit, Math.max(q.lowerLimit, stepTicks(q.price, move, market)));
    const buyInitiated = move > 0 || (move === 0 && this.rng.next() < 0.5);
    const qty = this.rng.int(1, 10) * this.lot(code);
    this.trade(q, price, buyInitiated ? qty : -qty);
    this.rebuildBook(q, buyInitiated);
    return q;
  }

  /**
   * A client order executed against the book at `price`: the level's size shrinks, and the
   * trade prints on the tape.
   */
  applyFill(code: string, side: OrderSide, price: number, qty: number): Quote {
    const q = this.must(code);
    const [prices, qtys] = side === 'buy' ? [q.askPrices, q.askQtys] : [q.bidPrices, q.bidQtys];
    const i = prices.indexOf(price);
    if (i >= 0) qtys[i] = Math.max(0, (qtys[i] ?? 0) - qty);
    this.trade(q, price, side === 'buy' ? qty : -qty);
    return q;
  }

  private trade(q: Quote, price: number, signedQty: number): void {
    q.price = price;
    q.high = Math.max(q.high, price);
    q.low = Math.min(q.low, price);
    q.volume += Math.abs(signedQty);
    q.value += Math.abs(signedQty) * price;
    q.lastQty = signedQty;
    q.time = this.clock();
    let tape = this.tapes.get(q.code);
    if (!tape) this.tapes.set(q.code, (tape = new Tape(TAPE)));
    tape.push(q);
  }

  private rebuildBook(q: Quote, buyInitiated: boolean): void {
    const market = this.markets.get(q.code) ?? '0';
    const ask1 = buyInitiated ? q.price : stepTicks(q.price, 1, market);
    const bid1 = buyInitiated ? stepTicks(q.price, -1, market) : q.price;
    const lot = lotFor(q.price);
    for (let k = 0; k < LEVELS; k++) {
      const ask = stepTicks(ask1, k, market);
      const bid = stepTicks(bid1, -k, market);
      const askOk = ask <= q.upperLimit;
      const bidOk = bid >= q.lowerLimit && bid > 0;
      q.askPrices[k] = askOk ? ask : 0;
      q.askQtys[k] = askOk ? this.rng.int(1, 30) * lot : 0;
      q.bidPrices[k] = bidOk ? bid : 0;
      q.bidQtys[k] = bidOk ? this.rng.int(1, 30) * lot : 0;
    }
  }

  private openingQuote(s: StockInfo): Quote {
    const { upper, lower } = priceLimits(s.prevClose, s.market);
    const open = floorToTick(s.prevClose * (1 + (this.rng.next() - 0.5) * 0.02), s.market);
    const price = floorToTick(open * (1 + (this.rng.next() - 0.5) * 0.02), s.market);
    const q: Quote = {
      code: s.code,
      price,
      prevClose: s.prevClose,
      open,
      high: Math.max(open, price),
      low: Math.min(open, price),
      upperLimit: upper,
      lowerLimit: lower,
      volume: 0,
      value: 0,
      lastQty: 0,
      time: this.clock(),
      askPrices: [],
      askQtys: [],
      bidPrices: [],
      bidQtys: [],
    };
    const lot = lotFor(price);
    q.volume = this.rng.int(100, 5000) * lot;
    q.value = q.volume * price;
    this.rebuildBook(q, this.rng.next() < 0.5);
    return q;
  }

  private must(code: string): Quote {
    const q = this.quotes.get(code);
    if (!q) throw new RangeError(`unknown stock code ${code}`);
    return q;
  }
}

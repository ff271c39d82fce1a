/**
 * Price history for the chart TRs, generated backwards from each stock's (or 업종 index's)
 * previous close by a stream derived from the seed, the code and the date: the same seed gives
 * the same charts, and today's bar is the live quote. Day bars reach back to the listing date
 * (no earlier than compat/emulator/charts.json's `dailyHistoryFrom`) and are generated on
 * demand, a chunk at a time, so that a client reading a few pages costs a few pages; minute
 * bars cover a rolling year on each venue's session grid, generated a day at a time.
 */
import type { Quote, StockInfo } from '../types.js';
import { deriveRng } from './prng.js';
import { floorToTick } from './pricing.js';
import { isWeekday, kstDate, kstTime, shiftDate } from './clock.js';
import { listingDate } from './master.js';
import { CHARTS, SESSION_MINUTES, byScope, gauss, merge, mergeVenues, minuteBars, walkBack, type Bar, type SeriesShape, type Venue } from './bars.js';

export type { Bar, Venue } from './bars.js';

/** An 업종 index: its code, the markets whose stocks make it up, and its previous close in points. */
export interface IndexSeries {
  code: string;
  markets: readonly string[];
  base: number;
}

/** What the history reads of the emulator's state. */
export interface HistorySource {
  stock(code: string): StockInfo | undefined;
  quote(code: string): Quote | undefined;
  master(): readonly StockInfo[];
  nowMs(): number;
}

/** How many day bars a caller needs: at least `count` dated `through` (YYYYMMDD) or before. */
export interface DaysWanted {
  through?: string;
  count?: number;
}

/** Past day bars generated at a time. */
const CHUNK = 250;
/** Day bars a caller gets when it does not say how many it needs (a year: ka10001's 250-day high and low). */
const DEFAULT_DAYS = CHUNK;
/**
 * Past day bars kept across series (about 100 bytes each): a client that reads every code's
 * whole history (a backtest's download) held 2.4 M bars, 333 MB of heap, for 364 codes. A series
 * dropped past this is drawn again, bar for bar, when asked for.
 */
const DEFAULT_HELD_BARS = 250_000;

interface Series {
  key: string;
  /** The first day with a bar. */
  floor: string;
  prevClose: number;
  shape: SeriesShape;
  /** Today's bar, from the live market. */
  today: Bar | undefined;
  /** Trades a minute is expected to carry on this day (a minute with none has no bar). */
  tradesPerMinute: (day: Bar) => number;
}

/** The past day bars of one series generated so far, newest first. */
interface Past {
  bars: Bar[];
  /** The close the next (older) chunk walks back from. */
  close: number;
  /** The newest date the next chunk may use. */
  next: string;
  chunks: number;
  done: boolean;
}

export class History {
  /** Least recently used first. */
  private readonly past = new Map<string, Past>();
  private pastDay = '';
  #held = 0;

  constructor(
    private readonly seed: number,
    private readonly src: HistorySource,
    private readonly maxHeldBars = DEFAULT_HELD_BARS,
  ) {}

  /** Past day bars held for all series: at most the bound, plus what the latest call needed beyond it. */
  get heldBars(): number {
    return this.#held;
  }

  /** Day bars of a stock on a venue, newest first, today's (from the live quote) on top on a weekday. */
  daily(code: string, venue: Venue = 'KRX', want: DaysWanted = {}): Bar[] {
    const series = this.stockSeries(code);
    if (!series) return [];
    if (venue === 'KRX') return this.days(series, want);
    // NXT's bars derive from KRX's: generate KRX's back to NXT's first day whatever was asked.
    this.days(series, { through: shiftDate(CHARTS.nxtFrom, 1), count: 1 });
    const krx = this.days(series, want);
    const nx = this.nxDays(code, krx);
    return venue === 'NX' ? nx : chained(mergeVenues(krx, nx));
  }

  /** Week bars of a venue (dated by the week's first trading day), newest first. */
  weekly(code: string, venue: Venue = 'KRX', want: DaysWanted = {}): Bar[] {
    return aggregate(this.daily(code, venue, scaled(want, 5)), (dt) => shiftDate(dt, weekdayIndex(dt)));
  }

  /** Month bars of a venue (dated by the month's first trading day), newest first. */
  monthly(code: string, venue: Venue = 'KRX', want: DaysWanted = {}): Bar[] {
    return aggregate(this.daily(code, venue, scaled(want, 23)), (dt) => dt.slice(0, 6));
  }

  /**
   * `scope`-minute bars of a stock on a venue, newest first, from the day `through` back: at
   * least `count` of them unless the year of minute history ends first.
   */
  minutes(code: string, scope: number, venue: Venue, through: string, count: number): Bar[] {
    const series = this.stockSeries(code);
    if (!series) return [];
    const round = series.shape.round;
    const dayMinutes = (v: 'KRX' | 'NX', day: Bar, until: number): Bar[] =>
      minuteBars(deriveRng(this.seed, `min:${v}:${code}:${day.dt}`), day, SESSION_MINUTES[v], round, series.tradesPerMinute(day), until);
    const wanted = { through, count: CHARTS.minuteHistoryDays };
    if (venue === 'KRX') return this.minutesOf(this.daily(code, 'KRX', wanted), (day, until) => dayMinutes('KRX', day, until), scope, through, count);
    const krxDays = new Map(this.daily(code, 'KRX', wanted).map((d) => [d.dt, d]));
    const nxDays = this.daily(code, 'NX', wanted);
    if (venue === 'NX') return this.minutesOf(nxDays, (day, until) => dayMinutes('NX', day, until), scope, through, count);
    const alDays = this.daily(code, 'AL', wanted);
    const nxByDt = new Map(nxDays.map((d) => [d.dt, d]));
    return this.minutesOf(alDays, (day, until) => {
      const krx = krxDays.get(day.dt);
      const nx = nxByDt.get(day.dt);
      const merged = mergeVenues(krx ? dayMinutes('KRX', krx, until) : [], nx ? dayMinutes('NX', nx, until) : []);
      return merged.reverse().map((b) => ({ ...b, prevClose: day.prevClose }));
    }, scope, through, count);
  }

  /** `scope`-minute bars of an 업종 index, in hundredths of a point, as {@link minutes}. */
  indexMinutes(index: IndexSeries, scope: number, through: string, count: number): Bar[] {
    const series = this.indexSeries(index);
    const days = this.days(series, { through, count: CHARTS.minuteHistoryDays });
    const round = series.shape.round;
    return this.minutesOf(days, (day, until) => minuteBars(deriveRng(this.seed, `min:${series.key}:${day.dt}`), day, SESSION_MINUTES.KRX, round, Infinity, until), scope, through, count);
  }

  private minutesOf(days: readonly Bar[], oneMinute: (day: Bar, until: number) => Bar[], scope: number, through: string, count: number): Bar[] {
    const now = this.src.nowMs();
    const today = kstDate(now);
    const oldest = shiftDate(today, CHARTS.minuteHistoryDays);
    const clock = kstTime(now);
    const nowMinute = Number(clock.slice(0, 2)) * 60 + Number(clock.slice(2, 4));
    const out: Bar[] = [];
    for (const day of days) {
      if (out.length >= count || day.dt < oldest) break;
      if (day.dt > through) continue;
      out.push(...byScope(oneMinute(day, day.dt === today ? nowMinute : Infinity), scope));
    }
    return out;
  }

  /** The series' day bars newest first, today's on top on a weekday, generated back as far as `want` needs. */
  private days(series: Series, want: DaysWanted): Bar[] {
    const today = kstDate(this.src.nowMs());
    if (today !== this.pastDay) {
      // Each day's history is drawn afresh: yesterday's is no longer asked for.
      this.past.clear();
      this.#held = 0;
      this.pastDay = today;
    }
    let p = this.past.get(series.key);
    if (p) this.past.delete(series.key);
    else p = { bars: [], close: series.prevClose, next: shiftDate(today, 1), chunks: 0, done: false };
    this.past.set(series.key, p);
    const through = want.through ?? today;
    const count = want.count ?? DEFAULT_DAYS;
    while (!p.done && heldThrough(p.bars, through) < count) this.extend(series, p, today);
    this.evictBeyond(series.key);
    return series.today && isWeekday(today) ? [series.today, ...p.bars] : [...p.bars];
  }

  /** Drops the least recently used series, never `keep`, while more bars than the bound are held. */
  private evictBeyond(keep: string): void {
    for (const [key, p] of this.past) {
      if (this.#held <= this.maxHeldBars) return;
      if (key === keep) continue;
      this.past.delete(key);
      this.#held -= p.bars.length;
    }
  }

  private extend(series: Series, p: Past, today: string): void {
    const dates: string[] = [];
    let d = p.next;
    for (; dates.length < CHUNK && d >= series.floor; d = shiftDate(d, 1)) if (isWeekday(d)) dates.push(d);
    const bars = walkBack(deriveRng(this.seed, `day:${series.key}:${today}:${p.chunks}`), p.close, dates, series.shape);
    p.bars.push(...bars);
    this.#held += bars.length;
    p.close = bars.at(-1)?.prevClose ?? p.close;
    p.next = d;
    p.chunks++;
    p.done = dates.length < CHUNK;
  }

  private stockSeries(code: string): Series | undefined {
    const s = this.src.stock(code);
    if (!s) return undefined;
    const q = this.src.quote(code);
    const listed = listingDate(code);
    return {
      key: code,
      floor: listed > CHARTS.dailyHistoryFrom ? listed : CHARTS.dailyHistoryFrom,
      prevClose: s.prevClose,
      shape: {
        round: (p) => floorToTick(p, s.market),
        anchor: s.prevClose,
        dayVolume: (rng) => Math.round(s.listed * 0.002 * (0.3 + rng.next() * 1.7)),
      },
      today: q && { dt: kstDate(this.src.nowMs()), open: q.open, high: q.high, low: q.low, close: q.price, volume: q.volume, value: q.value, prevClose: q.prevClose },
      // A stock's usual day (the walk's mean volume) over trades of about five book units of a
      // million won each: today's volume so far says nothing of how busy its minutes are.
      tradesPerMinute: (day) => (s.listed * 0.002) / SESSION_MINUTES.KRX.length / (5 * Math.max(1, Math.round(1_000_000 / day.close))),
    };
  }

  /** NXT's day bars from KRX's (newest first): its own open, close and volume since NXT opened. */
  private nxDays(code: string, krx: readonly Bar[]): Bar[] {
    const market = this.src.stock(code)?.market ?? '0';
    const bars = krx
      .filter((b) => b.dt >= CHARTS.nxtFrom)
      .map((b) => {
        const rng = deriveRng(this.seed, `nx:${code}:${b.dt}`);
        const open = floorToTick(b.open * (1 + gauss(rng, 0.003)), market);
        const close = floorToTick(b.close * (1 + gauss(rng, 0.004)), market);
        const volume = Math.max(1, Math.round(b.volume * (0.2 + rng.next() * 0.8)));
        return { dt: b.dt, open, high: Math.max(b.high, open, close), low: Math.min(b.low, open, close), close, volume, value: volume * Math.round((open + close) / 2), prevClose: b.prevClose };
      });
    return chained(bars);
  }

  private indexSeries(index: IndexSeries): Series {
    const members = this.src.master().filter((s) => index.markets.includes(s.market));
    const prevClose = Math.round(index.base * 100);
    const quotes = members.map((s) => this.src.quote(s.code)).filter((q): q is Quote => q !== undefined);
    // Today's level moves with the members' average change, as the WebSocket's 0J does.
    const level = (of: (q: Quote) => number): number =>
      Math.round((prevClose * quotes.reduce((n, q) => n + of(q) / q.prevClose, 0)) / Math.max(1, quotes.length));
    const close = level((q) => q.price);
    const open = level((q) => q.open);
    const listed = members.reduce((n, s) => n + s.listed, 0);
    // Volumes in thousands of shares, as ka20005 prints them.
    const volume = Math.round(quotes.reduce((n, q) => n + q.volume, 0) / 1000);
    return {
      key: `inds:${index.code}`,
      floor: CHARTS.dailyHistoryFrom,
      prevClose,
      shape: { round: (p) => Math.max(1, Math.round(p)), anchor: prevClose, dayVolume: (rng) => Math.round((listed * 0.002 * (0.3 + rng.next() * 1.7)) / 1000) },
      today: {
        dt: kstDate(this.src.nowMs()),
        open,
        high: Math.max(open, close, level((q) => q.high)),
        low: Math.min(open, close, level((q) => q.low)),
        close,
        volume,
        value: quotes.reduce((n, q) => n + q.value, 0),
        prevClose,
      },
      tradesPerMinute: () => Infinity,
    };
  }
}

/** Bars (newest first) whose `prevClose` is the close of the bar below; the oldest keeps its own. */
function chained(newestFirst: readonly Bar[]): Bar[] {
  return newestFirst.map((b, i) => ({ ...b, prevClose: newestFirst[i + 1]?.close ?? b.prevClose }));
}

/** How many bars, newest first, are dated `through` or before. */
function heldThrough(newestFirst: readonly Bar[], through: string): number {
  const i = newestFirst.findIndex((b) => b.dt <= through);
  return i < 0 ? 0 : newestFirst.length - i;
}

/** Day bars a caller of period bars needs: `days` per period. */
function scaled(want: DaysWanted, days: number): DaysWanted {
  return want.count === undefined ? want : { ...want, count: want.count * days };
}

/** 0 for Monday .. 4 for Friday. */
function weekdayIndex(dt: string): number {
  let n = 0;
  for (let d = dt; n < 7 && isWeekday(shiftDate(d, 1)); d = shiftDate(d, 1)) n++;
  return n;
}

/** Groups newest-first day bars by a period key into period bars, newest first. */
function aggregate(days: Bar[], periodOf: (dt: string) => string): Bar[] {
  const groups: Bar[][] = [];
  let key = '';
  for (const b of days) {
    const k = periodOf(b.dt);
    if (k !== key || groups.length === 0) groups.push([]);
    key = k;
    (groups[groups.length - 1] as Bar[]).push(b);
  }
  return groups.map((g) => merge(g.reverse()));
}

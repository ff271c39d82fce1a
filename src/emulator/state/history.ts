/**
 * Price history for the chart TRs, generated backwards from each stock's previous close
 * by a stream derived from the seed, the code and the date: the same seed gives the same
 * charts, and today's bar is the live quote.
 */
import type { Quote, StockInfo } from '../types.js';
import { deriveRng, type Rng } from './prng.js';
import { floorToTick } from './pricing.js';
import { isWeekday, kstDate, kstTime, shiftDate } from './clock.js';

/** One OHLCV bar. `dt` is YYYYMMDD for day bars, YYYYMMDDHHMMSS for minute bars. */
export interface Bar {
  dt: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Traded value in won. */
  value: number;
  /** The close this bar compares to (the previous day's close). */
  prevClose: number;
}

/** Trading days of history before today. */
const DAYS = 800;
/** Past trading days that also have minute bars. */
const MINUTE_DAYS = 3;
const SESSION_START_MIN = 9 * 60;
const SESSION_MINUTES = 391; // 09:00 .. 15:30

/** A roughly normal draw with mean 0 and the given spread (sum of uniforms). */
function gauss(rng: Rng, sd: number): number {
  return (rng.next() + rng.next() + rng.next() + rng.next() - 2) * sd * 1.73;
}

export class History {
  private readonly dailyCache = new Map<string, Bar[]>();

  constructor(
    private readonly seed: number,
    private readonly stock: (code: string) => StockInfo | undefined,
    private readonly quote: (code: string) => Quote | undefined,
    private readonly nowMs: () => number,
  ) {}

  /** Day bars, newest first, today's (from the live quote) on top on a weekday. */
  daily(code: string): Bar[] {
    const today = kstDate(this.nowMs());
    const past = this.pastDays(code, today);
    const q = this.quote(code);
    if (!q || !isWeekday(today)) return past;
    return [
      { dt: today, open: q.open, high: q.high, low: q.low, close: q.price, volume: q.volume, value: q.value, prevClose: q.prevClose },
      ...past,
    ];
  }

  /** Week bars (dated by the week's first trading day), newest first. */
  weekly(code: string): Bar[] {
    return aggregate(this.daily(code), (dt) => shiftDate(dt, weekdayIndex(dt)));
  }

  /** Month bars (dated by the month's first trading day), newest first. */
  monthly(code: string): Bar[] {
    return aggregate(this.daily(code), (dt) => dt.slice(0, 6));
  }

  /** Minute bars of `scope` minutes for today and the last few trading days, newest first. */
  minutes(code: string, scope: number): Bar[] {
    const days = this.daily(code).slice(0, MINUTE_DAYS + 1);
    const today = kstDate(this.nowMs());
    const out: Bar[] = [];
    for (const day of days) {
      const ones = this.minuteBarsOfDay(code, day, day.dt === today);
      for (let i = 0; i < ones.length; i += scope) out.push(merge(ones.slice(i, i + scope)));
    }
    return out.sort((a, b) => b.dt.localeCompare(a.dt));
  }

  /** One-minute bars of a day, oldest first. */
  private minuteBarsOfDay(code: string, day: Bar, isToday: boolean): Bar[] {
    const market = this.stock(code)?.market ?? '0';
    const hhmm = kstTime(this.nowMs()).slice(0, 4);
    const nowMin = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(2, 4));
    const count = isToday ? Math.max(0, Math.min(SESSION_MINUTES, nowMin - SESSION_START_MIN + 1)) : SESSION_MINUTES;
    const rng = deriveRng(this.seed, `min:${code}:${day.dt}`);
    const bars: Bar[] = [];
    let prev = day.open;
    for (let i = 0; i < count; i++) {
      const target = day.open + ((day.close - day.open) * (i + 1)) / Math.max(1, count);
      const raw = target + gauss(rng, (day.high - day.low) / 8);
      const close = i === count - 1 ? day.close : floorToTick(Math.min(day.high, Math.max(day.low, raw)), market);
      const volume = Math.max(1, Math.round((day.volume / SESSION_MINUTES) * (0.3 + rng.next() * 1.4)));
      const m = SESSION_START_MIN + i;
      bars.push({
        dt: `${day.dt}${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}00`,
        open: prev,
        high: Math.max(prev, close),
        low: Math.min(prev, close),
        close,
        volume,
        value: volume * close,
        prevClose: day.prevClose,
      });
      prev = close;
    }
    return bars;
  }

  private pastDays(code: string, today: string): Bar[] {
    const key = `${code}:${today}`;
    const cached = this.dailyCache.get(key);
    if (cached) return cached;
    const s = this.stock(code);
    if (!s) return [];
    const rng = deriveRng(this.seed, `day:${code}:${today}`);
    const dates: string[] = [];
    for (let d = shiftDate(today, 1); dates.length < DAYS; d = shiftDate(d, 1)) if (isWeekday(d)) dates.push(d);
    const bars: Bar[] = [];
    let close = s.prevClose;
    for (const dt of dates) {
      const ret = Math.max(-0.25, Math.min(0.25, gauss(rng, 0.02)));
      const prevClose = floorToTick(close / (1 + ret), s.market);
      const open = floorToTick(prevClose * (1 + gauss(rng, 0.006)), s.market);
      const high = floorToTick(Math.max(open, close) * (1 + rng.next() * 0.015), s.market);
      const low = floorToTick(Math.min(open, close) * (1 - rng.next() * 0.015), s.market);
      const volume = Math.round(s.listed * 0.002 * (0.3 + rng.next() * 1.7));
      bars.push({ dt, open, high: Math.max(high, open, close), low: Math.min(low, open, close), close, volume, value: volume * Math.round((open + close) / 2), prevClose });
      close = prevClose;
    }
    this.dailyCache.set(key, bars);
    return bars;
  }
}

/** 0 for Monday .. 4 for Friday. */
function weekdayIndex(dt: string): number {
  let n = 0;
  for (let d = dt; n < 7 && isWeekday(shiftDate(d, 1)); d = shiftDate(d, 1)) n++;
  return n;
}

/** Merges consecutive bars, given oldest first, into one. */
function merge(oldestFirst: Bar[]): Bar {
  const first = oldestFirst[0] as Bar;
  const last = oldestFirst[oldestFirst.length - 1] as Bar;
  return {
    dt: first.dt,
    open: first.open,
    high: Math.max(...oldestFirst.map((b) => b.high)),
    low: Math.min(...oldestFirst.map((b) => b.low)),
    close: last.close,
    volume: oldestFirst.reduce((n, b) => n + b.volume, 0),
    value: oldestFirst.reduce((n, b) => n + b.value, 0),
    prevClose: first.prevClose,
  };
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

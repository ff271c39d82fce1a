/**
 * Bar generation shared by the stock and index charts: day bars walked backwards from a close,
 * one-minute bars along a venue's session grid (compat/emulator/charts.json), and their
 * grouping into `tic_scope`-minute bars.
 */
import { loadEmulatorData } from '../data.js';
import type { Rng } from './prng.js';

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

/** A trading venue's chart: KRX, NXT (`_NX`) or both merged (`_AL`). */
export type Venue = 'KRX' | 'NX' | 'AL';

interface ChartsFile {
  minuteSessions: Record<'KRX' | 'NX', [string, string][]>;
  minuteHistoryDays: number;
  dailyHistoryFrom: string;
  nxtFrom: string;
  pageSizes: Record<string, number>;
  tradesRows: number;
}

/** The live chart facts (compat/emulator/charts.json). */
export const CHARTS: Readonly<ChartsFile> = loadEmulatorData<ChartsFile>('charts');

const minuteOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(2, 4));
const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`;

/** Minutes of the day (since midnight) that can carry a bar on a venue, in order. */
export const SESSION_MINUTES: Readonly<Record<'KRX' | 'NX', readonly number[]>> = {
  KRX: grid(CHARTS.minuteSessions.KRX),
  NX: grid(CHARTS.minuteSessions.NX),
};

function grid(spans: [string, string][]): number[] {
  const out: number[] = [];
  for (const [from, to] of spans) for (let m = minuteOf(from); m <= minuteOf(to); m++) out.push(m);
  return out;
}

/** A roughly normal draw with mean 0 and the given spread (sum of uniforms). */
export function gauss(rng: Rng, sd: number): number {
  return (rng.next() + rng.next() + rng.next() + rng.next() - 2) * sd * 1.73;
}

/** How a series' prices and volumes are drawn. */
export interface SeriesShape {
  /** Rounds a raw price onto the series' grid (tick size, or hundredths of an index point). */
  round: (price: number) => number;
  /** A day's volume. */
  dayVolume: (rng: Rng) => number;
  /** The close the walk is pulled back towards, so that decades of history stay plausible. */
  anchor: number;
}

/** How strongly the backwards walk is pulled towards the anchor (per day, in log terms). */
const REVERSION = 0.002;

/** Day bars for `dates` (newest first), walked backwards from the close of the newest. */
export function walkBack(rng: Rng, close: number, dates: readonly string[], shape: SeriesShape): Bar[] {
  const { round } = shape;
  const bars: Bar[] = [];
  for (const dt of dates) {
    const pull = REVERSION * Math.log(close / shape.anchor);
    const ret = Math.max(-0.25, Math.min(0.25, gauss(rng, 0.02) + pull));
    const prevClose = round(close / (1 + ret));
    const open = round(prevClose * (1 + gauss(rng, 0.006)));
    const high = round(Math.max(open, close) * (1 + rng.next() * 0.015));
    const low = round(Math.min(open, close) * (1 - rng.next() * 0.015));
    const volume = shape.dayVolume(rng);
    bars.push({ dt, open, high: Math.max(high, open, close), low: Math.min(low, open, close), close, volume, value: volume * Math.round((open + close) / 2), prevClose });
    close = prevClose;
  }
  return bars;
}

/**
 * One-minute bars of a day along a session grid, oldest first, ending on the day's close. A
 * minute stays empty (no bar, as live) with probability e^-λ, λ being the trades a minute is
 * expected to carry; `until` (a minute of the day) cuts today's bars at the clock.
 */
export function minuteBars(rng: Rng, day: Bar, minutes: readonly number[], round: (p: number) => number, tradesPerMinute: number, until = Infinity): Bar[] {
  const open = minutes.filter((m) => m <= until);
  const held = open.filter((_m, i) => i === open.length - 1 || rng.next() >= Math.exp(-tradesPerMinute));
  const bars: Bar[] = [];
  let prev = day.open;
  held.forEach((m, i) => {
    const target = day.open + ((day.close - day.open) * (i + 1)) / held.length;
    const raw = target + gauss(rng, (day.high - day.low) / 8);
    const close = i === held.length - 1 ? day.close : round(Math.min(day.high, Math.max(day.low, raw)));
    const volume = Math.max(1, Math.round((day.volume / minutes.length) * (0.3 + rng.next() * 1.4)));
    bars.push({ dt: `${day.dt}${hhmm(m)}00`, open: prev, high: Math.max(prev, close), low: Math.min(prev, close), close, volume, value: volume * close, prevClose: day.prevClose });
    prev = close;
  });
  return bars;
}

/** Merges bars, given oldest first, into one dated by `dt`. */
export function merge(oldestFirst: readonly Bar[], dt = (oldestFirst[0] as Bar).dt): Bar {
  const first = oldestFirst[0] as Bar;
  const last = oldestFirst[oldestFirst.length - 1] as Bar;
  return {
    dt,
    open: first.open,
    high: Math.max(...oldestFirst.map((b) => b.high)),
    low: Math.min(...oldestFirst.map((b) => b.low)),
    close: last.close,
    volume: oldestFirst.reduce((n, b) => n + b.volume, 0),
    value: oldestFirst.reduce((n, b) => n + b.value, 0),
    prevClose: first.prevClose,
  };
}

/**
 * One day's one-minute bars (oldest first) grouped into `scope`-minute bars, newest first. A
 * group starts on a multiple of `scope` minutes since midnight (09:00 is one for every scope
 * Kiwoom offers), so with the closing call empty the 10-minute chart has no 15:20 bar and its
 * 15:30 bar stands alone, while the 45-minute 15:00 bar takes 15:30 in (as live).
 */
export function byScope(oldestFirst: readonly Bar[], scope: number): Bar[] {
  const groups = new Map<number, Bar[]>();
  for (const b of oldestFirst) {
    const m = minuteOf(b.dt.slice(8, 12));
    const start = m - (m % scope);
    const g = groups.get(start);
    if (g) g.push(b);
    else groups.set(start, [b]);
  }
  return [...groups].map(([start, bars]) => merge(bars, `${(bars[0] as Bar).dt.slice(0, 8)}${hhmm(start)}00`)).reverse();
}

/**
 * KRX and NXT bars of the same periods merged by `dt`, newest first (`_AL`): volumes add up,
 * and where both venues traded the open and close are NXT's, whose session starts earlier and
 * ends later. `prevClose` is left for the caller to chain.
 */
export function mergeVenues(krx: readonly Bar[], nx: readonly Bar[]): Bar[] {
  const byDt = new Map<string, Bar>(krx.map((b) => [b.dt, b]));
  for (const n of nx) {
    const k = byDt.get(n.dt);
    byDt.set(n.dt, k === undefined ? n : { ...merge([k, n]), open: n.open, close: n.close });
  }
  return [...byDt.values()].sort((x, y) => (x.dt < y.dt ? 1 : x.dt > y.dt ? -1 : 0));
}

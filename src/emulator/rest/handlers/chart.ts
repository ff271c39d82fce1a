/**
 * Chart TRs from the generated history, newest first, paging backwards from `base_dt` with
 * cont-yn/next-key: ka10080 분봉, ka10081 일봉, ka10082 주봉, ka10083 월봉 of a stock (on the
 * venue its code's suffix names), and ka20005 업종분봉 of an index.
 */
import type { Bar, Venue } from '../../state/history.js';
import { CHARTS, SESSION_MINUTES } from '../../state/bars.js';
import { kstDate } from '../../state/clock.js';
import { changeSign, priceLimits, signed, signedDiff, signedRate } from '../../state/pricing.js';
import { TABLES } from '../../ws/data.js';
import { ApiReject } from '../envelope.js';
import { stockOf, str, suffixOf, type TrContext, type TrHandler } from './common.js';

/** Tick scopes ka10080 and ka20005 document. */
const MINUTE_SCOPES = new Set([1, 3, 5, 10, 15, 30, 45, 60]);

/** What a chart is asked for: the code, its venue, the newest day, and how many bars the page needs. */
interface Wanted {
  code: string;
  venue: Venue;
  through: string;
  count: number;
}

interface ChartKind {
  list: string;
  bars: (ctx: TrContext, w: Wanted) => Bar[];
}

function minuteScope(ctx: TrContext): number {
  const scope = Number(str(ctx, 'tic_scope'));
  if (!MINUTE_SCOPES.has(scope)) throw new ApiReject('1517', ['tic_scope', str(ctx, 'tic_scope')]);
  return scope;
}

const KINDS: Record<string, ChartKind> = {
  ka10080: { list: 'stk_min_pole_chart_qry', bars: (ctx, w) => ctx.state.history.minutes(w.code, minuteScope(ctx), w.venue, w.through, w.count) },
  ka10081: { list: 'stk_dt_pole_chart_qry', bars: (ctx, w) => ctx.state.history.daily(w.code, w.venue, w) },
  ka10082: { list: 'stk_stk_pole_chart_qry', bars: (ctx, w) => ctx.state.history.weekly(w.code, w.venue, w) },
  ka10083: { list: 'stk_mth_pole_chart_qry', bars: (ctx, w) => ctx.state.history.monthly(w.code, w.venue, w) },
};

const VENUES: Record<string, Venue> = { '': 'KRX', _NX: 'NX', _AL: 'AL' };

function row(bar: Bar, market: string, minute: boolean, listed: number): Record<string, string> {
  const { upper, lower } = priceLimits(bar.prevClose, market);
  // Minute bars print prices signed against the previous close; day bars print them bare.
  const px = (v: number): string => (minute ? signed(v, bar.prevClose) : String(v));
  return {
    cur_prc: px(bar.close),
    trde_qty: String(bar.volume),
    trde_prica: String(Math.round(bar.value / 1_000_000)),
    dt: bar.dt.slice(0, 8),
    cntr_tm: bar.dt,
    open_pric: px(bar.open),
    high_pric: px(bar.high),
    low_pric: px(bar.low),
    pred_pre: signedDiff(bar.close - bar.prevClose),
    pred_pre_sig: changeSign(bar.close, bar.prevClose, upper, lower),
    trde_tern_rt: signedRate(bar.volume + listed, listed),
  };
}

/** Each minute bar's volume summed with the same day's earlier bars. */
function accumulatedVolumes(bars: readonly Bar[]): Map<Bar, number> {
  const out = new Map<Bar, number>();
  const chronological = [...bars].sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
  let day = '';
  let acc = 0;
  for (const b of chronological) {
    if (b.dt.slice(0, 8) !== day) {
      day = b.dt.slice(0, 8);
      acc = 0;
    }
    acc += b.volume;
    out.set(b, acc);
  }
  return out;
}

/** The request's `base_dt` (1517 when malformed), or today when it has none. */
function baseDate(ctx: TrContext): { baseDt: string; through: string } {
  const baseDt = str(ctx, 'base_dt');
  if (baseDt !== '' && !/^\d{8}$/.test(baseDt)) throw new ApiReject('1517', ['base_dt', baseDt]);
  return { baseDt, through: baseDt || kstDate(ctx.state.nowMs()) };
}

/**
 * A chart's `next-key` as live sends it: `001` and the YYYYMMDDHHMMSS of the next page's first
 * bar (`00120260727120700`). A page resumes at that bar and never regenerates the pages before.
 */
const TIME_CURSOR = /^001(\d{14})$/;
const stamp = (dt: string): string => dt.padEnd(14, '0');

/** Most one-minute bars a day can hold on any venue: what a page may skip on its cursor's day. */
const DAY_BARS = SESSION_MINUTES.NX.length;

interface ChartPage {
  rows: Bar[];
  /** Every bar fetched for the page, whole days included (what acc_trde_qty sums). */
  fetched: Bar[];
  nextKey?: string;
}

/** One page of `size` bars, newest first, from `bars(through, count)`: bars dated `through` or before, at least `count` of them. */
function chartPage(ctx: TrContext, size: number, bars: (through: string, count: number) => Bar[]): ChartPage {
  const { baseDt, through } = baseDate(ctx);
  let resume = '99999999999999';
  if (ctx.nextKey !== undefined) {
    const m = TIME_CURSOR.exec(ctx.nextKey);
    if (m === null) throw new ApiReject('1517', ['next-key', ctx.nextKey]);
    resume = m[1] as string;
  }
  const day = resume.slice(0, 8) < through ? resume.slice(0, 8) : through;
  const fetched = bars(day, size + 1 + DAY_BARS);
  const held = fetched.filter((b) => (baseDt === '' || b.dt.slice(0, 8) <= baseDt) && stamp(b.dt) <= resume);
  const next = held[size];
  return { rows: held.slice(0, size), fetched, ...(next !== undefined ? { nextKey: `001${stamp(next.dt)}` } : {}) };
}

function chartHandler(apiId: string, kind: ChartKind): TrHandler {
  const size = CHARTS.pageSizes[apiId] as number;
  return (ctx) => {
    const { stock } = stockOf(ctx);
    const venue = VENUES[suffixOf(ctx)] ?? 'KRX';
    const { rows, fetched, nextKey } = chartPage(ctx, size, (through, count) => kind.bars(ctx, { code: stock.code, venue, through, count }));
    const minute = apiId === 'ka10080';
    // Live ka10080 rows carry acc_trde_qty, the day's volume up to the bar,
    // which the documentation's field table leaves out.
    const keys = [...ctx.api.response.filter((f) => f.list === kind.list).map((f) => f.key), ...(minute ? ['acc_trde_qty'] : [])];
    const dayVolume = minute ? accumulatedVolumes(fetched) : undefined;
    const records = rows.map((b) => {
      const r: Record<string, string> = { ...row(b, stock.market, minute, stock.listed), acc_trde_qty: String(dayVolume?.get(b) ?? '') };
      return Object.fromEntries(keys.map((k) => [k, r[k] ?? '']));
    });
    // Live, a minute chart for a day it no longer holds answers one row of "".
    if (minute && rows.length === 0) records.push(Object.fromEntries(keys.map((k) => [k, ''])));
    return {
      fields: { stk_cd: stock.code + suffixOf(ctx), [kind.list]: records },
      ...(nextKey !== undefined ? { nextKey } : {}),
    };
  };
}

/**
 * An index change as live prints it: the direction's sign put in front of the signed number,
 * so a fall doubles the sign (`"--36042"`, recorded) and a rise reads `"+36042"`.
 */
function indexChange(diff: number): string {
  return diff > 0 ? `+${diff}` : diff < 0 ? `-${diff}` : '0';
}

/**
 * ka20005 업종분봉: 900 rows a page, `cntr_tm` YYYYMMDDHHMMSS, index points as hundredths with a
 * direction sign (`"-566324"` = 5663.24 below the previous close), volumes in thousands of
 * shares. The close is signed against the previous day's close; open, high and low against the
 * bar before, which is what the one recorded row (`+` on all three under a `-` close whose
 * open lies below the previous close) allows.
 */
const ka20005: TrHandler = (ctx) => {
  const code = str(ctx, 'inds_cd');
  const index = TABLES.indices.find((i) => i.code === code);
  if (index === undefined) throw new ApiReject('1517', ['inds_cd', code]);
  const scope = minuteScope(ctx);
  const { rows, fetched, nextKey } = chartPage(ctx, CHARTS.pageSizes['ka20005'] as number, (through, count) => ctx.state.history.indexMinutes(index, scope, through, count));
  const acc = accumulatedVolumes(fetched);
  const keys = ctx.api.response.filter((f) => f.list === 'inds_min_pole_qry').map((f) => f.key);
  const position = new Map(fetched.map((b, i) => [b, i]));
  const records = rows.map((b) => {
    const older = fetched[(position.get(b) ?? 0) + 1];
    const before = older !== undefined && older.dt.slice(0, 8) === b.dt.slice(0, 8) ? older.close : b.prevClose;
    const diff = b.close - b.prevClose;
    const r: Record<string, string> = {
      cur_prc: signed(b.close, b.prevClose),
      trde_qty: String(b.volume),
      cntr_tm: b.dt,
      open_pric: signed(b.open, before),
      high_pric: signed(b.high, before),
      low_pric: signed(b.low, before),
      acc_trde_qty: String(acc.get(b) ?? ''),
      pred_pre: indexChange(diff),
      pred_pre_sig: diff > 0 ? '2' : diff < 0 ? '5' : '3',
    };
    return Object.fromEntries(keys.map((k) => [k, r[k] ?? '']));
  });
  return { fields: { inds_cd: code, inds_min_pole_qry: records }, ...(nextKey !== undefined ? { nextKey } : {}) };
};

export const chartHandlers: Record<string, TrHandler> = {
  ...Object.fromEntries(Object.entries(KINDS).map(([id, kind]) => [id, chartHandler(id, kind)])),
  ka20005,
};

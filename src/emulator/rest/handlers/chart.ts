/**
 * Stock chart TRs (ka10080 분봉, ka10081 일봉, ka10082 주봉, ka10083 월봉) from the generated
 * history, newest first, paging backwards from `base_dt` with cont-yn/next-key.
 */
import type { Bar } from '../../state/history.js';
import { changeSign, priceLimits, signed, signedDiff, signedRate } from '../../state/pricing.js';
import { ApiReject } from '../envelope.js';
import { page, stockOf, str, suffixOf, type TrContext, type TrHandler } from './common.js';

/** Tick scopes ka10080 documents. */
const MINUTE_SCOPES = new Set([1, 3, 5, 10, 15, 30, 45, 60]);

interface ChartKind {
  list: string;
  pageSize: number;
  bars: (ctx: TrContext, code: string) => Bar[];
}

const KINDS: Record<string, ChartKind> = {
  ka10080: {
    list: 'stk_min_pole_chart_qry',
    pageSize: 900,
    bars: (ctx, code) => {
      const scope = Number(str(ctx, 'tic_scope'));
      if (!MINUTE_SCOPES.has(scope)) throw new ApiReject('1517', ['tic_scope', str(ctx, 'tic_scope')]);
      return ctx.state.history.minutes(code, scope);
    },
  },
  ka10081: { list: 'stk_dt_pole_chart_qry', pageSize: 600, bars: (ctx, code) => ctx.state.history.daily(code) },
  ka10082: { list: 'stk_stk_pole_chart_qry', pageSize: 300, bars: (ctx, code) => ctx.state.history.weekly(code) },
  ka10083: { list: 'stk_mth_pole_chart_qry', pageSize: 300, bars: (ctx, code) => ctx.state.history.monthly(code) },
};

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

function chartHandler(apiId: string, kind: ChartKind): TrHandler {
  return (ctx) => {
    const { stock } = stockOf(ctx);
    const baseDt = str(ctx, 'base_dt');
    if (baseDt !== '' && !/^\d{8}$/.test(baseDt)) throw new ApiReject('1517', ['base_dt', baseDt]);
    const all = kind.bars(ctx, stock.code).filter((b) => baseDt === '' || b.dt.slice(0, 8) <= baseDt);
    const { rows, nextKey } = page(ctx, all, kind.pageSize);
    const minute = apiId === 'ka10080';
    // Live ka10080 rows carry acc_trde_qty, the day's volume up to the bar,
    // which the documentation's field table leaves out.
    const keys = [...ctx.api.response.filter((f) => f.list === kind.list).map((f) => f.key), ...(minute ? ['acc_trde_qty'] : [])];
    const dayVolume = minute ? accumulatedVolumes(all) : undefined;
    const records = rows.map((b) => {
      const r: Record<string, string> = { ...row(b, stock.market, minute, stock.listed), acc_trde_qty: String(dayVolume?.get(b) ?? '') };
      return Object.fromEntries(keys.map((k) => [k, r[k] ?? '']));
    });
    // Live, a minute chart for a day it no longer holds answers one row of "".
    if (minute && all.length === 0) records.push(Object.fromEntries(keys.map((k) => [k, ''])));
    return {
      fields: { stk_cd: stock.code + suffixOf(ctx), [kind.list]: records },
      ...(nextKey !== undefined ? { nextKey } : {}),
    };
  };
}

export const chartHandlers: Record<string, TrHandler> = Object.fromEntries(
  Object.entries(KINDS).map(([id, kind]) => [id, chartHandler(id, kind)]),
);

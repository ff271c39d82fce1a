/**
 * Daily price TRs from the generated history: ka10086 일별주가 (paged from qry_dt) and
 * ka10005 일주월시분.
 */
import type { Bar } from '../../state/history.js';
import { signed, signedDiff, signedRate } from '../../state/pricing.js';
import { ApiReject } from '../envelope.js';
import { page, pageOffset, stockOf, str, type TrContext, type TrHandler } from './common.js';
import { sampleRecord } from '../values.js';

/** ka10086 rows per page. */
const DAILY_PAGE = 100;
/** ka10005 rows. */
const RECENT = 30;

function dayRow(ctx: TrContext, list: string, b: Bar): Record<string, string> {
  const sg = (v: number): string => signed(v, b.prevClose);
  const live: Record<string, string> = {
    date: b.dt,
    open_pric: sg(b.open),
    high_pric: sg(b.high),
    low_pric: sg(b.low),
    close_pric: sg(b.close),
    pred_rt: signedDiff(b.close - b.prevClose),
    pre: signedDiff(b.close - b.prevClose),
    flu_rt: signedRate(b.close, b.prevClose),
    trde_qty: String(b.volume),
    amt_mn: String(Math.round(b.value / 1_000_000)),
    trde_prica: String(Math.round(b.value / 1_000_000)),
  };
  const out = sampleRecord(ctx.api, list, ctx.state.nowMs());
  for (const k of Object.keys(out)) if (k in live) out[k] = live[k] as string;
  return out;
}

const ka10086: TrHandler = (ctx) => {
  const { stock } = stockOf(ctx);
  const qryDt = str(ctx, 'qry_dt');
  if (!/^\d{8}$/.test(qryDt)) throw new ApiReject('1517', ['qry_dt', qryDt]);
  const bars = ctx.state.history.daily(stock.code, 'KRX', { through: qryDt, count: pageOffset(ctx) + DAILY_PAGE + 1 }).filter((b) => b.dt <= qryDt);
  const { rows, nextKey } = page(ctx, bars, DAILY_PAGE);
  return {
    fields: { daly_stkpc: rows.map((b) => dayRow(ctx, 'daly_stkpc', b)) },
    ...(nextKey !== undefined ? { nextKey } : {}),
  };
};

const ka10005: TrHandler = (ctx) => {
  const { stock } = stockOf(ctx);
  const bars = ctx.state.history.daily(stock.code).slice(0, RECENT);
  return { fields: { stk_ddwkmm: bars.map((b) => dayRow(ctx, 'stk_ddwkmm', b)) } };
};

export const dailyHandlers: Record<string, TrHandler> = { ka10005, ka10086 };

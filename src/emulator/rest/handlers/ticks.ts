/**
 * TRs read from today's trade tape: ka10003 체결정보 and ka10079 틱차트 (newest first).
 */
import type { Trade } from '../../state/market.js';
import { changeSign, signed, signedDiff, signedRate } from '../../state/pricing.js';
import { kstDate } from '../../state/clock.js';
import { CHARTS } from '../../state/bars.js';
import { ApiReject } from '../envelope.js';
import { documented, page, stockOf, str, suffixOf, type TrHandler } from './common.js';

/** Tick scopes ka10079 documents. */
const TICK_SCOPES = new Set([1, 3, 5, 10, 30]);

/** ka10079 rows per page. */
const TICK_PAGE = 900;

const ka10003: TrHandler = (ctx) => {
  const { stock, quote } = stockOf(ctx);
  const tape = ctx.state.market.tape(stock.code);
  let buys = 0;
  let sells = 0;
  const rows = tape.map((t) => {
    if (t.qty > 0) buys += t.qty;
    else sells -= t.qty;
    return {
      tm: t.time,
      cur_prc: signed(t.price, quote.prevClose),
      pred_pre: signedDiff(t.price - quote.prevClose),
      pre_rt: signedRate(t.price, quote.prevClose),
      pri_sel_bid_unit: signed(quote.askPrices[0] ?? 0, quote.prevClose),
      pri_buy_bid_unit: signed(quote.bidPrices[0] ?? 0, quote.prevClose),
      cntr_trde_qty: signedDiff(t.qty),
      sign: changeSign(t.price, quote.prevClose, quote.upperLimit, quote.lowerLimit),
      acc_trde_qty: String(t.volume),
      acc_trde_prica: String(t.value),
      // 체결강도: buy-initiated over sell-initiated volume so far, in percent.
      cntr_str: sells === 0 ? '0.00' : ((buys / sells) * 100).toFixed(2),
      stex_tp: 'KRX',
    };
  });
  return { fields: { cntr_infr: rows.reverse().slice(0, CHARTS.tradesRows) } };
};

interface TickBar {
  time: string;
  trades: Trade[];
}

const ka10079: TrHandler = (ctx) => {
  const { stock, quote } = stockOf(ctx);
  const scope = Number(str(ctx, 'tic_scope'));
  if (!TICK_SCOPES.has(scope)) throw new ApiReject('1517', ['tic_scope', str(ctx, 'tic_scope')]);
  const tape = ctx.state.market.tape(stock.code);
  const bars: TickBar[] = [];
  for (let i = 0; i < tape.length; i += scope) {
    const trades = tape.slice(i, i + scope);
    bars.push({ time: (trades[trades.length - 1] as Trade).time, trades });
  }
  const lastCount = tape.length % scope;
  const { rows, nextKey } = page(ctx, bars.reverse(), TICK_PAGE);
  const today = kstDate(ctx.state.nowMs());
  const records = rows.map((b) => {
    const prices = b.trades.map((t) => t.price);
    const close = prices[prices.length - 1] as number;
    return {
      cur_prc: String(close),
      trde_qty: String(b.trades.reduce((n, t) => n + Math.abs(t.qty), 0)),
      cntr_tm: today + b.time,
      open_pric: String(prices[0]),
      high_pric: String(Math.max(...prices)),
      low_pric: String(Math.min(...prices)),
      pred_pre: signedDiff(close - quote.prevClose),
      pred_pre_sig: changeSign(close, quote.prevClose, quote.upperLimit, quote.lowerLimit),
    };
  });
  return {
    fields: documented(ctx, {
      stk_cd: stock.code + suffixOf(ctx),
      last_tic_cnt: lastCount === 0 ? '' : String(lastCount),
      stk_tic_chart_qry: records,
    }),
    ...(nextKey !== undefined ? { nextKey } : {}),
  };
};

export const tickHandlers: Record<string, TrHandler> = { ka10003, ka10079 };

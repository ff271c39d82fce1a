/**
 * Realised profit TRs from today's sells: ka10077 당일실현손익상세 and ka10074 일자별실현손익.
 * The emulator's account only trades today, so every earlier day is empty.
 */
import { kstDate } from '../../state/clock.js';
import { signedRate } from '../../state/pricing.js';
import { stockOf, str, type TrHandler } from './common.js';

const ka10077: TrHandler = (ctx) => {
  const { stock } = stockOf(ctx);
  const sells = ctx.state.account(ctx.account).realized.filter((r) => r.code === stock.code);
  const rows = sells.map((r) => ({
    stk_nm: r.name,
    cntr_qty: String(r.qty),
    buy_uv: String(r.avgCost),
    cntr_pric: String(r.price),
    tdy_sel_pl: String(r.pl),
    pl_rt: signedRate(r.price, r.avgCost),
    tdy_trde_cmsn: String(r.fee),
    tdy_trde_tax: String(r.tax),
    stk_cd: `A${r.code}`,
  }));
  return {
    fields: { tdy_rlzt_pl: String(sells.reduce((n, r) => n + r.pl, 0)), tdy_rlzt_pl_dtl: rows },
    message: ' 조회가 완료되었습니다.',
  };
};

const ka10074: TrHandler = (ctx) => {
  const today = kstDate(ctx.state.nowMs());
  const inRange = str(ctx, 'strt_dt') <= today && today <= str(ctx, 'end_dt');
  const positions = inRange ? [...ctx.state.account(ctx.account).positions.values()] : [];
  const sum = (f: (p: (typeof positions)[number]) => number): number => positions.reduce((n, p) => n + f(p), 0);
  const buy = sum((p) => p.todayBuyAmount);
  const sell = sum((p) => p.todaySellAmount);
  const pl = sum((p) => p.realizedPl);
  const fee = sum((p) => p.todayFee);
  const tax = sum((p) => p.todayTax);
  const traded = buy > 0 || sell > 0;
  return {
    fields: {
      tot_buy_amt: String(buy), tot_sell_amt: String(sell), rlzt_pl: String(pl), trde_cmsn: String(fee), trde_tax: String(tax),
      dt_rlzt_pl: traded
        ? [{ dt: today, buy_amt: String(buy), sell_amt: String(sell), tdy_sel_pl: String(pl), tdy_trde_cmsn: String(fee), tdy_trde_tax: String(tax) }]
        : [],
    },
    message: ' 조회가 완료되었습니다.',
  };
};

export const pnlHandlers: Record<string, TrHandler> = { ka10074, ka10077 };

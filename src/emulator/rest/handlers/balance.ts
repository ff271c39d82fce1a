/**
 * Balance TRs answered from the demo account valued at live prices: kt00001 예수금,
 * kt00004 계좌평가현황, kt00005 체결잔고, kt00018 계좌평가잔고, ka10085 계좌수익률.
 */
import type { Position } from '../../state/accounts.js';
import { padded, signed } from '../../state/pricing.js';
import { base, record, type TrContext, type TrHandler } from './common.js';

const kt00001: TrHandler = (ctx) => {
  const acct = ctx.state.account(ctx.account);
  const orderable = ctx.state.orders.orderableCash(ctx.account);
  const p15 = (v: number): string => padded(v, 15);
  const fields = base(ctx);
  const live: Record<string, string> = {
    entr: p15(acct.cash), profa_ch: p15(0), d1_entra: p15(acct.cash), d2_entra: p15(acct.cash),
    pymn_alow_amt: p15(orderable), ord_alow_amt: p15(orderable), bncr_buy_alowa: p15(orderable),
    d1_pymn_alow_amt: p15(orderable), d2_pymn_alow_amt: p15(orderable),
    '20stk_ord_alow_amt': p15(orderable), '30stk_ord_alow_amt': p15(orderable), '40stk_ord_alow_amt': p15(orderable),
    '50stk_ord_alow_amt': p15(orderable), '60stk_ord_alow_amt': p15(orderable), '100stk_ord_alow_amt': p15(orderable),
  };
  for (const k of Object.keys(fields)) if (k in live) fields[k] = live[k];
  return { fields };
};

/** A holding valued at the live price. */
interface Valued {
  p: Position;
  price: number;
  prevClose: number;
  evalAmt: number;
  pl: number;
}

function holdings(ctx: TrContext): Valued[] {
  const acct = ctx.state.account(ctx.account);
  return [...acct.positions.values()]
    .filter((p) => p.qty > 0)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((p) => {
      const q = ctx.state.quote(p.code);
      const price = q?.price ?? p.avgPrice;
      const evalAmt = price * p.qty;
      return { p, price, prevClose: q?.prevClose ?? price, evalAmt, pl: evalAmt - p.buyAmount };
    });
}

const rate = (pl: number, cost: number, digits: number): string => (cost === 0 ? (0).toFixed(digits) : ((pl / cost) * 100).toFixed(digits));

function totals(ctx: TrContext): { cash: number; cost: number; value: number; pl: number; rows: Valued[] } {
  const rows = holdings(ctx);
  const cost = rows.reduce((n, r) => n + r.p.buyAmount, 0);
  const value = rows.reduce((n, r) => n + r.evalAmt, 0);
  return { cash: ctx.state.account(ctx.account).cash, cost, value, pl: value - cost, rows };
}

const kt00018: TrHandler = (ctx) => {
  const acct = ctx.state.account(ctx.account);
  const t = totals(ctx);
  const p15 = (v: number): string => padded(v, 15);
  const rows = t.rows.map((r) => {
    const sellFee = acct.commission(r.evalAmt);
    const tax = acct.sellTax(r.evalAmt);
    const buyFee = acct.commission(r.p.buyAmount);
    return record(ctx, 'acnt_evlt_remn_indv_tot', {
      stk_cd: `A${r.p.code}`, stk_nm: r.p.name, evltv_prft: p15(r.pl), prft_rt: rate(r.pl, r.p.buyAmount, 2),
      pur_pric: p15(r.p.avgPrice), pred_close_pric: padded(r.prevClose, 12), rmnd_qty: p15(r.p.qty),
      trde_able_qty: p15(r.p.qty - ctx.state.orders.reservedQty(ctx.account, r.p.code)), cur_prc: padded(r.price, 12),
      pred_buyq: p15(0), pred_sellq: p15(0), tdy_buyq: p15(r.p.todayBuyQty), tdy_sellq: p15(r.p.todaySellQty),
      pur_amt: p15(r.p.buyAmount), pur_cmsn: p15(buyFee), evlt_amt: p15(r.evalAmt), sell_cmsn: p15(sellFee), tax: p15(tax),
      sum_cmsn: p15(buyFee + sellFee), poss_rt: rate(r.evalAmt, t.value, 2), crd_tp: '00', crd_tp_nm: '', crd_loan_dt: '',
    });
  });
  return {
    fields: {
      ...base(ctx),
      tot_pur_amt: p15(t.cost), tot_evlt_amt: p15(t.value), tot_evlt_pl: p15(t.pl), tot_prft_rt: rate(t.pl, t.cost, 2),
      prsm_dpst_aset_amt: p15(t.cash + t.value), tot_loan_amt: p15(0), tot_crd_loan_amt: p15(0), tot_crd_ls_amt: p15(0),
      acnt_evlt_remn_indv_tot: rows,
    },
    message: '조회가 완료되었습니다',
  };
};

const kt00004: TrHandler = (ctx) => {
  const t = totals(ctx);
  const p12 = (v: number): string => padded(v, 12);
  const rows = t.rows.map((r) =>
    record(ctx, 'stk_acnt_evlt_prst', {
      stk_cd: `A${r.p.code}`, stk_nm: r.p.name, rmnd_qty: p12(r.p.qty), avg_prc: p12(r.p.avgPrice), cur_prc: p12(r.price),
      evlt_amt: p12(r.evalAmt), pl_amt: p12(r.pl), pl_rt: rate(r.pl, r.p.buyAmount, 4), loan_dt: '', pur_amt: p12(r.p.buyAmount),
      setl_remn: p12(r.p.qty), pred_buyq: p12(0), pred_sellq: p12(0), tdy_buyq: p12(r.p.todayBuyQty), tdy_sellq: p12(r.p.todaySellQty),
    }),
  );
  return {
    fields: {
      ...base(ctx),
      acnt_nm: '모의투자', brch_nm: '키움증권', entr: p12(t.cash), d2_entra: p12(t.cash), tot_est_amt: p12(t.value),
      aset_evlt_amt: p12(t.cash + t.value), tot_pur_amt: p12(t.cost), prsm_dpst_aset_amt: p12(t.cash + t.value),
      tot_grnt_sella: p12(0), tdy_lspft_amt: p12(0), invt_bsamt: p12(0), lspft_amt: p12(0), tdy_lspft: p12(0), lspft2: p12(0),
      lspft: p12(0), tdy_lspft_rt: '0.00', lspft_ratio: '0.00', lspft_rt: '0.00', stk_acnt_evlt_prst: rows,
    },
    message: '조회가 완료되었습니다.',
  };
};

const kt00005: TrHandler = (ctx) => {
  const t = totals(ctx);
  const orderable = ctx.state.orders.orderableCash(ctx.account);
  const p12 = (v: number): string => padded(v, 12);
  const rows = t.rows.map((r) =>
    record(ctx, 'stk_cntr_remn', {
      crd_tp: '00', loan_dt: '', expr_dt: '', stk_cd: `A${r.p.code}`, stk_nm: r.p.name, setl_remn: p12(r.p.qty),
      cur_qty: p12(r.p.qty), cur_prc: p12(r.price), buy_uv: p12(r.p.avgPrice), pur_amt: p12(r.p.buyAmount),
      evlt_amt: p12(r.evalAmt), evltv_prft: p12(r.pl), pl_rt: rate(r.pl, r.p.buyAmount, 4),
    }),
  );
  const live: Record<string, unknown> = {
    entr: p12(t.cash), entr_d1: p12(t.cash), entr_d2: p12(t.cash), pymn_alow_amt: p12(orderable), ord_alowa: p12(orderable),
    stk_buy_tot_amt: p12(t.cost), evlt_amt_tot: p12(t.value), tot_pl_tot: p12(t.pl), tot_pl_rt: rate(t.pl, t.cost, 4),
    tot_re_buy_alowa: p12(orderable), '20ord_alow_amt': p12(orderable), '30ord_alow_amt': p12(orderable),
    '40ord_alow_amt': p12(orderable), '50ord_alow_amt': p12(orderable), '60ord_alow_amt': p12(orderable),
    '100ord_alow_amt': p12(orderable), stk_cntr_remn: rows,
  };
  const fields = base(ctx);
  for (const k of Object.keys(fields)) if (k in live) fields[k] = live[k];
  return { fields, message: '조회가 완료되었습니다' };
};

const ka10085: TrHandler = (ctx) => {
  const rows = [...ctx.state.account(ctx.account).positions.values()]
    .filter((p) => p.qty > 0 || p.todaySellQty > 0)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((p) => {
      const q = ctx.state.quote(p.code);
      return record(ctx, 'acnt_prft_rt', {
        dt: '', stk_cd: p.code, stk_nm: p.name, cur_prc: signed(q?.price ?? 0, q?.prevClose ?? 0), pur_pric: String(p.avgPrice),
        pur_amt: String(p.buyAmount), rmnd_qty: String(p.qty), tdy_sel_pl: String(p.realizedPl), tdy_trde_cmsn: String(p.todayFee),
        tdy_trde_tax: String(p.todayTax), crd_tp: '00', loan_dt: '00000000', setl_remn: String(p.qty),
        clrn_alow_qty: String(p.qty - ctx.state.orders.reservedQty(ctx.account, p.code)), crd_amt: '0', crd_int: '0', expr_dt: '00000000',
      });
    });
  return { fields: { acnt_prft_rt: rows }, message: ' 조회가 완료되었습니다.' };
};

export const balanceHandlers: Record<string, TrHandler> = { ka10085, kt00001, kt00004, kt00005, kt00018 };

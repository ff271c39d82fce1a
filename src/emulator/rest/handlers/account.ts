/**
 * Account TRs answered from the demo account and the order ledger: ka10075 미체결,
 * ka10076 체결, kt00001 예수금, kt00004 계좌평가현황, kt00018 계좌평가잔고, kt00007 주문체결내역.
 */
import type { OrderRecord } from '../../types.js';
import type { Position } from '../../state/accounts.js';
import { loadEmulatorData } from '../../data.js';
import { padded, signed } from '../../state/pricing.js';
import { base, str, type TrContext, type TrHandler } from './common.js';
import { sampleRecord } from '../values.js';

const tradeTypeNames = loadEmulatorData<{ tradeTypeNames: Record<string, string> }>('rules').tradeTypeNames;

/** Keeps only the keys a list documents, filling the rest from the example record. */
function record(ctx: TrContext, list: string, live: Record<string, string>): Record<string, string> {
  const out = sampleRecord(ctx.api, list, ctx.state.nowMs());
  for (const k of Object.keys(out)) if (k in live) out[k] = live[k] as string;
  return out;
}

/** `+매수`, `-매도`, `+매수정정`, `-매도취소` as the order TRs print the side. */
function sideName(o: OrderRecord): string {
  const suffix = o.apiId === 'kt10002' || o.apiId === 'kt10008' ? '정정' : o.apiId === 'kt10003' || o.apiId === 'kt10009' ? '취소' : '';
  return `${o.side === 'buy' ? '+매수' : '-매도'}${suffix}`;
}

/** Side filter of the account TRs: '0' all, '1' sell, '2' buy. */
function sideMatches(filter: string, o: OrderRecord): boolean {
  return filter === '1' ? o.side === 'sell' : filter === '2' ? o.side === 'buy' : true;
}

function fillsOf(ctx: TrContext, o: OrderRecord): { qty: number; amount: number } {
  const fills = ctx.state.orders.fills.filter((f) => f.ordNo === o.ordNo);
  return { qty: fills.reduce((n, f) => n + f.qty, 0), amount: fills.reduce((n, f) => n + f.qty * f.price, 0) };
}

function orderFeeAndTax(ctx: TrContext, o: OrderRecord, amount: number): { fee: number; tax: number } {
  const acct = ctx.state.account(ctx.account);
  return { fee: acct.commission(amount), tax: o.side === 'sell' ? acct.sellTax(amount) : 0 };
}

const exchangeFields = (o: OrderRecord): Record<string, string> => ({
  stex_tp: o.exchange === 'NXT' ? '2' : o.exchange === 'SOR' ? '0' : '1',
  stex_tp_txt: o.exchange,
  sor_yn: o.exchange === 'SOR' ? 'Y' : 'N',
});

const ka10075: TrHandler = (ctx) => {
  const code = str(ctx, 'all_stk_tp') === '1' ? str(ctx, 'stk_cd') : '';
  const side = str(ctx, 'trde_tp');
  const rows = ctx.state.orders
    .openOrders(ctx.account)
    .filter((o) => (code === '' || o.code === code) && sideMatches(side, o))
    .map((o) => {
      const q = ctx.state.quote(o.code);
      const f = fillsOf(ctx, o);
      const { fee, tax } = orderFeeAndTax(ctx, o, f.amount);
      const pc = q?.prevClose ?? 0;
      return record(ctx, 'oso', {
        acnt_no: ctx.account.slice(0, 10), ord_no: o.ordNo, stk_cd: o.code, stk_nm: o.name, ord_stt: o.status,
        ord_qty: String(o.qty), ord_pric: String(o.price), oso_qty: String(o.openQty), cntr_tot_amt: String(f.amount),
        orig_ord_no: o.origOrdNo || '0000000', io_tp_nm: sideName(o), trde_tp: tradeTypeNames[o.trdeTp] ?? '보통',
        tm: o.time, cntr_no: '', cntr_pric: f.qty ? String(Math.round(f.amount / f.qty)) : '0', cntr_qty: String(f.qty),
        cur_prc: signed(q?.price ?? 0, pc), sel_bid: signed(q?.askPrices[0] ?? 0, pc), buy_bid: signed(q?.bidPrices[0] ?? 0, pc),
        unit_cntr_pric: '', unit_cntr_qty: '', tdy_trde_cmsn: String(fee), tdy_trde_tax: String(tax), ind_invsr: '',
        stop_pric: '', ...exchangeFields(o),
      });
    });
  return { fields: { oso: rows }, message: ' 조회가 완료되었습니다.' };
};

const ka10076: TrHandler = (ctx) => {
  const code = str(ctx, 'qry_tp') === '1' ? str(ctx, 'stk_cd') : '';
  const side = str(ctx, 'sell_tp');
  const before = str(ctx, 'ord_no');
  const rows = ctx.state.orders.ledger
    .filter((o) => o.account === ctx.account && o.filledQty > 0)
    .filter((o) => (code === '' || o.code === code) && sideMatches(side, o) && (before === '' || o.ordNo < before))
    .reverse()
    .map((o) => {
      const f = fillsOf(ctx, o);
      const { fee, tax } = orderFeeAndTax(ctx, o, f.amount);
      return record(ctx, 'cntr', {
        ord_no: o.ordNo, stk_nm: o.name, io_tp_nm: sideName(o), ord_pric: String(o.price), ord_qty: String(o.qty),
        cntr_pric: String(Math.round(f.amount / f.qty)), cntr_qty: String(f.qty), oso_qty: String(o.openQty),
        tdy_trde_cmsn: String(fee), tdy_trde_tax: String(tax), ord_stt: o.status, trde_tp: tradeTypeNames[o.trdeTp] ?? '보통',
        orig_ord_no: o.origOrdNo || '0000000', ord_tm: o.time, stk_cd: o.code, stop_pric: '', ...exchangeFields(o),
      });
    });
  return { fields: { cntr: rows }, message: ' 조회가 완료되었습니다.' };
};

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

/** kt00007 qry_tp: 1 주문순, 2 역순, 3 미체결, 4 체결내역만. */
const kt00007: TrHandler = (ctx) => {
  const qryTp = str(ctx, 'qry_tp');
  const code = str(ctx, 'stk_cd').replace(/^A/, '');
  const from = str(ctx, 'fr_ord_no');
  const side = str(ctx, 'sell_tp');
  const exch = str(ctx, 'dmst_stex_tp');
  let orders = ctx.state.orders.ledger.filter(
    (o) =>
      o.account === ctx.account && (code === '' || o.code === code) && sideMatches(side, o) &&
      (from === '' || o.ordNo >= from) && (exch === '' || exch === '%' || o.exchange === exch) &&
      (qryTp !== '3' || o.openQty > 0) && (qryTp !== '4' || o.filledQty > 0),
  );
  if (qryTp === '2') orders = [...orders].reverse();
  const p10 = (v: number): string => padded(v, 10);
  const rows = orders.map((o) => {
    const f = fillsOf(ctx, o);
    const hhmmss = `${o.time.slice(0, 2)}:${o.time.slice(2, 4)}:${o.time.slice(4, 6)}`;
    const amend = o.origOrdNo !== '';
    return record(ctx, 'acnt_ord_cntr_prps_dtl', {
      ord_no: o.ordNo, stk_cd: `A${o.code}`, trde_tp: tradeTypeNames[o.trdeTp] ?? '보통', crd_tp: '보통매매',
      ord_qty: p10(o.qty), ord_uv: p10(o.price), cnfm_qty: p10(amend ? o.qty : 0), acpt_tp: o.status === '거부' ? '거부' : '접수',
      rsrv_tp: '', ord_tm: hhmmss, ori_ord: o.origOrdNo || '0000000', stk_nm: o.name,
      io_tp_nm: `현금${o.side === 'buy' ? '매수' : '매도'}`, loan_dt: '', cntr_qty: p10(f.qty),
      cntr_uv: p10(f.qty ? Math.round(f.amount / f.qty) : 0), ord_remnq: p10(o.openQty), comm_ord_tp: 'REST API',
      mdfy_cncl: sideName(o).endsWith('정정') ? '정정' : sideName(o).endsWith('취소') ? '취소' : '',
      cnfm_tm: amend ? hhmmss : '', dmst_stex_tp: o.exchange, cond_uv: p10(0),
    });
  });
  return { fields: { acnt_ord_cntr_prps_dtl: rows }, message: '조회가 완료되었습니다' };
};

export const accountHandlers: Record<string, TrHandler> = { ka10075, ka10076, kt00001, kt00004, kt00007, kt00018 };

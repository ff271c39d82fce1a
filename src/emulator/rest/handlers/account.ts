/**
 * Order and fill TRs answered from the order ledger: ka10075 미체결, ka10076 체결,
 * kt00007 주문체결내역상세, kt00009 주문체결현황.
 */
import type { OrderRecord } from '../../types.js';
import { loadEmulatorData } from '../../data.js';
import { padded, signed } from '../../state/pricing.js';
import { page, record, str, type TrAnswer, type TrContext, type TrHandler } from './common.js';

const tradeTypeNames = loadEmulatorData<{ tradeTypeNames: Record<string, string> }>('rules').tradeTypeNames;

/** `+매수`, `-매도`, `+매수정정`, `-매도취소` as the order TRs print the side. */
function sideName(o: OrderRecord): string {
  const suffix = o.apiId === 'kt10002' || o.apiId === 'kt10008' ? '정정' : o.apiId === 'kt10003' || o.apiId === 'kt10009' ? '취소' : '';
  return `${o.side === 'buy' ? '+매수' : '-매도'}${suffix}`;
}

/** Side filter of the account TRs: '0' all, '1' sell, '2' buy. */
function sideMatches(filter: string, o: OrderRecord): boolean {
  return filter === '1' ? o.side === 'sell' : filter === '2' ? o.side === 'buy' : true;
}

/** Rows per page of the order and fill lists; more pages follow with cont-yn/next-key. */
const LEDGER_PAGE = 100;

function fillsOf(ctx: TrContext, o: OrderRecord): { qty: number; amount: number } {
  const fills = ctx.state.orders.fillsOf(o.ordNo);
  return { qty: fills.reduce((n, f) => n + f.qty, 0), amount: fills.reduce((n, f) => n + f.qty * f.price, 0) };
}

/** One page of `orders` as rows of `list`, with the next page's key. */
function paged(ctx: TrContext, list: string, orders: OrderRecord[], toRow: (o: OrderRecord) => Record<string, string>): TrAnswer {
  const { rows, nextKey } = page(ctx, orders, LEDGER_PAGE);
  return { fields: { [list]: rows.map(toRow) }, ...(nextKey !== undefined ? { nextKey } : {}) };
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
  const open = ctx.state.orders.openOrders(ctx.account).filter((o) => (code === '' || o.code === code) && sideMatches(side, o));
  const answer = paged(ctx, 'oso', open, (o) => {
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
  return { ...answer, message: ' 조회가 완료되었습니다.' };
};

const ka10076: TrHandler = (ctx) => {
  const code = str(ctx, 'qry_tp') === '1' ? str(ctx, 'stk_cd') : '';
  const side = str(ctx, 'sell_tp');
  const before = str(ctx, 'ord_no');
  const filled = ctx.state.orders.ledger
    .filter((o) => o.account === ctx.account && o.filledQty > 0)
    .filter((o) => (code === '' || o.code === code) && sideMatches(side, o) && (before === '' || o.ordNo < before))
    .reverse();
  const answer = paged(ctx, 'cntr', filled, (o) => {
    const f = fillsOf(ctx, o);
    const { fee, tax } = orderFeeAndTax(ctx, o, f.amount);
    return record(ctx, 'cntr', {
      ord_no: o.ordNo, stk_nm: o.name, io_tp_nm: sideName(o), ord_pric: String(o.price), ord_qty: String(o.qty),
      cntr_pric: String(Math.round(f.amount / f.qty)), cntr_qty: String(f.qty), oso_qty: String(o.openQty),
      tdy_trde_cmsn: String(fee), tdy_trde_tax: String(tax), ord_stt: o.status, trde_tp: tradeTypeNames[o.trdeTp] ?? '보통',
      orig_ord_no: o.origOrdNo || '0000000', ord_tm: o.time, stk_cd: o.code, stop_pric: '', ...exchangeFields(o),
    });
  });
  return { ...answer, message: ' 조회가 완료되었습니다.' };
};

/** Orders the history TRs select: kt00007/kt00009 qry_tp 1 주문순, 2 역순, 3 미체결, 4 체결내역만. */
function history(ctx: TrContext): OrderRecord[] {
  const qryTp = str(ctx, 'qry_tp');
  const code = str(ctx, 'stk_cd').replace(/^A/, '');
  const from = str(ctx, 'fr_ord_no');
  const side = str(ctx, 'sell_tp');
  const exch = str(ctx, 'dmst_stex_tp');
  const orders = ctx.state.orders.ledger.filter(
    (o) =>
      o.account === ctx.account && (code === '' || o.code === code) && sideMatches(side, o) &&
      (from === '' || o.ordNo >= from) && (exch === '' || exch === '%' || o.exchange === exch) &&
      (qryTp !== '3' || o.openQty > 0) && (qryTp !== '4' || o.filledQty > 0),
  );
  return qryTp === '2' ? orders.reverse() : orders;
}

/** The columns kt00007 and kt00009 share for one order. */
function historyRow(ctx: TrContext, o: OrderRecord): Record<string, string> {
  const p10 = (v: number): string => padded(v, 10);
  const f = fillsOf(ctx, o);
  const hhmmss = `${o.time.slice(0, 2)}:${o.time.slice(2, 4)}:${o.time.slice(4, 6)}`;
  const amend = o.origOrdNo !== '';
  const kind = sideName(o).endsWith('정정') ? '정정' : sideName(o).endsWith('취소') ? '취소' : '';
  const lastFill = ctx.state.orders.fillsOf(o.ordNo).at(-1);
  return {
    ord_no: o.ordNo, stk_cd: `A${o.code}`, trde_tp: tradeTypeNames[o.trdeTp] ?? '보통', crd_tp: '보통매매', crd_deal_tp: '보통매매',
    ord_qty: p10(o.qty), ord_uv: p10(o.price), cnfm_qty: p10(amend ? o.qty : 0), acpt_tp: o.status === '거부' ? '거부' : '접수',
    rsrv_tp: '', rsrv_oppo: '', ord_tm: hhmmss, ori_ord: o.origOrdNo || '0000000', orig_ord_no: o.origOrdNo || '0000000',
    stk_nm: o.name, io_tp_nm: `현금${o.side === 'buy' ? '매수' : '매도'}`, loan_dt: '', cntr_qty: p10(f.qty),
    cntr_uv: p10(f.qty ? Math.round(f.amount / f.qty) : 0), ord_remnq: p10(o.openQty), comm_ord_tp: 'REST API',
    mdfy_cncl: kind, mdfy_cncl_tp: kind, cnfm_tm: amend ? hhmmss : '', dmst_stex_tp: o.exchange, cond_uv: p10(0),
    stk_bond_tp: '1', setl_tp: '삼일결제', cntr_no: lastFill?.fillNo.padStart(7, '0') ?? '',
    cntr_tm: lastFill ? `${lastFill.time.slice(0, 2)}:${lastFill.time.slice(2, 4)}:${lastFill.time.slice(4, 6)}` : '',
  };
}

const kt00007: TrHandler = (ctx) => ({
  ...paged(ctx, 'acnt_ord_cntr_prps_dtl', history(ctx), (o) => record(ctx, 'acnt_ord_cntr_prps_dtl', historyRow(ctx, o))),
  message: '조회가 완료되었습니다',
});

const kt00009: TrHandler = (ctx) => {
  const orders = history(ctx);
  const p12 = (v: number): string => padded(v, 12);
  const engaged = (side: 'buy' | 'sell'): number =>
    orders.filter((o) => o.side === side).reduce((n, o) => n + fillsOf(ctx, o).amount, 0);
  const answer = paged(ctx, 'acnt_ord_cntr_prst_array', orders, (o) => record(ctx, 'acnt_ord_cntr_prst_array', historyRow(ctx, o)));
  return {
    ...answer,
    fields: {
      sell_grntl_engg_amt: p12(engaged('sell')),
      buy_engg_amt: p12(engaged('buy')),
      engg_amt: p12(engaged('buy') + engaged('sell')),
      ...answer.fields,
    },
    message: '조회가 완료되었습니다',
  };
};

/** ka00001 계좌번호조회: the token's account, so that GetLoginInfo("ACCNO") matches chejan 9201. */
const ka00001: TrHandler = (ctx) => ({ fields: { acctNo: ctx.account.slice(0, 10) }, message: '정상적으로 처리되었습니다' });

export const accountHandlers: Record<string, TrHandler> = { ka00001, ka10075, ka10076, kt00007, kt00009 };

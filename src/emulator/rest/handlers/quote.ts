/**
 * Quote TRs answered from the live market: ka10001 기본정보, ka10004 호가, ka10095 관심종목.
 */
import type { Quote, StockInfo } from '../../types.js';
import { changeSign, signed, signedDiff, signedRate } from '../../state/pricing.js';
import { kstDate, kstTime } from '../../state/clock.js';
import { createRng, hashString } from '../../state/prng.js';
import { ApiReject } from '../envelope.js';
import { base, documented, stockOf, str, suffixOf, type TrContext, type TrHandler } from './common.js';
import { sampleRecord } from '../values.js';

/** ka10095 accepts at most this many codes; more is Kiwoom's 1634. */
const MAX_CODES = 100;

/** The price fields every quote TR shares, signed against the previous close. */
export function priceFields(s: StockInfo, q: Quote, suffix = ''): Record<string, string> {
  const sg = (v: number): string => signed(v, q.prevClose);
  return {
    stk_cd: s.code + suffix,
    stk_nm: s.name,
    cur_prc: sg(q.price),
    base_pric: String(q.prevClose),
    pred_pre: signedDiff(q.price - q.prevClose),
    pre_sig: changeSign(q.price, q.prevClose, q.upperLimit, q.lowerLimit),
    pred_pre_sig: changeSign(q.price, q.prevClose, q.upperLimit, q.lowerLimit),
    flu_rt: signedRate(q.price, q.prevClose),
    trde_qty: String(q.volume),
    trde_prica: String(Math.round(q.value / 1_000_000)),
    open_pric: sg(q.open),
    high_pric: sg(q.high),
    low_pric: sg(q.low),
    upl_pric: sg(q.upperLimit),
    lst_pric: sg(q.lowerLimit),
    close_pric: sg(q.price),
    cntr_qty: signedDiff(q.lastQty),
    cntr_tm: q.time,
    sel_bid: sg(q.askPrices[0] ?? 0),
    buy_bid: sg(q.bidPrices[0] ?? 0),
    exp_cntr_pric: sg(q.price),
    exp_cntr_qty: '0',
  };
}

/**
 * A stock's financial figures as ka10001 prints them, fixed by its code: EPS and BPS such that
 * PER and PBR land in plausible bands at the previous close, and net income (억원) = EPS x
 * shares, as the recorded answers check out.
 */
function fundamentals(s: StockInfo): { eps: number; bps: number; ev: string; netIncome: number; operating: number; sales: number; foreign: number; credit: number; floating: number } {
  const rng = createRng(hashString(`fundamentals:${s.code}`));
  const eps = Math.max(1, Math.round(s.prevClose / (5 + rng.next() * 35)));
  const bps = Math.max(1, Math.round(s.prevClose / (0.4 + rng.next() * 3.6)));
  const netIncome = Math.round((eps * s.listed) / 100_000_000);
  return {
    eps,
    bps,
    ev: (3 + rng.next() * 17).toFixed(2),
    netIncome,
    operating: Math.round(netIncome * (1.1 + rng.next() * 0.5)),
    sales: Math.round(netIncome * (8 + rng.next() * 22)),
    foreign: rng.next() * 50,
    credit: rng.next() * 3,
    floating: 0.5 + rng.next() * 0.45,
  };
}

/** `+46.48`: a positive ratio with its sign, as live prints 외인소진률 and 신용비율. */
const plusRate = (v: number): string => (v > 0.004 ? `+${v.toFixed(2)}` : '0.00');

/** The regular session, when live leaves the expected-execution fields empty (as recorded). */
const inSession = (hhmmss: string): boolean => hhmmss >= '090000' && hhmmss < '152000';

const ka10001: TrHandler = (ctx) => {
  const { stock, quote } = stockOf(ctx);
  const days = ctx.state.history.daily(stock.code).slice(0, 250);
  const hi = days.reduce((b, d) => (d.high > b.high ? d : b), days[0] ?? { high: quote.high, dt: '' });
  const lo = days.reduce((b, d) => (d.low < b.low ? d : b), days[0] ?? { low: quote.low, dt: '' });
  const mac = Math.round((quote.price * stock.listed) / 100_000_000);
  const today = kstDate(ctx.state.nowMs());
  const yesterday = days.find((d) => d.dt < today);
  const f = fundamentals(stock);
  const floating = Math.round(stock.listed / 1000);
  const distributed = Math.round(floating * f.floating);
  const live = priceFields(stock, quote, suffixOf(ctx));
  return {
    fields: documented(ctx, {
      ...base(ctx),
      ...live,
      fav: String(stock.faceValue),
      fav_unit: stock.faceValue ? '원' : '',
      cap: String(Math.round((stock.faceValue * stock.listed) / 100_000_000)),
      flo_stk: String(floating),
      dstr_stk: String(distributed),
      // 유통비율 with one decimal, as live ("75.3").
      dstr_rt: floating === 0 ? '0.0' : ((distributed / floating) * 100).toFixed(1),
      mac: String(mac),
      crd_rt: plusRate(f.credit),
      for_exh_rt: plusRate(f.foreign),
      per: (quote.price / f.eps).toFixed(2),
      eps: String(f.eps),
      roe: ((f.eps / f.bps) * 100).toFixed(1),
      pbr: (quote.price / f.bps).toFixed(2),
      ev: f.ev,
      bps: String(f.bps),
      sale_amt: String(f.sales),
      bus_pro: String(f.operating),
      cup_nga: String(f.netIncome),
      // 거래대비: today's volume against the previous day's, signed with two decimals.
      trde_pre: signedRate(quote.volume, yesterday?.volume ?? quote.volume),
      ...(inSession(kstTime(ctx.state.nowMs())) ? { exp_cntr_pric: '', exp_cntr_qty: '' } : {}),
      '250hgst': signed(hi.high, quote.prevClose),
      '250lwst': signed(lo.low, quote.prevClose),
      '250hgst_pric_dt': hi.dt,
      '250lwst_pric_dt': lo.dt,
      '250hgst_pric_pre_rt': signedRate(quote.price, hi.high),
      '250lwst_pric_pre_rt': signedRate(quote.price, lo.low),
      oyr_hgst: signed(hi.high, quote.prevClose),
      oyr_lwst: signed(lo.low, quote.prevClose),
      repl_pric: String(Math.floor(quote.prevClose * 0.7)),
    }),
  };
};

const ordinal = (k: number): string => (k === 1 ? 'fpr' : `${k}th_pre`);

const ka10004: TrHandler = (ctx) => {
  const { quote } = stockOf(ctx);
  const out = base(ctx);
  const sg = (v: number): string => (v === 0 ? '0' : signed(v, quote.prevClose));
  for (let k = 1; k <= 10; k++) {
    out[`sel_${ordinal(k)}_bid`] = sg(quote.askPrices[k - 1] ?? 0);
    out[`sel_${ordinal(k)}_req`] = String(quote.askQtys[k - 1] ?? 0);
    out[`buy_${ordinal(k)}_bid`] = sg(quote.bidPrices[k - 1] ?? 0);
    out[`buy_${ordinal(k)}_req`] = String(quote.bidQtys[k - 1] ?? 0);
    out[`sel_${k}th_pre_req_pre`] = '0';
    out[`buy_${k}th_pre_req_pre`] = '0';
  }
  // The loop also writes a few names the doc spells differently; documented() drops them.
  return {
    fields: documented(ctx, {
      ...out,
      bid_req_base_tm: quote.time,
      tot_sel_req: String(quote.askQtys.reduce((a, b) => a + b, 0)),
      tot_buy_req: String(quote.bidQtys.reduce((a, b) => a + b, 0)),
      tot_sel_req_jub_pre: '0',
      tot_buy_req_jub_pre: '0',
    }),
  };
};

const ka10095: TrHandler = (ctx: TrContext) => {
  const codes = str(ctx, 'stk_cd').split('|').map((c) => c.trim()).filter(Boolean);
  if (codes.length > MAX_CODES) throw new ApiReject('1634', [String(codes.length)]);
  const rows = codes.map((code) => {
    const { stock, quote } = stockOf({ ...ctx, body: { stk_cd: code } });
    const row: Record<string, string> = { ...sampleRecord(ctx.api, 'atn_stk_infr', ctx.state.nowMs()) };
    const live = priceFields(stock, quote, /_(NX|AL)$/.exec(code)?.[0] ?? '');
    for (const k of Object.keys(row)) if (k in live) row[k] = live[k] as string;
    for (let k = 1; k <= 5; k++) {
      row[`sel_${k}th_bid`] = signed(quote.askPrices[k - 1] ?? 0, quote.prevClose);
      row[`buy_${k}th_bid`] = signed(quote.bidPrices[k - 1] ?? 0, quote.prevClose);
    }
    row.fav = String(stock.faceValue);
    row.stkcnt = String(Math.round(stock.listed / 1000));
    row.mac = String(Math.round((quote.price * stock.listed) / 100_000_000));
    row.tot_sel_req = String(quote.askQtys.reduce((a, b) => a + b, 0));
    row.tot_buy_req = String(quote.bidQtys.reduce((a, b) => a + b, 0));
    row.bid_tm = quote.time;
    // Today's date as live, not the documentation example's.
    if ('dt' in row) row.dt = kstDate(ctx.state.nowMs());
    return row;
  });
  return { fields: { atn_stk_infr: rows } };
};

const ka10007: TrHandler = (ctx) => {
  const { stock, quote } = stockOf(ctx);
  const sg = (v: number): string => (v === 0 ? '0' : signed(v, quote.prevClose));
  const yesterday = ctx.state.history.daily(stock.code).find((d) => d.close === quote.prevClose && d.dt < kstDate(ctx.state.nowMs()));
  const live: Record<string, unknown> = {
    ...priceFields(stock, quote),
    date: kstDate(ctx.state.nowMs()),
    tm: quote.time,
    pred_close_pric: String(quote.prevClose),
    pred_trde_qty: String(yesterday?.volume ?? 0),
    pred_trde_prica: String(Math.round((yesterday?.value ?? 0) / 1_000_000)),
    flo_stkcnt: String(Math.round(stock.listed / 1000)),
    smbol: changeSign(quote.price, quote.prevClose, quote.upperLimit, quote.lowerLimit),
    pred_rt: signedRate(quote.price, quote.prevClose),
    tot_sel_req: String(quote.askQtys.reduce((a, b) => a + b, 0)),
    tot_buy_req: String(quote.bidQtys.reduce((a, b) => a + b, 0)),
  };
  for (let k = 1; k <= 10; k++) {
    live[`sel_${k}bid`] = sg(quote.askPrices[k - 1] ?? 0);
    live[`buy_${k}bid`] = sg(quote.bidPrices[k - 1] ?? 0);
    live[`sel_${k}bid_req`] = String(quote.askQtys[k - 1] ?? 0);
    live[`buy_${k}bid_req`] = String(quote.bidQtys[k - 1] ?? 0);
    live[`sel_${k}bid_jub_pre`] = '0';
    live[`buy_${k}bid_jub_pre`] = '0';
  }
  return { fields: documented(ctx, { ...base(ctx), ...live }) };
};

export const quoteHandlers: Record<string, TrHandler> = { ka10001, ka10004, ka10007, ka10095 };

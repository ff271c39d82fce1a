/**
 * Orderable amount TRs: kt00010 주문인출가능금액 and kt00011 증거금율별주문가능수량. The demo
 * account is a cash account (100% margin), so every margin-rate column shows the same cash.
 */
import { padded } from '../../state/pricing.js';
import { base, stockOf, str, type TrHandler } from './common.js';

/** Margin-rate columns the two TRs repeat. */
const RATES = ['20', '30', '40', '50', '60', 'rdex_60', '100'];

const orderable: TrHandler = (ctx) => {
  const { quote } = stockOf(ctx);
  const acct = ctx.state.account(ctx.account);
  const cash = ctx.state.orders.orderableCash(ctx.account);
  const uv = Number(str(ctx, 'uv')) || quote.price;
  // Shares the cash buys at the unit price, commission included.
  const qty = Math.max(0, Math.floor(cash / (uv * (1 + acct.fees.commissionRate))));
  const p12 = (v: number): string => padded(v, 12);
  const p10 = (v: number): string => padded(v, 10);
  const live: Record<string, string> = {
    entr: p12(acct.cash), d2entra: p12(acct.cash), ord_alowa: p12(cash), wthd_alowa: p12(cash), nxdy_wthd_alowa: p12(cash),
    min_ord_alow_amt: p12(cash), min_ord_alowq: p10(qty), stk_profa_rt: '100%', profa_rt: '100%', aplc_rt: '100%',
  };
  for (const r of RATES) {
    live[`profa_${r}ord_alow_amt`] = p12(cash);
    live[`profa_${r}ord_alowq`] = p10(qty);
  }
  const fields = base(ctx);
  for (const k of Object.keys(fields)) if (k in live) fields[k] = live[k];
  return { fields };
};

export const orderableHandlers: Record<string, TrHandler> = { kt00010: orderable, kt00011: orderable };

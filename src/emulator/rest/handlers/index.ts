/**
 * Which TRs are answered from live state: api-id → handler. Every other documented TR is
 * answered generically from the registry and the official examples.
 */
import type { TrHandler } from './common.js';
import { priceFields, quoteHandlers } from './quote.js';
import { chartHandlers } from './chart.js';
import { masterHandlers } from './master.js';
import { orderHandlers } from './orders.js';
import { accountHandlers } from './account.js';
import { balanceHandlers } from './balance.js';
import { pnlHandlers } from './pnl.js';
import { orderableHandlers } from './orderable.js';
import { rankingHandlers } from './rankings.js';
import { tickHandlers } from './ticks.js';
import { dailyHandlers } from './daily.js';
import { base, str, type TrContext } from './common.js';

export type { TrContext, TrAnswer, TrHandler } from './common.js';

/** Handlers of the stateful TRs, by api-id. */
export const STATEFUL_HANDLERS: Readonly<Record<string, TrHandler>> = {
  ...quoteHandlers,
  ...chartHandlers,
  ...masterHandlers,
  ...orderHandlers,
  ...accountHandlers,
  ...balanceHandlers,
  ...pnlHandlers,
  ...orderableHandlers,
  ...rankingHandlers,
  ...tickHandlers,
  ...dailyHandlers,
};

/** Keys that mean the same live value wherever a TR prints them next to a stock code. */
const LIVE_KEYS = [
  'stk_nm', 'cur_prc', 'pred_pre', 'flu_rt', 'trde_qty', 'open_pric', 'high_pric', 'low_pric', 'upl_pric', 'lst_pric',
  'base_pric', 'pre_sig', 'pred_pre_sig',
] as const;

/** Overwrites the live keys a record has with the named stock's quote. */
function overlay(ctx: TrContext, rec: Record<string, unknown>, code: string): void {
  const plain = code.replace(/^A(?=\d{6})/, '').replace(/_(NX|AL)$/, '');
  const stock = ctx.state.stock(plain);
  const quote = ctx.state.quote(plain);
  if (!stock || !quote) return;
  const live = priceFields(stock, quote);
  for (const k of LIVE_KEYS) if (k in rec) rec[k] = live[k];
}

/**
 * The answer of a TR no handler simulates: its documented keys with example values; where
 * the answer or one of its records names a listed stock, that stock's name and live prices.
 */
export const genericHandler: TrHandler = (ctx) => {
  const fields = base(ctx);
  const code = str(ctx, 'stk_cd');
  if (ctx.state.stock(code.replace(/_(NX|AL)$/, ''))) {
    if ('stk_cd' in fields) fields.stk_cd = code;
    overlay(ctx, fields, code);
  }
  for (const value of Object.values(fields)) {
    if (!Array.isArray(value)) continue;
    for (const row of value as Record<string, unknown>[]) {
      if (typeof row.stk_cd === 'string') overlay(ctx, row, row.stk_cd);
    }
  }
  return { fields };
};

/** The handler for an api-id. */
export function handlerFor(apiId: string): TrHandler {
  return Object.hasOwn(STATEFUL_HANDLERS, apiId) ? (STATEFUL_HANDLERS[apiId] as TrHandler) : genericHandler;
}

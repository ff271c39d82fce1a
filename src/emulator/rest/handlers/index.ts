/**
 * Which TRs are answered from live state: api-id → handler. Every other documented TR is
 * answered generically from the registry and the official examples.
 */
import type { TrHandler } from './common.js';
import { quoteHandlers } from './quote.js';
import { chartHandlers } from './chart.js';
import { masterHandlers } from './master.js';
import { orderHandlers } from './orders.js';
import { accountHandlers } from './account.js';
import { balanceHandlers } from './balance.js';
import { pnlHandlers } from './pnl.js';
import { orderableHandlers } from './orderable.js';
import { tickHandlers } from './ticks.js';
import { dailyHandlers } from './daily.js';
import { base, str } from './common.js';

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
  ...tickHandlers,
  ...dailyHandlers,
};

/**
 * The answer of a TR no handler simulates: its documented keys with example values, naming
 * the requested stock where the answer has a top-level code and name.
 */
export const genericHandler: TrHandler = (ctx) => {
  const fields = base(ctx);
  const code = str(ctx, 'stk_cd');
  const stock = ctx.state.stock(code.replace(/_(NX|AL)$/, ''));
  if (stock && 'stk_cd' in fields) fields.stk_cd = code;
  if (stock && 'stk_nm' in fields) fields.stk_nm = stock.name;
  return { fields };
};

/** The handler for an api-id. */
export function handlerFor(apiId: string): TrHandler {
  return Object.hasOwn(STATEFUL_HANDLERS, apiId) ? (STATEFUL_HANDLERS[apiId] as TrHandler) : genericHandler;
}

/**
 * Order TRs: kt10000/kt10001 매수/매도, kt10002 정정, kt10003 취소, and their credit twins
 * kt10006..kt10009, all through the order engine.
 */
import type { OrderRecord, OrderSide } from '../../types.js';
import { loadEmulatorData } from '../../data.js';
import { orderKind } from '../../state/orders.js';
import { ApiReject } from '../envelope.js';
import { stockOf, str, type TrContext, type TrHandler } from './common.js';

type Action = 'new' | 'modify' | 'cancel';
const messages = loadEmulatorData<{ orderMessages: Record<'prod' | 'mock', Record<Action, string>> }>('rules').orderMessages;

const EXCHANGES = new Set<OrderRecord['exchange']>(['KRX', 'NXT', 'SOR']);

/** A whole number field, 1517 when it is not one (`allowZero` for 정정/취소 quantities). */
function count(ctx: TrContext, key: string, allowZero = false): number {
  const raw = str(ctx, key);
  const n = Number(raw);
  if (!/^\d{1,12}$/.test(raw) || (!allowZero && n === 0)) throw new ApiReject('1517', [key, raw === '' ? '값 없음' : raw]);
  return n;
}

function exchange(ctx: TrContext): OrderRecord['exchange'] {
  const raw = str(ctx, 'dmst_stex_tp') as OrderRecord['exchange'];
  if (!EXCHANGES.has(raw)) throw new ApiReject('1517', ['dmst_stex_tp', raw]);
  return raw;
}

/** Kiwoom's success text for the action on an order of this side, in the emulator's mode. */
function message(ctx: TrContext, action: Action, order: OrderRecord): string {
  return messages[ctx.state.mode][action].replace('{side}', order.side === 'buy' ? '매수' : '매도');
}

function newOrder(side: OrderSide): TrHandler {
  return (ctx) => {
    const ex = exchange(ctx);
    const { stock } = stockOf(ctx);
    const trdeTp = str(ctx, 'trde_tp');
    const kind = orderKind(trdeTp);
    if (kind === undefined) throw new ApiReject('1517', ['trde_tp', trdeTp]);
    const qty = count(ctx, 'ord_qty');
    const price = kind === 'market' ? 0 : count(ctx, 'ord_uv');
    const order = ctx.state.orders.place(ctx.account, {
      apiId: ctx.api.id, side, code: stock.code, qty, price, trdeTp, exchange: ex,
    });
    return { fields: { ord_no: order.ordNo, dmst_stex_tp: ex }, message: message(ctx, 'new', order) };
  };
}

const modify: TrHandler = (ctx) => {
  const ex = exchange(ctx);
  const { stock } = stockOf(ctx);
  const order = ctx.state.orders.modify(ctx.account, {
    apiId: ctx.api.id,
    origOrdNo: str(ctx, 'orig_ord_no'),
    code: stock.code,
    qty: count(ctx, 'mdfy_qty', true),
    price: count(ctx, 'mdfy_uv'),
  });
  return {
    fields: {
      ord_no: order.ordNo,
      base_orig_ord_no: order.origOrdNo,
      mdfy_qty: String(order.qty).padStart(12, '0'),
      dmst_stex_tp: ex,
    },
    message: message(ctx, 'modify', order),
  };
};

const cancel: TrHandler = (ctx) => {
  exchange(ctx);
  const { stock } = stockOf(ctx);
  const order = ctx.state.orders.cancel(ctx.account, {
    apiId: ctx.api.id,
    origOrdNo: str(ctx, 'orig_ord_no'),
    code: stock.code,
    qty: count(ctx, 'cncl_qty', true),
  });
  return {
    fields: { ord_no: order.ordNo, base_orig_ord_no: order.origOrdNo, cncl_qty: String(order.qty).padStart(12, '0') },
    message: message(ctx, 'cancel', order),
  };
};

export const orderHandlers: Record<string, TrHandler> = {
  kt10000: newOrder('buy'),
  kt10001: newOrder('sell'),
  kt10002: modify,
  kt10003: cancel,
  kt10006: newOrder('buy'),
  kt10007: newOrder('sell'),
  kt10008: modify,
  kt10009: cancel,
};

/**
 * The control API's order endpoints. Every order goes through SendOrder, so it gets the OCX's
 * checks; its answer says what is known and nothing more:
 *
 * - `201 Created` only with a 주문번호 (the server answered, or a lost answer was settled at once);
 * - `202 Accepted` when the answer was lost: the order may or may not exist, it is not resent,
 *   and `GET /orders/{id}` reports what the facade later establishes (placed with its 주문번호,
 *   not placed, ambiguous, unknown);
 * - `400` with the OCX code when SendOrder refused it (nothing was sent).
 *
 * Cancel (`DELETE /orders/{no}`) and modify (`PATCH /orders/{no}`) look the order up among the
 * open orders first: the OCX needs its side and code, and an order that is not open cannot be
 * amended.
 */
import type { Handler, Reply } from './handler.js';
import { OcxCallError, order, query, type ServeApi } from './ocx.js';
import { abs } from './queries.js';

/** One open order as `GET /orders` lists it. */
export interface OpenOrder {
  orderNo: string;
  code: string;
  name: string;
  /** 주문구분 as Kiwoom writes it (`+매수`, `-매도`, ...). */
  side: string;
  qty: number;
  price: number;
  openQty: number;
  status: string;
}

/** nOrderType by side: new, cancel, modify. */
const ORDER_TYPES = { buy: { new: 1, cancel: 3, modify: 5 }, sell: { new: 2, cancel: 4, modify: 6 } } as const;

/** The account's open orders (opt10075 → ka10075). */
export function listOpenOrders(api: ServeApi, screen: string, accno: string): Promise<OpenOrder[]> {
  const inputs = { 계좌번호: accno, 전체종목구분: '0', 매매구분: '0', 종목코드: '' };
  return query(api, 'opt10075', inputs, screen, (rq) =>
    Array.from({ length: api.GetRepeatCnt('opt10075', rq) }, (_v, i) => {
      const get = (item: string): string => api.GetCommData('opt10075', rq, i, item).trim();
      return { orderNo: get('주문번호'), code: get('종목코드').replace(/^A/, ''), name: get('종목명'), side: get('주문구분'), qty: abs(get('주문수량')), price: abs(get('주문가격')), openQty: abs(get('미체결수량')), status: get('주문상태') };
    }),
  );
}

/** The body as a JSON object, or a 400 naming it; an empty body is `{}` when `optional`. */
async function readObject(read: () => Promise<string>, example: string, optional = false): Promise<Record<string, unknown> | Reply> {
  const text = await read();
  if (optional && text.trim() === '') return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  return [400, { error: `the body must be a JSON object: ${example}`, field: 'body' }];
}

const isReply = (v: unknown): v is Reply => Array.isArray(v);

/** SendOrder, answered 201 / 202 / 400 as the module comment says. */
async function place(api: ServeApi, args: Parameters<typeof order>[1], screen: string, domain: string): Promise<Reply> {
  try {
    const { rqname, orderNo, message } = await order(api, args, screen);
    if (orderNo !== '') return [201, { ret: 0, id: rqname, status: 'placed', orderNo, message, domain }];
    const outcome = api.orderOutcome(rqname);
    const status = `/orders/${rqname}`;
    return [202, { ret: 0, id: rqname, status: outcome?.state ?? 'unknown', statusUrl: status, message, domain }, { location: status }];
  } catch (err) {
    if (err instanceof OcxCallError) return [400, { ret: err.code, error: err.message, domain }];
    throw err;
  }
}

/** `POST /orders`: {"side":"buy","code":"005930","qty":1,"price":0,"hoga":"03"} or SendOrder's own numbers. */
export const placeOrder: Handler = async (req, _p, { api, screen, accno, domain, readBody }) => {
  const body = await readObject(() => readBody(req), '{"side":"buy","code":"005930","qty":1,"price":0,"hoga":"03"}');
  if (isReply(body)) return body;
  const orderType = typeof body.orderType === 'number' ? body.orderType : body.side === 'buy' || body.side === 'sell' ? ORDER_TYPES[body.side].new : undefined;
  if (orderType === undefined) return [400, { error: 'give "side" ("buy" or "sell") or "orderType" (1..6, as SendOrder\'s nOrderType)', field: 'side' }];
  for (const [field, type] of [['code', 'string'], ['qty', 'number']] as const) {
    if (typeof body[field] !== type) return [400, { error: `"${field}" must be a ${type}`, field }];
  }
  return place(api, {
    accno: typeof body.accno === 'string' ? body.accno : accno(),
    orderType,
    code: body.code as string,
    qty: body.qty as number,
    price: typeof body.price === 'number' ? body.price : 0,
    hoga: typeof body.hoga === 'string' ? body.hoga : body.price === undefined || body.price === 0 ? '03' : '00',
    orgOrderNo: typeof body.orgOrderNo === 'string' ? body.orgOrderNo : '',
  }, screen, domain);
};

/** `GET /orders/{id}`: what became of an order this API placed (`id` from its answer). */
export const orderStatus: Handler = async (_req, [id = ''], { api, domain }) => {
  const outcome = id.startsWith('serve-order-') ? api.orderOutcome(id) : undefined;
  if (outcome === undefined) return [404, { error: `no order "${id}" placed through this API (or too long ago: the latest 1,000 are kept)`, field: 'id' }];
  const { state, ...rest } = outcome;
  return [200, { id, status: state, ...rest, domain }];
};

/** The open order `no`, or a 404 saying why it cannot be amended. */
async function openOrder(api: ServeApi, screen: string, accno: string, no: string): Promise<OpenOrder | Reply> {
  const found = (await listOpenOrders(api, screen, accno)).find((o) => Number(o.orderNo) === Number(no));
  if (found === undefined || found.openQty === 0) return [404, { error: `order ${no} is not open (filled, cancelled, or not this account's): nothing to amend`, field: 'no' }];
  return found;
}

/** `DELETE /orders/{no}`: cancel what is left of it, or `{"qty":N}` of it. */
export const cancelOrder: Handler = async (req, [no = ''], { api, screen, accno, domain, readBody }) => {
  const body = await readObject(() => readBody(req), '{"qty":1} (or no body: the whole remainder)', true);
  if (isReply(body)) return body;
  if (body.qty !== undefined && typeof body.qty !== 'number') return [400, { error: '"qty" must be a number (0 or absent: the whole remainder)', field: 'qty' }];
  const target = await openOrder(api, screen, accno(), no);
  if (isReply(target)) return target;
  const side = target.side.includes('매도') ? 'sell' : 'buy';
  return place(api, { accno: accno(), orderType: ORDER_TYPES[side].cancel, code: target.code, qty: (body.qty as number | undefined) ?? 0, price: 0, hoga: '00', orgOrderNo: target.orderNo }, screen, domain);
};

/** `PATCH /orders/{no}`: `{"price":P}` for the whole remainder, or `{"price":P,"qty":N}`. */
export const modifyOrder: Handler = async (req, [no = ''], { api, screen, accno, domain, readBody }) => {
  const body = await readObject(() => readBody(req), '{"price":70000,"qty":1} (qty 0 or absent: the whole remainder)');
  if (isReply(body)) return body;
  if (typeof body.price !== 'number') return [400, { error: '"price" must be a number (the new limit price)', field: 'price' }];
  if (body.qty !== undefined && typeof body.qty !== 'number') return [400, { error: '"qty" must be a number (0 or absent: the whole remainder)', field: 'qty' }];
  const target = await openOrder(api, screen, accno(), no);
  if (isReply(target)) return target;
  const side = target.side.includes('매도') ? 'sell' : 'buy';
  return place(api, { accno: accno(), orderType: ORDER_TYPES[side].modify, code: target.code, qty: (body.qty as number | undefined) ?? 0, price: body.price, hoga: '00', orgOrderNo: target.orderNo }, screen, domain);
};

/** `GET /orders`: the open orders. */
export const openOrders: Handler = async (_req, _p, { api, screen, accno }) => [200, { account: accno(), orders: await listOpenOrders(api, screen, accno()) }];

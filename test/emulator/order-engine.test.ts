/**
 * The emulator's order engine on its own (no server): the account and book rules a program
 * meets as Kiwoom's answers (RC4025 cash, RC4033 shares, RC4057/4058 hours, IOC/FOK, 정정/취소),
 * at their boundaries.
 */
import { describe, expect, test } from 'vitest';
import { createEmulatorState } from '../../src/emulator/state/index.js';
import type { OrderEvent, Quote } from '../../src/emulator/index.js';

/** Tuesday 2026-11-24, 10:00 KST. */
const TUESDAY_10H = Date.UTC(2026, 10, 24, 1, 0, 0);

function engine(options: { marketHours?: 'always-open' | 'krx'; nowMs?: () => number } = {}) {
  const state = createEmulatorState({ seed: 7, mode: 'prod', marketHours: options.marketHours ?? 'always-open', nowMs: options.nowMs ?? (() => TUESDAY_10H) });
  const events: OrderEvent[] = [];
  state.on('order', (e) => events.push(e));
  const account = state.defaultAccount;
  const quote = (code: string): Quote => {
    const q = state.quote(code);
    if (!q) throw new Error(`no quote for ${code}`);
    return q;
  };
  const limit = (side: 'buy' | 'sell', code: string, qty: number, price: number, trdeTp = '0') =>
    state.orders.place(account, { apiId: side === 'buy' ? 'kt10000' : 'kt10001', side, code, qty, price, trdeTp, exchange: 'KRX' });
  return { state, orders: state.orders, events, account, acct: state.account(account), quote, limit };
}

/** The reject code a call throws (RC4025 …), or 'none'. */
function rejectCode(f: () => unknown): string {
  try {
    f();
    return 'none';
  } catch (e) {
    return String((e as Error).message).split(':')[0] ?? '';
  }
}

describe('order engine', () => {
  test('a buy may use its orderable cash to the won, commission included; one won short is RC4025, and the refused draft has no order number', () => {
    const e = engine();
    const q = e.quote('005930');
    const price = q.bidPrices[1] as number; // rests: below the best ask
    const qty = 10;
    const fee = e.acct.commission(price * qty);
    expect(fee).toBeGreaterThan(1);
    e.acct.cash = price * qty + fee - 1;
    expect(rejectCode(() => e.limit('buy', '005930', qty, price))).toBe('RC4025');
    expect(e.events.at(-1)).toMatchObject({ kind: 'rejected', order: { ordNo: '', status: '거부', openQty: 0, trdeTp: '0' } });
    e.acct.cash = price * qty + fee;
    expect(rejectCode(() => e.limit('buy', '005930', qty, price))).toBe('none');
    expect(e.orders.orderableCash(e.account)).toBe(0);
  });

  test('only open buys reserve cash, and only the account\'s own orders are its open orders', () => {
    const e = engine();
    const q = e.quote('005930');
    const cash = e.orders.orderableCash(e.account);
    e.limit('sell', '005930', 1, q.askPrices[2] as number);
    expect(e.orders.orderableCash(e.account)).toBe(cash);
    expect(e.orders.openOrders(e.account)).toHaveLength(1);
    expect(e.orders.openOrders()).toHaveLength(1);
    expect(e.orders.openOrders('0000000000')).toEqual([]);
  });

  test('IOC: a whole fill is not followed by a cancel; a part fill cancels the rest but the order stays 체결; nothing filled is 취소', () => {
    const e = engine();
    const q = e.quote('005930');
    const whole = e.limit('buy', '005930', 1, q.askPrices[0] as number, '10');
    expect(e.events.filter((x) => x.order.ordNo === whole.ordNo).map((x) => x.kind)).toEqual(['accepted', 'fill']);
    expect(whole).toMatchObject({ status: '체결', filledQty: 1, openQty: 0 });
    const q2 = e.quote('005930');
    const part = e.limit('buy', '005930', (q2.askQtys[0] as number) + 5, q2.askPrices[0] as number, '10');
    expect(e.events.filter((x) => x.order.ordNo === part.ordNo).map((x) => x.kind)).toEqual(['accepted', 'fill', 'cancelled']);
    expect(part).toMatchObject({ status: '체결', openQty: 0 });
    const none = e.limit('buy', '005930', 1, e.quote('005930').bidPrices[2] as number, '10');
    expect(none).toMatchObject({ status: '취소', filledQty: 0, openQty: 0 });
  });

  test('FOK fills across levels when the levels within its limit hold enough, and is cancelled whole when they do not', () => {
    const e = engine();
    const q = e.quote('000660');
    const [a1, a2] = [q.askPrices[0] as number, q.askPrices[1] as number];
    const [s1, s2] = [q.askQtys[0] as number, q.askQtys[1] as number];
    const refused = e.limit('buy', '000660', s1 + s2 + 1, a2, '20');
    expect(refused).toMatchObject({ status: '취소', filledQty: 0 });
    const filled = e.limit('buy', '000660', s1 + 1, a2, '20');
    expect(filled).toMatchObject({ status: '체결', filledQty: s1 + 1, openQty: 0 });
    expect(e.state.orders.fillsOf(filled.ordNo).map((f) => f.price)).toEqual([a1, a2]);
  });

  test('a sell FOK counts only the bids at or above its limit; a market-type FOK counts the whole book', () => {
    const e = engine();
    e.acct.bookBuy('000660', 'SK하이닉스', 190_000, 100);
    const q = e.quote('000660');
    const [b1, q1] = [q.bidPrices[0] as number, q.bidQtys[0] as number];
    expect(q.bidPrices[1]).toBeLessThan(b1);
    // Limited at the best bid, one share more than it holds: the lower bids do not count.
    expect(e.limit('sell', '000660', q1 + 1, b1, '20')).toMatchObject({ status: '취소', filledQty: 0, openQty: 0 });
    expect(e.limit('buy', '000660', 1, 0, '23')).toMatchObject({ status: '체결', filledQty: 1 });
  });

  test('a market buy takes the asks level by level', () => {
    const e = engine();
    const q = e.quote('035720');
    const [a1, a2] = [q.askPrices[0] as number, q.askPrices[1] as number];
    const s1 = q.askQtys[0] as number;
    const order = e.limit('buy', '035720', s1 + 1, 0, '3');
    expect(order).toMatchObject({ price: 0, filledQty: s1 + 1, openQty: 0, status: '체결' });
    expect(e.orders.fillsOf(order.ordNo).map((f) => [f.price, f.qty])).toEqual([[a1, s1], [a2, 1]]);
  });

  test('정정: a buy moved up needs the difference in orderable cash (all of it may be used); a buy moved down or a sell moved up needs none', () => {
    const e = engine();
    const q = e.quote('005930');
    const low = q.bidPrices[3] as number;
    const tick = (q.bidPrices[2] as number) - low;
    const buy = e.limit('buy', '005930', 10, low);
    const reserveOf = (price: number, qty: number) => price * qty + e.acct.commission(price * qty);
    // Leave exactly the difference the move up needs.
    e.acct.cash = reserveOf(low, 10) + (tick * 10);
    expect(e.orders.orderableCash(e.account)).toBe(tick * 10);
    const up = e.orders.modify(e.account, { apiId: 'kt10002', origOrdNo: buy.ordNo, code: '005930', qty: 10, price: low + tick });
    expect(up).toMatchObject({ origOrdNo: buy.ordNo, price: low + tick, openQty: 10 });
    expect(e.state.orders.ledger.find((o) => o.ordNo === buy.ordNo)).toMatchObject({ openQty: 0, status: '확인' });
    // No cash left: moving it up again is refused, moving it down is not.
    e.acct.cash = 0;
    expect(rejectCode(() => e.orders.modify(e.account, { apiId: 'kt10002', origOrdNo: up.ordNo, code: '005930', qty: 1, price: low + 2 * tick }))).toBe('RC4025');
    expect(rejectCode(() => e.orders.modify(e.account, { apiId: 'kt10002', origOrdNo: up.ordNo, code: '005930', qty: 1, price: low }))).toBe('none');
    const sell = e.limit('sell', '005930', 1, q.askPrices[3] as number);
    expect(rejectCode(() => e.orders.modify(e.account, { apiId: 'kt10002', origOrdNo: sell.ordNo, code: '005930', qty: 1, price: q.askPrices[4] as number }))).toBe('none');
  });

  test('정정 of a partly filled order moves its open rest; the original keeps 체결, not 확인', () => {
    const e = engine();
    const q = e.quote('005930');
    const a1 = q.askPrices[0] as number;
    const s1 = q.askQtys[0] as number;
    const order = e.limit('buy', '005930', s1 + 3, a1);
    expect(order).toMatchObject({ filledQty: s1, openQty: 3, status: '체결' });
    e.orders.modify(e.account, { apiId: 'kt10002', origOrdNo: order.ordNo, code: '005930', qty: 0, price: q.bidPrices[4] as number });
    expect(e.orders.ledger.find((o) => o.ordNo === order.ordNo)).toMatchObject({ openQty: 0, status: '체결' });
  });

  test('정정/취소 name the original by number, account and code: another code, a filled order or an unknown number is RC4034 (no original), drafted as a buy of trde_tp 0', () => {
    const e = engine();
    const q = e.quote('005930');
    const resting = e.limit('buy', '005930', 1, q.bidPrices[2] as number);
    const noOrder = rejectCode(() => e.orders.cancel(e.account, { apiId: 'kt10003', origOrdNo: '9999999', code: '005930', qty: 0 }));
    expect(noOrder).toBe('RC4034');
    expect(e.events.at(-1)).toMatchObject({ kind: 'rejected', order: { ordNo: '', side: 'buy', trdeTp: '0', status: '거부' } });
    expect(rejectCode(() => e.orders.cancel(e.account, { apiId: 'kt10003', origOrdNo: resting.ordNo, code: '000660', qty: 0 }))).toBe(noOrder);
    const filled = e.limit('buy', '005930', 1, q.askPrices[0] as number);
    expect(filled.openQty).toBe(0);
    expect(rejectCode(() => e.orders.cancel(e.account, { apiId: 'kt10003', origOrdNo: filled.ordNo, code: '005930', qty: 0 }))).toBe(noOrder);
    expect(rejectCode(() => e.orders.cancel(e.account, { apiId: 'kt10003', origOrdNo: resting.ordNo, code: '005930', qty: 0 }))).toBe('none');
  });

  test('resting orders fill on later ticks, oldest first at one price, a part at a time; a cancelled order and the part a 정정 moved away do not fill', () => {
    const e = engine();
    const q = e.quote('005930');
    const bid = q.bidPrices[0] as number;
    const below = q.bidPrices[1] as number;
    const big = 3 * (q.askQtys[0] as number);
    const a = e.limit('buy', '005930', big, bid);
    const b = e.limit('buy', '005930', 1, bid);
    const c = e.limit('buy', '005930', 2, bid);
    const other = e.limit('buy', '000660', 1, e.quote('000660').bidPrices[0] as number);
    expect([a, b, c].map((o) => o.openQty)).toEqual([big, 1, 2]);
    e.orders.cancel(e.account, { apiId: 'kt10003', origOrdNo: b.ordNo, code: '005930', qty: 0 });
    const d = e.orders.modify(e.account, { apiId: 'kt10002', origOrdNo: c.ordNo, code: '005930', qty: 1, price: below });
    const working = [a, c, d].map((o) => e.orders.ledger.find((l) => l.ordNo === o.ordNo)!);
    for (let i = 0; i < 5_000 && working.some((o) => o.openQty > 0); i++) e.state.tick('005930');
    expect(working.map((o) => o.openQty)).toEqual([0, 0, 0]);
    const filled = (ordNo: string): number => e.orders.fillsOf(ordNo).reduce((n, f) => n + f.qty, 0);
    expect([a, b, c, d].map((o) => filled(o.ordNo))).toEqual([big, 0, 1, 1]);
    // The book's level at the bid held less than the big order: it filled over several ticks.
    expect(e.orders.fillsOf(a.ordNo).length).toBeGreaterThan(1);
    // Time priority at one price: c, placed after a at the same price, fills once a has filled.
    const order = e.orders.fills.map((f) => f.ordNo);
    expect(order.lastIndexOf(a.ordNo)).toBeLessThan(order.indexOf(c.ordNo));
    expect(e.orders.ledger.find((o) => o.ordNo === b.ordNo)).toMatchObject({ openQty: 0, filledQty: 0, status: '취소' });
    // Only the other code's order is still working, and only it reserves cash.
    expect(e.orders.openOrders(e.account).map((o) => o.ordNo)).toEqual([other.ordNo]);
    expect(e.orders.reservedCash(e.account)).toBe(other.price + e.acct.commission(other.price));
  });

  test("with marketHours 'krx' an order at 09:00:00 is taken and one at 15:30:00 is RC4058", () => {
    let now = Date.UTC(2026, 10, 24, 0, 0, 0); // 09:00:00 KST
    const e = engine({ marketHours: 'krx', nowMs: () => now });
    const bid = e.quote('005930').bidPrices[2] as number;
    expect(rejectCode(() => e.limit('buy', '005930', 1, bid))).toBe('none');
    now -= 1_000;
    expect(rejectCode(() => e.limit('buy', '005930', 1, bid))).toBe('RC4057');
    now = Date.UTC(2026, 10, 24, 6, 30, 0); // 15:30:00 KST
    expect(rejectCode(() => e.limit('buy', '005930', 1, bid))).toBe('RC4058');
    now -= 1_000;
    expect(rejectCode(() => e.limit('buy', '005930', 1, bid))).toBe('none');
  });
});

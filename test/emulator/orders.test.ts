import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type OrderEvent, type PositionSnapshot } from '../../src/emulator/index.js';
import { call, issueToken } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function started(options: EmulatorOptions = {}): Promise<{ emu: Emulator; token: string; orders: OrderEvent[]; positions: PositionSnapshot[] }> {
  emu = await startEmulator({ marketTicksPerSecond: 0, rateLimits: { perApiId: 100 }, ...options });
  const orders: OrderEvent[] = [];
  const positions: PositionSnapshot[] = [];
  emu.state.on('order', (e) => orders.push(e));
  emu.state.on('position', (p) => positions.push(p));
  return { emu, token: await issueToken(emu), orders, positions };
}

const num = (v: unknown): number => Number(v);
const buy = (code: string, qty: number, price: number | '', trdeTp = '0') => ({
  dmst_stex_tp: 'KRX', stk_cd: code, ord_qty: String(qty), ord_uv: String(price), trde_tp: trdeTp,
});

describe('order matching', () => {
  test('a marketable limit buy fills level by level, rests the rest, and books the account', async () => {
    const { emu, token, orders, positions } = await started();
    const q = emu.state.quote('005930');
    if (!q) throw new Error('no quote');
    const [a1, a2] = [q.askPrices[0] as number, q.askPrices[1] as number];
    const [s1, s2] = [q.askQtys[0] as number, q.askQtys[1] as number];
    const qty = s1 + s2 + 7;

    const before = await call(emu, token, 'kt00001', { qry_tp: '3' });
    const placed = await call(emu, token, 'kt10000', buy('005930', qty, a2));
    expect(placed.body).toMatchObject({ return_code: 0, dmst_stex_tp: 'KRX' });
    const ordNo = placed.body.ord_no as string;
    expect(ordNo).toMatch(/^\d{7}$/);

    expect(emu.fillLedger().map((f) => [f.ordNo, f.price, f.qty])).toEqual([[ordNo, a1, s1], [ordNo, a2, s2]]);
    expect(orders.map((e) => e.kind)).toEqual(['accepted', 'fill', 'fill']);
    expect(orders[2]?.order).toMatchObject({ ordNo, filledQty: s1 + s2, openQty: 7, status: '체결' });
    expect(orders[1]?.fill).toMatchObject({ ordNo, price: a1, qty: s1 });
    expect(positions.map((p) => p.qty)).toEqual([100 + s1, 100 + s1 + s2]);

    const open = (await call(emu, token, 'ka10075', { all_stk_tp: '0', trde_tp: '0', stex_tp: '0' })).body.oso as Record<string, string>[];
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ ord_no: ordNo, stk_cd: '005930', ord_qty: String(qty), oso_qty: '7', cntr_qty: String(s1 + s2), io_tp_nm: '+매수' });

    const fills = (await call(emu, token, 'ka10076', { qry_tp: '0', sell_tp: '0', stex_tp: '0' })).body.cntr as Record<string, string>[];
    expect(fills[0]).toMatchObject({ ord_no: ordNo, cntr_qty: String(s1 + s2), oso_qty: '7' });

    // Cash: before − fills − commission; the resting 7 shares reserve orderable cash.
    const amount = a1 * s1 + a2 * s2;
    const fee = Math.floor(a1 * s1 * 0.00015) + Math.floor(a2 * s2 * 0.00015);
    const after = await call(emu, token, 'kt00001', { qry_tp: '3' });
    expect(num(after.body.entr)).toBe(num(before.body.entr) - amount - fee);
    expect(num(after.body.ord_alow_amt)).toBe(num(after.body.entr) - a2 * 7 - Math.floor(a2 * 7 * 0.00015));

    const bal = await call(emu, token, 'kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' });
    const row = (bal.body.acnt_evlt_remn_indv_tot as Record<string, string>[]).find((r) => r.stk_cd === 'A005930');
    expect(num(row?.rmnd_qty)).toBe(100 + s1 + s2);
    expect(num(row?.tdy_buyq)).toBe(s1 + s2);
    expect(num(row?.pur_amt)).toBe(100 * 68000 + amount);
    expect(emu.stats().orders).toBe(1);
  });

  test('a resting order fills on later market ticks', async () => {
    const { emu, token, orders } = await started();
    const q = emu.state.quote('035720');
    if (!q) throw new Error('no quote');
    const placed = await call(emu, token, 'kt10000', buy('035720', 1, q.bidPrices[0] as number));
    const ordNo = placed.body.ord_no as string;
    expect(emu.fillLedger()).toHaveLength(0);
    for (let i = 0; i < 2000 && emu.fillLedger().length === 0; i++) emu.state.tick('035720');
    expect(emu.fillLedger()[0]).toMatchObject({ ordNo, qty: 1 });
    expect(orders.at(-1)).toMatchObject({ kind: 'fill', order: { ordNo, openQty: 0 } });
  });

  test('a market sell fills against the bids and pays commission and tax', async () => {
    const { emu, token, positions } = await started();
    const q = emu.state.quote('000660');
    if (!q) throw new Error('no quote');
    const bid = q.bidPrices[0] as number;
    const qty = Math.min(5, q.bidQtys[0] as number);
    const before = num((await call(emu, token, 'kt00001', { qry_tp: '3' })).body.entr);
    const a = await call(emu, token, 'kt10001', { dmst_stex_tp: 'KRX', stk_cd: '000660', ord_qty: String(qty), ord_uv: '', trde_tp: '3' });
    expect(a.body.return_code).toBe(0);
    const amount = bid * qty;
    const after = num((await call(emu, token, 'kt00001', { qry_tp: '3' })).body.entr);
    expect(after).toBe(before + amount - Math.floor(amount * 0.00015) - Math.floor(amount * 0.0018));
    expect(positions.at(-1)).toMatchObject({ code: '000660', qty: 20 - qty });
  });
});

describe('sell side', () => {
  /** kt10001 takes the same body as kt10000. */
  const sell = buy;

  test('a limit sell exactly at the best bid fills there; a sell at the ask rests', async () => {
    const { emu, token, orders } = await started();
    const q = emu.state.quote('000660');
    if (!q) throw new Error('no quote');
    const [bid, ask] = [q.bidPrices[0] as number, q.askPrices[0] as number];
    const qty = Math.min(3, q.bidQtys[0] as number);
    const atBid = await call(emu, token, 'kt10001', sell('000660', qty, bid));
    expect(atBid.body.return_code).toBe(0);
    expect(emu.fillLedger().map((f) => [f.ordNo, f.side, f.price, f.qty])).toEqual([[atBid.body.ord_no, 'sell', bid, qty]]);
    expect(orders.at(-1)).toMatchObject({ kind: 'fill', order: { ordNo: atBid.body.ord_no, openQty: 0, status: '체결' } });
    const above = await call(emu, token, 'kt10001', sell('000660', 1, ask));
    expect(emu.fillLedger()).toHaveLength(1);
    expect(emu.orderLedger().find((o) => o.ordNo === above.body.ord_no)).toMatchObject({ filledQty: 0, openQty: 1 });
  });

  test('a FOK sell limited at the bid fills whole; limited at the ask, above every bid, it is cancelled whole', async () => {
    const { emu, token } = await started();
    const q = emu.state.quote('000660');
    if (!q) throw new Error('no quote');
    const [bid, ask] = [q.bidPrices[0] as number, q.askPrices[0] as number];
    const qty = Math.min(2, q.bidQtys[0] as number);
    const above = await call(emu, token, 'kt10001', sell('000660', qty, ask, '20'));
    expect(emu.orderLedger().find((o) => o.ordNo === above.body.ord_no)).toMatchObject({ filledQty: 0, openQty: 0, status: '취소' });
    const atBid = await call(emu, token, 'kt10001', sell('000660', qty, bid, '20'));
    expect(emu.fillLedger().map((f) => [f.ordNo, f.price, f.qty])).toEqual([[atBid.body.ord_no, bid, qty]]);
  });
});

describe('time in force', () => {
  test('IOC (trde_tp 10) fills what the book offers at once and cancels the rest; FOK (20) fills all or nothing', async () => {
    const { emu, token, orders } = await started();
    const q = emu.state.quote('005930');
    if (!q) throw new Error('no quote');
    const [ask, size] = [q.askPrices[0] as number, q.askQtys[0] as number];
    const ioc = await call(emu, token, 'kt10000', buy('005930', size + 5, ask, '10'));
    const iocNo = ioc.body.ord_no as string;
    expect(emu.fillLedger().map((f) => [f.ordNo, f.qty])).toEqual([[iocNo, size]]);
    expect(emu.orderLedger()[0]).toMatchObject({ ordNo: iocNo, filledQty: size, openQty: 0 });
    expect(orders.map((e) => e.kind)).toEqual(['accepted', 'fill', 'cancelled']);

    const other = emu.state.quote('000660');
    const fok = await call(emu, token, 'kt10000', buy('000660', (other?.askQtys[0] as number) + 1, other?.askPrices[0] as number, '20'));
    expect(fok.body.return_code).toBe(0);
    expect(emu.fillLedger()).toHaveLength(1);
    expect(emu.orderLedger()[1]).toMatchObject({ ordNo: fok.body.ord_no, filledQty: 0, openQty: 0, status: '취소' });
    expect((await call(emu, token, 'ka10075', { all_stk_tp: '0', trde_tp: '0', stex_tp: '0' })).body.oso).toEqual([]);
    // The same FOK for exactly what the level offers fills.
    const fits = await call(emu, token, 'kt10000', buy('000660', other?.askQtys[0] as number, other?.askPrices[0] as number, '20'));
    expect(emu.orderLedger()[2]).toMatchObject({ ordNo: fits.body.ord_no, openQty: 0, status: '체결' });
  });
});

describe('modify and cancel', () => {
  test('정정 moves the open quantity to a new price under a new order number and it fills there', async () => {
    const { emu, token, orders } = await started();
    const q = emu.state.quote('005380');
    if (!q) throw new Error('no quote');
    const low = q.lowerLimit;
    const orig = (await call(emu, token, 'kt10000', buy('005380', 3, low))).body.ord_no as string;
    const [ask, askQty] = [q.askPrices[0] as number, q.askQtys[0] as number];
    const m = await call(emu, token, 'kt10002', { dmst_stex_tp: 'KRX', orig_ord_no: orig, stk_cd: '005380', mdfy_qty: '0', mdfy_uv: String(ask) });
    expect(m.body).toMatchObject({
      return_code: 0, return_msg: '매수정정 주문입력이 완료되었습니다', base_orig_ord_no: orig, mdfy_qty: '000000000003', dmst_stex_tp: 'KRX',
    });
    const newNo = m.body.ord_no as string;
    expect(newNo).not.toBe(orig);
    expect(orders.map((e) => e.kind).slice(0, 2)).toEqual(['accepted', 'modified']);
    expect(orders[1]?.order).toMatchObject({ ordNo: newNo, origOrdNo: orig, price: ask, qty: 3 });
    const ledger = emu.orderLedger();
    expect(ledger.find((o) => o.ordNo === orig)?.openQty).toBe(0);
    // It fills at the ask, up to what the ask level holds; the rest stays open at that price.
    const filled = Math.min(3, askQty);
    expect(emu.fillLedger().map((f) => [f.ordNo, f.price])).toEqual(emu.fillLedger().map(() => [newNo, ask]));
    expect(emu.fillLedger().reduce((n, f) => n + f.qty, 0)).toBe(filled);
    expect(ledger.find((o) => o.ordNo === newNo)).toMatchObject({ filledQty: filled, openQty: 3 - filled });
    expect(emu.stats().orders).toBe(2);
  });

  test('취소 takes part, then all, of an open order off the book', async () => {
    const { emu, token, orders } = await started();
    const low = emu.state.quote('005930')?.lowerLimit as number;
    const orig = (await call(emu, token, 'kt10000', buy('005930', 10, low))).body.ord_no as string;
    const part = await call(emu, token, 'kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: orig, stk_cd: '005930', cncl_qty: '4' });
    expect(part.body).toMatchObject({ return_code: 0, base_orig_ord_no: orig, cncl_qty: '000000000004' });
    let open = (await call(emu, token, 'ka10075', { all_stk_tp: '1', stk_cd: '005930', trde_tp: '2', stex_tp: '0' })).body.oso as Record<string, string>[];
    expect(open.map((o) => [o.ord_no, o.oso_qty])).toEqual([[orig, '6']]);
    const rest = await call(emu, token, 'kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: orig, stk_cd: '005930', cncl_qty: '0' });
    expect(rest.body.cncl_qty).toBe('000000000006');
    open = (await call(emu, token, 'ka10075', { all_stk_tp: '0', trde_tp: '0', stex_tp: '0' })).body.oso as Record<string, string>[];
    expect(open).toEqual([]);
    expect(orders.map((e) => e.kind)).toEqual(['accepted', 'cancelled', 'cancelled']);
    expect(emu.orderLedger().find((o) => o.ordNo === orig)?.status).toBe('취소');
    // The reservation is released: orderable cash equals cash again.
    const dep = await call(emu, token, 'kt00001', { qry_tp: '3' });
    expect(dep.body.ord_alow_amt).toBe(dep.body.entr);
    const hist = (await call(emu, token, 'kt00007', { qry_tp: '1', stk_bond_tp: '0', sell_tp: '0', dmst_stex_tp: '%' })).body.acnt_ord_cntr_prps_dtl as Record<string, string>[];
    expect(hist.map((h) => [h.ord_no, h.ori_ord, h.mdfy_cncl])).toEqual([[orig, '0000000', ''], [part.body.ord_no, orig, '취소'], [rest.body.ord_no, orig, '취소']]);
  });

  test('정정 of more than the open quantity or to an off-tick price is refused and changes nothing', async () => {
    const { emu, token } = await started();
    const low = emu.state.quote('005930')?.lowerLimit as number;
    const orig = (await call(emu, token, 'kt10000', buy('005930', 5, low))).body.ord_no as string;
    const modify = (qty: string, price: number) =>
      call(emu, token, 'kt10002', { dmst_stex_tp: 'KRX', orig_ord_no: orig, stk_cd: '005930', mdfy_qty: qty, mdfy_uv: String(price) });
    expect((await modify('6', low)).body.return_code).toBe(20);
    expect((await modify('5', low + 1)).body.return_msg).toBe('[2000](RC4003:모의투자 호가단위 오류입니다.)');
    expect(emu.orderLedger()).toHaveLength(1);
    expect(emu.orderLedger()[0]?.openQty).toBe(5);
  });

  test('cancelling an order that does not exist is a business reject', async () => {
    const { emu, token } = await started();
    const a = await call(emu, token, 'kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: '0099999', stk_cd: '005930', cncl_qty: '0' });
    expect(a.body.return_code).toBe(20);
    expect(emu.orderLedger()).toHaveLength(0);
  });
});

describe('order rejects', () => {
  test('a price off the tick grid is RC4003 and is emitted as rejected, not booked', async () => {
    const { emu, token, orders } = await started();
    // 005930 trades between 50,000 and 200,000 won, where the tick is 100.
    const price = (emu.state.quote('005930')?.bidPrices[0] as number) - 50;
    const a = await call(emu, token, 'kt10000', buy('005930', 1, price));
    expect(a.body).toEqual({ return_code: 20, return_msg: '[2000](RC4003:모의투자 호가단위 오류입니다.)' });
    expect(emu.orderLedger()).toHaveLength(0);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ kind: 'rejected', reason: '모의투자 호가단위 오류입니다.', order: { status: '거부', code: '005930' } });
  });

  test('more than the orderable cash is RC4025; selling more than held is refused', async () => {
    const { emu, token } = await started();
    const a = await call(emu, token, 'kt10000', buy('005930', 100_000, '', '3'));
    expect(a.body).toEqual({ return_code: 20, return_msg: '[2000](RC4025:모의투자 주문가능금액을 확인하세요)' });
    const s = await call(emu, token, 'kt10001', { dmst_stex_tp: 'KRX', stk_cd: '035420', ord_qty: '1', ord_uv: '', trde_tp: '3' });
    expect(s.body.return_code).toBe(20);
    expect(emu.orderLedger()).toHaveLength(0);
  });

  test('unknown codes are 1902; a zero quantity, an undocumented trde_tp or a limit without price is 1517 naming the field', async () => {
    const { emu, token } = await started();
    expect((await call(emu, token, 'kt10000', buy('999990', 1, '', '3'))).body.return_msg).toContain('[1902:');
    expect((await call(emu, token, 'kt10000', buy('005930', 0, '', '3'))).body.return_msg).toContain('[1517:');
    expect((await call(emu, token, 'kt10000', buy('005930', 1, 70000, '99'))).body.return_msg).toContain('파라미터=trde_tp');
    expect((await call(emu, token, 'kt10000', buy('005930', 1, ''))).body.return_msg).toContain('파라미터=ord_uv');
    expect(emu.orderLedger()).toHaveLength(0);
  });

  test("with marketHours 'krx' orders before 09:00 get RC4057 and after 15:30 RC4058", async () => {
    let now = Date.UTC(2026, 10, 24, 23, 30, 0); // 08:30 KST
    const { emu, token } = await started({ marketHours: 'krx', clock: () => now });
    const early = await call(emu, token, 'kt10000', buy('005930', 1, '', '3'));
    expect(early.body.return_msg).toBe('[2000](RC4057:모의투자 장시작전)');
    now = Date.UTC(2026, 10, 25, 1, 0, 0); // 10:00 KST
    expect((await call(emu, token, 'kt10000', buy('005930', 1, '', '3'))).body.return_code).toBe(0);
    now = Date.UTC(2026, 10, 25, 6, 45, 0); // 15:45 KST
    expect((await call(emu, token, 'kt10000', buy('005930', 1, '', '3'))).body.return_msg).toBe('[2000](RC4058:모의투자 장종료)');
    now = Date.UTC(2026, 10, 28, 1, 0, 0); // Saturday 10:00 KST
    const weekend = await issueToken(emu);
    expect((await call(emu, weekend, 'kt10000', buy('005930', 1, '', '3'))).body.return_msg).toBe('[2000](RC4058:모의투자 장종료)');
    expect(emu.orderLedger()).toHaveLength(1);
  });
});

describe('realised profit and orderable amounts', () => {
  test('a sell books realised profit against the average cost in ka10077, ka10074 and ka10085', async () => {
    const { emu, token } = await started({ clock: () => Date.UTC(2026, 10, 25, 1, 0, 0) });
    const q = emu.state.quote('005930');
    if (!q) throw new Error('no quote');
    const bid = q.bidPrices[0] as number;
    const qty = Math.min(10, q.bidQtys[0] as number);
    await call(emu, token, 'kt10001', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: String(qty), ord_uv: '', trde_tp: '3' });
    const amount = bid * qty;
    const fee = Math.floor(amount * 0.00015);
    const tax = Math.floor(amount * 0.0018);
    const pl = amount - 68000 * qty - fee - tax;

    const detail = await call(emu, token, 'ka10077', { stk_cd: '005930' });
    expect(detail.body.tdy_rlzt_pl).toBe(String(pl));
    expect(detail.body.tdy_rlzt_pl_dtl).toEqual([expect.objectContaining({ cntr_qty: String(qty), buy_uv: '68000', cntr_pric: String(bid), tdy_trde_tax: String(tax) })]);

    const daily = await call(emu, token, 'ka10074', { strt_dt: '20261125', end_dt: '20261125' });
    expect(daily.body).toMatchObject({ tot_sell_amt: String(amount), rlzt_pl: String(pl), trde_tax: String(tax), tot_buy_amt: '0' });
    const before = await call(emu, token, 'ka10074', { strt_dt: '20200101', end_dt: '20200102' });
    expect(before.body).toMatchObject({ tot_sell_amt: '0', dt_rlzt_pl: [] });

    const rt = (await call(emu, token, 'ka10085', { stex_tp: '0' })).body.acnt_prft_rt as Record<string, string>[];
    expect(rt.find((r) => r.stk_cd === '005930')).toMatchObject({ rmnd_qty: String(100 - qty), tdy_sel_pl: String(pl) });
  });

  test('kt00005 and kt00010 agree with the cash and holdings', async () => {
    const { emu, token } = await started();
    const bal = await call(emu, token, 'kt00005', { dmst_stex_tp: 'KRX' });
    expect(Number(bal.body.entr)).toBe(100_000_000);
    const rows = bal.body.stk_cntr_remn as Record<string, string>[];
    expect(rows.map((r) => [r.stk_cd, Number(r.cur_qty)])).toEqual([['A000660', 20], ['A005930', 100], ['A035720', 50], ['A069500', 200]]);
    const able = await call(emu, token, 'kt00010', { stk_cd: '005930', trde_tp: '2', uv: '70000' });
    expect(Number(able.body.profa_100ord_alowq)).toBe(Math.floor(100_000_000 / (70000 * 1.00015)));
  });
});

describe('paging of the order lists', () => {
  test('ka10075 and kt00007 page a long ledger with cont-yn/next-key, each order once', async () => {
    const { emu, token } = await started({ rateLimits: { perApiId: 1000, global: 10_000 } });
    const low = emu.state.quote('005930')?.lowerLimit as number;
    for (let i = 0; i < 150; i++) await call(emu, token, 'kt10000', buy('005930', 1, low));
    for (const [apiId, body, list] of [
      ['ka10075', { all_stk_tp: '0', trde_tp: '0', stex_tp: '0' }, 'oso'],
      ['kt00007', { qry_tp: '1', stk_bond_tp: '0', sell_tp: '0', dmst_stex_tp: '%' }, 'acnt_ord_cntr_prps_dtl'],
    ] as const) {
      const first = await call(emu, token, apiId, body);
      expect(first.headers.get('cont-yn')).toBe('Y');
      const second = await call(emu, token, apiId, body, { 'cont-yn': 'Y', 'next-key': first.headers.get('next-key') ?? '' });
      expect(second.headers.get('cont-yn')).toBe('N');
      const ids = [...(first.body[list] as Record<string, string>[]), ...(second.body[list] as Record<string, string>[])].map((r) => r.ord_no);
      expect(ids).toEqual(emu.orderLedger().map((o) => o.ordNo));
    }
  });
});

describe('limits the engine enforces', () => {
  const sell = (code: string, qty: number, price: number) => buy(code, qty, price);
  const reject = (code: string) => expect.stringContaining(`(${code}:`);

  test('a limit beyond 상한가 or 하한가 is RC4032; at either limit it is booked', async () => {
    const { emu, token } = await started();
    const q = emu.state.quote('005930');
    if (!q) throw new Error('no quote');
    const tick = 100;
    expect((await call(emu, token, 'kt10000', buy('005930', 1, q.upperLimit + tick))).body.return_msg).toEqual(reject('RC4032'));
    expect((await call(emu, token, 'kt10000', buy('005930', 1, q.lowerLimit - tick))).body.return_msg).toEqual(reject('RC4032'));
    expect(emu.orderLedger()).toHaveLength(0);
    expect((await call(emu, token, 'kt10000', buy('005930', 1, q.lowerLimit))).body.return_code).toBe(0);
    expect((await call(emu, token, 'kt10001', sell('005930', 1, q.upperLimit))).body.return_code).toBe(0);
    expect(emu.orderLedger()).toHaveLength(2);
  });

  test('open sells reserve their shares (that code only, not buys): a sell beyond the rest is RC4033', async () => {
    const { emu, token } = await started();
    const q = emu.state.quote('005930');
    const other = emu.state.quote('000660');
    if (!q || !other) throw new Error('no quote');
    // The account starts with 100 shares of 005930 and 20 of 000660.
    expect((await call(emu, token, 'kt10000', buy('005930', 5, q.lowerLimit))).body.return_code).toBe(0);
    expect((await call(emu, token, 'kt10001', sell('000660', 20, other.upperLimit))).body.return_code).toBe(0);
    expect((await call(emu, token, 'kt10001', sell('005930', 60, q.upperLimit))).body.return_code).toBe(0);
    expect((await call(emu, token, 'kt10001', sell('005930', 41, q.upperLimit))).body.return_msg).toEqual(reject('RC4033'));
    expect((await call(emu, token, 'kt10001', sell('005930', 40, q.upperLimit))).body.return_code).toBe(0);
    expect((await call(emu, token, 'kt10001', sell('005930', 1, q.upperLimit))).body.return_msg).toEqual(reject('RC4033'));
  });

  test('each fill has its own fill number, in order', async () => {
    const { emu, token } = await started();
    const q = emu.state.quote('005930');
    if (!q) throw new Error('no quote');
    const qty = (q.askQtys[0] as number) + 1;
    await call(emu, token, 'kt10000', buy('005930', qty, q.askPrices[1] as number));
    await call(emu, token, 'kt10001', sell('005930', 1, q.bidPrices[0] as number));
    // Live's 909 form: a 6-digit counter well into the day, no padding ("847463").
    const [first, ...rest] = emu.fillLedger().map((f) => f.fillNo);
    expect(first).toMatch(/^[1-9]\d{5}$/);
    expect(rest).toEqual([String(Number(first) + 1), String(Number(first) + 2)]);
  });

  test('a buy 정정 to a higher price needs the difference in orderable cash (RC4025); a partial 정정 or 취소 leaves the original working', async () => {
    const { emu, token } = await started();
    const q = emu.state.quote('005930');
    if (!q) throw new Error('no quote');
    const cash = num((await call(emu, token, 'kt00001', { qry_tp: '3' })).body.ord_alow_amt);
    const qty = Math.floor((cash * 0.9) / q.lowerLimit);
    const orig = (await call(emu, token, 'kt10000', buy('005930', qty, q.lowerLimit))).body.ord_no as string;
    const modify = (n: number, price: number) =>
      call(emu, token, 'kt10002', { dmst_stex_tp: 'KRX', orig_ord_no: orig, stk_cd: '005930', mdfy_qty: String(n), mdfy_uv: String(price) });
    expect((await modify(0, q.upperLimit)).body.return_msg).toEqual(reject('RC4025'));
    expect(emu.orderLedger()).toHaveLength(1);
    // A lower price frees cash and is accepted; it moves 2 shares, the original keeps working.
    expect((await modify(2, q.lowerLimit)).body.return_code).toBe(0);
    expect(emu.orderLedger()[0]).toMatchObject({ openQty: qty - 2, status: '접수' });
    const part = await call(emu, token, 'kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: orig, stk_cd: '005930', cncl_qty: '1' });
    expect(part.body.return_code).toBe(0);
    expect(emu.orderLedger()[0]).toMatchObject({ openQty: qty - 3, status: '접수' });
    // All of what is left moved: the original is 확인 (confirmed away), not cancelled.
    expect((await modify(0, q.lowerLimit)).body.return_code).toBe(0);
    expect(emu.orderLedger()[0]).toMatchObject({ openQty: 0, status: '확인' });
  });
});

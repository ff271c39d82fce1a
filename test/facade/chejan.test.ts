/** The order state machine behind OnReceiveChejanData, fed frames directly. */
import { describe, expect, test } from 'vitest';
import { ChejanBook, type OrderSnapshot } from '../../src/facade/chejan.js';
import type { FidValues } from '../../src/facade/events.js';

const FIDS0 = [9201, 9203, 9001, 913, 900, 901, 902, 909, 910, 911, 915];

function book(): { book: ChejanBook; out: [string, FidValues][] } {
  const out: [string, FidValues][] = [];
  return { book: new ChejanBook((g, f) => out.push([g, f]), FIDS0), out };
}

const frame = (ordNo: string, status: string, qty: number, open: number, fillNo = '', extra: Record<string, string> = {}): FidValues => ({
  '9203': ordNo, '9001': '005930', '913': status, '900': String(qty), '902': String(open), '909': fillNo, '911': fillNo ? String(qty - open) : '', ...extra,
});

const snap = (over: Partial<OrderSnapshot>): OrderSnapshot => ({
  ordNo: '0000001', origOrdNo: '', account: '8123456711', code: '005930', name: '삼성전자', side: '2', orderQty: 10, price: 0,
  filledQty: 0, fillPrice: 0, openQty: 10, status: '접수', kindText: '+매수', tradeText: '시장가', time: '090000', ...over,
});

const summary = (out: [string, FidValues][]): string[] => out.map(([g, f]) => `${g}:${f['9203'] ?? ''}:${f['913'] ?? ''}:${f['915'] ?? ''}`);

describe('ChejanBook', () => {
  test('접수 then partial fills; a repeated fill (same 9203, 909) is dropped; 9001 gets its A prefix', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000001', '접수', 10, 10));
    b.onOrderFrame(frame('0000001', '체결', 10, 6, '1', { '915': '4' }));
    b.onOrderFrame(frame('0000001', '체결', 10, 6, '1', { '915': '4' }));
    b.onOrderFrame(frame('0000001', '체결', 10, 0, '2', { '915': '6' }));
    expect(summary(out)).toEqual(['0:0000001:접수:', '0:0000001:체결:4', '0:0000001:체결:6']);
    expect(out[0]?.[1]['9001']).toBe('A005930');
  });

  test('a fill is identified by 9203 + 909 (체결번호), not by its price: two partial fills at one price both arrive', () => {
    const { book: b, out } = book();
    const at = { '910': '70000', '901': '70000' };
    b.onOrderFrame(frame('0000011', '접수', 10, 10, '', at));
    b.onOrderFrame(frame('0000011', '체결', 10, 7, '101', { ...at, '915': '3' }));
    b.onOrderFrame(frame('0000011', '체결', 10, 5, '102', { ...at, '915': '2' }));
    // The same 체결번호 again is the same fill, even when its quantities read differently.
    b.onOrderFrame(frame('0000011', '체결', 10, 2, '102', { ...at, '915': '3' }));
    expect(summary(out)).toEqual(['0:0000011:접수:', '0:0000011:체결:3', '0:0000011:체결:2']);
    // Another order's fill number 101 is its own fill.
    b.onOrderFrame(frame('0000012', '체결', 1, 0, '101', { ...at, '915': '1' }));
    expect(summary(out).slice(3)).toEqual(['0:0000012:접수:', '0:0000012:체결:1']);
  });

  test('a fill before its 접수 gets a synthesised 접수 first; the late 접수 is dropped', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000002', '체결', 5, 0, '7', { '915': '5' }));
    b.onOrderFrame(frame('0000002', '접수', 5, 5));
    expect(summary(out)).toEqual(['0:0000002:접수:', '0:0000002:체결:5']);
    expect(out[0]?.[1]['902']).toBe('5');
  });

  test('확인 / 취소 / 거부 are delivered once each', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000003', '확인', 3, 0));
    b.onOrderFrame(frame('0000003', '확인', 3, 0));
    b.onOrderFrame(frame('0000004', '거부', 3, 0));
    expect(summary(out)).toEqual(['0:0000003:확인:', '0:0000004:거부:']);
  });

  test('reconciliation delivers what was missed, and frames already covered by it are dropped', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000001', '접수', 10, 10));
    b.onOrderFrame(frame('0000001', '체결', 10, 8, '1', { '915': '2' }));
    // The socket dropped; REST now says 7 of 10 are filled, and another order was filled whole.
    const unclaimed = b.reconcile([
      snap({ filledQty: 7, openQty: 3, fillPrice: 70_000, status: '체결' }),
      snap({ ordNo: '0000005', orderQty: 2, filledQty: 2, openQty: 0, fillPrice: 70_100, status: '체결', time: '090001' }),
    ]);
    expect(unclaimed.unclaimed.map((s) => s.ordNo)).toEqual(['0000001', '0000005']);
    expect(unclaimed.filledCodes).toEqual(['005930']);
    // A frame for the fill that reconciliation already covered arrives late: dropped.
    b.onOrderFrame(frame('0000001', '체결', 10, 3, '3', { '915': '5' }));
    b.onOrderFrame(frame('0000001', '체결', 10, 0, '4', { '915': '3' }));
    expect(summary(out)).toEqual([
      '0:0000001:접수:', '0:0000001:체결:2', '0:0000001:체결:5', '0:0000005:접수:', '0:0000005:체결:2', '0:0000001:체결:3',
    ]);
    expect(out[2]?.[1]['911']).toBe('7');
    expect(out[3]?.[1]['9001']).toBe('A005930');
  });

  test('claimed order numbers are not offered as candidates for a lost order answer', () => {
    const { book: b } = book();
    b.expect('0000009');
    expect(b.reconcile([snap({ ordNo: '0000009' }), snap({ ordNo: '0000010' })]).unclaimed.map((s) => s.ordNo)).toEqual(['0000010']);
  });

  test('while held, frames wait and come out in arrival order on release', () => {
    const { book: b, out } = book();
    b.hold();
    b.onOrderFrame(frame('0000001', '접수', 1, 1));
    b.onBalanceFrame({ '9001': '005930', '930': '1' });
    expect(out).toHaveLength(0);
    b.release();
    expect(out.map(([g]) => g)).toEqual(['0', '1']);
    expect(out[1]?.[1]['9001']).toBe('A005930');
  });

  test('a modify or cancel order is confirmed (확인) without a 접수, from the stream and from reconciliation', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000007', '확인', 3, 3, '', { '904': '0000006' }));
    b.onOrderFrame(frame('0000007', '체결', 3, 0, '9', { '915': '3' }));
    b.reconcile([
      snap({ ordNo: '0000008', origOrdNo: '0000006', status: '확인', kindText: '매수취소' }),
      snap({ ordNo: '0000007', origOrdNo: '0000006', status: '확인', filledQty: 3, openQty: 0 }),
    ]);
    expect(summary(out)).toEqual(['0:0000007:확인:', '0:0000007:체결:3', '0:0000008:확인:']);
  });

  test("a cancel: the cancel order's 확인, then the original order's update with 902 reduced and 819 '1'", () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000010', '접수', 10, 10));
    b.onOrderFrame(frame('0000010', '체결', 10, 7, '11', { '915': '3' }));
    // Cancel 5 of the 7 still open: the stream reports the cancel order 0000011 as 확인.
    b.onOrderFrame(frame('0000011', '확인', 5, 0, '', { '904': '0000010', '908': '101500' }));
    expect(summary(out)).toEqual(['0:0000010:접수:', '0:0000010:체결:3', '0:0000011:확인:', '0:0000010:체결:']);
    const update = out.at(-1)?.[1] ?? {};
    expect(update).toMatchObject({ '902': '2', '908': '101500', '819': '1', '909': '', '911': '3' });
    // Only that event ends a flow: no other carries 819.
    expect(out.slice(0, -1).some(([, f]) => f['819'] !== undefined)).toBe(false);
    // A later fill of the original still counts from what was filled.
    b.onOrderFrame(frame('0000010', '체결', 10, 0, '12', { '915': '2' }));
    expect(summary(out).at(-1)).toBe('0:0000010:체결:2');
  });

  test('a modify of an order this book never saw confirms the modify order and claims nothing else', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000021', '확인', 3, 3, '', { '904': '0000020' }));
    expect(summary(out)).toEqual(['0:0000021:확인:']);
  });

  test('the gate: holds nest, a release without a hold does not open it in advance, and a frame sent from a handler waits its turn', () => {
    const { book: b, out } = book();
    b.release();
    b.hold();
    b.onOrderFrame(frame('0000031', '접수', 1, 1));
    expect(out).toHaveLength(0);
    b.hold();
    b.release();
    expect(out).toHaveLength(0);
    b.release();
    expect(summary(out)).toEqual(['0:0000031:접수:']);
    // While the queue drains, a frame submitted from inside a handler goes behind what was queued.
    const seen: string[] = [];
    const inner = new ChejanBook((g, f) => {
      seen.push(`${g}:${f['9203'] ?? f['930'] ?? ''}`);
      if (f['9203'] === '0000032') inner.onBalanceFrame({ '9001': '005930', '930': 'late' });
    }, FIDS0);
    inner.hold();
    inner.onOrderFrame(frame('0000032', '접수', 1, 1));
    inner.onBalanceFrame({ '9001': '005930', '930': 'queued' });
    inner.release();
    expect(seen).toEqual(['0:0000032', '1:queued', '1:late']);
  });

  test('a rebuilt 잔고 event is delivered at once as gubun 1, with the A prefix added once, on a fresh object', () => {
    const { book: b, out } = book();
    const fids = { '9001': ' 005930 ', '930': '3' };
    b.hold();
    b.balance(fids);
    b.balance({ '9001': 'A000660', '930': '1' });
    expect(out.map(([g, f]) => `${g}:${f['9001']}:${f['930']}`)).toEqual(['1:A005930:3', '1:A000660:1']);
    expect(out[0]?.[1]).not.toBe(fids);
    expect(fids['9001']).toBe(' 005930 ');
  });

  test('waitingOrders and onFirstSight describe a frame as the OCX wrote it: trimmed, unpadded, A prefix off, side and quantities read', () => {
    const { book: b } = book();
    b.hold();
    b.onOrderFrame({
      '9203': ' 0000041 ', '904': '0000000', '9001': ' A005930 ', '907': ' 1 ', '900': '+000010', '901': '-70000',
      '906': ' 보통 ', '908': ' 090102 ', '913': '접수', '902': '10',
    });
    b.onOrderFrame({ '9203': '0000042', '904': ' 0000041 ', '9001': '000660', '907': '2', '900': '3', '901': '0', '906': '시장가', '908': '090103', '913': '확인' });
    b.onOrderFrame({ '9203': '0000043', '9001': '000660', '907': '', '900': '', '913': '접수' });
    // KRX's alphanumeric short codes keep an inner A; an amended order number keeps its inner zeros.
    b.onOrderFrame({ '9203': '0000044', '904': '0001000', '9001': 'A0004A0', '913': '확인' });
    // A frame that lacks FIDs reads them blank.
    b.onOrderFrame({ '913': '접수' });
    // Balance frames and frames of orders already known are not waiting orders.
    b.onBalanceFrame({ '9001': '005930', '930': '1' });
    b.onOrderFrame({ '9203': '0000041', '9001': '005930', '913': '접수' });
    expect(b.waitingOrders()).toEqual([
      { ordNo: '0000041', origOrdNo: '', code: '005930', side: '1', orderQty: 10, price: 70_000, tradeText: '보통', time: '090102' },
      { ordNo: '0000042', origOrdNo: '0000041', code: '000660', side: '2', orderQty: 3, price: 0, tradeText: '시장가', time: '090103' },
      { ordNo: '0000043', origOrdNo: '', code: '000660', side: '2', orderQty: 0, price: 0, tradeText: '', time: '' },
      { ordNo: '0000044', origOrdNo: '0001000', code: '0004A0', side: '2', orderQty: 0, price: 0, tradeText: '', time: '' },
      { ordNo: '', origOrdNo: '', code: '', side: '2', orderQty: 0, price: 0, tradeText: '', time: '' },
      { ordNo: '0000041', origOrdNo: '', code: '005930', side: '2', orderQty: 0, price: 0, tradeText: '', time: '' },
    ]);
    b.release();
    expect(b.waitingOrders()).toEqual([]);
  });

  test('onFirstSight: an order never seen is offered; true holds the gate with that frame first, and one release delivers it', () => {
    const { book: b, out } = book();
    const offered: string[] = [];
    let hold = true;
    b.onFirstSight = (o) => { offered.push(o.ordNo); return hold; };
    b.onOrderFrame(frame('0000051', '접수', 2, 2));
    b.onOrderFrame(frame('0000051', '체결', 2, 0, '1', { '915': '2' }));
    expect(out).toHaveLength(0);
    expect(offered).toEqual(['0000051']);
    hold = false;
    b.release();
    expect(summary(out)).toEqual(['0:0000051:접수:', '0:0000051:체결:2']);
    // The held frame is offered again when it comes out (the caller knows the order by then).
    expect(offered).toEqual(['0000051', '0000051']);
    // A known order is not offered again; a balance frame never is.
    b.onBalanceFrame({ '9001': '005930' });
    b.onOrderFrame(frame('0000051', '확인', 2, 0));
    expect(offered).toEqual(['0000051', '0000051']);
    expect(out).toHaveLength(4);
  });

  test('fills without a 체결번호 (909 blank) are told apart by their cumulative quantity; a fill without 915 gets it computed', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000061', '접수', 10, 10));
    b.onOrderFrame({ ...frame('0000061', '체결', 10, 6), '909': ' ' });
    b.onOrderFrame({ ...frame('0000061', '체결', 10, 6), '909': '' });
    b.onOrderFrame({ ...frame('0000061', '체결', 10, 1), '909': '' });
    expect(summary(out)).toEqual(['0:0000061:접수:', '0:0000061:체결:4', '0:0000061:체결:5']);
    // 909 is trimmed before it identifies a fill.
    b.onOrderFrame(frame('0000062', '체결', 4, 2, '77', { '915': '2' }));
    b.onOrderFrame(frame('0000062', '체결', 4, 0, ' 77 ', { '915': '2' }));
    expect(summary(out).slice(3)).toEqual(['0:0000062:접수:', '0:0000062:체결:2']);
    // The status is read trimmed: a padded 체결 repeating fill 77 is that fill again.
    b.onOrderFrame(frame('0000062', ' 체결 ', 4, 0, '77', { '915': '2' }));
    expect(out).toHaveLength(5);
  });

  test('the 접수 synthesised before a first fill carries the order, not the fill: 902 = 900, 903 0, the per-fill FIDs blank', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000071', '체결', 5, 2, '3', { '910': '70000', '911': '3', '914': '70000', '915': '3', '903': '210000' }));
    expect(out[0]?.[1]).toMatchObject({ '913': '접수', '900': '5', '902': '5', '903': '0', '909': '', '910': '', '911': '', '914': '', '915': '' });
    expect(out[1]?.[1]).toMatchObject({ '913': '체결', '902': '2', '909': '3', '910': '70000', '915': '3' });
  });

  test('only a 확인 that names an original updates it; 904 is matched without its padding; a 취소 status or an all-zero 904 updates nothing', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000081', '접수', 10, 10, '', { '908': '090000', '914': '1' }));
    b.onOrderFrame(frame('0000082', '취소', 4, 0, '', { '904': '0000081' }));
    b.onOrderFrame(frame('0000083', '확인', 4, 0, '', { '904': '0000000' }));
    expect(summary(out)).toEqual(['0:0000081:접수:', '0:0000082:취소:', '0:0000083:확인:']);
    // The amendment's 904 padded otherwise and without a time: the update keeps the original's time.
    b.onOrderFrame({ '9203': '0000084', '9001': '005930', '913': '확인', '900': '4', '902': '0', '904': ' 81 ' });
    expect(summary(out).slice(3)).toEqual(['0:0000084:확인:', '0:0000081:접수:']);
    expect(out.at(-1)?.[1]).toMatchObject({ '902': '6', '908': '090000', '909': '', '914': '', '915': '', '819': '1' });
  });

  test('reconciliation: oldest first, by time then order number; the caller\'s list is left in its order', () => {
    const { book: b, out } = book();
    const snaps = [
      snap({ ordNo: '0000093', time: '090001' }),
      snap({ ordNo: '0000092', time: '090000' }),
      snap({ ordNo: '0000091', time: '090000' }),
    ];
    b.reconcile(snaps);
    expect(summary(out)).toEqual(['0:0000091:접수:', '0:0000092:접수:', '0:0000093:접수:']);
    expect(snaps.map((s) => s.ordNo)).toEqual(['0000093', '0000092', '0000091']);
  });

  test('reconciliation: the 접수 it synthesises is the OCX\'s (902 = 주문수량, 904 zeros, 912 JJ), and the stream\'s late 접수 is then dropped', () => {
    const { book: b, out } = book();
    b.reconcile([snap({ ordNo: '0000101', orderQty: 7, openQty: 7, price: 70_000 })]);
    expect(out[0]?.[1]).toMatchObject({
      '9201': '8123456711', '9203': '0000101', '9001': 'A005930', '912': 'JJ', '913': '접수', '302': '삼성전자', '900': '7', '901': '70000',
      '902': '7', '904': '0000000', '905': '+매수', '906': '시장가', '907': '2', '908': '090000',
    });
    // Every FID of the gubun-0 list is present, blank where REST has nothing.
    expect(out[0]?.[1]['909']).toBe('');
    b.onOrderFrame(frame('0000101', '접수', 7, 7));
    expect(out).toHaveLength(1);
  });

  test('reconciliation: a fill seen only by REST is one 체결 with 903 = price × filled, 911 cumulative, 915 the unseen part', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000111', '접수', 10, 10));
    b.onOrderFrame(frame('0000111', '체결', 10, 8, '1', { '915': '2' }));
    b.reconcile([snap({ ordNo: '0000111', filledQty: 6, openQty: 4, fillPrice: 70_000, status: '체결' })]);
    expect(out.at(-1)?.[1]).toMatchObject({ '913': '체결', '902': '4', '903': '420000', '910': '70000', '911': '6', '914': '70000', '915': '4' });
    // Nothing new: nothing delivered.
    b.reconcile([snap({ ordNo: '0000111', filledQty: 6, openQty: 4, fillPrice: 70_000, status: '체결' })]);
    expect(out).toHaveLength(3);
  });

  test('reconciliation of a modify: its 확인 first, then its fill, then the update of an original the book saw before (not one in the same batch)', () => {
    const { book: b, out } = book();
    b.onOrderFrame(frame('0000121', '접수', 10, 10, '', { '908': '090000' }));
    b.reconcile([snap({ ordNo: '0000122', origOrdNo: '0000121', orderQty: 4, filledQty: 4, openQty: 0, fillPrice: 70_000, status: '확인', time: '090500' })]);
    expect(summary(out)).toEqual(['0:0000121:접수:', '0:0000122:확인:', '0:0000121:접수:', '0:0000122:체결:4']);
    expect(out[1]?.[1]['904']).toBe('0000121');
    expect(out[2]?.[1]).toMatchObject({ '902': '6', '908': '090500', '819': '1' });
    // The original reported in the same batch already carries the amended quantities: no update.
    const { book: c, out: out2 } = book();
    c.onOrderFrame(frame('0000131', '접수', 10, 10));
    c.reconcile([
      snap({ ordNo: '0000131', orderQty: 10, openQty: 6, time: '090000' }),
      snap({ ordNo: '0000132', origOrdNo: '0000131', orderQty: 4, openQty: 0, status: '확인', time: '090500' }),
    ]);
    expect(summary(out2)).toEqual(['0:0000131:접수:', '0:0000132:확인:']);
    // A cancel confirmed as 취소 by REST updates no original either.
    const { book: d, out: out3 } = book();
    d.onOrderFrame(frame('0000141', '접수', 10, 10));
    d.reconcile([snap({ ordNo: '0000142', origOrdNo: '0000141', orderQty: 4, openQty: 0, status: '취소' })]);
    expect(summary(out3)).toEqual(['0:0000141:접수:', '0:0000142:취소:']);
  });

  test('reconciliation of an order filled in part, then cancelled: 접수, its fill, then 취소 with the open quantity left', () => {
    const { book: b, out } = book();
    b.reconcile([snap({ ordNo: '0000151', orderQty: 10, filledQty: 3, openQty: 0, fillPrice: 70_000, status: '취소' })]);
    expect(summary(out)).toEqual(['0:0000151:접수:', '0:0000151:체결:3', '0:0000151:취소:']);
    expect(out[1]?.[1]['902']).toBe('0');
    expect(out[2]?.[1]).toMatchObject({ '902': '0', '904': '0000000' });
    const { book: c, out: out2 } = book();
    c.reconcile([snap({ ordNo: '0000152', orderQty: 10, filledQty: 0, openQty: 10, status: '접수' })]);
    c.reconcile([snap({ ordNo: '0000152', orderQty: 10, filledQty: 0, openQty: 4, status: '확인' })]);
    expect(out2.at(-1)?.[1]).toMatchObject({ '913': '확인', '902': '4' });
  });
});

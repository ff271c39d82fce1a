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
});

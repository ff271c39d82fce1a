/**
 * The settle rules on their own: a real chejan book, a reconciliation pass that answers what a
 * test says the account shows (or fails), and a short window, on a fake clock (the rules, not the
 * timing, are under test here: settle-passes.test.ts pins when each pass runs).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ChejanBook, type OrderDesc } from '../../src/facade/chejan.js';
import { Settler, type OrderIntent, type Verdict } from '../../src/facade/settle.js';

const WINDOW = 200;
/** 09:30:00.250 KST: inside a second, as a wall clock mostly is. */
const T0 = Date.UTC(2026, 10, 30, 0, 30, 0, 250);
/** The fake clock's step while a verdict is awaited. */
const STEP = 10;
const KST_MS = 9 * 3600_000;
const hhmmss = (ms: number): string => new Date(ms + KST_MS).toISOString().slice(11, 19).replaceAll(':', '');

const buy: OrderIntent = { action: 'new', code: '005930', side: '2', qty: 1, price: 70_000, trdeTp: '0', origOrdNo: '' };
const order = (ordNo: string, over: Partial<OrderDesc> = {}): OrderDesc => ({
  ordNo, origOrdNo: '', code: '005930', side: '2', orderQty: 1, price: 70_000, tradeText: '보통', time: hhmmss(Date.now()), ...over,
});

/**
 * Runs the fake clock until `p` settles, a step at a time; a verdict still missing after
 * `limitMs` of fake time fails the test there (not at the test timeout).
 */
async function drive<T>(p: Promise<T>, limitMs = 20 * WINDOW): Promise<T> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  for (let waited = 0; !done; waited += STEP) {
    if (waited >= limitMs) throw new Error(`still pending after ${limitMs} ms`);
    await vi.advanceTimersByTimeAsync(STEP);
  }
  return p;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** A settler whose passes show `account()` (or fail when it returns undefined). */
function setup(account: () => OrderDesc[] | undefined, clockToleranceMs = 1_000) {
  const book = new ChejanBook(() => undefined, []);
  let passes = 0;
  const settler = new Settler(book, async (decide) => {
    passes++;
    const shown = account();
    if (shown === undefined) return false;
    decide(shown);
    book.know(shown);
    return true;
  }, { settleWindowMs: WINDOW, clockToleranceMs });
  const run = async (intent = buy): Promise<{ verdict: Verdict; announced: Verdict[] }> => {
    const sending = await settler.sending(intent);
    sending.done();
    const announced: Verdict[] = [];
    const verdict = await drive(settler.settle(intent, sending.mark, (v) => announced.push(v)));
    return { verdict, announced };
  };
  return { book, settler, run, passes: () => passes };
}

describe('Settler', () => {
  test('one fitting order placed after the send: placed, announced once, claimed', async () => {
    const s = setup(() => [order('0000007')]);
    const { verdict, announced } = await s.run();
    expect(verdict).toEqual({ state: 'placed', orderNo: '0000007' });
    expect(announced).toEqual([verdict]);
    expect(s.book.isClaimed('0000007')).toBe(true);
  });

  test('nothing fits: "not placed" only from the pass after the window, never earlier', async () => {
    const s = setup(() => []);
    const started = Date.now();
    const { verdict } = await s.run();
    expect(verdict).toEqual({ state: 'not-placed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW);
    expect(s.passes()).toBeGreaterThan(1);
  });

  test('queries that keep failing: unknown, never "not placed"', async () => {
    const s = setup(() => undefined);
    const { verdict } = await s.run();
    expect(verdict.state).toBe('unknown');
  });

  test('an order received before the send (beyond the clock tolerance) is not claimed', async () => {
    const s = setup(() => [order('0000003', { time: hhmmss(Date.now() - 10_000) })]);
    const { verdict } = await s.run();
    expect(verdict.state).not.toBe('placed');
  });

  test('an order the book knew before the send is not claimed, whatever its time', async () => {
    const s = setup(() => [order('0000004')]);
    s.book.know([order('0000004')]);
    expect((await s.run()).verdict).toEqual({ state: 'not-placed' });
  });

  test('two fitting orders: ambiguous, both named, neither claimed', async () => {
    const s = setup(() => [order('0000008'), order('0000009')]);
    const { verdict } = await s.run();
    expect(verdict).toEqual({ state: 'ambiguous', candidates: ['0000008', '0000009'] });
    expect(s.book.isClaimed('0000008') || s.book.isClaimed('0000009')).toBe(false);
  });

  test('an order that differs in price, side, quantity or code is no candidate', async () => {
    for (const over of [{ price: 69_900 }, { side: '1' as const }, { orderQty: 2 }, { code: '000660' }]) {
      const s = setup(() => [order('0000010', over)]);
      expect((await s.run()).verdict, JSON.stringify(over)).toEqual({ state: 'not-placed' });
    }
  });

  test('a different trade type text only: unknown with the candidate named, not "not placed"', async () => {
    const s = setup(() => [order('0000011', { tradeText: '시장가' })]);
    expect((await s.run()).verdict).toMatchObject({ state: 'unknown', candidates: ['0000011'] });
  });

  test('while a send of the same order awaits its answer, no early verdict', async () => {
    let shown: OrderDesc[] = [];
    const s = setup(() => shown);
    const other = await s.settler.sending(buy);
    const mine = await s.settler.sending(buy);
    mine.done();
    const settled = s.settler.settle(buy, mine.mark, () => undefined);
    // The other send's order shows up; its answer has not claimed it yet.
    shown = [order('0000012')];
    await vi.advanceTimersByTimeAsync(WINDOW / 2);
    other.done();
    s.book.expect('0000012');
    expect((await drive(settled)).state).toBe('not-placed');
  });

  test('a candidate on the 00 stream holds its chejan events until the verdict, and wakes the search', async () => {
    const delivered: string[] = [];
    const book = new ChejanBook((_g, f) => delivered.push(`${f['9203']} ${f['913']}`), []);
    const announced: string[] = [];
    let queried = false;
    const settler = new Settler(book, async (decide) => {
      if (!queried) {
        queried = true;
        decide([]);
        return true;
      }
      return false; // the queries fail: the stream alone decides
    }, { settleWindowMs: 10_000, clockToleranceMs: 1_000 });
    const sending = await settler.sending(buy);
    sending.done();
    const started = Date.now();
    const settled = settler.settle(buy, sending.mark, (v) => announced.push(`${v.state} ${v.state === 'placed' ? v.orderNo : ''}`));
    await vi.advanceTimersByTimeAsync(20);
    book.onOrderFrame({ '9203': '0000020', '913': '접수', '9001': 'A005930', '907': '2', '900': '1', '901': '70000', '906': '보통', '908': hhmmss(Date.now()), '904': '0000000' });
    expect(delivered).toEqual([]);
    const verdict = await drive(settled, 5_000);
    expect(verdict).toEqual({ state: 'placed', orderNo: '0000020' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(announced).toEqual(['placed 0000020']);
    expect(delivered).toEqual(['0000020 접수']);
  });

  test('two fitting orders on the stream while the queries fail: ambiguous, though the second waits behind the first', async () => {
    const book = new ChejanBook(() => undefined, []);
    const settler = new Settler(book, async () => false, { settleWindowMs: 10_000, clockToleranceMs: 1_000 });
    const sending = await settler.sending(buy);
    sending.done();
    const settled = settler.settle(buy, sending.mark, () => undefined);
    const frame = (ordNo: string) => ({ '9203': ordNo, '913': '접수', '9001': 'A005930', '907': '2', '900': '1', '901': '70000', '906': '보통', '908': hhmmss(Date.now()), '904': '0000000' });
    book.onOrderFrame(frame('0000030'));
    book.onOrderFrame(frame('0000031'));
    expect(await drive(settled, 5_000)).toEqual({ state: 'ambiguous', candidates: ['0000030', '0000031'] });
  });

  test('a modify is recognised by its original (padding aside) and its new price; a cancel by its original alone', async () => {
    const modify: OrderIntent = { action: 'modify', code: '005930', side: '2', qty: 1, price: 71_000, trdeTp: undefined, origOrdNo: '7' };
    const placed = setup(() => [order('0000040', { origOrdNo: '0000007', price: 71_000, tradeText: '' })]);
    expect((await placed.run(modify)).verdict).toEqual({ state: 'placed', orderNo: '0000040' });
    const otherOriginal = setup(() => [order('0000041', { origOrdNo: '0000008', price: 71_000 })]);
    expect((await otherOriginal.run(modify)).verdict).toEqual({ state: 'not-placed' });
    // The right original at another price: it may be this modify, read differently; unknown, named.
    const otherPrice = setup(() => [order('0000042', { origOrdNo: '0000007', price: 70_500, tradeText: '' })]);
    expect((await otherPrice.run(modify)).verdict).toMatchObject({ state: 'unknown', candidates: ['0000042'] });
    // A new order never answers a modify.
    const fresh = setup(() => [order('0000043', { price: 71_000 })]);
    expect((await fresh.run(modify)).verdict).toEqual({ state: 'not-placed' });
    const cancel: OrderIntent = { action: 'cancel', code: '005930', side: '2', qty: 1, price: 0, trdeTp: undefined, origOrdNo: '7' };
    const cancelled = setup(() => [order('0000044', { origOrdNo: '0000007', price: 0, tradeText: '' })]);
    expect((await cancelled.run(cancel)).verdict).toEqual({ state: 'placed', orderNo: '0000044' });
  });

  test('order times read as HHMMSS or HH:MM:SS, padded or not: an order 10 s before the send is not claimed in either form', async () => {
    const colons = (ms: number) => { const t = hhmmss(ms); return `${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}`; };
    for (const time of [colons(Date.now() - 10_000), ` ${hhmmss(Date.now() - 10_000)} `]) {
      const s = setup(() => [order('0000050', { time })]);
      expect((await s.run()).verdict, time).toEqual({ state: 'not-placed' });
    }
    const now = setup(() => [order('0000051', { time: colons(Date.now() + 500) })]);
    expect((await now.run()).verdict).toEqual({ state: 'placed', orderNo: '0000051' });
  });
});

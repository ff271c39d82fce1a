/**
 * When the settle search queries the account, and what ends it, on a fake clock: the passes
 * cost the rate budget a program also needs, and the verdict's moment is when the program hears
 * of its order. A window of 3,200 ms puts the checkpoints on whole 100 ms steps.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ChejanBook, type OrderDesc } from '../../src/facade/chejan.js';
import { Settler, type OrderIntent, type ReconcilePass, type SettleOptions, type Verdict } from '../../src/facade/settle.js';

const W = 3_200;
/** 09:30:00 KST on a whole second, so that the clock tolerance ends on a second too. */
const T0 = Date.UTC(2026, 10, 30, 0, 30, 0);
const KST_MS = 9 * 3600_000;
const hhmmss = (ms: number): string => new Date(ms + KST_MS).toISOString().slice(11, 19).replaceAll(':', '');

const buy: OrderIntent = { action: 'new', code: '005930', side: '2', qty: 1, price: 70_000, trdeTp: '0', origOrdNo: '' };
const order = (ordNo: string, over: Partial<OrderDesc> = {}): OrderDesc => ({
  ordNo, origOrdNo: '', code: '005930', side: '2', orderQty: 1, price: 70_000, tradeText: '보통', time: hhmmss(Date.now()), ...over,
});
const frame = (ordNo: string, over: Record<string, string> = {}): Record<string, string> => ({
  '9203': ordNo, '913': '접수', '9001': 'A005930', '907': '2', '900': '1', '901': '70000', '906': '보통', '908': hhmmss(Date.now()), '904': '0000000', ...over,
});

/**
 * A settler on the fake clock. `pass(n, decide)` is the n-th reconciliation (from 0); each pass's
 * start is recorded as ms since the settle began.
 */
function rig(pass: (n: number, decide: (orders: readonly OrderDesc[]) => void) => Promise<boolean>, clockToleranceMs = 1_000) {
  const delivered: string[] = [];
  const book = new ChejanBook((_g, f) => delivered.push(`${f['9203'] ?? ''} ${f['913'] ?? ''}`), []);
  const passes: number[] = [];
  let start = Date.now();
  const reconcile: ReconcilePass = async (decide) => {
    passes.push(Date.now() - start);
    return pass(passes.length - 1, (orders) => {
      decide(orders);
      book.know(orders);
    });
  };
  const settler = new Settler(book, reconcile, { settleWindowMs: W, clockToleranceMs }, () => Date.now());
  const announced: { at: number; v: Verdict }[] = [];
  /** Starts settling `intent` sent now; `done` resolves with the verdict and when it came. */
  const settle = async (intent = buy): Promise<{ done: Promise<{ verdict: Verdict; at: number }> }> => {
    const sending = await settler.sending(intent);
    sending.done();
    start = Date.now();
    return { done: settler.settle(intent, sending.mark, (v) => announced.push({ at: Date.now() - start, v })).then((verdict) => ({ verdict, at: Date.now() - start })) };
  };
  return { book, settler, passes, announced, delivered, settle };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const showing = (orders: () => OrderDesc[]) => async (_n: number, decide: (o: readonly OrderDesc[]) => void): Promise<boolean> => {
  decide(orders());
  return true;
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

/** A rig whose first pass takes `ms`; every pass finds no candidate. */
function slowFirstPass(ms: number): ReturnType<typeof rig> {
  return rig(async (n, decide) => {
    if (n === 0) await sleep(ms);
    decide([]);
    return true;
  });
}

describe('settle passes on the clock', () => {
  test('an account that shows nothing: a pass at each checkpoint, "not placed" from the one at the window\'s end, nothing after', async () => {
    const s = rig(showing(() => []));
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(2 * W);
    expect(await done).toEqual({ verdict: { state: 'not-placed' }, at: W });
    expect(s.passes).toEqual([0, 100, 200, 400, 800, 1_600, 3_200]);
    expect(s.announced).toEqual([{ at: W, v: { state: 'not-placed' } }]);
  });

  test('queries that fail or throw: the checkpoints, three more tries an eighth of the window apart, then unknown', async () => {
    const s = rig(async (n) => {
      if (n % 2 === 0) throw new Error('query failed');
      return false;
    });
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(3 * W);
    expect(await done).toEqual({ verdict: { state: 'unknown', candidates: [], reason: '주문 조회가 계속 실패했습니다' }, at: 4_400 });
    expect(s.passes).toEqual([0, 100, 200, 400, 800, 1_600, 3_200, 3_600, 4_000, 4_400]);
  });

  test('the last query failing, then answering: "not placed" from the retry that answered, no further tries', async () => {
    const s = rig(async (n, decide) => {
      if (n === 6) return false;
      decide([]);
      return true;
    });
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(3 * W);
    expect(await done).toEqual({ verdict: { state: 'not-placed' }, at: 3_600 });
    expect(s.passes).toEqual([0, 100, 200, 400, 800, 1_600, 3_200, 3_600]);
  });

  test('a slow pass: the checkpoints it ran past are skipped, not queued; the one at the window\'s end is never skipped', async () => {
    const slow = slowFirstPass(1_000);
    const { done } = await slow.settle();
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await done).verdict).toEqual({ state: 'not-placed' });
    expect(slow.passes).toEqual([0, 1_600, 3_200]);

    const slower = slowFirstPass(4_000);
    const { done: late } = await slower.settle();
    await vi.advanceTimersByTimeAsync(3 * W);
    // The last pass runs on the next timer tick after the slow one (Node's 1 ms minimum), no eighth later.
    const { verdict, at } = await late;
    expect(verdict).toEqual({ state: 'not-placed' });
    expect(slower.passes).toEqual([0, at]);
    expect(at).toBeGreaterThanOrEqual(4_000);
    expect(at).toBeLessThan(4_000 + W / 8);
  });

  test('a candidate on the 00 stream wakes the search at once: its pass runs then, not at the next checkpoint', async () => {
    const s = rig(showing(() => []));
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(250);
    s.book.onOrderFrame(frame('0000020'));
    // Held until the verdict: the program hears of its order before the order's events.
    expect(s.delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(await done).toEqual({ verdict: { state: 'placed', orderNo: '0000020' }, at: 250 });
    expect(s.passes).toEqual([0, 100, 200, 250]);
    expect(s.delivered).toEqual(['0000020 접수']);
  });

  test('a candidate sighted while a pass runs: the next pass runs as soon as that one ends, whatever checkpoints it passed', async () => {
    const s = rig(async (n, decide) => {
      decide([]);
      if (n === 0) await sleep(1_000);
      return true;
    });
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(500);
    s.book.onOrderFrame(frame('0000021'));
    await vi.advanceTimersByTimeAsync(2 * W);
    expect(await done).toEqual({ verdict: { state: 'placed', orderNo: '0000021' }, at: 1_000 });
    expect(s.passes).toEqual([0, 1_000]);
    expect(s.delivered).toEqual(['0000021 접수']);
  });

  test('a 00 frame that fits no open search is delivered at once, and wakes nothing', async () => {
    const s = rig(showing(() => []));
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(50);
    s.book.onOrderFrame(frame('0000022', { '900': '5' }));
    s.book.onOrderFrame(frame('0000023', { '9001': 'A000660' }));
    expect(s.delivered).toEqual(['0000022 접수', '0000023 접수']);
    await vi.advanceTimersByTimeAsync(2 * W);
    expect(await done).toEqual({ verdict: { state: 'not-placed' }, at: W });
    expect(s.passes).toEqual([0, 100, 200, 400, 800, 1_600, 3_200]);
  });

  test('close(): the search ends at once, unknown, with no further pass', async () => {
    const s = rig(async () => false);
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(150);
    s.settler.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(await done).toEqual({ verdict: { state: 'unknown', candidates: [], reason: '확인 전에 세션이 끝났습니다' }, at: 150 });
    expect(s.passes).toEqual([0, 100]);
    // A search started after close() ends at once too, without querying.
    const { done: after } = await s.settle();
    expect(await after).toEqual({ verdict: { state: 'unknown', candidates: [], reason: '확인 전에 세션이 끝났습니다' }, at: 0 });
    expect(s.passes).toEqual([0, 100]);
  });

  test('close() while a candidate\'s frame waits for a pass to judge it: the frame is delivered, not held for ever', async () => {
    const s = rig(async (n, decide) => {
      decide([]);
      if (n === 0) await sleep(1_000);
      return true;
    });
    const { done } = await s.settle();
    await vi.advanceTimersByTimeAsync(500);
    s.book.onOrderFrame(frame('0000025'));
    expect(s.delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    s.settler.close();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await done).verdict).toMatchObject({ state: 'unknown', reason: '확인 전에 세션이 끝났습니다' });
    expect(s.delivered).toEqual(['0000025 접수']);
  });

  test('a candidate sighted while another send of the same order awaits its answer: the pass it waited for runs at once, then the checkpoints resume', async () => {
    const s = rig(showing(() => []));
    const other = await s.settler.sending(buy);
    const { done } = await s.settle();
    await vi.advanceTimersByTimeAsync(250);
    s.book.onOrderFrame(frame('0000026'));
    await vi.advanceTimersByTimeAsync(1_000 - 250);
    expect(s.passes).toEqual([0, 100, 200, 250, 800]);
    // The other send's answer claims the order: this one was not placed.
    other.done();
    s.book.expect('0000026');
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await done).verdict).toEqual({ state: 'not-placed' });
  });

  test('queries that throw while a candidate is on the 00 stream: the stream decides at the next pass', async () => {
    const s = rig(async () => {
      throw new Error('query failed');
    });
    const { done } = await s.settle();
    await vi.advanceTimersByTimeAsync(150);
    s.book.onOrderFrame(frame('0000027'));
    await vi.advanceTimersByTimeAsync(2 * W);
    expect(await done).toEqual({ verdict: { state: 'placed', orderNo: '0000027' }, at: 150 });
  });

  test('two candidates on the stream and a pass that decides, then fails: ambiguous, announced once', async () => {
    const s = rig(async (n, decide) => {
      if (n === 0) return true;
      decide([]);
      return false;
    });
    const { done } = await s.settle();
    await vi.advanceTimersByTimeAsync(50);
    s.book.onOrderFrame(frame('0000028'));
    s.book.onOrderFrame(frame('0000029'));
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await done).verdict).toEqual({ state: 'ambiguous', candidates: ['0000028', '0000029'] });
    expect(s.announced).toHaveLength(1);
  });

  test('a pass releases only its own holds on the chejan gate: a hold taken for an order on the wire stays', async () => {
    const s = rig(showing(() => []));
    s.book.hold();
    const { done } = await s.settle();
    await vi.advanceTimersByTimeAsync(150);
    s.book.onOrderFrame(frame('0000060', { '9001': 'A000660' }));
    expect(s.delivered).toEqual([]);
    s.book.release();
    expect(s.delivered).toEqual(['0000060 접수']);
    await vi.advanceTimersByTimeAsync(2 * W);
    await done;
  });

  test('a candidate sighted during a slow pass while another send of the same order is in flight: one pass at once, then the next checkpoint', async () => {
    const s = rig(async (n, decide) => {
      decide([]);
      if (n === 0) await sleep(1_000);
      return true;
    });
    const other = await s.settler.sending(buy);
    const { done } = await s.settle();
    await vi.advanceTimersByTimeAsync(500);
    s.book.onOrderFrame(frame('0000061'));
    await vi.advanceTimersByTimeAsync(1_200);
    expect(s.passes).toEqual([0, 1_000, 1_600]);
    other.done();
    s.book.expect('0000061');
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await done).verdict).toEqual({ state: 'not-placed' });
  });

  test('a pass that decides and then fails: the verdict is announced once', async () => {
    const s = rig(async (_n, decide) => {
      decide([order('0000024')]);
      return false;
    });
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(await done).toEqual({ verdict: { state: 'placed', orderNo: '0000024' }, at: 0 });
    expect(s.announced).toHaveLength(1);
    expect(s.passes).toEqual([0]);
  });
});

describe('what counts as evidence', () => {
  test('an order timed exactly at the send less the clock tolerance is claimed; one a second earlier is not', async () => {
    const at = rig(showing(() => [order('0000030', { time: '092959' })]));
    const { done: claimed } = await at.settle();
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await claimed).verdict).toEqual({ state: 'placed', orderNo: '0000030' });
    const before = rig(showing(() => [order('0000031', { time: '092958' })]));
    const { done: refused } = await before.settle();
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await refused).verdict).toEqual({ state: 'not-placed' });
  });

  test('an order time that is not a time is not held against the order', async () => {
    for (const time of ['', 'x092958', '0929581', '09:29']) {
      const s = rig(showing(() => [order('0000032', { time })]));
      const { done: done } = await s.settle();
      await vi.advanceTimersByTimeAsync(2 * W);
      expect((await done).verdict, time).toEqual({ state: 'placed', orderNo: '0000032' });
    }
  });

  test('after the login read the day\'s orders, an unknown order timed before the send is a loose candidate: unknown, named, never "not placed"', async () => {
    const s = rig(showing(() => [order('0000033', { time: '090000' })]));
    s.settler.learnDay(Promise.resolve(true));
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(3 * W);
    expect((await done).verdict).toEqual({ state: 'unknown', candidates: ['0000033'], reason: '일부만 일치하는 주문만 있습니다' });
    // Without that reading (it failed), such an order is an earlier one: not placed.
    for (const day of [() => Promise.resolve(false), () => Promise.reject(new Error('kt00007 failed'))]) {
      const t = rig(showing(() => [order('0000034', { time: '090000' })]));
      t.settler.learnDay(day());
      const { done: d } = await t.settle();
      await vi.advanceTimersByTimeAsync(3 * W);
      expect((await d).verdict).toEqual({ state: 'not-placed' });
    }
  });

  test('a send waits for the day\'s orders to be read, so its mark covers them', async () => {
    const s = rig(showing(() => []));
    let read!: (ok: boolean) => void;
    s.settler.learnDay(new Promise<boolean>((r) => (read = r)));
    let marked = false;
    const sending = s.settler.sending(buy).then((x) => {
      marked = true;
      return x;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(marked).toBe(false);
    s.book.know([order('0000035')]);
    read(true);
    const { mark } = await sending;
    expect(mark.serial).toBe(1);
  });

  test('an order without a number, or a new order when the intent is new but it amends another, is no evidence', async () => {
    const s = rig(showing(() => [order(''), order('0000036', { origOrdNo: '0000007' })]));
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await done).verdict).toEqual({ state: 'not-placed' });
  });

  test('a cancel is recognised by its original alone; a modify of another original or a new order is not it', async () => {
    const cancel: OrderIntent = { action: 'cancel', code: '005930', side: '2', qty: 0, price: 0, trdeTp: undefined, origOrdNo: '7' };
    // The cancel's frame may carry the original's trade type text: it is not compared.
    const s = rig(showing(() => [order('0000037', { origOrdNo: '0000007', orderQty: 1, price: 0, tradeText: '보통' }), order('0000038', { origOrdNo: '0000008' }), order('0000039')]));
    const { done: done } = await s.settle(cancel);
    await vi.advanceTimersByTimeAsync(2 * W);
    expect((await done).verdict).toEqual({ state: 'placed', orderNo: '0000037' });
  });

  test('ambiguous candidates are named in number order', async () => {
    const s = rig(showing(() => [order('0000042'), order('0000040'), order('0000041')]));
    const { done: done } = await s.settle();
    await vi.advanceTimersByTimeAsync(0);
    expect((await done).verdict).toEqual({ state: 'ambiguous', candidates: ['0000040', '0000041', '0000042'] });
  });

  test('unset options keep their defaults', () => {
    const book = new ChejanBook(() => undefined, []);
    // As a JavaScript program's api_init options (or a spread of a partial config) can give them.
    const unset = { settleWindowMs: undefined, clockToleranceMs: 1_000 } as unknown as SettleOptions;
    expect(new Settler(book, async () => false, unset).windowMs).toBe(60_000);
    expect(new Settler(book, async () => false).windowMs).toBe(60_000);
  });
});

describe('another send of the same order still in flight', () => {
  test('holds back the verdict until its answer; an answer called twice does not end the other send', async () => {
    let shown: OrderDesc[] = [order('0000050')];
    const s = rig(showing(() => shown));
    const other = await s.settler.sending(buy);
    const mine = await s.settler.sending(buy);
    mine.done();
    mine.done();
    const start = Date.now();
    const announced: Verdict[] = [];
    const settled = s.settler.settle(buy, mine.mark, (v) => announced.push(v));
    await vi.advanceTimersByTimeAsync(W / 2);
    expect(announced).toEqual([]);
    // The other send's answer claims its number.
    other.done();
    s.book.expect('0000050');
    shown = [...shown];
    await vi.advanceTimersByTimeAsync(W);
    expect(await settled).toEqual({ state: 'not-placed' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(W);
  });

  test('a send of another order in flight (code, side, quantity, price, trade type or original differ) holds nothing back', async () => {
    const others: OrderIntent[] = [
      { ...buy, code: '000660' }, { ...buy, side: '1' }, { ...buy, qty: 2 }, { ...buy, price: 70_100 }, { ...buy, trdeTp: '10' }, { ...buy, trdeTp: undefined }, { ...buy, action: 'modify', origOrdNo: '5' },
      // Its fields run together would read the same as this order's: 1, 700000, "" against 1, 70000, "0".
      { ...buy, price: 700_000, trdeTp: undefined },
    ];
    for (const other of others) {
      const s = rig(showing(() => [order('0000051')]));
      await s.settler.sending(other);
      const { done: done } = await s.settle();
      await vi.advanceTimersByTimeAsync(0);
      expect(await done, JSON.stringify(other)).toEqual({ verdict: { state: 'placed', orderNo: '0000051' }, at: 0 });
    }
  });
});

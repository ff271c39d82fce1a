import { afterEach, describe, expect, it } from 'vitest';
import { getRealType } from '../../src/compat/real-types.js';
import { COALESCIBLE } from '../../src/realtime/catalog.js';
import { Dispatcher } from '../../src/realtime/dispatcher.js';
import { RealtimeSession, type RealEvent } from '../../src/realtime/index.js';
import { fakeTokens, startFake, type FakeKiwoom } from './fake-kiwoom.js';

const entry = (type: string, item: string, n: number): RealEvent => ({ type, name: '', item, values: { n: String(n) } });
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const settle = async (d: Dispatcher): Promise<void> => {
  while (d.buffered > 0) await turn();
};

describe('coalesce policy (compat/realtime.json)', () => {
  it('lists only known snapshot types, never orders, balances, condition hits, market phase or VI', () => {
    for (const code of COALESCIBLE) expect(getRealType(code)?.event).toBe('OnReceiveRealData');
    for (const event of ['00', '04', '02', '0s', '1h']) expect(COALESCIBLE.has(event)).toBe(false);
    expect(COALESCIBLE.has('0B')).toBe(true);
  });
});

describe('Dispatcher', () => {
  it('delivers at once, with nothing buffered, while listeners keep up', () => {
    const seen: RealEvent[] = [];
    const d = new Dispatcher((e) => seen.push(e), undefined, () => {});
    const e = entry('0B', '005930', 1);
    d.push(e);
    expect(seen).toEqual([e]);
    expect(seen[0]).toBe(e);
    expect(d.buffered).toBe(0);
  });

  it('coalesces snapshot types past the threshold but keeps every order event, in order', async () => {
    const seen: RealEvent[] = [];
    const d = new Dispatcher((e) => seen.push(e), { coalesceAbove: 50, maxBuffered: 10_000 }, () => {});
    d.pause();
    let n = 0;
    for (let i = 0; i < 3_000; i++) {
      d.push(entry('0B', String(100000 + (i % 10)), n++));
      if (i % 30 === 0) d.push(entry('00', '', n++));
    }
    d.resume();
    await settle(d);
    const orders = seen.filter((e) => e.type === '00').map((e) => Number(e.values['n']));
    expect(orders).toHaveLength(100);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    for (let k = 0; k < 10; k++) {
      const last = seen.filter((e) => e.item === String(100000 + k)).at(-1);
      expect(Number(last?.values['n'])).toBeGreaterThan(n - 60); // the newest value of each item survived
    }
    expect(d.coalesced).toBeGreaterThan(2_500);
    expect(d.coalesced + d.dispatched).toBe(n);
    expect(d.dropped).toBe(0);
  });

  it('drops the oldest beyond the hard cap and reports the first drop', async () => {
    const seen: number[] = [];
    let warned = 0;
    const d = new Dispatcher((e) => seen.push(Number(e.values['n'])), { coalesceAbove: 10, maxBuffered: 100 }, () => warned++);
    d.pause();
    for (let i = 0; i < 250; i++) d.push(entry('00', '', i));
    expect(d.buffered).toBe(100);
    d.resume();
    await settle(d);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => 150 + i));
    expect(d.dropped).toBe(150);
    expect(warned).toBe(1);
  });

  it('defers to later turns, in order, once listeners used up the turn budget', async () => {
    const seen: number[] = [];
    const slow = (e: RealEvent): void => {
      const until = performance.now() + 3;
      while (performance.now() < until);
      seen.push(Number(e.values['n']));
    };
    const d = new Dispatcher(slow, { dispatchBudgetMs: 1 }, () => {});
    for (let i = 0; i < 5; i++) d.push(entry('0B', '005930', i));
    expect(seen).toEqual([0]);
    await settle(d);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('RealtimeSession buffering', () => {
  let fake: FakeKiwoom;
  let rt: RealtimeSession;
  afterEach(async () => {
    await rt.close();
    await fake.close();
  });

  it('keeps answering PINGs while paused, then delivers the coalesced backlog', async () => {
    fake = await startFake();
    rt = new RealtimeSession({ rest: fakeTokens(), wsUrl: fake.wsUrl, buffer: { coalesceAbove: 10 } });
    const seen: RealEvent[] = [];
    rt.on('real', (e) => seen.push(e));
    await rt.connect();
    await rt.register('1', ['005930', '000660'], ['0B']);
    rt.pause();
    for (let i = 0; i < 500; i++) {
      fake.push({ trnm: 'REAL', data: [{ type: '0B', name: '주식체결', item: i % 2 ? '005930' : '000660', values: { '10': String(i) } }] });
    }
    fake.push('{"trnm":"PING"}');
    await fake.waitFor(() => fake.last().received.includes('{"trnm":"PING"}'));
    await fake.waitFor(() => rt.stats().framesIn === 503); // LOGIN and REG acks, 500 REAL, PING
    expect(seen).toHaveLength(0);
    rt.resume();
    await fake.waitFor(() => rt.stats().buffered === 0);
    const stats = rt.stats();
    expect(stats.dispatched + stats.coalesced).toBe(500);
    expect(stats.coalesced).toBeGreaterThan(400);
    expect(seen.at(-1)?.values['10']).toBe('499');
  });
});

import { afterEach, describe, expect, test } from 'vitest';
import { createEmulatorState } from '../../src/emulator/state/index.js';
import { priceLimits, tickSize } from '../../src/emulator/state/pricing.js';
import { startEmulator, type Emulator, type Quote } from '../../src/emulator/index.js';

const NOW = Date.UTC(2026, 10, 25, 1, 0, 0);
const make = (seed: number) => createEmulatorState({ seed, mode: 'prod', marketHours: 'always-open', nowMs: () => NOW });

/** A run: the same sequence of ticks over a few codes. */
function run(seed: number): Quote[] {
  const s = make(seed);
  const codes = ['005930', '000660', '035720', '069500', '247540'];
  for (let i = 0; i < 300; i++) s.tick(codes[i % codes.length] as string);
  return codes.map((c) => structuredClone(s.quote(c) as Quote));
}

describe('seeded market', () => {
  test('the same seed and the same ticks give the same market; another seed does not', () => {
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  test('the master is fixed across seeds and sorted by code, with a few hundred listings', () => {
    const a = make(1).master;
    const b = make(99).master;
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThanOrEqual(300);
    expect(a.map((s) => s.code)).toEqual([...a.map((s) => s.code)].sort());
    expect(new Set(a.map((s) => s.code)).size).toBe(a.length);
    expect(a.find((s) => s.code === '005930')).toMatchObject({ name: '삼성전자', market: '0' });
  });

  test('KRX tick sizes by price band (2023 table)', () => {
    const bands: Array<[number, number]> = [
      [1_999, 1], [2_000, 5], [4_995, 5], [5_000, 10], [19_990, 10], [20_000, 50], [49_950, 50],
      [50_000, 100], [199_900, 100], [200_000, 500], [499_500, 500], [500_000, 1_000], [1_012_000, 1_000],
    ];
    for (const [price, tick] of bands) expect(tickSize(price), String(price)).toBe(tick);
  });

  test('every quote stays on the tick grid within ±30% of the previous close through many trades', () => {
    const s = make(5);
    const codes = s.master.slice(0, 40).map((x) => x.code);
    for (let i = 0; i < 4000; i++) s.tick(codes[i % codes.length] as string);
    for (const code of codes) {
      const st = s.stock(code);
      const q = s.quote(code);
      if (!st || !q) throw new Error(code);
      const { upper, lower } = priceLimits(q.prevClose, st.market);
      expect(q.upperLimit).toBe(upper);
      expect(q.lowerLimit).toBe(lower);
      expect(upper).toBeLessThanOrEqual(q.prevClose * 1.3);
      expect(lower).toBeGreaterThanOrEqual(q.prevClose * 0.7);
      expect(q.price).toBeGreaterThanOrEqual(lower);
      expect(q.price).toBeLessThanOrEqual(upper);
      expect(q.price % tickSize(q.price, st.market)).toBe(0);
      expect(q.high).toBeGreaterThanOrEqual(q.price);
      expect(q.low).toBeLessThanOrEqual(q.price);
      const asks = q.askPrices.filter((p) => p > 0);
      const bids = q.bidPrices.filter((p) => p > 0);
      expect((asks[0] ?? Infinity) > (bids[0] ?? 0)).toBe(true);
      expect(asks).toEqual([...asks].sort((x, y) => x - y));
      expect(bids).toEqual([...bids].sort((x, y) => y - x));
    }
  });

  test("tick() emits 'trade' with the new quote", () => {
    const s = make(1);
    const seen: Quote[] = [];
    s.on('trade', (q) => seen.push(q));
    const q = s.tick('005930');
    expect(seen).toEqual([q]);
    expect(q.lastQty).not.toBe(0);
    expect(s.now()).toBe('100000');
  });
});

describe('market clock', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  test('moves the market on its own and stops at close()', async () => {
    emu = await startEmulator({ marketTicksPerSecond: 200 });
    const first = await new Promise<Quote>((resolve) => emu?.state.once('trade', resolve));
    expect(emu.state.quote(first.code)).toBeDefined();
    await emu.close();
    let after = 0;
    emu.state.on('trade', () => after++);
    await new Promise((r) => setTimeout(r, 30));
    expect(after).toBe(0);
  });
});

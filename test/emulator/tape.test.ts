/**
 * The trade tape the tick TRs (ka10003, ka10079) read: the most recent trades of a code, oldest
 * first, bounded, through growth and any number of wraps of its ring.
 */
import { describe, expect, test } from 'vitest';
import { Tape, type Trade } from '../../src/emulator/state/tape.js';
import { createEmulatorState } from '../../src/emulator/state/index.js';

/** The n-th trade of a sequence, with a time that keeps its leading zero (09:MM:SS). */
function nth(n: number): { time: string; price: number; lastQty: number; volume: number; value: number } {
  const time = `09${String(Math.floor(n / 60) % 60).padStart(2, '0')}${String(n % 60).padStart(2, '0')}`;
  return { time, price: 70_000 + (n % 37) * 100, lastQty: n % 2 === 0 ? n + 1 : -(n + 1), volume: 1_000 + n, value: 5e10 + n * 70_000.5 };
}

const asTrade = (q: ReturnType<typeof nth>): Trade => ({ time: q.time, price: q.price, qty: q.lastQty, volume: q.volume, value: q.value });

describe('trade tape', () => {
  test.each([1, 5, 64, 65, 100, 300])('a tape of capacity %i holds the latest trades oldest first at every count through three wraps', (capacity) => {
    const tape = new Tape(capacity);
    const printed: Trade[] = [];
    for (let n = 0; n < capacity * 3 + 7; n++) {
      tape.push(nth(n));
      printed.push(asTrade(nth(n)));
      expect(tape.length).toBe(Math.min(n + 1, capacity));
      // Checked at every count near the edges (growth, first wrap), sampled elsewhere.
      if (n < 3 || Math.abs(n + 1 - capacity) <= 2 || n % 17 === 0) expect(tape.trades(), `after ${n + 1}`).toEqual(printed.slice(-capacity));
    }
    expect(tape.trades()).toEqual(printed.slice(-capacity));
  });

  test('an empty tape reads no trades, and a read is a copy the next trade does not change', () => {
    const tape = new Tape(3);
    expect(tape.trades()).toEqual([]);
    tape.push(nth(0));
    const read = tape.trades();
    tape.push(nth(1));
    expect(read).toEqual([asTrade(nth(0))]);
  });

  test.each([0, -1, 1.5, Number.NaN])('capacity %s is refused', (capacity) => {
    expect(() => new Tape(capacity)).toThrow(RangeError);
  });

  test("the market's tape holds a code's last 2,000 trades, the newest being the quote's last trade", () => {
    const state = createEmulatorState({ seed: 3, mode: 'prod', marketHours: 'always-open', nowMs: () => Date.UTC(2026, 10, 25, 0, 30, 0) });
    const volumes: number[] = [];
    for (let i = 0; i < 2_345; i++) volumes.push(state.tick('005930').volume);
    const tape = state.market.tape('005930');
    expect(tape).toHaveLength(2_000);
    expect(tape.map((t) => t.volume)).toEqual(volumes.slice(-2_000));
    const q = state.quote('005930');
    expect(tape.at(-1)).toEqual({ time: '093000', price: q?.price, qty: q?.lastQty, volume: q?.volume, value: q?.value });
    // Each trade's quantity is the step between accumulated volumes.
    expect(tape.slice(1).every((t, i) => Math.abs(t.qty) === t.volume - (tape[i] as Trade).volume)).toBe(true);
    expect(state.market.tape('000660')).toEqual([]);
  });
});

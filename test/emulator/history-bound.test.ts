/**
 * The emulator's chart history is bounded: a client that reads every code's whole day history
 * (a backtest's download) must not grow the emulator without end, and a series dropped to keep
 * the bound reads the same bars when asked for again.
 */
import { describe, expect, test } from 'vitest';
import { createEmulatorState } from '../../src/emulator/state/index.js';
import { History } from '../../src/emulator/state/history.js';

/** 2026-11-25 10:00 KST, a Wednesday. */
const NOW = Date.UTC(2026, 10, 25, 1, 0, 0);
const state = createEmulatorState({ seed: 7, mode: 'prod', marketHours: 'always-open', nowMs: () => NOW });
const source = { stock: (c: string) => state.stock(c), quote: (c: string) => state.quote(c), master: () => state.master, nowMs: () => NOW };
const codes = state.master.slice(0, 8).map((s) => s.code);

describe('chart history held within a bound', () => {
  test('reading eight codes 1,500 days deep holds at most the bound plus the latest code, and an evicted code reads the same bars again', () => {
    const bound = 3_000;
    const history = new History(7, source, bound);
    const first = history.daily(codes[0] as string, 'KRX', { count: 1_500 });
    expect(first.length).toBeGreaterThan(1_500);
    let peak = 0;
    for (const code of codes.slice(1)) {
      const bars = history.daily(code, 'KRX', { count: 1_500 });
      peak = Math.max(peak, history.heldBars);
      expect(history.heldBars, code).toBeLessThanOrEqual(bound + bars.length);
    }
    // Eight codes of ~1,500 bars each were read; unbounded, all ~12,000 would be held.
    expect(peak).toBeLessThan(bound + 1_800);
    expect(history.daily(codes[0] as string, 'KRX', { count: 1_500 })).toEqual(first);
  });

  test('a code in use is kept: the least recently used code is dropped, not the first one read', () => {
    const history = new History(7, source, 1_400);
    const a = codes[0] as string;
    history.daily(a, 'KRX', { count: 1_000 });
    for (const code of codes.slice(1, 5)) {
      history.daily(code, 'KRX', { count: 250 });
      // Each second code pushes the total past the bound and one code goes: never a, which was
      // read since, so reading it again draws nothing.
      const held = history.heldBars;
      history.daily(a, 'KRX', { count: 1_000 });
      expect(history.heldBars, code).toBe(held);
    }
  });

  test('the emulator state\'s own history is bounded by default and agrees with a fresh unbounded read', () => {
    const fresh = new History(7, source, Number.POSITIVE_INFINITY);
    const code = codes[3] as string;
    expect(state.history.daily(code, 'KRX', { count: 600 })).toEqual(fresh.daily(code, 'KRX', { count: 600 }));
    expect(state.history.heldBars).toBeLessThanOrEqual(250_000);
  });
});

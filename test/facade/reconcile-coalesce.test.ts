/**
 * Reconciliation after WebSocket gaps is coalesced (issue 10 §2): a server that drops every
 * session right after LOGIN brings a reconnect every few hundred ms, and each reconciliation
 * costs kt00007 + ka10075. At most one runs at a time and at most one starts per interval;
 * chejan delivery stays held until the reconciliation that covers the last gap has run.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ChejanBook } from '../../src/facade/chejan.js';
import type { RestPort } from '../../src/facade/ports.js';
import { Reconciler } from '../../src/facade/reconcile.js';
import { silentLogger } from '../../src/log.js';

const INTERVAL = 1_000;
const QUERY_MS = 50;

function setup(): { reconciler: Reconciler; book: ChejanBook; calls: string[]; inFlight: { now: number; max: number } } {
  const calls: string[] = [];
  const inFlight = { now: 0, max: 0 };
  const answer = async (apiId: string): Promise<{ body: Record<string, unknown>; truncated: boolean; pages: readonly unknown[] }> => {
    calls.push(apiId);
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    await new Promise((r) => setTimeout(r, QUERY_MS));
    inFlight.now--;
    return { body: {}, truncated: false, pages: [] };
  };
  const rest: RestPort = {
    call: async (apiId) => ({ ...(await answer(apiId)), headers: {} }) as never,
    collect: (apiId) => answer(apiId),
  };
  const book = new ChejanBook(() => undefined, []);
  const reconciler = new Reconciler(rest, book, () => '1234567890', silentLogger(), { gapIntervalMs: INTERVAL });
  return { reconciler, book, calls, inFlight };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('reconciliations after gaps', () => {
  test('40 reconnects in 10 s start at most one reconciliation per interval, one at a time', async () => {
    const { reconciler, calls, inFlight } = setup();
    for (let i = 0; i < 40; i++) {
      reconciler.onDisconnected();
      void reconciler.onReconnected();
      await vi.advanceTimersByTimeAsync(250);
    }
    await vi.advanceTimersByTimeAsync(INTERVAL + 5 * QUERY_MS);
    const runs = calls.filter((c) => c === 'kt00007').length;
    // 10.25 s of gaps and one interval after them: 11 or 12 runs, not 40.
    expect(runs).toBeGreaterThanOrEqual(10);
    expect(runs).toBeLessThanOrEqual(12);
    expect(reconciler.gapRuns).toBe(runs);
    expect(inFlight.max).toBeLessThanOrEqual(2); // kt00007 and ka10075 of one run, never two runs
  });

  test('a reconnect within the interval still gets its reconciliation, and delivery waits for it', async () => {
    const { reconciler, book } = setup();
    const hold = vi.spyOn(book, 'hold');
    const release = vi.spyOn(book, 'release');
    reconciler.onDisconnected();
    const first = reconciler.onReconnected();
    await vi.advanceTimersByTimeAsync(2 * QUERY_MS + 10);
    await first;
    reconciler.onDisconnected();
    let secondDone = false;
    void reconciler.onReconnected().then(() => { secondDone = true; });
    await vi.advanceTimersByTimeAsync(INTERVAL / 2);
    // Not yet due: the gap's hold is still on (one more hold than releases).
    expect(secondDone).toBe(false);
    expect(hold.mock.calls.length - release.mock.calls.length).toBe(1);
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(secondDone).toBe(true);
    expect(hold.mock.calls.length).toBe(release.mock.calls.length);
    expect(reconciler.gapRuns).toBe(2);
  });

  test('endGap (the session ended for good) drops the reconciliation still due and releases delivery', async () => {
    const { reconciler, book, calls } = setup();
    const release = vi.spyOn(book, 'release');
    reconciler.onDisconnected();
    void reconciler.onReconnected();
    await vi.advanceTimersByTimeAsync(2 * QUERY_MS + 10);
    reconciler.onDisconnected();
    const waiting = reconciler.onReconnected();
    reconciler.endGap();
    await waiting;
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(calls.filter((c) => c === 'kt00007')).toHaveLength(1);
    expect(release).toHaveBeenCalled();
  });
});

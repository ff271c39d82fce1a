/**
 * The REG pacer's budget belongs to one connection. A restore of 20 groups takes 4 s at the
 * live 5 per second; when the socket drops in the middle, the slots still queued must be given
 * up at once, or the next connection's restore waits behind messages that can no longer go out.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { SendPacer } from '../../src/realtime/pacer.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

test('five per window, the rest in order as the window moves', async () => {
  const pacer = new SendPacer(5, 1_000);
  const at: number[] = [];
  const start = Date.now();
  const all = Array.from({ length: 12 }, () =>
    pacer.slot().then((answered) => {
      at.push(Date.now() - start);
      answered();
    }),
  );
  await vi.advanceTimersByTimeAsync(3_000);
  await Promise.all(all);
  expect(at.filter((t) => t < 1_000)).toHaveLength(5);
  expect(at.filter((t) => t >= 1_000 && t < 2_000)).toHaveLength(5);
  expect(at).toEqual([...at].sort((a, b) => a - b));
});

test('a dropped connection refuses the slots still waiting, and the next one starts with a full budget', async () => {
  const pacer = new SendPacer(5, 1_000);
  const gone = new Error('socket closed');
  const old = Array.from({ length: 20 }, () => pacer.slot());
  const outcomes = old.map((p) => p.then(() => 'sent', (e: unknown) => (e === gone ? 'refused' : 'other')));
  await vi.advanceTimersByTimeAsync(10);
  pacer.reset(gone);
  // The new connection's five go out at once, not after the old connection's fifteen.
  let freshSent = 0;
  for (let i = 0; i < 5; i++) void pacer.slot().then(() => freshSent++);
  await vi.advanceTimersByTimeAsync(10);
  expect(freshSent).toBe(5);
  expect(await Promise.all(outcomes)).toEqual([...Array(5).fill('sent'), ...Array(15).fill('refused')]);
});

test('a message counts from its answer: a late answer delays the next window, as the server counts arrivals', async () => {
  const pacer = new SendPacer(5, 1_000);
  const answers = await Promise.all(Array.from({ length: 5 }, () => pacer.slot()));
  let sixth = -1;
  const start = Date.now();
  void pacer.slot().then(() => (sixth = Date.now() - start));
  // The five answers come 600 ms after the sends (a slow network or server).
  await vi.advanceTimersByTimeAsync(600);
  for (const answered of answers) answered();
  await vi.advanceTimersByTimeAsync(900);
  expect(sixth).toBe(-1); // counted from the send it would have gone at 1,000 ms
  await vi.advanceTimersByTimeAsync(200);
  expect(sixth).toBeGreaterThanOrEqual(1_600);
  expect(sixth).toBeLessThanOrEqual(1_610);
});

/**
 * The session's healthy window, which resets the reconnect back-off, on a fake clock against
 * the loopback fake.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RealtimeSession } from '../../src/realtime/index.js';
import { fakeTokens, startFake, until, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rt: RealtimeSession | undefined;

beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  vi.useRealTimers();
  await rt?.close();
  rt = undefined;
  await fake.close();
});

it("a session dropped before healthyAfterMs keeps the back-off growing, whatever an earlier session's window would have said", async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  rt = new RealtimeSession({ rest: fakeTokens(), wsUrl: fake.wsUrl, healthyAfterMs: 100, reconnect: { initialDelayMs: 10, maxDelayMs: 1_000, factor: 2, jitter: 0 } });
  const s = rt;
  const delays: number[] = [];
  s.on('reconnecting', (_attempt, delay) => delays.push(delay));
  await s.connect();
  vi.advanceTimersByTime(50);
  // Dropped at 50 ms: the first session's window (to 100 ms) is void.
  fake.drop();
  await until(() => s.state === 'reconnecting' && delays.length === 1);
  vi.advanceTimersByTime(10);
  await until(() => fake.logins() === 2 && s.state === 'open');
  // At 105 ms: past the first session's window, 45 ms into the second's.
  vi.advanceTimersByTime(45);
  fake.drop();
  await until(() => delays.length === 2);
  expect(delays).toEqual([10, 20]);
});

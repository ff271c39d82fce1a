/**
 * A session whose socket is read elsewhere (RealtimeSession.relayStream: the Python bridge's
 * stream worker): it opens its sockets through the relay, tells it which (type, item) pairs it
 * wants whenever that changes, and counts the frames the relay took, so that its heartbeat
 * does not take a stream it never saw for silence.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { RealtimeSession, type StreamRelay } from '../../src/realtime/index.js';
import { openSocket } from '../../src/realtime/socket.js';
import { sessionOn, startFake, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rt: RealtimeSession | undefined;

beforeEach(async () => {
  fake = await startFake({ maxItemsPerReg: 2 });
});
afterEach(async () => {
  await rt?.close();
  rt = undefined;
  await fake.close();
});

/** A relay that opens real sockets and records what it is told. */
function relay(): StreamRelay & { opened: string[]; told: [string, string[]][][] } {
  const opened: string[] = [];
  const told: [string, string[]][][] = [];
  return {
    opened,
    told,
    open: (url: string, timeoutMs: number, maxPayload: number): Promise<WebSocket> => {
      opened.push(url);
      return openSocket(url, timeoutMs, maxPayload);
    },
    wanted: (pairs) => told.push(pairs),
  };
}

const sorted = (pairs: [string, string[]][]): [string, string[]][] => pairs.map(([t, items]) => [t, [...items].sort()] as [string, string[]]).sort();

describe('a session read through a relay', () => {
  it('opens its sockets through the relay and tells it the wanted pairs at once and on every change, a refused REG included', async () => {
    const r = relay();
    rt = sessionOn(fake);
    rt.relayStream(r);
    expect(r.told).toEqual([[]]);
    await rt.connect();
    expect(r.opened).toEqual([rt.url]);
    await rt.register('1', ['005930', '000660'], ['0B', '0D']);
    expect(sorted(r.told.at(-1)!)).toEqual([
      ['0B', ['000660', '005930']],
      ['0D', ['000660', '005930']],
    ]);
    await rt.remove('1', ['000660']);
    expect(sorted(r.told.at(-1)!)).toEqual([
      ['0B', ['005930']],
      ['0D', ['005930']],
    ]);
    // The fake refuses a REG of more than 2 items: the pairs it named are no longer wanted.
    await expect(rt.register('2', ['035420', '035720', '068270'], ['0B'])).rejects.toThrow();
    expect(sorted(r.told.at(-1)!)).toEqual([
      ['0B', ['005930']],
      ['0D', ['005930']],
    ]);
    expect(r.told.length).toBe(5);
  });

  it("counts the relay's frames and entries in stats(), and its heartbeat sees them: no reconnect while only the relay reads", async () => {
    rt = sessionOn(fake, { pingIntervalMs: 20, heartbeatMisses: 2 });
    rt.relayStream(relay());
    await rt.connect();
    const before = rt.stats();
    const feeding = setInterval(() => rt!.countRelayed(1, 3), 5);
    await new Promise((resolve) => setTimeout(resolve, 200));
    clearInterval(feeding);
    expect(fake.logins()).toBe(1);
    const after = rt.stats();
    expect(after.framesIn - before.framesIn).toBeGreaterThanOrEqual(10);
    expect(after.dispatched - before.dispatched).toBe(3 * (after.framesIn - before.framesIn));
    // Silence now: the heartbeat ends the socket and the session logs in again.
    await fake.waitFor(() => fake.logins() > 1);
  });

  it('says whether a REAL entry would be delivered at once: not while paused', async () => {
    rt = sessionOn(fake);
    expect(rt.realIdle).toBe(true);
    rt.pause();
    expect(rt.realIdle).toBe(false);
    rt.resume();
    expect(rt.realIdle).toBe(true);
  });
});

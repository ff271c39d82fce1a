/**
 * End to end: KiwoomRest for the token, RealtimeSession over the built-in emulator's
 * WebSocket, faults injected by the emulator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SessionError } from '../../src/errors.js';
import { RealtimeSession, type RealEvent, type SystemEvent } from '../../src/realtime/index.js';
import { KiwoomRest } from '../../src/rest/index.js';

let emu: Emulator;
let rt: RealtimeSession;
let rest: KiwoomRest;

beforeEach(async () => {
  emu = await startEmulator({ seed: 3, realRate: 2_000, pingIntervalMs: 40 });
  rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
  rt = new RealtimeSession({ rest, reconnect: { initialDelayMs: 5, maxDelayMs: 50 } });
});
afterEach(async () => {
  await rt.close();
  await emu.close();
});

const until = async (pred: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('against the emulator', () => {
  it('finds the WebSocket from the REST base URL, logs in, keeps the session alive and streams what was registered', async () => {
    expect(rt.url).toBe(`${emu.wsUrl}/api/dostk/websocket`);
    const system: SystemEvent[] = [];
    const seen: RealEvent[] = [];
    rt.on('system', (e) => system.push(e));
    rt.on('real', (e) => seen.push(e));
    await rt.connect();
    await rt.register('1', ['005930', '000660'], ['0B', '0D']);
    // 10 server PINGs at 40 ms: without echoes the emulator would have sent R10002 after 5
    await new Promise((r) => setTimeout(r, 400));
    expect(system).toEqual([]);
    expect(rt.stats().reconnects).toBe(0);
    expect(seen.length).toBeGreaterThan(50);
    expect(new Set(seen.map((e) => e.type))).toEqual(new Set(['0B', '0D']));
    expect(new Set(seen.map((e) => e.item))).toEqual(new Set(['005930', '000660']));
    expect(seen.find((e) => e.type === '0B')?.values['10']).toMatch(/^[+-]?\d+$/);
  });

  it('lists conditions, runs a one-shot search and a real-time one', async () => {
    await rt.connect();
    const list = await rt.conditions();
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]).toEqual({ seq: '0', name: expect.any(String) as string });
    const codes = await rt.search('1');
    expect(codes).toHaveLength(20);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    const live = await rt.search('1', { realtime: true });
    expect(live.sort()).toEqual([...codes].sort());
    await rt.stopSearch('1');
    expect(rt.realtimeConditions()).toEqual([]);
  });

  it('comes back from forced drops with its subscriptions, and data flows again', async () => {
    let real = 0;
    rt.on('real', () => real++);
    await rt.connect();
    await rt.register('1', ['005930'], ['0B']);
    await rt.search('1', { realtime: true });
    for (let i = 0; i < 5; i++) {
      const back = new Promise((r) => rt.once('reconnected', r));
      emu.faults.dropWebSockets();
      await back;
    }
    const before = real;
    await until(() => real > before + 10);
    expect(rt.stats().reconnects).toBe(5);
    expect(emu.stats().wsSessions).toBe(1);
  });

  it('re-issues the token when the emulator refuses a LOGIN after a drop', async () => {
    await rt.connect();
    await rt.register('1', ['005930'], ['0B']);
    const issued = emu.stats().tokensIssued;
    emu.faults.rejectNextLogin(1);
    const back = new Promise((r) => rt.once('reconnected', r));
    emu.faults.dropWebSockets();
    await back;
    expect(emu.stats().tokensIssued).toBe(issued + 1);
    let real = 0;
    rt.on('real', () => real++);
    await until(() => real > 5);
  });

  it('survives garbled frames, counting them', async () => {
    let real = 0;
    rt.on('real', () => real++);
    await rt.connect();
    await rt.register('1', ['005930'], ['0B']);
    // Fewer than 5 PING intervals' worth (about 1,100 frames/s of 2,000 entries/s in frames of
    // 1 to 3): a longer garble also eats the PINGs, and the server ends the session (R10002).
    emu.faults.garble(150);
    await until(() => Object.values(rt.stats().badFrames).reduce((a, b) => a + b, 0) >= 125);
    const before = real;
    await until(() => real > before + 10);
    expect(rt.state).toBe('open');
  });

  it('stops on R10001 without reconnecting', async () => {
    await rt.connect();
    const failed = new Promise<Error>((r) => rt.once('error', r));
    emu.faults.kickSession();
    const error = await failed;
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe('R10001');
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.stats().wsSessions).toBe(0);
    expect(rt.state).toBe('closed');
  });
});

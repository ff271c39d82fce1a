/**
 * A server that ends every WebSocket session right after LOGIN (abruptly, or with SYSTEM
 * R10002): CommConnect answers -101 within its deadline instead of hanging, later calls fail
 * with a code within theirs, the reconnect backoff keeps growing until a session stays up for
 * a while, and the reconciliations after the gaps are coalesced.
 *
 * The short form runs the real configuration with every interval divided by SCALE over a
 * 60 s / SCALE window; `FAULTS_LONG=1` runs it unscaled over 60 s (the README's figures).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { APIServer } from '../../src/facade/index.js';
import { RealtimeSession } from '../../src/realtime/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { LONG, captureLogs, openEmulatedApi, recordFigures, recordIssuedTokens, sleep, waitUntil } from './harness.js';

const SCALE = LONG ? 1 : 20;
const WINDOW_MS = 60_000 / SCALE;
/** The library's defaults, scaled: backoff 500 ms → 30 s, healthy after 30 s, 30 s to open, a reconciliation per 10 s. */
const REALTIME = {
  reconnect: { initialDelayMs: 500 / SCALE, maxDelayMs: 30_000 / SCALE },
  healthyAfterMs: 30_000 / SCALE,
  openTimeoutMs: 30_000 / SCALE,
};
const RECONCILE = { gapIntervalMs: 10_000 / SCALE };
const DROP_AFTER_MS = 300 / SCALE;
const logs = captureLogs();
const tokens = recordIssuedTokens();
const figures: Record<string, number> = {};

let api: APIServer | undefined;
afterEach(async () => {
  await api?.cleanup();
  api = undefined;
});

async function open(): Promise<{ api: APIServer; emu: Emulator }> {
  const opened = await openEmulatedApi(logs, tokens, { realtime: REALTIME, reconcile: RECONCILE });
  api = opened.api;
  return opened;
}

describe('a server that drops every session right after LOGIN', () => {
  test('CommConnect answers OnEventConnect(-101) within its deadline instead of waiting forever', async () => {
    const { api, emu } = await open();
    emu.faults.dropAfterLogin(0);
    const events: number[] = [];
    api.on('OnEventConnect', (code) => events.push(code));
    const started = Date.now();
    expect(await api.CommConnect()).toBe(-101);
    const took = Date.now() - started;
    expect(events).toEqual([-101]);
    expect(took).toBeLessThan(REALTIME.openTimeoutMs + 5_000);
    expect(api.GetLastError()?.message).toMatch(/not open within/);
    // Nothing waits on a session that never opened: later calls answer at once with a code.
    expect(await api.SetRealReg('1000', '005930', '10', '0')).toBe(-101);
    figures['flapCommConnectMs'] = took;
  }, 60_000);

  test('a call made while every session drops fails with a code within its deadline', async () => {
    const { api, emu } = await open();
    expect(await api.CommConnect()).toBe(0);
    emu.faults.dropAfterLogin(0);
    emu.faults.dropWebSockets();
    const started = Date.now();
    expect(await api.SetRealReg('1000', '005930', '10', '0')).toBe(-106);
    expect(Date.now() - started).toBeLessThan(REALTIME.openTimeoutMs + 5_000);
    expect(api.GetLastError()?.message).toMatch(/not open within/);
    emu.faults.dropAfterLogin(false);
  }, 60_000);

  test.each(['close', 'R10002'] as const)(
    'dropped (%s) after each LOGIN for a minute: the backoff grows, and reconciliations are coalesced',
    async (how) => {
      const { api, emu } = await open();
      expect(await api.CommConnect()).toBe(0);
      await sleep(200);
      const logins0 = emu.stats().wsLogins;
      const requests0 = emu.requestLog().length;
      emu.faults.dropAfterLogin(DROP_AFTER_MS, how);
      emu.faults.dropWebSockets();
      await sleep(WINDOW_MS);
      emu.faults.dropAfterLogin(false);
      const reconnects = emu.stats().wsLogins - logins0;
      const calls = emu.requestLog().slice(requests0).filter((r) => r.apiId !== undefined);
      const reconciliations = calls.filter((r) => r.apiId === 'kt00007').length;
      // Backoff 500 ms doubling to 30 s, less up to half at random: 6 to 10 reconnects in a
      // minute. Without the growth (each LOGIN starting over at 500 ms) it was about 90.
      expect(reconnects).toBeGreaterThanOrEqual(4);
      expect(reconnects).toBeLessThanOrEqual(12);
      // One reconciliation per 10 s at most: 7 in a minute, two queries each (no orders today).
      expect(reconciliations).toBeLessThanOrEqual(WINDOW_MS / RECONCILE.gapIntervalMs + 1);
      expect(calls.length).toBeLessThanOrEqual(2 * (WINDOW_MS / RECONCILE.gapIntervalMs + 1) + 2);
      figures[`flap${how}Reconnects`] = reconnects;
      figures[`flap${how}RestCalls`] = calls.length;
      figures[`flap${how}Reconciliations`] = reconciliations;
      // Once the server keeps sessions again, the session comes back and stays.
      await waitUntil(() => emu.stats().wsSessions === 1 && emu.wsHeld().length === 1, 'the session to be back', REALTIME.reconnect.maxDelayMs * 2 + 5_000);
    },
    WINDOW_MS + 60_000,
  );

  test('the backoff starts over only after a session stayed up for healthyAfterMs', async () => {
    const emu = await startEmulator({ realRate: 0 });
    const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
    const rt = new RealtimeSession({ rest, reconnect: { initialDelayMs: 10, maxDelayMs: 80, jitter: 0 }, healthyAfterMs: 400 });
    const delays: number[] = [];
    rt.on('reconnecting', (_attempt, delay) => delays.push(delay));
    try {
      await rt.connect();
      emu.faults.dropAfterLogin(5);
      emu.faults.dropWebSockets();
      await waitUntil(() => delays.length >= 6, 'six reconnects');
      emu.faults.dropAfterLogin(false);
      // Doubling from one drop to the next although each LOGIN succeeded, up to the cap.
      expect(delays.slice(0, 5)).toEqual([10, 20, 40, 80, 80]);
      await waitUntil(() => rt.state === 'open' && emu.stats().wsSessions === 1, 'a session that stays');
      await sleep(600);
      const before = delays.length;
      emu.faults.dropWebSockets();
      await waitUntil(() => delays.length > before, 'the next reconnect');
      expect(delays[before]).toBe(10);
    } finally {
      await rt.close();
      await rest.close();
      await emu.close();
    }
  });
});

test('figures', () => {
  recordFigures('login-flap', { ...figures, flapWindowMs: WINDOW_MS, flapScale: SCALE });
});

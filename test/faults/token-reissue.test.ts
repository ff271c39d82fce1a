/**
 * au10001 answering a re-issue with the token already held and its expiry (LIVE.md row 29, the
 * emulator's reissueSameToken fault). The token manager must not take the unchanged expiry as
 * "still due" and ask again and again as the expiry nears: it keeps the token until it expires,
 * then gets a fresh one, every query succeeds, and the WebSocket session stays logged in.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { RealtimeSession } from '../../src/realtime/index.js';
import { KiwoomRest } from '../../src/rest/index.js';

const LIFETIME_MS = 86_400_000;
const MARGIN_MS = 5 * 60_000;

let now = Date.now();
let emu: Emulator;
let rest: KiwoomRest;
let rt: RealtimeSession;

beforeEach(async () => {
  now = Date.now();
  emu = await startEmulator({ seed: 3, realRate: 100, clock: () => now, websocket: { loginDelayMs: 0 } });
  rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl, now: () => now, tokenRefreshMarginMs: MARGIN_MS });
  rt = new RealtimeSession({ rest, reconnect: { initialDelayMs: 5, maxDelayMs: 20 } });
});
afterEach(async () => {
  await rt.close();
  await rest.close();
  await emu.close();
});

const issues = (): number => emu.stats().byApiId['au10001'] ?? 0;

test('a re-issue that returns the same token is kept until its expiry: one au10001 in the margin, then a fresh token', async () => {
  emu.faults.reissueSameToken();
  const first = await rest.token();
  const expiry = now + LIFETIME_MS;
  await rt.connect();
  await rt.register('1', ['005930'], ['0B']);
  let ticks = 0;
  rt.on('real', () => ticks++);

  // Through the margin in 5 s steps asking for the token, a query each minute: the clock
  // passes the re-issue point once.
  now = expiry - MARGIN_MS - 1_000;
  const before = issues();
  const answers: number[] = [];
  for (let step = 1; now < expiry - 5_000; step++) {
    now += 5_000;
    expect(await rest.token()).toBe(first);
    if (step % 12 === 0) answers.push(Number((await rest.call('ka10001', { stk_cd: '005930' })).body.return_code));
  }
  expect(answers).toEqual([0, 0, 0, 0, 0]);
  expect(issues() - before).toBe(1);

  // The token expired at the server: the next call gets a fresh one, once.
  now = expiry + 1_000;
  await rest.call('ka10001', { stk_cd: '005930' });
  const second = await rest.token();
  expect(second).not.toBe(first);
  expect(issues() - before).toBe(2);

  // The WebSocket never logged in again and still streams.
  const seen = ticks;
  while (ticks === seen) await new Promise((r) => setTimeout(r, 10));
  expect(rt.state).toBe('open');
  expect(rt.stats().reconnects).toBe(0);
  expect(emu.stats().wsLogins).toBe(1);
});

test('a LOGIN refused once and re-issued the same token logs in with it: no loop, one extra au10001', async () => {
  emu.faults.reissueSameToken();
  await rest.token();
  const before = issues();
  emu.faults.rejectNextLogin(1);
  await rt.connect();
  expect(rt.state).toBe('open');
  expect(issues() - before).toBe(1);
  expect(emu.stats().wsLogins).toBe(1);
});

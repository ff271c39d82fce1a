/**
 * SYSTEM R10001 (another login with the same app key took the WebSocket session): the adapter
 * stops and says why, and does not reconnect, which would only take the session back from the
 * other program and start a storm. Connection attempts are counted by a TCP relay in front of
 * the emulator's WebSocket.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { APIServer } from '../../src/facade/index.js';
import { startRelay, type Relay } from './relay.js';
import { LONG, captureLogs, countSecrets, echoSecrets, recordFigures, recordIssuedTokens, sleep, waitUntil } from './harness.js';

const logs = captureLogs();
const tokens = recordIssuedTokens();
const QUIET_MS = LONG ? 10_000 : 1_500;

let emu: Emulator;
let api: APIServer;
let ws: Relay;
let echoed = 0;
let afterTakeover = NaN;

beforeAll(async () => {
  emu = await startEmulator({ mode: 'mock', seed: 12, realRate: 100 });
  tokens.track(emu);
  ws = await startRelay(Number(new URL(emu.wsUrl).port));
  api = new APIServer();
  await api.api_init({
    sim_no: 1,
    use_rest: true,
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    endpoints: { rest: emu.restUrl, ws: ws.url.replace(/^http/, 'ws') },
    logger: logs.logger,
    rest: { limits: { mockQuery: 5 } },
    realtime: { reconnect: { initialDelayMs: 10, maxDelayMs: 50 } },
  });
  expect(await api.CommConnect()).toBe(0);
  // The session ends with the takeover: the secrets known so far are echoed now.
  echoed = await echoSecrets(api, [emu.appkey, emu.secretkey, ...tokens]);
});

afterAll(async () => {
  await api?.cleanup();
  await ws?.close();
  await emu?.close();
});

describe('SYSTEM R10001 mid-session', () => {
  test('the adapter stops, says why, and makes no further connection attempt', async () => {
    let realData = 0;
    api.on('OnReceiveRealData', () => realData++);
    expect(await api.SetRealReg('1000', '005930;000660', '10;15;20', '0')).toBe(0);
    await waitUntil(() => realData > 0, 'real data before the takeover');
    const attemptsBefore = ws.connections();
    expect(attemptsBefore).toBe(1);

    emu.faults.kickSession();
    await waitUntil(() => logs.lines.some((l) => l.includes('R10001') && l.includes('"level":50')), 'an error line naming R10001');
    await sleep(QUIET_MS);

    // No reconnect storm: not a single new connection, and the emulator holds no session.
    expect(ws.connections()).toBe(attemptsBefore);
    expect(emu.wsHeld()).toEqual([]);
    // It says why, in words a user can act on.
    const why = logs.lines.filter((l) => l.includes('R10001')).map((l) => JSON.parse(l) as { msg: string; err?: string });
    expect(why.some((l) => /another login/i.test(`${l.msg} ${l.err ?? ''}`))).toBe(true);
    // Real-time calls now fail with an OCX code (-106 socket closed) instead of hanging or reconnecting.
    expect(await api.SetRealReg('1001', '035720', '10', '0')).toBe(-106);
    expect(ws.connections()).toBe(attemptsBefore);
    afterTakeover = ws.connections() - attemptsBefore;
  });

  test('no app key, secret key or token in any log line of this file', () => {
    const found = countSecrets(logs.lines, [emu.appkey, emu.secretkey, ...tokens], echoed);
    recordFigures('session-takeover', {
      takeovers: 1,
      connectionAttemptsAfterTakeover: afterTakeover,
      logLinesScanned: logs.lines.length,
      tokensIssued: tokens.size,
      secretsFound: found,
    });
    expect(found).toBe(0);
  });
});

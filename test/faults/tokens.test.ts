/**
 * The token expired, then revoked, in the middle of a session that queries and streams: no
 * query fails (the REST client re-issues once on rejection), and when the WebSocket drops
 * right after, its LOGIN with the dead token is refused and it logs in again with a new one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { APIServer } from '../../src/facade/index.js';
import { LONG, captureLogs, countSecrets, echoSecrets, recordFigures, recordIssuedTokens, sleep, waitUntil, openEmulatedApi } from './harness.js';

const ROUNDS = LONG ? 20 : 2;
const logs = captureLogs();
const tokens = recordIssuedTokens();
const figures = { tokenFaults: 0, queriesDuringTokenFaults: 0, queriesFailed: 0, wsRelogins: 0 };

let api: APIServer;
let emu: Emulator;
let realData = 0;

beforeAll(async () => {
  ({ api, emu } = await openEmulatedApi(logs, tokens, {
    realtime: { reconnect: { initialDelayMs: 10, maxDelayMs: 80 } },
    rest: { limits: { perApiId: 20, query: 20, global: 40 } },
    emulator: { seed: 4, realRate: 200, rateLimits: { perApiId: 50, global: 200 } },
  }));
  api.on('OnReceiveRealData', () => realData++);
  expect(await api.CommConnect()).toBe(0);
  expect(await api.SetRealReg('1000', '005930;000660', '10;15;20', '0')).toBe(0);
});

afterAll(async () => {
  await api?.cleanup();
});

/** Queries one after another until told to stop; returns every CommRqData return code. */
async function queries(stop: () => boolean, returns: number[] = []): Promise<number[]> {
  for (let n = 0; !stop(); n++) {
    api.SetInputValue('종목코드', n % 2 === 0 ? '005930' : '000660');
    returns.push(await api.CommRqData(`q${n}`, 'opt10001', 0, '0101'));
  }
  return returns;
}

describe.each([
  ['expired', (e: Emulator) => e.faults.expireTokens()],
  ['revoked', (e: Emulator) => e.faults.revokeTokens()],
])('token %s mid-session', (_kind, kill) => {
  test('no query fails and the WebSocket logs in again with a new token', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const issuedBefore = emu.stats().tokensIssued;
      let stop = false;
      const returns: number[] = [];
      const running = queries(() => stop, returns);
      await sleep(100);
      kill(emu);
      const atKill = returns.length;
      figures.tokenFaults++;
      // The socket drops before any REST call re-issues: its LOGIN carries the dead token.
      emu.faults.dropWebSockets();
      await waitUntil(() => emu.wsHeld().length === 1 && Object.keys(emu.wsHeld()[0]!.groups).length === 2, 'the WebSocket to log in again and restore');
      figures.wsRelogins++;
      const seen = realData;
      await waitUntil(() => realData > seen, 'real data after the new login');
      // Queries paced by the facade (about 5/s) go on across the fault.
      await waitUntil(() => returns.length >= atKill + 3, 'queries after the token fault');
      stop = true;
      await running;
      figures.queriesDuringTokenFaults += returns.length;
      figures.queriesFailed += returns.filter((r) => r !== 0).length;
            expect(returns.filter((r) => r !== 0)).toEqual([]);
      expect(emu.stats().tokensIssued).toBeGreaterThan(issuedBefore);
    }
    expect(api.GetConnectState()).toBe(1);
  });
});

test('no app key, secret key or token in any log line of this file', async () => {
  const secrets = [emu.appkey, emu.secretkey, ...tokens];
  const found = countSecrets(logs.lines, secrets, await echoSecrets(api, secrets));
  recordFigures('tokens', { ...figures, logLinesScanned: logs.lines.length, tokensIssued: tokens.size, secretsFound: found });
  expect(tokens.size).toBeGreaterThan(2);
  expect(found).toBe(0);
});

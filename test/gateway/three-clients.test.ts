/**
 * Issue 16's acceptance test: the gateway against the emulator with three clients at once
 * (two APIServers through `endpoints`, one raw client written against the protocol).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIServer } from '../../src/facade/index.js';
import type { OrderEvent } from '../../src/emulator/index.js';
import { isReal, realOf } from '../emulator-ws/harness.js';
import { openApi, RawClient, startRig, upstreamPairs, waitFor, sleep, type Rig } from './helpers.js';

let rig: Rig;
let apiA: APIServer;
let apiB: APIServer;
let raw: RawClient;
/** Most sessions the emulator ever held at once, sampled every 5 ms. */
let maxSessions = 0;
let sampler: NodeJS.Timeout;
const reals = new Map<APIServer, string[]>();
const apiMessages: string[] = [];

/** `code|realTypeName` of every OnReceiveRealData an APIServer got since `from`. */
const realsOf = (api: APIServer): string[] => reals.get(api)!;

beforeAll(async () => {
  rig = await startRig();
  sampler = setInterval(() => (maxSessions = Math.max(maxSessions, rig.emu.stats().wsSessions)), 5);
  apiA = await openApi(rig.gw, rig.gw.clients.issue('strategy'));
  apiB = await openApi(rig.gw, rig.gw.clients.issue('gui'));
  for (const api of [apiA, apiB]) {
    reals.set(api, []);
    api.on('OnReceiveRealData', (code, name) => realsOf(api).push(`${code}|${name}`));
    api.on('OnReceiveMsg', (_s, _r, _t, msg) => apiMessages.push(msg));
  }
  raw = await RawClient.open(rig.gw, rig.gw.clients.issue('logger'));
}, 30_000);

afterAll(async () => {
  clearInterval(sampler);
  raw.ws.close();
  await apiA.cleanup();
  await apiB.cleanup();
  await rig.close();
});

describe('three clients through one gateway', () => {
  it('holds exactly one upstream WebSocket session and nobody is kicked (no R10001)', async () => {
    await sleep(50);
    expect(rig.emu.stats().wsSessions).toBe(1);
    expect(maxSessions).toBe(1);
    expect(apiA.GetConnectState()).toBe(1);
    expect(apiB.GetConnectState()).toBe(1);
    expect(raw.ws.frames.filter((f) => f.trnm === 'SYSTEM')).toEqual([]);
    expect(apiMessages.filter((m) => m.includes('R10001') || m.includes('실시간 연결 종료'))).toEqual([]);
  });

  it('gives each client exactly what it registered, pair by pair, and registers the union upstream', async () => {
    expect(await apiA.SetRealReg('1000', '005930', '10', '0')).toBe(0);
    expect(await apiB.SetRealReg('2000', '000660', '10', '0')).toBe(0);
    expect((await raw.reg('5', ['035720'], ['0B']))['return_code']).toBe(0);
    // 0D on a code the strategy holds under other types: only the raw client may see it.
    expect((await raw.reg('6', ['005930'], ['0D']))['return_code']).toBe(0);
    realsOf(apiA).length = 0;
    realsOf(apiB).length = 0;
    raw.ws.frames.length = 0;
    await waitFor(() => raw.ws.frames.some(isReal('0D', '005930')) && raw.ws.frames.some(isReal('0B', '035720')), 'the raw client’s streams');
    await waitFor(() => realsOf(apiA).length > 5 && realsOf(apiB).length > 5, 'both APIServers’ streams');

    expect(new Set(realsOf(apiA).map((r) => r.split('|')[0]))).toEqual(new Set(['005930']));
    expect(realsOf(apiA).some((r) => r.endsWith('주식호가잔량'))).toBe(false);
    expect(new Set(realsOf(apiB).map((r) => r.split('|')[0]))).toEqual(new Set(['000660']));
    const rawPairs = new Set(raw.ws.frames.filter((f) => f.trnm === 'REAL').flatMap((f) => realOf(f).map((e) => `${e.type}|${e.item}`)));
    expect(rawPairs).toEqual(new Set(['0D|005930', '0B|035720']));

    // Upstream: one session holding the union of what the three clients hold, nothing more.
    const held = rig.gw.status().clients.flatMap((c) => c.sessions.flatMap((s) => Object.values(s.subscriptions).flat()));
    expect(upstreamPairs(rig.emu)).toEqual([...new Set(held)].sort());
    expect(upstreamPairs(rig.emu)).toEqual(expect.arrayContaining(['00|', '04|', '0B|005930', '0B|000660', '0B|035720', '0D|005930']));
  });

  it('keeps the union right after removals, a shared pair and a client crash', async () => {
    expect((await raw.remove('6', ['005930'], ['0D']))['return_code']).toBe(0);
    await waitFor(() => !upstreamPairs(rig.emu).includes('0D|005930'), '0D|005930 removed upstream');

    // A pair two clients hold stays upstream until both let go.
    expect((await raw.reg('7', ['000660'], ['0B']))['return_code']).toBe(0);
    expect(await apiB.SetRealRemove('2000', '000660')).toBe(0);
    await waitFor(() => !upstreamPairs(rig.emu).includes('0A|000660'), 'the gui’s other 000660 types removed upstream');
    expect(upstreamPairs(rig.emu)).toContain('0B|000660');

    // The raw client crashes: its share goes, the others' stays.
    raw.ws.close();
    await waitFor(() => !upstreamPairs(rig.emu).includes('0B|035720') && !upstreamPairs(rig.emu).includes('0B|000660'), 'the crashed client’s pairs removed upstream');
    const upstream = upstreamPairs(rig.emu);
    expect(upstream).toEqual(expect.arrayContaining(['00|', '04|', '0B|005930']));
    expect(upstream.filter((p) => p.endsWith('|000660') || p.endsWith('|035720'))).toEqual([]);
    expect(rig.emu.stats().wsSessions).toBe(1);
    raw = await RawClient.open(rig.gw, rig.gw.clients.issue('logger'));
  });

  it('sends the emulator no request past its budget while the clients together ask for three times it', async () => {
    const before = rig.emu.stats();
    const apiCalls: Promise<number>[] = [];
    const rawAnswers: Promise<{ status: number; body: Record<string, unknown> }>[] = [];
    // Each client asks at the whole budget (5/s), open loop: 15/s together against 5/s upstream,
    // ten rounds (a count, not a deadline: a loaded machine stretches the sleeps, not the asks).
    // Every request names another code, so that no two can share an upstream call.
    const codes = rig.emu.state.master.map((s) => s.code);
    let n = 0;
    for (let round = 0; round < 10; round++) {
      for (const api of [apiA, apiB]) {
        api.SetInputValue('종목코드', codes[n++]!);
        apiCalls.push(api.CommRqData('price', 'opt10001', 0, '3000'));
      }
      rawAnswers.push(raw.call('ka10001', '/api/dostk/stkinfo', { stk_cd: codes[n++] }));
      await sleep(200);
    }
    const asked = apiCalls.length + rawAnswers.length;
    const rawResults = await Promise.all(rawAnswers);
    const apiResults = await Promise.all(apiCalls);
    const after = rig.emu.stats();

    expect(after.rateLimited - before.rateLimited).toBe(0);
    // Everyone is answered; the queue is fair, so nobody is turned away at this rate.
    expect(apiResults.every((rc) => rc === 0)).toBe(true);
    expect(rawResults.every((r) => r.status === 200 && r.body['return_code'] === 0)).toBe(true);
    // Every request went upstream once (no two were alike), paced by the gateway's one limiter.
    expect((after.byApiId['ka10001'] ?? 0) - (before.byApiId['ka10001'] ?? 0)).toBe(asked);
  }, 30_000);

  it('delivers each order’s chejan events once to every client registered for 00, whoever placed it', async () => {
    expect((await raw.reg('9', [''], ['00']))['return_code']).toBe(0);
    const emitted: OrderEvent[] = [];
    const onOrder = (ev: OrderEvent): void => void emitted.push(ev);
    rig.emu.state.on('order', onOrder);
    const chejan = new Map<APIServer, string[]>([[apiA, []], [apiB, []]]);
    for (const [api, list] of chejan) {
      api.on('OnReceiveChejanData', (gubun) => {
        if (gubun === '0') list.push(`${api.GetChejanData(9203).trim()}|${api.GetChejanData(913).trim()}`);
      });
    }
    raw.ws.frames.length = 0;
    const accno = apiA.GetLoginInfo('ACCNO').split(';')[0]!;
    expect(await apiA.SendOrder('buyA', '4000', accno, 1, '005930', 1, 0, '03', '')).toBe(0);
    expect(await apiB.SendOrder('buyB', '4001', accno, 1, '000660', 1, 0, '03', '')).toBe(0);
    await waitFor(() => new Set(emitted.map((e) => e.order.ordNo)).size === 2, 'both orders at the emulator');
    await sleep(300);
    rig.emu.state.off('order', onOrder);

    const expected = emitted.map((e) => `${e.order.ordNo}|${e.order.status}`).sort();
    const rawSeen = raw.ws.frames
      .filter((f) => f.trnm === 'REAL')
      .flatMap((f) => realOf(f).filter((e) => e.type === '00').map((e) => `${e.values['9203']!.trim()}|${e.values['913']!.trim()}`));
    expect(rawSeen.sort()).toEqual(expected);
    expect(chejan.get(apiA)!.sort()).toEqual(expected);
    expect(chejan.get(apiB)!.sort()).toEqual(expected);
    expect(new Set(expected.map((e) => e.split('|')[0])).size).toBe(2);
  });
});

/**
 * The gateway's upstream drops while three clients stream through it: each client's
 * subscriptions hold and no client reconnects; an order filled in a gap reaches the client that
 * placed it once, through its own reconciliation after the gateway's gap notice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { APIServer } from '../../src/facade/index.js';
import type { RealtimeSession } from '../../src/realtime/index.js';
import type { KiwoomRest } from '../../src/rest/index.js';
import { realOf } from '../emulator-ws/harness.js';
import { openApi, openSession, RawClient, startRig, upstreamPairs, type Rig } from '../gateway/helpers.js';
import { LONG, recordFigures, waitUntil } from './harness.js';

const DROPS = LONG ? 50 : 10;

let rig: Rig;
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await rig?.close();
});

/** Frames seen per `client|type|item`. */
const seen = new Map<string, number>();
const count = (key: string): void => void seen.set(key, (seen.get(key) ?? 0) + 1);

describe('gateway: upstream drops under three streaming clients', () => {
  it(`holds every client's subscriptions through ${DROPS} upstream drops, and no client reconnects`, async () => {
    rig = await startRig({ realRate: 400 });
    const { gw, emu } = rig;
    const api: APIServer = await openApi(gw, gw.clients.issue('strategy'));
    closers.push(() => api.cleanup());
    api.on('OnReceiveRealData', (code, name) => count(`strategy|${name}|${code}`));
    const watcher: { rest: KiwoomRest; rt: RealtimeSession } = await openSession(gw, gw.clients.issue('watcher'));
    closers.push(async () => {
      await watcher.rt.close();
      await watcher.rest.close();
    });
    watcher.rt.on('real', (e) => count(`watcher|${e.type}|${e.item}`));
    let watcherSocketDrops = 0;
    watcher.rt.on('disconnected', (info) => {
      if (info.code !== 4000) watcherSocketDrops++;
    });
    const raw = await RawClient.open(gw, gw.clients.issue('logger'));
    closers.push(() => raw.ws.close());
    raw.ws.ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Record<string, unknown>;
      if (f['trnm'] === 'REAL') for (const e of realOf(f)) count(`logger|${e.type}|${e.item}`);
    });

    expect(await api.SetRealReg('1000', '005930', '10', '0')).toBe(0);
    await watcher.rt.register('1', ['000660', '005930'], ['0B']);
    expect((await raw.reg('1', ['035720'], ['0B']))['return_code']).toBe(0);
    expect((await raw.reg('2', ['005930'], ['0D']))['return_code']).toBe(0);
    const wanted = ['strategy|주식체결|005930', 'watcher|0B|000660', 'watcher|0B|005930', 'logger|0B|035720', 'logger|0D|005930'];
    await waitUntil(() => wanted.every((k) => (seen.get(k) ?? 0) > 0), 'every client streaming');
    const subscriptions = JSON.stringify(gw.status().clients.map((c) => c.sessions.map((s) => s.subscriptions)));
    const union = upstreamPairs(emu);

    const gaps: number[] = [];
    for (let i = 1; i <= DROPS; i++) {
      const before = new Map(wanted.map((k) => [k, seen.get(k) ?? 0]));
      const dropped = Date.now();
      emu.faults.dropWebSockets();
      await waitUntil(() => gw.status().upstream.reconnects === i && gw.status().upstream.state === 'open', `upstream back after drop ${i}`);
      await waitUntil(() => emu.wsHeld().length === 1 && upstreamPairs(emu).join() === union.join(), `the union restored after drop ${i}`);
      await waitUntil(() => wanted.every((k) => (seen.get(k) ?? 0) > before.get(k)!), `every client streaming again after drop ${i}`);
      gaps.push(Date.now() - dropped);
    }

    const status = gw.status();
    expect(JSON.stringify(status.clients.map((c) => c.sessions.map((s) => s.subscriptions)))).toBe(subscriptions);
    expect(status.clients.map((c) => [c.name, c.logins])).toEqual([['strategy', 1], ['watcher', 1], ['logger', 1]]);
    expect(watcher.rt.stats().reconnects).toBe(0);
    expect(watcherSocketDrops).toBe(0);
    expect(raw.ws.ws.readyState).toBe(raw.ws.ws.OPEN);
    expect(raw.ws.frames.filter((f) => f.trnm === 'SYSTEM' && f['code'] === 'R10001')).toEqual([]);
    expect(api.GetConnectState()).toBe(1);
    expect(emu.stats().wsSessions).toBe(1);
    gaps.sort((a, b) => a - b);
    recordFigures('gateway-drops', {
      gatewayUpstreamDrops: DROPS,
      gatewayClientLogins: status.clients.reduce((n, c) => n + c.logins, 0),
      gatewayClients: status.clients.length,
      gatewayStreamsBackP50Ms: gaps[Math.floor(gaps.length / 2)]!,
      gatewayStreamsBackMaxMs: gaps.at(-1)!,
    });
  }, 60_000);

  it('an order filled while the upstream is away reaches its client once, through the client’s reconciliation', async () => {
    // A slow upstream reconnect leaves a gap wide enough to trade in.
    rig = await startRig({ realRate: 50 }, { realtime: { reconnect: { initialDelayMs: 600, maxDelayMs: 600, jitter: 0 } } });
    const { gw, emu } = rig;
    const api = await openApi(gw, gw.clients.issue('strategy'));
    closers.push(() => api.cleanup());
    const chejan: string[] = [];
    api.on('OnReceiveChejanData', (gubun) => {
      if (gubun === '0') chejan.push(`${api.GetChejanData(9203).trim()}|${api.GetChejanData(913).trim()}`);
    });
    emu.faults.dropWebSockets();
    await waitUntil(() => gw.status().upstream.state === 'reconnecting', 'the upstream gap');
    const accno = api.GetLoginInfo('ACCNO').split(';')[0]!;
    expect(await api.SendOrder('gap-buy', '5000', accno, 1, '005930', 1, 0, '03', '')).toBe(0);
    const ordNo = emu.orderLedger().at(-1)!.ordNo;
    expect(emu.fillLedger().some((f) => f.ordNo === ordNo)).toBe(true);
    await waitUntil(() => gw.status().upstream.state === 'open', 'the upstream back');
    await waitUntil(() => chejan.some((c) => c === `${ordNo}|체결`), 'the fill reconciled at the client', 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(chejan.filter((c) => c === `${ordNo}|체결`)).toHaveLength(1);
  }, 30_000);
});

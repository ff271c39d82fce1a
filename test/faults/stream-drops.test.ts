/**
 * The WebSocket dropped 20 times (200 in the soak) at random moments, some in the middle of a
 * REG, a REMOVE or a LOGIN, while the stream runs and a consumer places, fills and cancels
 * orders through APIServer. Afterwards the emulator must hold exactly the subscriptions and
 * real-time conditions the consumer wants, and every fill in the emulator's ledger must have
 * reached OnReceiveChejanData exactly once (no fill lost, none delivered twice).
 *
 * Against the live limits (compat/live.json, the emulator's defaults): 20 REG groups holding
 * 200 items at the peak, the connection's cap, and 5 REG/REMOVE per second, so each restore
 * takes seconds and most drops land in the middle of one. No REG may be refused by the server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator, WsSessionHeld } from '../../src/emulator/index.js';
import { APIServer } from '../../src/facade/index.js';
import { LONG, captureLogs, countSecrets, echoSecrets, recordFigures, recordIssuedTokens, sleep, waitUntil, openEmulatedApi } from './harness.js';
import { createRng } from '../../src/emulator/state/prng.js';

const DROPS = LONG ? 200 : 20;
const FIDS = '10;15;20';
const logs = captureLogs();
const tokens = recordIssuedTokens();


interface ChejanRecord {
  ordNo: string;
  status: string;
  fillNo: string;
  /** 915 단위체결량 */
  unit: number;
  /** 911 체결량 (cumulative) */
  cum: number;
  /** 819 "1": the original order's update that ends a cancel, not a new step of the order. */
  flowEnd: boolean;
}

let api: APIServer;
let emu: Emulator;
let accno = '';
const chejan: ChejanRecord[] = [];
const orderNos = new Map<string, string>();
const figures = { groups: 0, peakItems: 0, regRefused: 0, lastRestoreMs: 0, drops: 0, midLogin: 0, midReg: 0, ordersSent: 0, fillsChecked: 0, chejanEventsChecked: 0, duplicatesFound: 0, lostFound: 0 };

beforeAll(async () => {
  ({ api, emu } = await openEmulatedApi(logs, tokens, {
    realtime: { reconnect: { initialDelayMs: 10, maxDelayMs: 80 }, requestTimeoutMs: 3_000 },
    // Budgets above Kiwoom's 5/s so that the short form places enough orders to check.
    rest: { limits: { order: 25, perApiId: 25, global: 50 } },
    emulator: { seed: 21, realRate: 300, marketTicksPerSecond: 10, rateLimits: { perApiId: 100, global: 200 } },
  }));
  api.on('OnReceiveChejanData', (gubun, fids) => {
    if (gubun !== '0') return;
    chejan.push({
      ordNo: fids['9203'] ?? '',
      status: (fids['913'] ?? '').trim(),
      fillNo: (fids['909'] ?? '').trim(),
      unit: Number(fids['915'] || 0),
      cum: Number(fids['911'] || 0),
      flowEnd: fids['819'] === '1',
    });
  });
  api.on('OnReceiveTrData', (_screen, rqname, trcode) => {
    if (rqname.startsWith('ord')) orderNos.set(rqname, api.GetCommData(trcode, rqname, 0, '주문번호').trim());
  });
  expect(await api.CommConnect()).toBe(0);
  accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
});

afterAll(async () => {
  await api?.cleanup();
});

const codes = (from: number, n: number): string[] =>
  emu.state.master.filter((s) => s.market === '0').slice(from, from + n).map((s) => s.code);
/** 187 more items (any market but the 17 codes the test trades and moves) over 16 screens. */
const fillerScreens = (): [string, string[]][] => {
  const taken = new Set(codes(0, 17));
  const pool = emu.state.master.filter((s) => s.market !== '8' && !taken.has(s.code)).slice(0, 187).map((s) => s.code);
  return Array.from({ length: 16 }, (_, i) => [String(4000 + i), pool.filter((_, j) => j % 16 === i)]);
};
const held = (): WsSessionHeld | undefined => (emu.wsHeld().length === 1 ? emu.wsHeld()[0] : undefined);
const groupContents = (h: WsSessionHeld | undefined): string[][] =>
  Object.values(h?.groups ?? {}).map((g) => [...g].sort()).sort((a, b) => a.join().localeCompare(b.join()));

/** Places, fills and cancels orders until told to stop; every call must be answered. */
async function consumer(stop: () => boolean, random: () => number): Promise<number[]> {
  const codesToTrade = codes(0, 3);
  const returns: number[] = [];
  let n = 0;
  while (!stop()) {
    const code = codesToTrade[n % codesToTrade.length]!;
    const qty = 1 + Math.floor(random() * 3);
    // A market buy fills at once; a limit buy at the lower limit rests and is then cancelled.
    returns.push(await api.SendOrder(`ord${n}`, '5000', accno, 1, code, qty, 0, '03', ''));
    figures.ordersSent++;
    const low = emu.state.quote(code)!.lowerLimit;
    const rq = `ord${n}r`;
    returns.push(await api.SendOrder(rq, '5000', accno, 1, code, qty, low, '00', ''));
    figures.ordersSent++;
    const ordNo = orderNos.get(rq) ?? '';
    if (ordNo !== '') {
      returns.push(await api.SendOrder(`ord${n}c`, '5000', accno, 3, code, qty, 0, '00', ordNo));
      figures.ordersSent++;
    }
    n++;
    await sleep(random() * 30);
  }
  return returns;
}

describe('20 WebSocket drops under a live stream and an order consumer', () => {
  test('afterwards exactly the wanted subscriptions and conditions are held; every fill arrives once', async () => {
    // Seeded, so a failing run can be repeated.
    const seeded = createRng(Number(process.env['FAULTS_SEED'] ?? 6));
    const random = (): number => seeded.next();
    const [a, b, b2, c] = [codes(0, 5), codes(5, 5), codes(10, 4), codes(14, 3)];
    expect(await api.SetRealReg('1000', a.join(';'), FIDS, '0')).toBe(0);
    expect(await api.SetRealReg('2000', b.join(';'), FIDS, '0')).toBe(0);
    const fillers = fillerScreens();
    for (const [screen, list] of fillers) expect(await api.SetRealReg(screen, list.join(';'), FIDS, '0')).toBe(0);
    expect(await api.GetConditionLoad()).toBe(1);
    const conds = api.GetConditionNameList().split(';').filter(Boolean).map((s) => s.split('^') as [string, string]);
    expect(conds.length).toBeGreaterThanOrEqual(3);
    for (const [idx, name] of conds.slice(0, 3)) expect(await api.SendCondition(`30${idx.slice(-2)}`, name, Number(idx), 1)).toBe(1);
    await waitUntil(() => (held()?.realtimeConditions.length ?? 0) === 3 && Object.keys(held()?.groups ?? {}).length === 19, 'the first registrations');
    const h0 = held()!;
    // The types the FID list selects, as the facade chose them for group of screen 1000.
    const typesOf = (code: string): string[] =>
      Object.values(h0.groups).flat().filter((k) => k.endsWith(`|${code}`)).map((k) => k.split('|')[0]!);
    const types = typesOf(a[0]!);
    expect(types.length).toBeGreaterThan(0);
    const chejanGroup = Object.values(h0.groups).find((g) => g.some((k) => k.startsWith('00|')))!;

    let done = false;
    const orders = consumer(() => done, random);
    const regCalls: Array<Promise<number>> = [];
    const condStops: Array<Promise<number>> = [];
    const [idx3, name3] = conds[2]!;
    while (figures.drops < DROPS) {
      await sleep(60 + random() * 200);
      await waitUntil(() => emu.stats().wsSessions >= 1, 'a socket to drop');
      const i = figures.drops;
      if (i % 5 === 3) {
        // Mid-LOGIN: replies are held, so the next socket's LOGIN is unanswered when it drops.
        emu.faults.stall(2_000);
        emu.faults.dropWebSockets();
        await waitUntil(() => emu.stats().wsSessions >= 1, 'the reconnect socket');
        await sleep(3);
        emu.faults.dropWebSockets();
        emu.faults.stall(0);
        figures.midLogin++;
        figures.drops += 2;
        continue;
      }
      if (i === 5 || i === 10 || i === 15) {
        // Mid-REG / mid-REMOVE: the server applies it, the acknowledgement is lost with the socket.
        emu.faults.stall(2_000);
        if (i === 5) regCalls.push(api.SetRealReg('3000', c.join(';'), FIDS, '0'));
        if (i === 10) regCalls.push(api.SetRealReg('2000', b2.join(';'), FIDS, '0'));
        if (i === 15) regCalls.push(api.SetRealRemove('1000', a[0]!));
        await sleep(15);
        emu.faults.dropWebSockets();
        emu.faults.stall(0);
        figures.midReg++;
        figures.drops++;
        continue;
      }
      if (i === 12) condStops.push(api.SendConditionStop(`30${idx3.slice(-2)}`, name3, Number(idx3)));
      emu.faults.dropWebSockets();
      figures.drops++;
    }
    const lastDrop = Date.now();
    done = true;
    const returns = await orders;
    expect(await Promise.all(regCalls)).toEqual([0, 0, 0]);
    expect(await Promise.all(condStops)).toEqual([0]);
    // Orders are REST: a WebSocket drop must not fail one.
    expect(returns.every((r) => r === 0)).toBe(true);

    // ---- exactly the wanted subscriptions and conditions
    const expected = groupContents({
      account: '',
      realtimeConditions: [],
      groups: {
        a: a.slice(1).flatMap((code) => types.map((t) => `${t}|${code}`)),
        b: b2.flatMap((code) => types.map((t) => `${t}|${code}`)),
        c: c.flatMap((code) => types.map((t) => `${t}|${code}`)),
        chejan: chejanGroup,
        ...Object.fromEntries(fillers.map(([screen, list]) => [screen, list.flatMap((code) => types.map((t) => `${t}|${code}`))])),
      },
    });
    const wantedConds = h0.realtimeConditions.filter((s) => Number(s) !== Number(idx3)).sort();
    await waitUntil(
      () => JSON.stringify(groupContents(held())) === JSON.stringify(expected) && JSON.stringify(held()?.realtimeConditions) === JSON.stringify(wantedConds),
      'the wanted subscriptions to be restored',
      30_000,
    ).catch(() => undefined);
    figures.lastRestoreMs = Date.now() - lastDrop;
    expect(groupContents(held())).toEqual(expected);
    expect(held()!.realtimeConditions).toEqual(wantedConds);
    expect(emu.wsHeld()).toHaveLength(1);
    figures.groups = Object.keys(held()!.groups).length;
    figures.peakItems = 5 + 5 + 3 + fillers.reduce((n, [, list]) => n + list.length, 0);
    expect(figures.groups).toBe(20);
    expect(figures.peakItems).toBe(200);
    // Paced to the live rate and kept under the caps: the server refused nothing.
    figures.regRefused = Object.values(emu.stats().wsRefusals).reduce((n, k) => n + k, 0);
    expect(emu.stats().wsRefusals).toEqual({});

    // ---- every fill once
    // This emulator serves this APIServer alone: its whole ledger is the consumer's.
    const ledger = emu.orderLedger();
    const fills = emu.fillLedger();
    const delivered = (ordNo: string): number =>
      chejan.filter((e) => e.ordNo === ordNo && e.status === '체결').reduce((n, e) => n + e.unit, 0);
    const finals = (ordNo: string): number => chejan.filter((e) => e.ordNo === ordNo && (e.status === '확인' || e.status === '거부')).length;
    const settled = (o: (typeof ledger)[number]): boolean =>
      o.origOrdNo === '' ? delivered(o.ordNo) >= o.filledQty && chejan.some((e) => e.ordNo === o.ordNo) : finals(o.ordNo) > 0;
    await waitUntil(() => ledger.every(settled), 'every fill and cancel to reach OnReceiveChejanData').catch(() => undefined);
    for (const order of ledger.filter((o) => o.origOrdNo === '')) {
      const events = chejan.filter((e) => e.ordNo === order.ordNo);
      const orderFills = fills.filter((f) => f.ordNo === order.ordNo);
      const ledgerQty = orderFills.reduce((n, f) => n + f.qty, 0);
      const got = delivered(order.ordNo);
      figures.fillsChecked += orderFills.length;
      figures.chejanEventsChecked += events.length;
      if (got > ledgerQty) figures.duplicatesFound++;
      if (got < ledgerQty) figures.lostFound++;
      const fillNos = events.filter((e) => e.status === '체결' && e.fillNo !== '').map((e) => e.fillNo);
      if (new Set(fillNos).size !== fillNos.length) figures.duplicatesFound++;
      expect({ ordNo: order.ordNo, got }).toEqual({ ordNo: order.ordNo, got: ledgerQty });
      expect(fillNos.every((no) => orderFills.some((f) => f.fillNo === no))).toBe(true);
      expect(events.filter((e) => e.status === '접수' && !e.flowEnd)).toHaveLength(1);
      const cums = events.filter((e) => e.status === '체결').map((e) => e.cum);
      expect(cums).toEqual([...cums].sort((x, y) => x - y));
    }
    // A cancel is confirmed once (확인 on the cancel's own order number), never twice.
    for (const cancel of ledger.filter((o) => o.origOrdNo !== '')) {
      figures.chejanEventsChecked += finals(cancel.ordNo);
      if (finals(cancel.ordNo) > 1) figures.duplicatesFound++;
      expect({ ordNo: cancel.ordNo, finals: finals(cancel.ordNo) }).toEqual({ ordNo: cancel.ordNo, finals: 1 });
    }
    expect(ledger.filter((o) => o.origOrdNo !== '').length).toBeGreaterThan(0);
    expect(figures.duplicatesFound).toBe(0);
    expect(figures.lostFound).toBe(0);
    expect(figures.fillsChecked).toBeGreaterThan(0);
  }, LONG ? 600_000 : 90_000);

  test('no app key, secret key or token in any log line of this file', async () => {
    const secrets = [emu.appkey, emu.secretkey, ...tokens];
    const found = countSecrets(logs.lines, secrets, await echoSecrets(api, secrets));
    recordFigures('stream-drops', { ...figures, logLinesScanned: logs.lines.length, tokensIssued: tokens.size, secretsFound: found });
    expect(tokens.size).toBeGreaterThan(0);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(found).toBe(0);
  });
});

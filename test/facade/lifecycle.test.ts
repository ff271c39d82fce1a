/**
 * Orders whose answer never came (never resent, settled by query), real-time conditions and
 * their limit, the "FID not delivered" warning, and cleanup.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, test } from 'vitest';
import type { FidValues } from '../../src/facade/index.js';
import { nextEvent, openBackend } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const orderRequests = (log: readonly { apiId: string | undefined }[]): number => log.filter((e) => e.apiId === 'kt10000').length;

test('an order lost on the way is not resent: SendOrder 0, then, once the settle window passed, an empty 주문번호 and a message', async () => {
  const b = await openBackend('emulator', { orders: { settleWindowMs: 500 }, rest: { timeouts: { headersMs: 300, totalMs: 500 } } });
  try {
    const { api, emu } = b;
    expect(await api.CommConnect()).toBe(0);
    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    const msgs: string[] = [];
    api.on('OnReceiveMsg', (_s, rq, _t, msg) => rq === 'lost' && msgs.push(msg));
    const answer = nextEvent<string[]>(api, 'OnReceiveTrData', (_s, rq) => rq === 'lost');
    emu.faults.dropNextRequests(1);
    expect(await api.SendOrder('lost', '2000', accno, 1, '005930', 1, 0, '03', '')).toBe(0);
    const unknownAt = Date.now();
    const [, , trcode] = await answer;
    expect(Date.now() - unknownAt).toBeGreaterThanOrEqual(500);
    expect(api.GetCommData(trcode ?? '', 'lost', 0, '주문번호')).toBe('');
    expect(msgs[0]).toMatch(/재전송하지 않고/);
    expect(msgs[1]).toMatch(/접수되지 않았습니다/);
    expect(orderRequests(emu.requestLog())).toBe(1);
    expect(emu.orderLedger()).toHaveLength(0);
  } finally {
    await b.close();
  }
});

test('an order whose answer timed out is found by query and reported with its 주문번호; chejan arrives once', async () => {
  const b = await openBackend('emulator', { rest: { timeouts: { headersMs: 150, totalMs: 300 } } });
  try {
    const { api, emu } = b;
    expect(await api.CommConnect()).toBe(0);
    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    const chejan: FidValues[] = [];
    api.on('OnReceiveChejanData', (g, f) => g === '0' && chejan.push(f));
    const answer = nextEvent<string[]>(api, 'OnReceiveTrData', (_s, rq) => rq === 'slow');
    emu.faults.delay(400);
    expect(await api.SendOrder('slow', '2000', accno, 1, '005930', 4, 0, '03', '')).toBe(0);
    emu.faults.delay(0);
    const [, , trcode] = await answer;
    const ordNo = emu.orderLedger().at(-1)?.ordNo;
    expect(ordNo).toBeDefined();
    expect(api.GetCommData(trcode ?? '', 'slow', 0, '주문번호')).toBe(ordNo);
    await sleep(300);
    expect(orderRequests(emu.requestLog())).toBe(1);
    const mine = chejan.filter((f) => f['9203'] === ordNo);
    expect(mine.filter((f) => f['913'] === '접수')).toHaveLength(1);
    expect(mine.filter((f) => f['913'] === '체결').reduce((n, f) => n + Number(f['915']), 0)).toBe(4);
  } finally {
    await b.close();
  }
});

test('real-time conditions: I/D events, and at most 10 at once', async () => {
  const b = await openBackend('mock-domain', { emulator: { marketTicksPerSecond: 400 } });
  try {
    const { api } = b;
    expect(await api.CommConnect()).toBe(0);
    expect(await api.GetConditionLoad()).toBe(1);
    const conds = api.GetConditionNameList().split(';').filter(Boolean).map((e) => e.split('^') as [string, string]);
    expect(conds.length).toBeGreaterThan(10);
    const hit = nextEvent<[string, string, string, string]>(api, 'OnReceiveRealCondition', () => true, 10_000);
    for (const [idx, name] of conds.slice(0, 10)) expect(await api.SendCondition('5000', name, Number(idx), 1)).toBe(1);
    const [eleventhIdx, eleventhName] = conds[10] ?? ['', ''];
    expect(await api.SendCondition('5000', eleventhName, Number(eleventhIdx), 1)).toBe(0);
    expect(api.GetLastError()?.message).toMatch(/at most 10/);
    const [code, kind, condName, condIndex] = await hit;
    expect(code).toMatch(/^\d{6}$/);
    expect(['I', 'D']).toContain(kind);
    expect(conds.map(([i, n]) => [String(Number(i)), n])).toContainEqual([condIndex, condName]);
  } finally {
    await b.close();
  }
}, 20_000);

test('FIDs REST does not deliver are warned about once per FID', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(chunk.toString()); done(); } });
  const b = await openBackend('emulator', { logger: pino({ level: 'warn' }, sink) });
  try {
    expect(await b.api.CommConnect()).toBe(0);
    expect(await b.api.SetRealReg('1000', '005930', '10;9999', '0')).toBe(0);
    expect(await b.api.SetRealReg('1001', '000660', '10;9999', '0')).toBe(0);
    expect(lines.filter((l) => l.includes('FID 9999'))).toHaveLength(1);
  } finally {
    await b.close();
  }
});

test('cleanup removes registrations, revokes the token, closes the socket and the emulator; twice is harmless', async () => {
  const b = await openBackend('mock-domain');
  const { api, emu } = b;
  expect(await api.CommConnect()).toBe(0);
  expect(await api.SetRealReg('1000', '005930', '10', '0')).toBe(0);
  await api.cleanup();
  await api.cleanup();
  expect(api.GetConnectState()).toBe(0);
  expect(emu.requestLog().filter((e) => e.path === '/oauth2/revoke')).toHaveLength(1);
  await sleep(50);
  expect(emu.stats().wsSessions).toBe(0);
  expect(await api.SendOrder('b', '2000', '1', 1, '005930', 1, 0, '03', '')).toBe(-101);
  await emu.close();

  const local = await openBackend('emulator');
  expect(await local.api.CommConnect()).toBe(0);
  await local.api.cleanup();
  // The in-process emulator is gone with it.
  await expect(fetch(`${local.emu.restUrl}/oauth2/token`, { method: 'POST' })).rejects.toThrow();
});

test('from the moment cleanup() starts, GetConnectState reads 0 and an order is refused (-101) with nothing sent', async () => {
  const b = await openBackend('emulator');
  try {
    const { api, emu } = b;
    expect(await api.CommConnect()).toBe(0);
    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    expect(await api.SetRealReg('1000', '005930', '10', '0')).toBe(0);
    // cleanup() awaits the REMOVEs and the revoke; a program's timer may fire meanwhile.
    const closing = api.cleanup();
    expect(api.GetConnectState()).toBe(0);
    expect(await api.SendOrder('late', '2000', accno, 1, '005930', 1, 0, '03', '')).toBe(-101);
    await closing;
    expect(orderRequests(emu.requestLog())).toBe(0);
  } finally {
    await b.close();
  }
});

test('another login taking the session: OnReceiveMsg says so, GetConnectState 0, orders refused (-106)', async () => {
  const b = await openBackend('emulator');
  try {
    const { api, emu } = b;
    expect(await api.CommConnect()).toBe(0);
    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    const msg = nextEvent<string[]>(api, 'OnReceiveMsg', (_s, _r, _t, m) => /실시간 연결 종료/.test(m ?? ''));
    emu.faults.kickSession();
    expect((await msg)[3]).toMatch(/another login|R10001|동일한 App key/i);
    expect(api.GetConnectState()).toBe(0);
    const before = emu.requestLog().length;
    expect(await api.SendOrder('b', '2000', accno, 1, '005930', 1, 0, '03', '')).toBe(-106);
    expect(emu.requestLog().length).toBe(before);
  } finally {
    await b.close();
  }
});

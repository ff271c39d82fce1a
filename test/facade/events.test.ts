/**
 * Events as OCX programs read them, and as the api_server sketch reads them, from the same
 * events: sRealData split on TAB and the FID dictionary; OnReceiveChejanData's (gubun, nItemCnt,
 * sFIdList) read back with GetChejanData, and the dictionary; OnReceiveTrData's 9 arguments;
 * GetCommRealData with the code or the real type. On both backends.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REAL_TYPES } from '../../src/compat/real-types.js';
import type { ChejanData, RealData } from '../../src/facade/index.js';
import { BACKENDS, loggedIn, nextEvent, type LoggedIn } from './helpers.js';

describe.each(BACKENDS)('events on %s', (name) => {
  let b: LoggedIn;
  let accno = '';
  beforeAll(async () => {
    b = await loggedIn(name, { emulator: { realRate: 400 } });
    accno = b.accno;
  });
  afterAll(() => b.close());

  test('OnReceiveRealData: sRealData is TAB-joined in the OCX FID order and is the FID dictionary too; GetCommRealData takes the code or the real type', async () => {
    const { api } = b;
    let read: string[] = [];
    const seen = nextEvent<[string, string, RealData]>(api, 'OnReceiveRealData', (code, type, data) => {
      if (code !== '005930' || type !== '주식체결') return false;
      // What OCX code does, and what api_server code does, in the same handler.
      const fields = data.split('\t');
      const byType = api.GetCommRealData(type, 10);
      const byCode = api.GetCommRealData(code, 10);
      read = [fields[1] ?? '', byType, byCode, data['10'] ?? '', String(fields.length)];
      return true;
    });
    expect(await api.SetRealReg('7000', '005930', '10', '0')).toBe(0);
    const [, , data] = await seen;
    const [tab10, byType, byCode, dict10, count] = read;
    // 주식체결's OCX FID order starts 20 (체결시간), 10 (현재가), 11, 12, ...
    expect(REAL_TYPES['0B']?.ocxFids.slice(0, 2)).toEqual([20, 10]);
    expect(tab10).toMatch(/^[+-]?\d+$/);
    expect([byType, byCode, dict10]).toEqual([tab10, tab10, tab10]);
    expect(Number(count)).toBe(REAL_TYPES['0B']?.ocxFids.length);
    expect(typeof data).toBe('object');
    expect(JSON.parse(JSON.stringify(data))).toEqual(Object.fromEntries(Object.entries(data)));
    expect(await api.DisconnectRealData('7000')).toBe(0);
  });

  test('OnReceiveChejanData: (gubun, nItemCnt, sFIdList) read with GetChejanData, and the FID dictionary', async () => {
    const { api } = b;
    const events: { gubun: string; count: number; list: string[]; byFid: Record<string, string>; dict: Record<string, string> }[] = [];
    api.on('OnReceiveChejanData', (gubun: string, itemCnt: ChejanData, fidList: string) => {
      const list = fidList.split(';');
      events.push({ gubun, count: Number(itemCnt), list, byFid: Object.fromEntries(list.map((f) => [f, api.GetChejanData(Number(f))])), dict: Object.fromEntries(Object.entries(itemCnt)) });
    });
    const filled = nextEvent<[string]>(api, 'OnReceiveChejanData', (g) => g === '1');
    expect(await api.SendOrder('ev', '7001', accno, 1, '005930', 1, 0, '03', '')).toBe(0);
    await filled;
    const first = events[0]!;
    expect(first.gubun).toBe('0');
    expect(first.count).toBe(first.list.length);
    expect(first.list.slice(0, 4)).toEqual(['9201', '9203', '9205', '9001']);
    expect(first.byFid).toEqual(first.dict);
    expect(first.byFid['913']).toBe('접수');
    expect(events.some((e) => e.gubun === '1' && e.byFid['9001'] === 'A005930')).toBe(true);
  });

  test('OnReceiveTrData has the OCX 9 arguments; OnReceiveInvestRealData exists and never fires', async () => {
    const { api } = b;
    let invest = 0;
    api.on('OnReceiveInvestRealData', () => void invest++);
    const got = nextEvent<unknown[]>(api, 'OnReceiveTrData', (_s, rq) => rq === 'nine');
    api.SetInputValue('종목코드', '005930');
    expect(await api.CommRqData('nine', 'opt10001', 0, '7002')).toBe(0);
    const args = await got;
    expect(args).toHaveLength(9);
    expect(args.slice(0, 5)).toEqual(['7002', 'nine', 'opt10001', '주식기본정보', '0']);
    expect(args.slice(5)).toEqual([0, '', '', '']);
    expect(invest).toBe(0);
  });

  test('conditions: AddPrice lists code^price; a continuation (nSearch 2) answers an empty page with nNext 0', async () => {
    const { api } = b;
    expect(await api.GetConditionLoad()).toBe(1);
    const [idx, condName] = (api.GetConditionNameList().split(';')[0] ?? '').split('^');
    const index = Number(idx);
    expect(api.KOA_Functions('SetConditionSearchFlag', 'AddPrice')).toBe('');
    const first = nextEvent<[string, string, string, number, number]>(api, 'OnReceiveTrCondition', (scr) => scr === '7003');
    expect(await api.SendCondition('7003', condName ?? '', index, 0)).toBe(1);
    const [, list, , , next] = await first;
    expect(next).toBe(0);
    const items = list.split(';').filter(Boolean);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item).toMatch(/^\w{6}\^\d+$/);
    const more = nextEvent<[string, string, string, number, number]>(api, 'OnReceiveTrCondition', (scr) => scr === '7004');
    expect(await api.SendCondition('7004', condName ?? '', index, 2)).toBe(1);
    expect((await more).slice(1)).toEqual(['', condName, index, 0]);
    expect(api.KOA_Functions('SetConditionSearchFlag', 'DelPrice')).toBe('');
  });

  test('잔고 (gubun 1) carries 전일대비기호, 전일대비 and 등락율 from the registered code real-time data, which REST 04 leaves out', async () => {
    const { api } = b;
    const traded = nextEvent<[string, string]>(api, 'OnReceiveRealData', (code, type) => code === '000660' && type === '주식체결');
    expect(await api.SetRealReg('7005', '000660', '10', '0')).toBe(0);
    await traded;
    const balance = nextEvent<[string]>(api, 'OnReceiveChejanData', (g) => g === '1' && api.GetChejanData(9001) === 'A000660');
    let read: string[] = [];
    api.on('OnReceiveChejanData', (g) => {
      if (g === '1' && api.GetChejanData(9001) === 'A000660') read = ['25', '11', '12'].map((f) => api.GetChejanData(f));
    });
    expect(await api.SendOrder('ev-bal', '7006', accno, 1, '000660', 1, 0, '03', '')).toBe(0);
    await balance;
    expect(read[0]).toMatch(/^[1-5]$/);
    expect(read[1]).toMatch(/^[+-]?\d+$/);
    expect(read[2]).toMatch(/^[+-]?\d+\.\d+$/);
    expect(await api.DisconnectRealData('7005')).toBe(0);
  });
});

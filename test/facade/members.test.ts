/**
 * One behaviour check for each of the OCX's 58 methods, on the emulator (use_rest false) and
 * through use_rest true against an emulator playing the mock domain. The table must name every
 * method of compat/ocx-api.json: a method added without a behaviour check fails here. Deeper
 * tests of the same members live beside this file (methods, events, leniency, tr-query, ...).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OCX_API_EVENTS, OCX_API_METHODS } from '../../src/compat/ocx-api.js';
import type { APIServer, RealData } from '../../src/facade/index.js';
import { BACKENDS, nextEvent, openBackend, type LoggedIn } from './helpers.js';

interface Ctx {
  api: APIServer;
  b: LoggedIn;
  accno: string;
  /** OnEventConnect's arguments, recorded from before CommConnect. */
  connected: unknown[][];
}

/** Every OnReceiveMsg since the check started. */
function messages(api: APIServer): { texts: string[]; stop: () => void } {
  const texts: string[] = [];
  const on = (_s: string, _r: string, _t: string, msg: string): void => void texts.push(msg);
  api.on('OnReceiveMsg', on);
  return { texts, stop: () => api.off('OnReceiveMsg', on) };
}

/** A futures/options getter: "" and, once, OnReceiveMsg saying why. */
const noFutures = (call: (api: APIServer) => string) => async ({ api }: Ctx): Promise<void> => {
  const m = messages(api);
  expect(call(api)).toBe('');
  expect(call(api)).toBe('');
  m.stop();
  expect(m.texts).toHaveLength(1);
  expect(m.texts[0]).toMatch(/Kiwoom REST has no/);
};

/** Reads `read` inside the OnReceiveTrData of one opt10081 query. */
async function insideDaily(api: APIServer, rq: string, read: (tr: string, rq: string) => unknown): Promise<unknown> {
  let got: unknown;
  const on = (_s: string, rqname: string, tr: string): void => {
    if (rqname === rq) got = read(tr, rqname);
  };
  api.on('OnReceiveTrData', on);
  api.SetInputValue('종목코드', '005930');
  expect(await api.CommRqData(rq, 'opt10081', 0, '8100')).toBe(0);
  api.off('OnReceiveTrData', on);
  return got;
}

const BEHAVIOUR: Record<string, (ctx: Ctx) => Promise<void> | void> = {
  CommConnect: ({ api }) => expect(api.GetConnectState()).toBe(1),
  CommTerminate: ({ api }) => {
    expect(api.CommTerminate()).toBeUndefined();
    expect(api.GetConnectState()).toBe(1);
  },
  CommRqData: async ({ api }) => expect(await insideDaily(api, 'm-rq', (tr, rq) => api.GetRepeatCnt(tr, rq))).toBeGreaterThan(0),
  GetLoginInfo: ({ api, accno }) => expect(api.GetLoginInfo('ACCNO')).toBe(`${accno};`),
  SendOrder: async ({ api, accno }) => {
    const accepted = nextEvent<[string]>(api, 'OnReceiveChejanData', (g) => g === '0' && api.GetChejanData(913) === '접수');
    expect(await api.SendOrder('m-buy', '8101', accno, 1, '005930', 1, 0, '03', '')).toBe(0);
    await accepted;
  },
  SendOrderFO: async ({ api, accno, b }) => {
    const before = b.emu.requestLog().length;
    const msg = nextEvent<string[]>(api, 'OnReceiveMsg', (_s, rq) => rq === 'm-fo');
    expect(api.SendOrderFO('m-fo', '8102', accno, '101V3000', 1, '2', '1', 1, '350.00', '')).toBe(-340);
    expect((await msg)[3]).toMatch(/futures\/options/);
    expect(b.emu.requestLog().length).toBe(before);
  },
  SetInputValue: async ({ api }) => {
    api.SetInputValue('종목코드', '000660');
    let name = '';
    api.once('OnReceiveTrData', (_s, rq, tr) => void (name = api.GetCommData(tr, rq, 0, '종목명').trim()));
    expect(await api.CommRqData('m-input', 'opt10001', 0, '8103')).toBe(0);
    expect(name).toBe('SK하이닉스');
  },
  SetOutputFID: ({ api }) => expect(api.SetOutputFID('10')).toBe(0),
  CommGetData: async ({ api }) => {
    const got = await insideDaily(api, 'm-cgd', (tr, rq) => [api.CommGetData(tr, '', rq, 0, '일자'), api.GetCommData(tr, rq, 0, '일자')]);
    const [viaCommGetData, viaGetCommData] = got as string[];
    expect(viaCommGetData).toMatch(/^\d{8}$/);
    expect(viaCommGetData).toBe(viaGetCommData);
  },
  DisconnectRealData: async ({ api, b }) => {
    expect(await api.SetRealReg('8104', '035720', '10', '0')).toBe(0);
    expect(await api.DisconnectRealData('8104')).toBe(0);
    expect(b.emu.wsHeld().flatMap((s) => Object.values(s.groups).flat()).some((r) => r.endsWith('|035720'))).toBe(false);
  },
  GetRepeatCnt: async ({ api }) => expect(await insideDaily(api, 'm-cnt', (tr, rq) => api.GetRepeatCnt(tr, rq))).toBeGreaterThan(1),
  CommKwRqData: async ({ api }) => {
    const rows: string[] = [];
    api.once('OnReceiveTrData', (_s, rq, tr) => {
      for (let i = 0; i < api.GetRepeatCnt(tr, rq); i++) rows.push(`${tr}:${api.GetCommData(tr, rq, i, '종목코드').trim()}`);
    });
    expect(await api.CommKwRqData('005930;000660', 0, 2, 0, 'm-kw', '8105')).toBe(0);
    expect(rows).toEqual(['OPTKWFID:005930', 'OPTKWFID:000660']);
  },
  GetAPIModulePath: ({ api }) => expect(api.GetAPIModulePath()).toMatch(/\S/),
  GetCodeListByMarket: ({ api }) => expect(api.GetCodeListByMarket('8').split(';')).toContain('069500'),
  GetConnectState: ({ api }) => expect(api.GetConnectState()).toBe(1),
  GetMasterCodeName: ({ api }) => expect(`${api.GetMasterCodeName('005930')}`).toBe('삼성전자'),
  GetMasterListedStockCnt: ({ api }) => expect(api.GetMasterListedStockCnt('005930')).toBeGreaterThan(0),
  GetMasterConstruction: ({ api }) => expect(api.GetMasterConstruction('005930')).toBe('정상'),
  GetMasterListedStockDate: ({ api }) => expect(api.GetMasterListedStockDate('005930')).toMatch(/^(19|20)\d{6}$/),
  GetMasterLastPrice: ({ api }) => expect(Number(api.GetMasterLastPrice('005930'))).toBeGreaterThan(0),
  GetMasterStockState: ({ api }) => expect(api.GetMasterStockState('005930')).toMatch(/증거금/),
  GetDataCount: async ({ api }) => expect(await insideDaily(api, 'm-dc', () => api.GetDataCount('주식일봉차트조회'))).toBeGreaterThan(1),
  GetOutputValue: async ({ api }) => {
    // 주식일봉차트조회's fifth output is 일자.
    const got = await insideDaily(api, 'm-ov', (tr, rq) => [api.GetOutputValue('주식일봉차트조회', 0, 4), api.GetCommData(tr, rq, 0, '일자')]);
    expect((got as string[])[0]).toBe((got as string[])[1]);
  },
  GetCommData: async ({ api }) => expect(await insideDaily(api, 'm-gcd', (tr, rq) => api.GetCommData(tr, rq, 0, '현재가'))).toMatch(/\d/),
  GetCommRealData: async ({ api }) => {
    const got = nextEvent<[string, string]>(api, 'OnReceiveRealData', (code, type) => code === '005380' && type === '주식체결' && api.GetCommRealData(type, 10) === api.GetCommRealData(code, 10));
    expect(await api.SetRealReg('8106', '005380', '10', '0')).toBe(0);
    await got;
    expect(api.GetCommRealData('005380', 10)).toMatch(/\d/);
    expect(await api.DisconnectRealData('8106')).toBe(0);
  },
  GetChejanData: async ({ api, accno }) => {
    let code = '';
    const got = nextEvent<[string]>(api, 'OnReceiveChejanData', (g) => g === '0' && (code = api.GetChejanData(9001)) !== '');
    expect(await api.SendOrder('m-chejan', '8107', accno, 1, '000660', 1, 0, '03', '')).toBe(0);
    await got;
    expect(code).toBe('A000660');
  },
  GetThemeGroupList: ({ api }) => expect(api.GetThemeGroupList(0)).toMatch(/^(\d+\|[^;]+;)+$/),
  GetThemeGroupCode: ({ api }) => expect(api.GetThemeGroupCode(api.GetThemeGroupList(1).split('|')[0] ?? '')).toMatch(/^A\w{6}/),
  GetFutureList: noFutures((api) => api.GetFutureList()),
  GetFutureCodeByIndex: noFutures((api) => api.GetFutureCodeByIndex(0)),
  GetActPriceList: noFutures((api) => api.GetActPriceList()),
  GetMonthList: noFutures((api) => api.GetMonthList()),
  GetOptionCode: noFutures((api) => api.GetOptionCode('350.00', 2, '202612')),
  GetOptionCodeByMonth: noFutures((api) => api.GetOptionCodeByMonth('201V3350', 2, '202612')),
  GetOptionCodeByActPrice: noFutures((api) => api.GetOptionCodeByActPrice('201V3350', 2, 1)),
  GetSFutureList: noFutures((api) => api.GetSFutureList('')),
  GetSFutureCodeByIndex: noFutures((api) => api.GetSFutureCodeByIndex('005930', 0)),
  GetSActPriceList: noFutures((api) => api.GetSActPriceList('11')),
  GetSMonthList: noFutures((api) => api.GetSMonthList('11')),
  GetSOptionCode: noFutures((api) => api.GetSOptionCode('11', '70000', 2, '202612')),
  GetSOptionCodeByMonth: noFutures((api) => api.GetSOptionCodeByMonth('11', 'x', 2, '202612')),
  GetSOptionCodeByActPrice: noFutures((api) => api.GetSOptionCodeByActPrice('11', 'x', 2, 1)),
  GetSFOBasisAssetList: noFutures((api) => api.GetSFOBasisAssetList()),
  GetOptionATM: noFutures((api) => api.GetOptionATM()),
  GetSOptionATM: noFutures((api) => api.GetSOptionATM('11')),
  GetBranchCodeName: ({ api }) => expect(api.GetBranchCodeName()).toMatch(/^\d{3}\|/),
  CommInvestRqData: async ({ api, b }) => {
    const before = b.emu.requestLog().length;
    const msg = nextEvent<string[]>(api, 'OnReceiveMsg', (_s, rq) => rq === 'm-invest');
    expect(api.CommInvestRqData('001', 'm-invest', '8108')).toBe(-201);
    expect((await msg)[3]).toMatch(/opt10058/);
    expect(b.emu.requestLog().length).toBe(before);
  },
  SendOrderCredit: async ({ api, accno }) => {
    // Paper trading has no credit orders: refused before anything is sent, as the domain would.
    expect(await api.SendOrderCredit('m-credit', '8109', accno, 1, '005930', 1, 0, '03', '03', '', '')).toBe(-300);
    expect(api.GetLastError()?.message).toMatch(/paper trading/);
  },
  KOA_Functions: ({ api }) => {
    expect(api.KOA_Functions('GetServerGubun', '')).toBe('1');
    expect(api.KOA_Functions('GetMasterStockInfo', '005930')).toMatch(/^시장구분0\|거래소;/);
    expect(api.KOA_Functions('IsOrderWarningStock', '005930')).toBe('0');
    expect(api.KOA_Functions('GetUpjongNameByCode', '001')).toBe('종합(KOSPI)');
    expect(api.KOA_Functions('GetUpjongCode', '0').split('|')[0]).toBe('0,001,종합(KOSPI)');
    expect(api.KOA_Functions('ShowAccountWindow', '')).toBe('');
    expect(api.KOA_Functions('NoSuchThing', '')).toBe('');
  },
  SetInfoData: ({ api }) => expect(api.SetInfoData('someid')).toBe(0),
  SetRealReg: async ({ api }) => {
    const got = nextEvent<[string, string]>(api, 'OnReceiveRealData', (code, type) => code === '035420' && type === '주식체결');
    expect(await api.SetRealReg('8110', '035420', '10;15', '0')).toBe(0);
    await got;
    expect(await api.DisconnectRealData('8110')).toBe(0);
  },
  GetConditionLoad: async ({ api }) => {
    const ver = nextEvent<[number]>(api, 'OnReceiveConditionVer');
    expect(await api.GetConditionLoad()).toBe(1);
    expect((await ver)[0]).toBe(1);
  },
  GetConditionNameList: async ({ api }) => {
    await api.GetConditionLoad();
    expect(api.GetConditionNameList()).toMatch(/^(\d{3}\^[^;]+;)+$/);
  },
  SendCondition: async ({ api }) => {
    await api.GetConditionLoad();
    const [i, name] = (api.GetConditionNameList().split(';')[1] ?? '').split('^');
    const got = nextEvent<[string, string]>(api, 'OnReceiveTrCondition', (scr) => scr === '8111');
    expect(await api.SendCondition('8111', name ?? '', Number(i), 0)).toBe(1);
    expect((await got)[1]).toMatch(/^(\w{6};)*$/);
  },
  SendConditionStop: async ({ api }) => {
    await api.GetConditionLoad();
    const [i, name] = (api.GetConditionNameList().split(';')[2] ?? '').split('^');
    expect(await api.SendCondition('8112', name ?? '', Number(i), 1)).toBe(1);
    expect(await api.SendConditionStop('8112', name ?? '', Number(i))).toBe(0);
  },
  GetCommDataEx: async ({ api }) => {
    const table = (await insideDaily(api, 'm-ex', (tr, rq) => [api.GetCommDataEx(tr, rq), api.GetRepeatCnt(tr, rq)])) as [string[][], number];
    expect(table[0]).toHaveLength(table[1]);
    expect(table[0][0]?.[0]).toBe('005930');
  },
  SetRealRemove: async ({ api, b }) => {
    expect(await api.SetRealReg('8113', '068270;105560', '10', '0')).toBe(0);
    expect(await api.SetRealRemove('8113', '068270')).toBe(0);
    const held = b.emu.wsHeld().flatMap((s) => Object.values(s.groups).flat());
    expect(held.some((r) => r.endsWith('|068270'))).toBe(false);
    expect(held.some((r) => r.endsWith('|105560'))).toBe(true);
    expect(await api.SetRealRemove('ALL', 'ALL')).toBe(0);
  },
  GetMarketType: ({ api }) => {
    expect(api.GetMarketType('247540')).toBe(10);
    expect(api.GetMarketType('999999')).toBe(-1);
  },
};

/**
 * The condition at `position` of the loaded list. Each check takes its own: the OCX's rule of
 * one search per condition per minute answers a second search of the same one with 0.
 */
async function conditionAt(api: APIServer, position: number): Promise<[string, number]> {
  expect(await api.GetConditionLoad()).toBe(1);
  const [i, name] = (api.GetConditionNameList().split(';')[position] ?? '').split('^');
  return [name ?? '', Number(i)];
}

/** One behaviour check per OCX event: what a handler of that event receives. */
const EVENT_BEHAVIOUR: Record<string, (ctx: Ctx) => Promise<void> | void> = {
  OnReceiveTrData: async ({ api }) => {
    const got = nextEvent<unknown[]>(api, 'OnReceiveTrData', (_s, rq) => rq === 'e-tr');
    api.SetInputValue('종목코드', '005930');
    expect(await api.CommRqData('e-tr', 'opt10001', 0, '8120')).toBe(0);
    expect(await got).toEqual(['8120', 'e-tr', 'opt10001', '주식기본정보', '0', 0, '', '', '']);
  },
  OnReceiveRealData: async ({ api }) => {
    const got = nextEvent<[string, string, RealData]>(api, 'OnReceiveRealData', (code, type) => code === '000270' && type === '주식체결');
    expect(await api.SetRealReg('8121', '000270', '10', '0')).toBe(0);
    const [, , data] = await got;
    expect(data.split('\t')[1]).toBe(data['10']);
    expect(await api.DisconnectRealData('8121')).toBe(0);
  },
  OnReceiveMsg: async ({ api }) => {
    const got = nextEvent<string[]>(api, 'OnReceiveMsg', (scr) => scr === '0000');
    expect(await api.SetRealReg('0000', '005930', '10', '0')).not.toBe(0);
    expect((await got)[3]).toMatch(/screen/i);
  },
  OnReceiveChejanData: async ({ api, accno }) => {
    const got = nextEvent<[string, unknown, string]>(api, 'OnReceiveChejanData', (g) => g === '0' && api.GetChejanData(9001) === 'A005380');
    expect(await api.SendOrder('e-chejan', '8122', accno, 1, '005380', 1, 0, '03', '')).toBe(0);
    const [, itemCnt, fidList] = await got;
    expect(fidList.split(';')).toContain('9203');
    expect(Number(itemCnt)).toBe(fidList.split(';').filter(Boolean).length);
  },
  OnEventConnect: ({ connected }) => expect(connected).toEqual([[0]]),
  OnReceiveInvestRealData: async ({ api }) => {
    let fired = 0;
    const on = (): void => void fired++;
    api.on('OnReceiveInvestRealData', on);
    const traded = nextEvent(api, 'OnReceiveRealData', (code) => code === '051910');
    expect(await api.SetRealReg('8123', '051910', '10', '0')).toBe(0);
    await traded;
    expect(await api.DisconnectRealData('8123')).toBe(0);
    api.off('OnReceiveInvestRealData', on);
    expect(fired).toBe(0);
  },
  OnReceiveRealCondition: async ({ api }) => {
    const [name, index] = await conditionAt(api, 3);
    const hit = nextEvent<[string, string, string, string]>(api, 'OnReceiveRealCondition', (_c, _k, n) => n === name);
    expect(await api.SendCondition('8124', name, index, 1)).toBe(1);
    const [code, kind, , idx] = await hit;
    expect(code).toMatch(/^\w{6}$/);
    expect(['I', 'D']).toContain(kind);
    expect(idx).toBe(String(index));
    expect(await api.SendConditionStop('8124', name, index)).toBe(0);
  },
  OnReceiveTrCondition: async ({ api }) => {
    const [name, index] = await conditionAt(api, 4);
    const got = nextEvent<[string, string, string, number, number]>(api, 'OnReceiveTrCondition', (scr) => scr === '8125');
    expect(await api.SendCondition('8125', name, index, 0)).toBe(1);
    const [, list, condName, condIndex, next] = await got;
    expect([condName, condIndex, next]).toEqual([name, index, 0]);
    expect(list).toMatch(/^(\w{6};)+$/);
  },
  OnReceiveConditionVer: async ({ api }) => {
    const got = nextEvent<[number, string]>(api, 'OnReceiveConditionVer');
    expect(await api.GetConditionLoad()).toBe(1);
    expect((await got)[0]).toBe(1);
  },
};

test('every OCX method and event has a behaviour check here', () => {
  expect(Object.keys(OCX_API_METHODS).filter((m) => !Object.hasOwn(BEHAVIOUR, m))).toEqual([]);
  expect(Object.keys(OCX_API_EVENTS).filter((e) => !Object.hasOwn(EVENT_BEHAVIOUR, e))).toEqual([]);
});

describe.each(BACKENDS)('each OCX member on %s', (name) => {
  const ctx = { connected: [] } as unknown as Ctx;
  beforeAll(async () => {
    // Real-time conditions re-evaluated every 50 ms so that OnReceiveRealCondition comes at once.
    const b = await openBackend(name, { emulator: { realRate: 400, websocket: { conditionIntervalMs: 50 } } });
    b.api.on('OnEventConnect', (...args: unknown[]) => void ctx.connected.push(args));
    expect(await b.api.CommConnect()).toBe(0);
    ctx.b = { ...b, accno: b.api.GetLoginInfo('ACCNO').split(';')[0] ?? '' };
    ctx.api = b.api;
    ctx.accno = ctx.b.accno;
  });
  afterAll(() => ctx.b.close());

  test.each(Object.keys(OCX_API_METHODS))('method %s', async (method) => {
    await BEHAVIOUR[method]?.(ctx);
  });
  test.each(Object.keys(OCX_API_EVENTS))('event %s', async (event) => {
    await EVENT_BEHAVIOUR[event]?.(ctx);
  });
});

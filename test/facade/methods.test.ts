/**
 * Each OCX method and event through both backends: the in-process emulator (use_rest false,
 * sim_no 1) and Kiwoom REST pointed at an emulator playing the mock domain.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FidValues } from '../../src/facade/index.js';
import { kstDay } from '../../src/facade/master.js';
import { BACKENDS, nextEvent, openBackend, type Backend } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The weekday before a YYYYMMDD date, as YYYYMMDD. */
function weekdayBefore(yyyymmdd: string): string {
  const d = new Date(Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))));
  do d.setUTCDate(d.getUTCDate() - 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

describe.each(BACKENDS)('APIServer on %s', (name) => {
  let b: Backend;
  let accno = '';
  beforeAll(async () => {
    b = await openBackend(name, { emulator: { realRate: 400 } });
    const connected = nextEvent<[number]>(b.api, 'OnEventConnect');
    expect(await b.api.CommConnect()).toBe(0);
    expect(await connected).toEqual([0]);
    accno = b.api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
  });
  afterAll(() => b.close());

  test('login: GetConnectState and GetLoginInfo tags', () => {
    const { api } = b;
    expect(api.GetConnectState()).toBe(1);
    expect(api.GetLoginInfo('ACCOUNT_CNT')).toBe('1');
    expect(api.GetLoginInfo('ACCNO')).toMatch(/^\d{10};$/);
    expect(api.GetLoginInfo('ACCLIST')).toBe(api.GetLoginInfo('ACCNO'));
    expect(api.GetLoginInfo('GetServerGubun')).toBe('1');
    expect(api.GetLoginInfo('USER_ID')).not.toBe('');
    expect(api.GetLoginInfo('KEY_BSECGB')).toBe('0');
  });

  test('TR query: single record by Korean name, read inside OnReceiveTrData', async () => {
    const { api } = b;
    const seen: string[] = [];
    const handler = (_s: string, rq: string, tr: string): void => {
      seen.push(api.GetCommData(tr, rq, 0, '종목명').trim(), api.GetCommData(tr, '', 0, '현재가'), String(api.GetRepeatCnt(tr, rq)));
    };
    api.on('OnReceiveTrData', handler);
    const msg = nextEvent<string[]>(api, 'OnReceiveMsg', (_s, rq) => rq === 'quote');
    api.SetInputValue('종목코드', '005930');
    expect(await api.CommRqData('quote', 'opt10001', 0, '0101')).toBe(0);
    api.off('OnReceiveTrData', handler);
    expect(seen[0]).toBe('삼성전자');
    expect(seen[1]).toMatch(/^[+-]?\d+$/);
    expect(seen[2]).toBe('0');
    expect((await msg)[0]).toBe('0101');
  });

  test('TR query: repeated records, GetRepeatCnt, continuation with prevNext 2', async () => {
    const { api } = b;
    const pages: { prevNext: string; rows: number; first: string }[] = [];
    api.on('OnReceiveTrData', (_s, rq, tr, record, prevNext) => {
      if (rq !== 'daily') return;
      expect(record).toBe('주식일봉차트조회');
      pages.push({ prevNext, rows: api.GetRepeatCnt(tr, rq), first: api.GetCommData(tr, rq, 0, '일자') });
    });
    for (const prevNext of [0, 2]) {
      api.SetInputValue('종목코드', '005930');
      api.SetInputValue('기준일자', kstDay(Date.now()));
      api.SetInputValue('수정주가구분', '1');
      expect(await api.CommRqData('daily', 'opt10081', prevNext, '0102')).toBe(0);
    }
    expect(pages).toHaveLength(2);
    expect(pages[0]?.prevNext).toBe('2');
    expect(pages[0]?.rows).toBeGreaterThan(0);
    // The second page continues backwards in time from where the first one stopped.
    expect(Number(pages[1]?.first)).toBeLessThan(Number(pages[0]?.first));
  });

  test('TR query: every row by its index, over four pages of continuation, none repeated or skipped', async () => {
    const { api } = b;
    const dates: string[] = [];
    const closes: string[] = [];
    const nexts: string[] = [];
    const handler = (_s: string, rq: string, tr: string, _r: string, prevNext: string): void => {
      if (rq !== 'days') return;
      nexts.push(prevNext);
      const rows = api.GetRepeatCnt(tr, rq);
      for (let i = 0; i < rows; i++) {
        dates.push(api.GetCommData(tr, rq, i, '날짜').trim());
        closes.push(api.GetCommData(tr, rq, i, '종가').trim());
      }
      // Past the last row the OCX answered blanks.
      expect(api.GetCommData(tr, rq, rows, '날짜')).toBe('');
    };
    api.on('OnReceiveTrData', handler);
    try {
      for (const prevNext of [0, 2, 2, 2]) {
        api.SetInputValue('종목코드', '005930');
        api.SetInputValue('조회일자', kstDay(Date.now()));
        api.SetInputValue('표시구분', '0');
        expect(await api.CommRqData('days', 'opt10086', prevNext, '0104')).toBe(0);
      }
    } finally {
      api.off('OnReceiveTrData', handler);
    }
    expect(nexts).toEqual(['2', '2', '2', '2']);
    expect(dates).toHaveLength(400);
    // The emulator trades every weekday: newest first, each row is the weekday before the row
    // above it, so page n continues exactly where page n-1 stopped and no row repeats.
    for (let i = 1; i < dates.length; i++) expect(`${dates[i - 1]} → ${dates[i]}`).toBe(`${dates[i - 1]} → ${weekdayBefore(dates[i - 1]!)}`);
    expect(closes.every((c) => /^[+-]?\d+$/.test(c))).toBe(true);
  });

  test('TR query: account TR with implicit inputs; a field the TR never had reads ""', async () => {
    const { api } = b;
    let holdings = -1;
    let code = '';
    let memo = 'x';
    api.once('OnReceiveTrData', (_s, rq, tr) => {
      holdings = api.GetRepeatCnt(tr, rq);
      code = api.GetCommData(tr, rq, 0, '종목번호').trim();
      memo = api.GetCommData(tr, rq, 0, '매입메모');
    });
    for (const [k, v] of [['계좌번호', accno], ['비밀번호', ''], ['비밀번호입력매체구분', '00'], ['조회구분', '2']] as const) api.SetInputValue(k, v);
    expect(await api.CommRqData('balance', 'opw00018', 0, '0103')).toBe(0);
    expect(holdings).toBeGreaterThan(0);
    expect(code).toMatch(/^A?\d{6}$/);
    expect(memo).toBe('');
  });

  test('SendOrder: 0, then OnReceiveTrData with 주문번호, OnReceiveMsg, chejan 접수 → 체결 → 잔고 read with GetChejanData', async () => {
    const { api, emu } = b;
    const order: string[] = [];
    const chejan: { gubun: string; status: string; code: string; ordNo: string; fids: FidValues }[] = [];
    const onTr = (_s: string, rq: string, tr: string): void => {
      if (rq === 'buy') order.push(`tr:${api.GetCommData(tr, rq, 0, '주문번호')}`);
    };
    const onMsg = (_s: string, rq: string): void => {
      if (rq === 'buy') order.push('msg');
    };
    const onChejan = (gubun: string, fids: FidValues): void => {
      order.push(`chejan:${gubun}`);
      chejan.push({ gubun, status: api.GetChejanData(913), code: api.GetChejanData(9001), ordNo: api.GetChejanData('9203'), fids });
    };
    api.on('OnReceiveTrData', onTr);
    api.on('OnReceiveMsg', onMsg);
    api.on('OnReceiveChejanData', onChejan);
    const balance = nextEvent(api, 'OnReceiveChejanData', (g) => g === '1');
    expect(await api.SendOrder('buy', '2000', accno, 1, '005930', 2, 0, '03', '')).toBe(0);
    await balance;
    api.off('OnReceiveTrData', onTr);
    api.off('OnReceiveMsg', onMsg);
    api.off('OnReceiveChejanData', onChejan);
    const ordNo = emu.orderLedger().at(-1)?.ordNo;
    expect(order.slice(0, 2)).toEqual([`tr:${ordNo}`, 'msg']);
    expect(chejan.map((c) => [c.gubun, c.status])).toEqual([['0', '접수'], ['0', '체결'], ['1', '']]);
    expect(chejan[0]).toMatchObject({ code: 'A005930', ordNo });
    expect(chejan[0]?.fids['9201']).toBe(accno);
    expect(chejan[1]?.fids['911']).toBe('2');
    expect(chejan[2]?.fids['930']).toMatch(/^\d+$/);
  });

  test('SendOrder: limit order, modify (5) and cancel (3) each confirmed by chejan 확인', async () => {
    const { api, emu } = b;
    const statuses: string[] = [];
    api.on('OnReceiveChejanData', (g) => {
      if (g === '0') statuses.push(`${api.GetChejanData(905)}:${api.GetChejanData(913)}:${api.GetChejanData(902)}:${api.GetChejanData(819)}`);
    });
    const bid = Number(api.GetCommRealData('005930', 28).replace(/^[+-]/, '')) || 70_000;
    const price = Math.floor((bid * 0.95) / 100) * 100;
    expect(await api.SendOrder('limit', '2001', accno, 1, '005930', 3, price, '00', '')).toBe(0);
    const original = emu.orderLedger().at(-1)?.ordNo ?? '';
    expect(await api.SendOrder('modify', '2001', accno, 5, '005930', 3, price - 100, '00', original)).toBe(0);
    const modified = emu.orderLedger().at(-1)?.ordNo ?? '';
    expect(await api.SendOrder('cancel', '2001', accno, 3, '005930', 0, 0, '00', modified)).toBe(0);
    await sleep(200);
    // Each amendment: its own 확인, then the order it amended updated (nothing left open) with
    // 819 "1", the end of the flow, as the OCX sent them.
    expect(statuses).toEqual(['+매수:접수:3:', '+매수정정:확인:3:', '+매수:접수:0:1', '매수취소:확인:0:', '+매수정정:확인:0:1']);
  });

  test('SetRealReg → OnReceiveRealData(code, 주식체결, fids); GetCommRealData matches; SetRealRemove stops it', async () => {
    const { api } = b;
    let inHandler = '';
    const got = nextEvent<[string, string, FidValues]>(api, 'OnReceiveRealData', (code, type, fids) => {
      if (code !== '000660' || type !== '주식체결') return false;
      inHandler = api.GetCommRealData(code, 10);
      return fids['10'] === inHandler;
    });
    expect(await api.SetRealReg('3001', '000660', '10;15;20', '0')).toBe(0);
    const [, , fids] = await got;
    expect(fids['20']).toMatch(/^\d{6}$/);
    expect(inHandler).toMatch(/^[+-]?\d+$/);
    expect(await api.SetRealRemove('3001', '000660')).toBe(0);
    let after = 0;
    const count = (code: string): void => {
      if (code === '000660') after++;
    };
    api.on('OnReceiveRealData', count);
    await sleep(300);
    api.off('OnReceiveRealData', count);
    expect(after).toBe(0);
  });

  test('SetRealReg optType "0" replaces the screen\'s codes, "1" adds; DisconnectRealData ends the screen', async () => {
    const { api } = b;
    const codes = new Set<string>();
    const on = (code: string, type: string): void => {
      if (type === '주식체결') codes.add(code);
    };
    expect(await api.SetRealReg('3002', '035720', '10', '0')).toBe(0);
    expect(await api.SetRealReg('3002', '005380', '10', '0')).toBe(0);
    expect(await api.SetRealReg('3002', '035420', '10', '1')).toBe(0);
    await sleep(50);
    api.on('OnReceiveRealData', on);
    await sleep(400);
    api.off('OnReceiveRealData', on);
    expect(codes.has('005380')).toBe(true);
    expect(codes.has('035420')).toBe(true);
    expect(codes.has('035720')).toBe(false);
    expect(await api.DisconnectRealData('3002')).toBe(0);
    codes.clear();
    api.on('OnReceiveRealData', on);
    await sleep(300);
    api.off('OnReceiveRealData', on);
    expect(codes.has('005380') || codes.has('035420')).toBe(false);
  });

  test('a code the master does not list is answered 0 as the OCX did, named on OnReceiveMsg, and not registered; the screen keeps what it had', async () => {
    const { api, emu } = b;
    expect(await api.SetRealReg('3004', '005930', '10', '0')).toBe(0);
    const held = JSON.stringify(emu.wsHeld());
    const msg = nextEvent<string[]>(api, 'OnReceiveMsg', (screen, _rq, _tr, text) => screen === '3004' && /999999/.test(text ?? ''));
    expect(await api.SetRealReg('3004', '999999', '10', '1')).toBe(0);
    expect((await msg)[3]).toMatch(/999999 is not a listed code/);
    // Live Kiwoom acknowledges such a REG and then stays silent; nothing was spent on it here.
    expect(JSON.stringify(emu.wsHeld())).toBe(held);
    await nextEvent<[string]>(api, 'OnReceiveRealData', (code) => code === '005930');
    expect(await api.DisconnectRealData('3004')).toBe(0);
  });

  test('market-wide registration ("", "215;20;214") delivers 장시작시간 and nothing else', async () => {
    const { api } = b;
    const types: string[] = [];
    const onReal = (code: string, type: string): void => {
      if (code === '') types.push(type);
    };
    api.on('OnReceiveRealData', onReal);
    try {
      expect(await api.SetRealReg('3003', '', '215;20;214', '0')).toBe(0);
      // The market-wide stream is slow to start: wait for a few events, not a fixed window.
      for (let waited = 0; types.length < 5 && waited < 5_000; waited += 20) await sleep(20);
      expect(await api.SetRealRemove('ALL', 'ALL')).toBe(0);
    } finally {
      api.off('OnReceiveRealData', onReal);
    }
    expect(types.length).toBeGreaterThanOrEqual(5);
    expect(new Set(types)).toEqual(new Set(['장시작시간']));
  });

  test('conditions: load, name list, one-shot search, the once-a-minute rule, real-time search and stop', async () => {
    const { api } = b;
    const ver = nextEvent<[number, string]>(api, 'OnReceiveConditionVer');
    expect(await api.GetConditionLoad()).toBe(1);
    expect((await ver)[0]).toBe(1);
    const list = api.GetConditionNameList();
    expect(list).toMatch(/^(\d{3}\^[^;^]+;)+$/);
    const entries = list.split(';').filter(Boolean).map((e) => e.split('^') as [string, string]);
    const [i0, n0] = entries[0] ?? ['', ''];
    const hits = nextEvent<[string, string, string, number, number]>(api, 'OnReceiveTrCondition');
    expect(await api.SendCondition('4000', n0, Number(i0), 0)).toBe(1);
    const [screen, codeList, condName, condIndex, next] = await hits;
    expect([screen, condName, condIndex, next]).toEqual(['4000', n0, Number(i0), 0]);
    expect(codeList).toMatch(/^(\d{6};)*$/);
    // The OCX allows one request per condition per minute: refused with 0, nothing sent.
    expect(await api.SendCondition('4000', n0, Number(i0), 0)).toBe(0);
    const [i1, n1] = entries[1] ?? ['', ''];
    expect(await api.SendCondition('4001', n1, Number(i1), 1)).toBe(1);
    expect(await api.SendConditionStop('4001', n1, Number(i1))).toBe(0);
  });

  test('master: the getters answer at once from what CommConnect loaded, sending nothing', () => {
    const { api } = b;
    const before = b.emu.requestLog().length;
    const kospi = api.GetCodeListByMarket('0');
    expect(kospi).toMatch(/^(\w{6};)+$/);
    expect(kospi.split(';')).toContain('005930');
    expect(api.GetCodeListByMarket('10').split(';')).not.toContain('005930');
    expect(api.GetCodeListByMarket('8').split(';')).toContain('069500');
    expect(`종목: ${api.GetMasterCodeName('005930')}`).toBe('종목: 삼성전자');
    expect(api.GetMasterCodeName('999999')).toBe('');
    expect(api.GetMasterListedStockCnt('005930')).toBeGreaterThan(1_000_000);
    expect(api.GetMasterListedStockDate('005930')).toMatch(/^\d{8}$/);
    expect(Number(api.GetMasterLastPrice('005930'))).toBeGreaterThan(0);
    expect(api.GetMasterConstruction('005930')).toBe('정상');
    expect(api.GetMasterStockState('005930').split('|')).toContain('신용가능');
    expect(api.GetMarketType('005930')).toBe(0);
    expect(api.GetMarketType('069500')).toBe(8);
    expect(api.KOA_Functions('GetStockMarketKind', '035720')).toBe(String(api.GetMarketType('035720')));
    expect(api.GetThemeGroupList(0)).toMatch(/^(\d+\|[^;]+;)+$/);
    const theme = api.GetThemeGroupList(0).split('|')[0] ?? '';
    expect(api.GetThemeGroupCode(theme)).toMatch(/^A\d{6}(;A\d{6})*$/);
    expect(api.GetBranchCodeName()).toMatch(/^(\d{3}\|[^;]+;)+$/);
    expect(b.emu.requestLog().length).toBe(before);
  });
});

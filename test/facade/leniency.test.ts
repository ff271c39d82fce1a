/**
 * As lenient as the OCX: what the control accepted is accepted here too (inputs REST requires
 * but the legacy TR did not, short screen numbers, a price with a market hoga, padded account
 * numbers, numbers given as strings, the api_server sketch's list forms), and a burst of
 * CommRqData beyond the rate is answered in call order. Real-time types fit the instrument.
 * On the emulator (use_rest false) and through use_rest true against an emulator playing the
 * mock domain.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, loggedIn, nextEvent, type LoggedIn } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('leniency on %s', (name) => {
  let b: LoggedIn;
  let accno = '';
  beforeAll(async () => {
    b = await loggedIn(name, { emulator: { realRate: 400 } });
    accno = b.accno;
  });
  afterAll(() => b.close());

  /** Sends a TR and returns what its OnReceiveTrData handler read. */
  async function query(trcode: string, inputs: Record<string, string>, read: (tr: string, rq: string) => string[], screen: string | number = '6000'): Promise<{ rc: number; read: string[]; screen: string }> {
    const { api } = b;
    let got: string[] = [];
    let gotScreen = '';
    const rq = `rq-${trcode}-${Math.random()}`;
    const on = (scr: string, rqname: string, tr: string): void => {
      if (rqname !== rq) return;
      gotScreen = scr;
      got = read(tr, rqname);
    };
    api.on('OnReceiveTrData', on);
    for (const [k, v] of Object.entries(inputs)) api.SetInputValue(k, v);
    const rc = await api.CommRqData(rq, trcode, 0, screen as string);
    api.off('OnReceiveTrData', on);
    return { rc, read: got, screen: gotScreen };
  }

  test('opw00018 and opw00001 without 조회구분, opt10081 without 기준일자 and 수정주가구분: sent with the OCX defaults and answered', async () => {
    const { api } = b;
    const balance = await query('opw00018', { 계좌번호: accno, 비밀번호: '', 비밀번호입력매체구분: '00' }, (tr, rq) => [api.GetCommData(tr, rq, 0, '총매입금액')]);
    expect(balance.rc).toBe(0);
    expect(balance.read[0]).toMatch(/^\s*\d+$/);
    const deposit = await query('opw00001', { 계좌번호: accno }, (tr, rq) => [api.GetCommData(tr, rq, 0, '예수금')]);
    expect(deposit.rc).toBe(0);
    expect(deposit.read[0]).toMatch(/\d/);
    const chart = await query('opt10081', { 종목코드: '005930' }, (tr, rq) => [String(api.GetRepeatCnt(tr, rq)), api.GetCommData(tr, rq, 0, '일자')]);
    expect(chart.rc).toBe(0);
    expect(Number(chart.read[0])).toBeGreaterThan(0);
    expect(chart.read[1]).toMatch(/^\d{8}$/);
    // What was sent: the defaults from compat/tr-defaults.json.
    const sent = b.emu.requestLog().filter((r) => r.apiId === 'kt00018' || r.apiId === 'kt00001' || r.apiId === 'ka10081').slice(-3);
    expect(sent.map((r) => [r.apiId, (r.body as Record<string, string>)['qry_tp'] ?? (r.body as Record<string, string>)['upd_stkpc_tp']])).toEqual([['kt00018', '1'], ['kt00001', '2'], ['ka10081', '0']]);
  });

  test('a screen of fewer digits, or given as a number, is a screen', async () => {
    const short = await query('opt10001', { 종목코드: '005930' }, (tr, rq) => [b.api.GetCommData(tr, rq, 0, '종목명')], '101');
    expect(short).toMatchObject({ rc: 0, screen: '101' });
    const numeric = await query('opt10001', { 종목코드: '005930' }, (tr, rq) => [b.api.GetCommData(tr, rq, 0, '종목명')], 6001);
    expect(numeric).toMatchObject({ rc: 0, screen: '6001' });
    expect(numeric.read[0]?.trim()).toBe('삼성전자');
  });

  test('a market order with a price, a padded account and numbers as strings are sent as the OCX sent them', async () => {
    const { api, emu } = b;
    const before = emu.orderLedger().length;
    const padded = `00${accno} `;
    expect(await api.SendOrder('lenient', '6002', padded, '1' as never, '005930', '1' as never, 70_000, '03', '')).toBe(0);
    const placed = emu.orderLedger().slice(before);
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatchObject({ code: '005930', qty: 1, trdeTp: '3', side: 'buy' });
  });

  test("the api_server sketch's SetRealReg('5100', ['005930'], [], '0') registers 주식체결 and 주식호가잔량", async () => {
    const { api, emu } = b;
    const got = nextEvent<[string, string]>(api, 'OnReceiveRealData', (code, type) => code === '005930' && type === '주식체결');
    expect(await api.SetRealReg('5100', ['005930'], [], '0')).toBe(0);
    await got;
    const held = emu.wsHeld().flatMap((s) => Object.values(s.groups).flat());
    expect(held.filter((r) => r.endsWith('|005930')).sort()).toEqual(['0B|005930', '0D|005930']);
    expect(await api.DisconnectRealData('5100')).toBe(0);
  });

  test('SetRealReg registers the types that fit each instrument: no ETF NAV or ELW types for a stock', async () => {
    const { api, emu } = b;
    expect(await api.SetRealReg('5101', '005930;069500', '10;20', '0')).toBe(0);
    const held = emu.wsHeld().flatMap((s) => Object.values(s.groups).flat());
    const typesOf = (code: string): string[] => held.filter((r) => r.endsWith(`|${code}`)).map((r) => r.split('|')[0] ?? '').sort();
    expect(typesOf('005930')).not.toEqual(expect.arrayContaining(['0G']));
    expect(typesOf('005930').some((t) => t === '0m' || t === '0u')).toBe(false);
    expect(typesOf('005930')).toContain('0B');
    expect(typesOf('069500')).toContain('0G');
    // And what arrives for 삼성전자 is only those types.
    const names = new Set<string>();
    const on = (code: string, type: string): void => {
      if (code === '005930') names.add(type);
    };
    api.on('OnReceiveRealData', on);
    await sleep(300);
    api.off('OnReceiveRealData', on);
    expect(names.has('주식체결')).toBe(true);
    expect([...names].some((n) => n === 'ETF NAV' || n.startsWith('ELW'))).toBe(false);
    expect(await api.DisconnectRealData('5101')).toBe(0);
  });

  test('CommRqData beyond the rate: every request answered 0, and the answers come in call order', async () => {
    const { api } = b;
    const codes = ['005930', '000660', '035720', '005380', '035420', '000270', '068270', '105560'];
    const order: string[] = [];
    const on = (_s: string, rq: string): void => void order.push(rq);
    api.on('OnReceiveTrData', on);
    const calls = codes.map((code, i) => {
      api.SetInputValue('종목코드', code);
      return api.CommRqData(`burst-${i}`, 'opt10001', 0, '6003');
    });
    expect(await Promise.all(calls)).toEqual(codes.map(() => 0));
    api.off('OnReceiveTrData', on);
    expect(order.filter((rq) => rq.startsWith('burst-'))).toEqual(codes.map((_, i) => `burst-${i}`));
  });
});

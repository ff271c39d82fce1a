/**
 * Bad input to every method: the OCX return code, a message naming the argument (OnReceiveMsg
 * and GetLastError), and nothing on the wire (the emulator's request log does not grow and its
 * WebSocket side holds the same registrations and conditions).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APIServer } from '../../src/facade/index.js';
import { ValidationError } from '../../src/errors.js';
import { BACKENDS, openBackend, type Backend } from './helpers.js';

describe('api_init', () => {
  test('use_rest false with sim_no 0 is the clear "no OCX here" error', async () => {
    const api = new APIServer();
    await expect(api.api_init({ sim_no: 0, use_rest: false })).rejects.toThrow(/use_rest/);
    await expect(api.api_init({ sim_no: 0, use_rest: false })).rejects.toBeInstanceOf(ValidationError);
  });
  test('sim_no outside 0..3 and a missing app key are refused naming the field', async () => {
    const api = new APIServer();
    // 7 does not compile (SimNo); a JavaScript or Python caller still meets the run-time check.
    await expect(api.api_init({ sim_no: 7 as never, use_rest: true, appkey: 'k', secretkey: 's' })).rejects.toMatchObject({ field: 'sim_no' });
    await expect(api.api_init({ sim_no: 1, use_rest: true, secretkey: 's' })).rejects.toMatchObject({ field: 'appkey' });
    await expect(api.api_init({ sim_no: 1, use_rest: false, log_level: 'loud' as never })).rejects.toMatchObject({ field: 'log_level' });
  });
  test('methods before api_init / CommConnect return OP_ERR_CONNECT (-101)', async () => {
    const api = new APIServer();
    expect(await api.SendOrder('b', '2000', '1234567890', 1, '005930', 1, 0, '03', '')).toBe(-101);
    expect(await api.CommRqData('q', 'opt10001', 0, '0101')).toBe(-101);
    expect(api.GetLastError()?.message).toMatch(/api_init/);
    expect(api.GetConnectState()).toBe(0);
  });
});

describe.each(BACKENDS)('bad input on %s', (name) => {
  let b: Backend;
  let accno = '';
  const msgs: string[] = [];
  beforeAll(async () => {
    b = await openBackend(name);
    expect(await b.api.CommConnect()).toBe(0);
    accno = b.api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    b.api.on('OnReceiveMsg', (_s, _r, _t, msg) => msgs.push(msg));
  });
  afterAll(() => b.close());

  /** Runs a call and checks its return code, the message and that the request log did not grow. */
  async function refused(call: () => Promise<number>, code: number, message: RegExp): Promise<void> {
    const before = b.emu.requestLog().length;
    const orders = b.emu.orderLedger().length;
    const held = JSON.stringify(b.emu.wsHeld());
    msgs.length = 0;
    expect(await call()).toBe(code);
    expect(b.api.GetLastError()?.message).toMatch(message);
    expect(msgs.at(-1)).toMatch(message);
    expect(b.emu.requestLog().length).toBe(before);
    expect(b.emu.orderLedger().length).toBe(orders);
    // Nor on the WebSocket: the server holds the same registrations and conditions.
    expect(JSON.stringify(b.emu.wsHeld())).toBe(held);
  }

  const order = (over: Partial<{ screen: string; accno: string; type: number; code: string; qty: number; price: number; hoga: string; org: string }>) => () =>
    b.api.SendOrder('bad', over.screen ?? '2000', over.accno ?? accno, (over.type ?? 1) as never, 'code' in over ? (over.code as string) : '005930', over.qty ?? 1, over.price ?? 0, over.hoga ?? '03', over.org ?? '');

  test('SendOrder', async () => {
    await refused(order({ accno: '9999999999' }), -340, /accno "9999999999"/);
    await refused(order({ type: 9 }), -300, /orderType/);
    await refused(order({ code: '12' }), -500, /code/);
    await refused(order({ code: '999999' }), -500, /not a listed stock/);
    await refused(order({ qty: 0 }), -300, /qty/);
    await refused(order({ qty: 1.5 }), -300, /qty/);
    await refused(order({ hoga: '00', price: 0 }), -300, /price is required/);
    await refused(order({ hoga: '00', price: 70_050 }), -300, /tick/);
    await refused(order({ hoga: '99' }), -300, /hoga "99"/);
    await refused(order({ hoga: '62', price: 70_000 }), -300, /paper trading/);
    await refused(order({ type: 3, qty: 0, org: '' }), -300, /orgOrderNo/);
    await refused(order({ screen: '0000' }), -105, /screen/);
  });

  test('arguments of the wrong type are refused by name, and names never reach prototype members', async () => {
    await refused(order({ code: null as never }), -500, /code must be/);
    await refused(order({ qty: '2x' as never }), -300, /qty/);
    await refused(() => b.api.SetRealReg('1000', null as never, '10', '0'), -105, /no real type|codeList/);
    expect(b.api.GetLoginInfo('toString')).toBe('');
    expect(b.api.GetChejanData('constructor')).toBe('');
    expect(b.api.GetCommRealData('005930', 'constructor')).toBe('');
    b.api.SetInputValue('종목코드', '005930');
    expect(await b.api.CommRqData('q', 'opt10001', 0, '0101')).toBe(0);
    expect(b.api.GetCommData('opt10001', 'q', 0, 'constructor')).toBe('');
    expect(b.api.GetCommData('opt10001', 'q', -1, '종목명')).toBe('');
  });

  test('SendOrderCredit', async () => {
    await refused(() => b.api.SendOrderCredit('bad', '2000', accno, 1, '005930', 1, 0, '03', '33', '', ''), -300, /creditGb "33"/);
    await refused(() => b.api.SendOrderCredit('bad', '2000', accno, 1, '005930', 1, 0, '03', '03', '', ''), -300, /paper trading/);
  });

  test('CommRqData', async () => {
    await refused(() => b.api.CommRqData('q', 'opz12345', 0, '0101'), -201, /opz12345 is unknown/);
    await refused(() => b.api.CommRqData('q', 'opt10071', 0, '0101'), -201, /no Kiwoom REST equivalent/);
    await refused(() => b.api.CommRqData('q', 'ka10001', 0, '0101'), -201, /REST api-id .*opt10001/);
    await refused(() => b.api.CommRqData('q', 'opt10001', 0, '0101'), -202, /"종목코드" is required/);
    b.api.SetInputValue('종목코드', '005930');
    await refused(() => b.api.CommRqData('q', 'opt10001', 2, '0101'), -105, /no previous page/);
    b.api.SetInputValue('종목코드', '005930');
    await refused(() => b.api.CommRqData('q', 'opt10001', 1, '0101'), -105, /prevNext/);
    b.api.SetInputValue('종목코드', '005930');
    await refused(() => b.api.CommRqData('q', 'opt10001', 0, '12345'), -105, /screen/);
  });

  test('SetRealReg, SetRealRemove, DisconnectRealData', async () => {
    await refused(() => b.api.SetRealReg('0000', '005930', '10', '0'), -105, /screen/);
    await refused(() => b.api.SetRealReg('1000', '005930', '10', '2'), -105, /optType/);
    await refused(() => b.api.SetRealReg('1000', '005930', '10;x', '0'), -105, /"x" is not a FID/);
    const many = Array.from({ length: 101 }, (_, i) => String(100000 + i)).join(';');
    await refused(() => b.api.SetRealReg('1000', many, '10', '0'), -204, /101 codes/);
    await refused(() => b.api.SetRealReg('1000', '005930', Array.from({ length: 101 }, (_, i) => String(i + 1)).join(';'), '0'), -206, /101 FIDs/);
    await refused(() => b.api.SetRealRemove('ab;c', '005930'), -105, /screen/);
    await refused(() => b.api.DisconnectRealData('0'), -105, /screen/);
  });

  test('conditions', async () => {
    // SendCondition returns 0 when refused, as the OCX: the OCX code is in GetLastError.
    const send = (n: string, i: number, search: number) => () => b.api.SendCondition('3000', n, i, search).then((r) => (r === 0 ? (b.api.GetLastError()?.code ?? 0) : r));
    await refused(send('x', 0, 0), -11, /GetConditionLoad first/);
    expect(await b.api.GetConditionLoad()).toBe(1);
    const [idx, name] = (b.api.GetConditionNameList().split(';')[0] ?? '').split('^') as [string, string];
    await refused(send(name, 99, 1), -11, /no condition with index 99/);
    await refused(send(`${name}x`, Number(idx), 1), -12, /not "/);
    await refused(send(name, Number(idx), 3), -105, /search must be 0/);
    await refused(() => b.api.SendConditionStop('3000', name, 99), -11, /no condition with index 99/);
  });

  test('master', async () => {
    const before = b.emu.requestLog().length;
    expect(b.api.GetCodeListByMarket('ZZ')).toBe('');
    expect(b.api.GetLastError()?.message).toMatch(/market "ZZ"/);
    expect(b.emu.requestLog().length).toBe(before);
  });
});

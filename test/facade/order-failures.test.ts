/**
 * Orders Kiwoom refuses: the matching OP_ERR code and Kiwoom's message, and the order is never
 * resent. Credit orders on the production domain (an emulator standing in for it).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { APIServer } from '../../src/facade/index.js';
import { openBackend, type Backend } from './helpers.js';

const orderRequests = (emu: Emulator): number => emu.requestLog().filter((e) => /^kt1000/.test(e.apiId ?? '')).length;

describe('orders refused by Kiwoom', () => {
  let b: Backend;
  let accno = '';
  const msgs: string[] = [];
  beforeAll(async () => {
    b = await openBackend('mock-domain');
    expect(await b.api.CommConnect()).toBe(0);
    accno = b.api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    b.api.on('OnReceiveMsg', (_s, rq, _t, msg) => rq === 'refused' && msgs.push(msg));
  });
  afterAll(() => b.close());

  test('a rate-limited order returns OP_ERR_ORD_OVERFLOW (-308) and is sent once', async () => {
    const before = orderRequests(b.emu);
    b.emu.faults.rateLimitNext(1);
    expect(await b.api.SendOrder('refused', '2000', accno, 1, '005930', 1, 0, '03', '')).toBe(-308);
    expect(orderRequests(b.emu)).toBe(before + 1);
    expect(msgs.at(-1)).toMatch(/1700|허용된/);
  });

  test('an order beyond the orderable cash returns the OCX order error with Kiwoom\'s reason', async () => {
    const before = b.emu.orderLedger().length;
    const ret = await b.api.SendOrder('refused', '2000', accno, 1, '005930', 10_000_000, 0, '03', '');
    // Kiwoom's business rejection (RC4025) is an order-reject: OP_ERR_SEND_FAIL in the order table.
    expect(ret).toBe(-307);
    expect(b.api.GetLastError()?.code).toBe(-307);
    expect(b.emu.orderLedger().length).toBe(before);
    expect(msgs.at(-1)).toMatch(/kt10000/);
    expect(msgs.at(-1)).toMatch(/RC4025.*주문가능금액/);
  });
});

describe('production domain (use_rest true, sim_no 0)', () => {
  test('GetServerGubun is not "1", other hoga codes pass the checks, credit orders go to kt10006', async () => {
    const emu = await startEmulator({ mode: 'prod' });
    const api = new APIServer();
    try {
      await api.api_init({ sim_no: 0, use_rest: true, appkey: emu.appkey, secretkey: emu.secretkey, endpoints: { rest: emu.restUrl, ws: emu.wsUrl }, log_level: 'silent' });
      expect(await api.CommConnect()).toBe(0);
      expect(api.GetLoginInfo('GetServerGubun')).not.toBe('1');
      const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
      expect(await api.SendOrderCredit('credit', '2000', accno, 1, '005930', 1, 0, '03', '03', '', '')).toBe(0);
      expect(emu.orderLedger().at(-1)?.apiId).toBe('kt10006');
      // 10 (limit IOC) is refused by paper trading but passes the checks here.
      await api.SendOrder('ioc', '2000', accno, 1, '005930', 1, 50_000, '10', '');
      expect(emu.requestLog().filter((e) => e.apiId === 'kt10000').at(-1)?.body).toMatchObject({ trde_tp: '10', ord_uv: '50000' });
    } finally {
      await api.cleanup();
      await emu.close();
    }
  });
});

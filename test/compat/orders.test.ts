import { describe, expect, it } from 'vitest';
import {
  ORDERS,
  getCreditGb,
  getCreditOrderType,
  getHoga,
  getOrderType,
  isOnTick,
  orderRequestKeys,
  tickSize,
} from '../../src/compat/orders.js';
import { getApi } from '../../src/registry/index.js';

describe('order codes', () => {
  it('maps nOrderType 1..6 onto the cash order api-ids', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => getOrderType(n)?.apiId)).toEqual([
      'kt10000', 'kt10001', 'kt10003', 'kt10003', 'kt10002', 'kt10002',
    ]);
    expect(getOrderType(1)).toMatchObject({ name: '신규매수', side: 'buy', action: 'new' });
    expect(getOrderType('6')).toMatchObject({ name: '매도정정', side: 'sell', action: 'modify' });
    expect(getOrderType(7)).toBeUndefined();
    expect(ORDERS.unsupportedOrderTypes['7']).toMatch(/프로그램매매/);
  });

  it('maps SendOrderCredit onto kt10006..kt10009 with the credit deal type', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => getCreditOrderType(n)?.apiId)).toEqual([
      'kt10006', 'kt10007', 'kt10009', 'kt10009', 'kt10008', 'kt10008',
    ]);
    expect(getCreditGb('33')).toMatchObject({ apiId: 'kt10007', crdDealTp: '33', loanDate: 'required' });
    expect(getCreditGb('03')?.apiId).toBe('kt10006');
  });

  it('uses only order api-ids in the order budget, with request keys they document', () => {
    const rows = [...Object.values(ORDERS.orderTypes), ...Object.values(ORDERS.creditOrderTypes)];
    for (const row of rows) {
      const api = getApi(row.apiId);
      expect(api?.category, row.apiId).toBe('order');
      const keys = new Set(api?.request.map((f) => f.key));
      for (const key of Object.values(orderRequestKeys(row.action))) expect(keys.has(key), `${row.apiId} ${key}`).toBe(true);
    }
    for (const gb of Object.values(ORDERS.creditGb)) {
      if (gb.crdDealTp) expect(getApi(gb.apiId)?.request.some((f) => f.key === 'crd_deal_tp')).toBe(true);
    }
  });

  it('maps every sHogaGb to a trde_tp kt10000 documents, with its price rule', () => {
    const documented = getApi('kt10000')?.request.find((f) => f.key === 'trde_tp');
    expect(documented).toBeDefined();
    for (const [code, h] of Object.entries(ORDERS.hoga)) {
      expect(Object.hasOwn(ORDERS.tradeTypes, h.trdeTp), code).toBe(true);
      expect(h.trdeTp).toBe(String(Number(code)));
    }
    expect(Object.keys(ORDERS.hoga).sort()).toEqual(['00', '03', '05', '06', '07', '10', '13', '16', '20', '23', '26', '61', '62', '81']);
    expect(getHoga('00')).toMatchObject({ trdeTp: '0', needsPrice: true, mock: true });
    expect(getHoga('03')).toMatchObject({ trdeTp: '3', needsPrice: false, mock: true });
    expect(getHoga('62')?.needsPrice).toBe(true);
    expect(getHoga('06')).toMatchObject({ needsPrice: false, mock: false });
    expect(getHoga('99')).toBeUndefined();
    expect(Object.keys(ORDERS.restOnlyTradeTypes)).toEqual(['28', '29', '30', '31']);
  });

  it('gives KRX tick sizes by price band', () => {
    expect(tickSize(1999)).toBe(1);
    expect(tickSize(2000)).toBe(5);
    expect(tickSize(19_990)).toBe(10);
    expect(tickSize(20_000)).toBe(50);
    expect(tickSize(70_100)).toBe(100);
    expect(tickSize(499_500)).toBe(500);
    expect(tickSize(1_000_000)).toBe(1000);
    expect(tickSize(12_345, 'etp')).toBe(5);
    expect(isOnTick(70_100)).toBe(true);
    expect(isOnTick(70_150)).toBe(false);
    expect(isOnTick(0)).toBe(false);
  });
});

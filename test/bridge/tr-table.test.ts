/**
 * The TR table the bridge ships with OnReceiveTrData (APIServer.trSnapshot) reads exactly what
 * GetCommData / GetRepeatCnt read, so that a reader in another process can answer them itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../facade/helpers.js';

describe('APIServer.trSnapshot', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend('emulator');
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(async () => b.close());

  /** Every cell of the table against GetCommData, read inside OnReceiveTrData. */
  async function checkTr(trcode: string, rqname: string, inputs: Record<string, string>): Promise<number> {
    let checked = 0;
    const onTr = (_screen: string, rq: string, tr: string): void => {
      if (rq !== rqname) return;
      const table = b.api.trSnapshot(tr, rq);
      expect(table).toBeDefined();
      const { single, fields, rows } = table!;
      expect(rows.length).toBe(b.api.GetRepeatCnt(tr, rq));
      rows.forEach((row, i) => fields.forEach((f, j) => expect(row[j]).toBe(b.api.GetCommData(tr, rq, i, f))));
      for (const [name, value] of Object.entries(single)) expect(value).toBe(b.api.GetCommData(tr, rq, 0, name));
      checked = rows.length * fields.length + Object.keys(single).length;
    };
    b.api.on('OnReceiveTrData', onTr);
    for (const [k, v] of Object.entries(inputs)) b.api.SetInputValue(k, v);
    expect(await b.api.CommRqData(rqname, trcode, 0, '0101')).toBe(0);
    b.api.off('OnReceiveTrData', onTr);
    return checked;
  }

  it('a chart page (repeated rows and a single record)', async () => {
    expect(await checkTr('opt10081', 'chart', { 종목코드: '005930', 기준일자: '20261125', 수정주가구분: '1' })).toBeGreaterThan(1000);
  });

  it('a single-record TR', async () => {
    expect(await checkTr('opt10001', 'quote', { 종목코드: '005930' })).toBeGreaterThan(10);
  });

  it('an order answer (주문번호)', async () => {
    const seen: string[] = [];
    const onTr = (_s: string, rq: string, tr: string): void => {
      if (rq === 'buy') seen.push(b.api.trSnapshot(tr, rq)?.single['주문번호'] ?? 'none', b.api.GetCommData(tr, rq, 0, '주문번호'));
    };
    b.api.on('OnReceiveTrData', onTr);
    const [accno] = b.api.GetLoginInfo('ACCNO').split(';');
    expect(await b.api.SendOrder('buy', '2000', accno!, 1, '005930', 1, 0, '03', '')).toBe(0);
    b.api.off('OnReceiveTrData', onTr);
    expect(seen[0]).toMatch(/^\d+$/);
    expect(seen[0]).toBe(seen[1]);
  });
});

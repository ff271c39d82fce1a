import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startHarness, type Harness } from './harness.js';

const reg = (data: unknown, extra: Record<string, unknown> = {}) => ({ trnm: 'REG', grp_no: '1', refresh: '1', data, ...extra });

describe('REG / REMOVE', () => {
  let h: Harness;
  let c: Client;
  beforeAll(async () => {
    h = await startHarness({ ws: { maxItemsPerReg: 3 } });
    c = await Client.login(h.url);
  });
  afterAll(async () => {
    c.close();
    await h.close();
  });

  it('acknowledges a valid REG with the documented ack', async () => {
    expect(await c.request(reg([{ item: ['005930', '000660'], type: ['0B', '0D'] }]))).toEqual({
      trnm: 'REG',
      return_code: 0,
      return_msg: '',
    });
  });

  it('accepts NXT and SOR items, 업종 codes, gold items and account-level types', async () => {
    for (const data of [
      [{ item: ['005930_NX', '005930_AL'], type: ['0B'] }],
      [{ item: ['001', '101'], type: ['0J', '0U'] }],
      [{ item: ['MGD', 'MGU'], type: ['0I'] }],
      [{ item: [''], type: ['00', '04'] }],
      [{ item: [''], type: ['0s', '1h'] }],
    ]) {
      expect((await c.request(reg(data)))['return_code'], JSON.stringify(data)).toBe(0);
    }
  });

  it.each([
    ['an unknown type', [{ item: ['005930'], type: ['0Z'] }], 'type=0Z'],
    ['the condition type 02', [{ item: ['005930'], type: ['02'] }], 'type=02'],
    ['an unknown stock code', [{ item: ['999999'], type: ['0B'] }], 'item=999999'],
    ['an unknown 업종 code', [{ item: ['777'], type: ['0J'] }], 'item=777'],
    ['a stock code for gold', [{ item: ['005930'], type: ['0I'] }], 'item=005930'],
    ['too many items', [{ item: ['005930', '000660'], type: ['0B'] }, { item: ['035720', '069500'], type: ['0B'] }], '등록 종목수 초과'],
    ['type not an array', [{ item: ['005930'], type: '0B' }], 'type'],
    ['item not an array', [{ item: '005930', type: ['0B'] }], 'item'],
  ])('answers %s with return_code 1 and a message naming it', async (_what, data, needle) => {
    const r = await c.request(reg(data));
    expect(r['return_code']).toBe(1);
    expect(String(r['return_msg'])).toContain(needle);
  });

  it('names grp_no, refresh and data when they are malformed', async () => {
    expect((await c.request({ trnm: 'REG', refresh: '1', data: [{ item: ['005930'], type: ['0B'] }] }))['return_msg']).toContain('grp_no');
    expect((await c.request(reg([{ item: ['005930'], type: ['0B'] }], { refresh: '2' })))['return_msg']).toContain('refresh');
    expect((await c.request({ trnm: 'REG', grp_no: '1', refresh: '1' }))['return_msg']).toContain('data');
  });

  it('acknowledges REMOVE with the same shape', async () => {
    expect(await c.request({ trnm: 'REMOVE', grp_no: '1', data: [{ item: ['005930'], type: ['0B'] }] })).toEqual({
      trnm: 'REMOVE',
      return_code: 0,
      return_msg: '',
    });
    expect((await c.request({ trnm: 'REMOVE', grp_no: '1', data: [{ item: ['005930'], type: ['0Q'] }] }))['return_code']).toBe(1);
  });

  it('rejects NXT items in mock mode (KRX only)', async () => {
    const m = await startHarness({ mode: 'mock' });
    const mc = await Client.login(m.url);
    expect((await mc.request(reg([{ item: ['005930_NX'], type: ['0B'] }])))['return_code']).toBe(1);
    expect((await mc.request(reg([{ item: ['005930'], type: ['0B'] }])))['return_code']).toBe(0);
    mc.close();
    await m.close();
  });
});

describe('what gets pushed follows the registrations', () => {
  it('pushes registered items only, honours refresh 0 (replace) and stops after REMOVE', async () => {
    const h = await startHarness({ realRate: 400 });
    const c = await Client.login(h.url);
    await c.request(reg([{ item: ['005930'], type: ['0B'] }]));
    await c.next((f) => f.trnm === 'REAL');
    await c.request(reg([{ item: ['000660'], type: ['0C'] }], { refresh: '0' }));
    c.frames.length = 0;
    await new Promise((r) => setTimeout(r, 150));
    const entries = c.frames.filter((f) => f.trnm === 'REAL').flatMap((f) => f['data'] as { type: string; item: string }[]);
    expect(entries.length).toBeGreaterThan(5);
    expect(new Set(entries.map((e) => `${e.type}/${e.item}`))).toEqual(new Set(['0C/000660']));

    await c.request({ trnm: 'REMOVE', grp_no: '1', data: [{ item: ['000660'], type: ['0C'] }] });
    await new Promise((r) => setTimeout(r, 30));
    c.frames.length = 0;
    await new Promise((r) => setTimeout(r, 120));
    expect(c.frames.filter((f) => f.trnm === 'REAL')).toHaveLength(0);
    c.close();
    await h.close();
  });

  it('keeps other groups when one group is replaced', async () => {
    const h = await startHarness({ realRate: 400 });
    const c = await Client.login(h.url);
    await c.request(reg([{ item: ['005930'], type: ['0B'] }]));
    await c.request(reg([{ item: ['000660'], type: ['0B'] }], { grp_no: '2', refresh: '0' }));
    c.frames.length = 0;
    await new Promise((r) => setTimeout(r, 150));
    const items = new Set(c.frames.filter((f) => f.trnm === 'REAL').flatMap((f) => (f['data'] as { item: string }[]).map((e) => e.item)));
    expect(items).toEqual(new Set(['005930', '000660']));
    c.close();
    await h.close();
  });
});

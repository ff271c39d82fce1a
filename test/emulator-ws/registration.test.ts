import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startHarness, type Harness } from './harness.js';

const reg = (data: unknown, extra: Record<string, unknown> = {}) => ({ trnm: 'REG', grp_no: '1', refresh: '1', data, ...extra });

describe('REG / REMOVE', () => {
  let h: Harness;
  let c: Client;
  beforeAll(async () => {
    // Shapes, not limits: the rate is widened so that one client can send every case at once.
    h = await startHarness({ ws: { regPerSecond: 1_000 } });
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

  it.each([
    ['an unknown stock code', [{ item: ['999999'], type: ['0B'] }]],
    ['an unknown 업종 code', [{ item: ['777'], type: ['0J'] }]],
    ['a stock code for gold', [{ item: ['005930'], type: ['0I'] }]],
  ])('acknowledges %s with rc 0, as live does (LIVE.md row 4)', async (_what, data) => {
    expect(await c.request(reg(data, { grp_no: '9' }))).toEqual({ trnm: 'REG', return_code: 0, return_msg: '' });
  });
});

describe('unknown codes and the mock domain stay silent', () => {
  it('pushes nothing for an unknown code, nor for an NXT item in mock mode (KRX only)', async () => {
    const m = await startHarness({ mode: 'mock', realRate: 400 });
    const mc = await Client.login(m.url);
    expect((await mc.request(reg([{ item: ['999999', '005930_NX'], type: ['0B'] }])))['return_code']).toBe(0);
    expect((await mc.request(reg([{ item: ['005930'], type: ['0B'] }], { grp_no: '2' })))['return_code']).toBe(0);
    await mc.next((f) => f.trnm === 'REAL');
    await new Promise((r) => setTimeout(r, 100));
    const items = new Set(mc.frames.filter((f) => f.trnm === 'REAL').flatMap((f) => (f['data'] as { item: string }[]).map((e) => e.item)));
    expect(items).toEqual(new Set(['005930']));
    mc.close();
    await m.close();
  });
});

describe('the live REG limits (compat/live.json)', () => {
  const codes = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => String(100_000 + from + i));

  it('refuses the sixth REG or REMOVE within one second with rc 105110 and applies none of it', async () => {
    const h = await startHarness();
    const c = await Client.login(h.url);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await c.request(reg([{ item: [codes(1, i)[0]!], type: ['0B'] }], { grp_no: String(i + 1) })));
    const sixth = await c.request({ trnm: 'REMOVE', grp_no: '1', data: [{ item: [codes(1)[0]!], type: ['0B'] }] });
    expect(answers.map((a) => a['return_code'])).toEqual([0, 0, 0, 0, 0]);
    expect(sixth['return_code']).toBe(105110);
    expect(String(sixth['return_msg'])).toContain('허용 요청 건수');
    expect(Object.keys(h.side.held()[0]!.groups)).toHaveLength(5);
    // A second later the budget is back.
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await c.request(reg([{ item: ['005930'], type: ['0B'] }], { grp_no: '6' })))['return_code']).toBe(0);
    c.close();
    await h.close();
  });

  it('caps a connection at 200 distinct items whatever the types (105115) and a group at 200 (105118)', async () => {
    const h = await startHarness();
    const c = await Client.login(h.url);
    const send = (grp: string, items: string[], types = ['0B'], refresh = '1') =>
      c.request(reg([{ item: items, type: types }], { grp_no: grp, refresh }));
    // 150 items with two types each, and the account events (item "", no slot).
    expect((await send('1', codes(150), ['0B', '0D']))['return_code']).toBe(0);
    expect((await send('0', [''], ['00', '04']))['return_code']).toBe(0);
    // The same 150 in another group and 50 new ones: 200 distinct items.
    expect((await send('2', codes(200)))['return_code']).toBe(0);
    const over = await send('3', codes(1, 200));
    expect(over['return_code']).toBe(105115);
    await new Promise((r) => setTimeout(r, 1_000));
    const group = await send('2', codes(201));
    expect(group['return_code']).toBe(105118);
    // Replacing a group (refresh 0) counts what it will hold, not what it held.
    expect((await send('2', codes(50, 150), ['0B'], '0'))['return_code']).toBe(0);
    const held = h.side.held()[0]!.groups;
    expect(new Set(Object.values(held).flat().map((k) => k.split('|')[1]).filter((i) => i !== '')).size).toBe(200);
    c.close();
    await h.close();
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

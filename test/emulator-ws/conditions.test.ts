import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONDITIONS } from '../../src/emulator/ws/data.js';
import { Client, isReal, realOf, startHarness, type Harness } from './harness.js';

const example = (id: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/kiwoom-rest/examples/${id}.json`, import.meta.url), 'utf8')) as {
    request: Record<string, unknown>;
  };

/** seq of a condition by name prefix. */
const seqOf = (name: string): string => CONDITIONS.find((c) => c.name.startsWith(name))!.seq;

describe('condition search', () => {
  let h: Harness;
  let c: Client;
  beforeEach(async () => {
    h = await startHarness({ ws: { conditionIntervalMs: 30, conditionMarketTicks: 0 } });
    c = await Client.login(h.url);
  });
  afterEach(async () => {
    c.close();
    await h.close();
  });

  it('lists the formulas as [seq, name] pairs (CNSRLST)', async () => {
    const r = await c.request(example('ka10171').request);
    expect(r['return_code']).toBe(0);
    expect(r['data']).toEqual(CONDITIONS.map((x) => [x.seq, x.name]));
    expect((r['data'] as unknown[]).length).toBeGreaterThan(10);
  });

  it('answers a one-shot search with FID-keyed rows of the matching stocks (CNSRREQ type 0)', async () => {
    h.state.setPrice('005930', 62_000); // +2.82%
    h.state.setPrice('000660', 170_000); // -5.56%
    const r = await c.request({ trnm: 'CNSRREQ', seq: seqOf('상승률 1%'), search_type: '0', stex_tp: 'K', cont_yn: 'N', next_key: '' });
    expect(r).toMatchObject({ trnm: 'CNSRREQ', return_code: 0, cont_yn: 'N', next_key: '' });
    expect(r['data']).toEqual([
      { '9001': 'A005930', '302': '삼성전자', '10': '000062000', '25': '2', '11': '000001700', '12': '000002820', '13': '000001010', '16': '000060300', '17': '000062000', '18': '000060300' },
    ]);
    const down = await c.request({ trnm: 'CNSRREQ', seq: seqOf('하락률 1%'), search_type: '0', stex_tp: 'K' });
    const row = (down['data'] as Record<string, string>[])[0]!;
    expect(row['9001']).toBe('A000660');
    expect(row['11']).toBe('-00010000');
    expect(row['25']).toBe('5');
  });

  it('validates seq, search_type and stex_tp with return_code 1 naming the field', async () => {
    for (const [msg, field] of [
      [{ trnm: 'CNSRREQ', seq: '999', search_type: '0', stex_tp: 'K' }, 'seq=999'],
      [{ trnm: 'CNSRREQ', search_type: '0', stex_tp: 'K' }, 'seq'],
      [{ trnm: 'CNSRREQ', seq: '0', search_type: '7', stex_tp: 'K' }, 'search_type'],
      [{ trnm: 'CNSRREQ', seq: '0', search_type: '0', stex_tp: 'N' }, 'stex_tp'],
    ] as const) {
      const r = await c.request(msg);
      expect(r['return_code']).toBe(1);
      expect(String(r['return_msg'])).toContain(field);
    }
  });

  it('requires CNSRLST before a real-time search, as documented', async () => {
    const r = await c.request({ trnm: 'CNSRREQ', seq: '0', search_type: '1', stex_tp: 'K' });
    expect(r['return_code']).toBe(1);
    expect(String(r['return_msg'])).toContain('CNSRLST');
  });

  it('runs a real-time search: initial jmcode list, then 02 pushes as stocks enter (I) and leave (D), until CNSRCLR', async () => {
    await c.request({ trnm: 'CNSRLST' });
    h.state.setPrice('005930', 62_000);
    const seq = seqOf('상승률 1%');
    const r = await c.request({ trnm: 'CNSRREQ', seq, search_type: '1', stex_tp: 'K' });
    expect(r).toMatchObject({ trnm: 'CNSRREQ', seq, return_code: 0, data: [{ jmcode: 'A005930' }] });

    h.state.setPrice('000660', 183_000);
    const enter = realOf(await c.next(isReal('02', '000660')))[0]!;
    expect(enter).toMatchObject({ type: '02', name: '조건검색', item: '000660', values: { '841': seq, '9001': '000660', '843': 'I', '20': '101500' } });
    expect(Object.keys(enter.values).sort()).toEqual(['20', '841', '843', '9001', '907']);

    h.state.setPrice('005930', 60_300);
    const leave = realOf(await c.next(isReal('02', '005930')))[0]!;
    expect(leave.values['843']).toBe('D');

    expect(await c.request({ trnm: 'CNSRCLR', seq })).toEqual({ trnm: 'CNSRCLR', seq, return_code: 0, return_msg: '' });
    c.frames.length = 0;
    h.state.setPrice('035720', 45_000);
    await new Promise((res) => setTimeout(res, 120));
    expect(c.frames.filter((f) => f.trnm === 'REAL')).toHaveLength(0);
  });

  it('allows 10 real-time conditions per session and refuses the 11th', async () => {
    await c.request({ trnm: 'CNSRLST' });
    for (const cond of CONDITIONS.slice(0, 10)) {
      expect((await c.request({ trnm: 'CNSRREQ', seq: cond.seq, search_type: '1', stex_tp: 'K' }))['return_code']).toBe(0);
    }
    // asking again for a running one is not a new condition
    expect((await c.request({ trnm: 'CNSRREQ', seq: CONDITIONS[0]!.seq, search_type: '1', stex_tp: 'K' }))['return_code']).toBe(0);
    const eleventh = await c.request({ trnm: 'CNSRREQ', seq: CONDITIONS[10]!.seq, search_type: '1', stex_tp: 'K' });
    expect(eleventh['return_code']).toBe(1);
    expect(String(eleventh['return_msg'])).toContain('10');
    await c.request({ trnm: 'CNSRCLR', seq: CONDITIONS[0]!.seq });
    expect((await c.request({ trnm: 'CNSRREQ', seq: CONDITIONS[10]!.seq, search_type: '1', stex_tp: 'K' }))['return_code']).toBe(0);
  });
});

describe('condition search paging', () => {
  it('pages one-shot results with body cont_yn / next_key', async () => {
    const h = await startHarness({ ws: { conditionPageSize: 2 } });
    const c = await Client.login(h.url);
    // 거래량 상위 20 keeps every stock of the six-stock fake market
    const all = CONDITIONS.find((x) => x.rule.all === undefined && x.rule.top !== undefined)!;
    const first = await c.request({ trnm: 'CNSRREQ', seq: all.seq, search_type: '0', stex_tp: 'K', cont_yn: 'N', next_key: '' });
    expect(first).toMatchObject({ cont_yn: 'Y', next_key: '2' });
    const rows = [...(first['data'] as { '9001': string }[])];
    let page = first;
    while (page['cont_yn'] === 'Y') {
      page = await c.request({ trnm: 'CNSRREQ', seq: all.seq, search_type: '0', stex_tp: 'K', cont_yn: 'Y', next_key: page['next_key'] });
      rows.push(...(page['data'] as { '9001': string }[]));
    }
    expect(rows).toHaveLength(h.state.master.length);
    expect(new Set(rows.map((r) => r['9001'])).size).toBe(h.state.master.length);
    c.close();
    await h.close();
  });
});

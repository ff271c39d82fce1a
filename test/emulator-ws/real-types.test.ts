import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_TYPES } from '../../src/emulator/ws/data.js';
import { ACCOUNT, Client, isReal, realOf, startHarness, type Harness, type RealEntry } from './harness.js';

interface FixtureType {
  type: string;
  fids: { fid: string }[];
  example_push?: { data: { name: string }[] };
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/kiwoom-rest/websocket.json', import.meta.url), 'utf8')) as {
  real_types: FixtureType[];
};
const documented = new Map(fixture.real_types.map((t) => [t.type, t.fids.map((f) => f.fid)]));

/** The item each streamed type is registered with in these tests. */
const STREAMED: Record<string, string> = {
  '0A': '005930', '0B': '005930', '0C': '005930', '0D': '005930', '0E': '005930', '0F': '005930',
  '0G': '069500', '0H': '005930', '0I': 'MGD', '0J': '001', '0U': '101', '0g': '005930',
  '0m': '57JBHH', '0s': '', '0u': '57JBHH', '0w': '005930', '1h': '',
};

/** FIDs documented but never sent live (LIVE.md row 20: 0w has 14 FIDs, not 17). */
const NOT_SENT_LIVE: Record<string, string[]> = { '0w': ['214', '215', '216'] };

describe('compat/emulator/real-types.json', () => {
  it('lists exactly the documented FIDs of all 20 types, in documented order, less those live does not send', () => {
    expect(Object.keys(REAL_TYPES).sort()).toEqual([...documented.keys()].sort());
    for (const [type, fids] of documented) {
      const sent = fids.filter((f) => !(NOT_SENT_LIVE[type] ?? []).includes(f));
      expect(REAL_TYPES[type]!.fids.map(([fid]) => fid), type).toEqual(sent);
    }
  });

  it('uses the names the server sends in REAL pushes', () => {
    for (const t of fixture.real_types) {
      const name = t.example_push?.data[0]?.name;
      if (name) expect(REAL_TYPES[t.type]!.name, t.type).toBe(name);
    }
  });
});

describe('REAL pushes of every documented type', () => {
  let h: Harness;
  let c: Client;
  const got = new Map<string, RealEntry>();

  beforeAll(async () => {
    h = await startHarness({ realRate: 2000, ws: { viIntervalMs: 20 } });
    c = await Client.login(h.url);
    const data = Object.entries(STREAMED).map(([type, item]) => ({ item: [item], type: [type] }));
    data.push({ item: [''], type: ['00', '04'] });
    expect((await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data }))['return_code']).toBe(0);
    for (const type of Object.keys(STREAMED)) {
      const f = await c.next(isReal(type));
      got.set(type, realOf(f).find((e) => e.type === type)!);
    }
    const order = {
      ordNo: '0000123', origOrdNo: '', account: ACCOUNT, apiId: 'kt10000', code: '005930', name: '삼성전자', side: 'buy' as const,
      trdeTp: '0', qty: 10, price: 60_300, filledQty: 4, openQty: 6, status: '체결' as const, time: '101501', exchange: 'KRX' as const,
    };
    h.state.emit('order', {
      kind: 'fill', account: ACCOUNT, order,
      fill: { ordNo: '0000123', fillNo: '0000456', account: ACCOUNT, code: '005930', side: 'buy', price: 60_300, qty: 4, time: '101501' },
    });
    h.state.emit('position', {
      account: ACCOUNT, code: '005930', name: '삼성전자', qty: 4, orderableQty: 4, avgPrice: 60_300, price: 60_400, buyAmount: 241_200, deposit: 1_000_000,
    });
    got.set('00', realOf(await c.next(isReal('00'))).find((e) => e.type === '00')!);
    got.set('04', realOf(await c.next(isReal('04'))).find((e) => e.type === '04')!);
  });
  afterAll(async () => {
    c.close();
    await h.close();
  });

  it('covers the 19 documented types', () => {
    expect([...got.keys()].sort()).toEqual([...documented.keys()].filter((t) => t !== '02').sort());
  });

  it.each([...documented.keys()].filter((t) => t !== '02'))('%s carries exactly the documented FID keys live sends, all strings', (type) => {
    const e = got.get(type)!;
    expect(e.type).toBe(type);
    expect(e.name).toBe(REAL_TYPES[type]!.name);
    expect(Object.keys(e.values).sort()).toEqual(documented.get(type)!.filter((f) => !(NOT_SENT_LIVE[type] ?? []).includes(f)).sort());
    for (const v of Object.values(e.values)) expect(typeof v).toBe('string');
  });

  it('formats 0B like Kiwoom: signed price against the previous close, HHMMSS, two-decimal rate, sign code', () => {
    const v = got.get('0B')!.values;
    const prevClose = 60_300;
    const price = Number(v['10']!.replace(/^[+-]/, ''));
    expect(v['20']).toMatch(/^\d{6}$/);
    expect(v['10']).toMatch(price > prevClose ? /^\+\d+$/ : price < prevClose ? /^-\d+$/ : /^\d+$/);
    expect(Number(v['11'])).toBe(price - prevClose);
    expect(v['12']).toMatch(/^[+-]?\d+\.\d{2}$/);
    expect(v['25']).toBe(price > prevClose ? '2' : price < prevClose ? '5' : '3');
    expect(v['15']).toMatch(/^[+-]\d+$/);
    expect(Number(v['13'])).toBeGreaterThan(0);
    expect(got.get('0B')!.item).toBe('005930');
  });

  it('writes the 0B values live writes differently from the documentation (LIVE.md rows 9, 11, 12)', () => {
    const v = got.get('0B')!.values;
    const qty = Number(v['15']);
    const price = Number(v['10']!.replace(/^[+-]/, ''));
    // 9081: the venue's name.
    expect(v['9081']).toBe('KRX');
    // 1315 / 1316: the single trade's quantity signed on its side, " 0" (a leading space) on the other.
    expect(qty < 0 ? v['1315'] : v['1316']).toBe(v['15']);
    expect(qty < 0 ? v['1316'] : v['1315']).toBe(' 0');
    // 1314 = FID 15; 1313 in thousands of won with the trade's sign; 1032 signed like the trade.
    expect(v['1314']).toBe(v['15']);
    expect(Number(v['1313'])).toBe(Math.round((qty * price) / 1_000));
    expect(v['1032']).toMatch(qty < 0 ? /^-\d+\.\d{2}$/ : /^\+\d+\.\d{2}$/);
  });

  it('sends a 10-level order book in 0D with asks above bids', () => {
    const v = got.get('0D')!.values;
    const asks = Array.from({ length: 10 }, (_, i) => Number(v[String(41 + i)]!.replace(/^[+-]/, '')));
    const bids = Array.from({ length: 10 }, (_, i) => Number(v[String(51 + i)]!.replace(/^[+-]/, '')));
    expect(asks.every((p, i) => i === 0 || p > asks[i - 1]!)).toBe(true);
    expect(bids.every((p, i) => i === 0 || p < bids[i - 1]!)).toBe(true);
    expect(asks[0]).toBeGreaterThan(bids[0]!);
    const askTotal = Array.from({ length: 10 }, (_, i) => Number(v[String(61 + i)])).reduce((a, b) => a + b);
    expect(Number(v['121'])).toBe(askTotal);
  });

  it('pushes 업종 indices with two decimals and breadth counts for 0U', () => {
    expect(got.get('0J')!.values['10']).toMatch(/^[+-]?\d+\.\d{2}$/);
    const u = got.get('0U')!.values;
    const counted = ['251', '252', '253', '254', '255'].map((k) => Number(u[k])).reduce((a, b) => a + b);
    expect(counted).toBe(1); // the fake market has one KOSDAQ stock
    expect(got.get('0U')!.item).toBe('101');
  });

  it('reports the market phase in 0s from the emulator clock', () => {
    expect(got.get('0s')!.values).toMatchObject({ '215': '3', '20': '101500', '214': '000000' });
  });

  it('names the stock in a market-wide 1h push, whose first row is the _AL one', () => {
    const e = got.get('1h')!;
    expect(h.state.stock(e.values['9001']!)?.name).toBe(e.values['302']);
    expect(e.item).toBe(`${e.values['9001']}_AL`);
    expect(['정적', '동적', '동적+정적']).toContain(e.values['1225']);
  });

  it('builds 00 from an order event: account, numbers, status, labels, fill', () => {
    expect(got.get('00')!.values).toMatchObject({
      '9201': ACCOUNT, '9203': '0000123', '9001': '005930', '913': '체결', '302': '삼성전자', '900': '10', '901': '60300',
      '902': '6', '903': '241200', '904': '0000000', '905': '+매수', '906': '보통', '907': '2', '908': '101501',
      '909': '0000456', '910': '60300', '911': '4', '2134': '1', '2135': 'KRX', '2136': 'N',
      // As live (LIVE.md rows 10, 16): 10010 with a leading space, 921 filled, 923 empty.
      '921': '6801005', '923': '',
    });
    const v = got.get('00')!.values;
    expect(v['10010']).toBe(` ${v['10']!.replace(/^[+-]/, '')}`);
    expect(got.get('00')!.item).toBe('005930');
  });

  it('builds 04 from a position snapshot', () => {
    expect(got.get('04')!.values).toMatchObject({
      '9201': ACCOUNT, '9001': '005930', '302': '삼성전자', '930': '4', '931': '60300', '932': '241200', '933': '4', '307': '60300',
    });
  });
});

describe('types that fit the instrument', () => {
  it('ETF NAV is pushed for an ETF only and the ELW types for an ELW only, whatever was registered', async () => {
    const h = await startHarness({ realRate: 3000 });
    const c = await Client.login(h.url);
    try {
      const items = ['005930', '069500', '57JBHH'];
      expect((await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: items, type: ['0B', '0G', '0m', '0u'] }] }))['return_code']).toBe(0);
      // The round robin reaches every registration within a few hundred frames.
      for (const item of items) await c.next(isReal('0B', item));
      await c.next(isReal('0G', '069500'));
      await c.next(isReal('0m', '57JBHH'));
      await c.next(isReal('0u', '57JBHH'));
      const seen = new Set(c.frames.flatMap((f) => (f.trnm === 'REAL' ? realOf(f).map((e) => `${e.type} ${e.item}`) : [])));
      expect([...seen].filter((s) => s.startsWith('0G')).sort()).toEqual(['0G 069500']);
      expect([...seen].filter((s) => s.startsWith('0m') || s.startsWith('0u')).sort()).toEqual(['0m 57JBHH', '0u 57JBHH']);
    } finally {
      c.close();
      await h.close();
    }
  });
});

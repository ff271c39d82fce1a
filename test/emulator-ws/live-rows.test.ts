/**
 * The emulator's WebSocket values as recorded live where they differ from the documentation
 * (LIVE.md rows 13, 14, 16, 19, 20), read by a plain client against the real emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { Client, isReal, realOf, type Frame, type RealEntry } from './harness.js';

const VI_EVERY_MS = 60;
const VI_LASTS_MS = 150;

let emu: Emulator;
let token: string;
let url: string;

async function post(path: string, apiId: string, body: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.restUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8', 'api-id': apiId, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 11, realRate: 0, websocket: { loginDelayMs: 0, viIntervalMs: VI_EVERY_MS, viDurationMs: VI_LASTS_MS } });
  token = '';
  token = String((await post('/oauth2/token', 'au10001', { grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey }))['token']);
  url = `${emu.wsUrl}/api/dostk/websocket`;
});
afterAll(async () => {
  await emu.close();
});

describe('row 16: 909 체결번호', () => {
  it('00 writes the fill number unpadded, 6 digits as live; kt00009 writes the same number padded to 7', async () => {
    const c = await Client.login(url, token);
    await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: [''], type: ['00'] }] });
    const placed = await post('/api/dostk/ordr', 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '2', ord_uv: '', trde_tp: '3', cond_uv: '' });
    expect(placed['return_code']).toBe(0);
    const filled = realOf(await c.next((f) => isReal('00')(f) && realOf(f).some((e) => e.values['913'] === '체결'))).find((e) => e.values['913'] === '체결')!;
    const fillNo = filled.values['909']!;
    expect(fillNo).toMatch(/^[1-9]\d{5}$/);
    expect(emu.fillLedger().at(-1)?.fillNo).toBe(fillNo);

    const history = await post('/api/dostk/acnt', 'kt00009', { ord_dt: '', stk_bond_tp: '0', mrkt_tp: '0', sell_tp: '0', qry_tp: '0', stk_cd: '', fr_ord_no: '', dmst_stex_tp: '%' });
    const rows = (history['acnt_ord_cntr_prst_array'] ?? []) as Record<string, string>[];
    const row = rows.find((r) => r['ord_no'] === placed['ord_no']);
    expect(row?.['cntr_no']).toBe(`0${fillNo}`);
    c.close();
  });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
const viEntries = (frames: readonly Frame[]): RealEntry[] => frames.flatMap((f) => (f.trnm === 'REAL' ? realOf(f).filter((e) => e.type === '1h') : []));

describe('row 14: VI (1h) as a lifecycle', () => {
  it('a market-wide REG gets each VI as an _AL and a plain row, triggered with 1224 "000000" and released later with it filled', async () => {
    const c = await Client.login(url, token);
    await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: [''], type: ['1h'] }] });
    const triggersOf = (): RealEntry[][] => c.frames.filter((f) => f.trnm === 'REAL').map(realOf).filter((es) => es[0]?.values['1224'] === '000000');
    const releasesOf = (): RealEntry[] => viEntries(c.frames).filter((e) => e.values['1224'] !== '000000');
    await until(() => triggersOf().length >= 4 && releasesOf().length >= 4, 'four VIs and two releases');
    c.close();
    const frames = c.frames.filter((f) => f.trnm === 'REAL');
    const triggers = triggersOf();
    for (const rows of triggers) {
      const code = rows[1]!.item;
      expect(rows.map((e) => e.item)).toEqual([`${code}_AL`, code]);
      expect(rows[0]!.values).toEqual(rows[1]!.values);
      expect(rows[0]!.values['9001']).toBe(code);
    }
    const released = viEntries(frames).filter((e) => e.values['1224'] !== '000000');
    for (const rows of triggers.slice(0, 2)) {
      const trigger = rows[1]!;
      const release = released.find((e) => e.item === trigger.item && e.values['1223'] === trigger.values['1223']);
      expect(release, `release of ${trigger.item}`).toBeDefined();
      expect(release!.values['1224']).toMatch(/^\d{6}$/);
      expect({ ...release!.values, '1224': '000000', '13': '', '14': '' }).toEqual({ ...trigger.values, '13': '', '14': '' });
    }
  });

  it('9068, 1225 and 1279 name the same VI; only the bases of the VIs that apply are filled, at 10 % and 3 %', async () => {
    const c = await Client.login(url, token);
    await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: [''], type: ['1h'] }] });
    await until(() => new Set(viEntries(c.frames).map((e) => e.values['9068'])).size === 3, 'VIs of every kind');
    c.close();
    const events = viEntries(c.frames).filter((e) => !e.item.endsWith('_AL'));
    const kinds = new Set(events.map((e) => e.values['9068']));
    expect([...kinds].sort()).toEqual(['1', '2', '3']);
    const names: Record<string, string> = { '1': '정적', '2': '동적', '3': '동적+정적' };
    for (const { values: v } of events) {
      const kind = v['9068']!;
      const sign = v['9069'] === '1' ? '+' : '-';
      expect(v['1225']).toBe(names[kind]);
      expect(v['1279']).toBe(sign + names[kind]);
      const staticApplies = kind !== '2';
      const dynamicApplies = kind !== '1';
      expect(v['1236'] !== '0').toBe(staticApplies);
      expect(v['1237'] !== '0').toBe(dynamicApplies);
      const price = Number(v['1221']);
      if (staticApplies) expect(Math.abs(price / Number(v['1236']) - 1)).toBeCloseTo(0.1, 2);
      else expect(v['1238']).toBe('0.00');
      if (dynamicApplies) expect(Math.abs(price / Number(v['1237']) - 1)).toBeCloseTo(0.03, 2);
      else expect(v['1239']).toBe('0.00');
      // The gaps carry the direction's sign.
      for (const gap of [v['1238'], v['1239']]) if (gap !== '0.00') expect(gap!.startsWith(sign)).toBe(true);
    }
  });

  it('is occasional: a stream of ticks does not make VIs, and a REG for one code gets only its rows', async () => {
    const c = await Client.login(url, token);
    emu.setRate(1_000);
    const started = Date.now();
    await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930', '000660'], type: ['0B', '1h'] }] });
    await until(() => viEntries(c.frames).length >= 2, 'VIs of the two codes');
    emu.setRate(0);
    c.close();
    const intervals = Math.ceil((Date.now() - started) / VI_EVERY_MS) + 1;
    const ticks = c.frames.flatMap((f) => (f.trnm === 'REAL' ? realOf(f).filter((e) => e.type === '0B') : []));
    const vis = viEntries(c.frames);
    // At most one trigger and one release per interval: never one per tick.
    expect(vis.length).toBeGreaterThan(0);
    expect(vis.length).toBeLessThanOrEqual(2 * intervals);
    expect(ticks.length).toBeGreaterThan(vis.length * 10);
    expect(new Set(vis.map((e) => e.item))).toEqual(new Set(['005930', '000660']));
  });
});

/** Entries of `type` for `item` a client got after registering them, at a high push rate. */
async function stream(type: string, item: string, n: number): Promise<RealEntry[]> {
  const c = await Client.login(url, token);
  emu.setRate(500);
  await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: [item], type: [type] }] });
  const entries = (): RealEntry[] => c.frames.flatMap((f) => (f.trnm === 'REAL' ? realOf(f).filter((e) => e.type === type) : []));
  await until(() => entries().length >= n, `${n} ${type} entries`);
  emu.setRate(0);
  c.close();
  return entries();
}

describe('row 13: 0B FIDs live fills', () => {
  it('1890 시가시간 and 1892 저가시간 are times in the session, 1497 / 1498 the CFD margins of 40 % and 32 % of the price', async () => {
    for (const { values: v } of await stream('0B', '005930', 20)) {
      expect(v['1890']).toMatch(/^0900[0-5]\d$/);
      expect(v['1892']).toMatch(/^\d{6}$/);
      const price = Math.abs(Number(v['10']));
      expect(Number(v['1497'])).toBe(Math.round(price * 0.4));
      expect(Number(v['1498'])).toBe(Math.round(price * 0.32));
      // What the recordings do not explain stays empty.
      expect([v['851'], v['1891'], v['732'], v['852']]).toEqual(['', '', '', '']);
    }
  });
});

describe('row 20: 0w and 0F as live', () => {
  it('0w carries its 14 FIDs, without 214-216', async () => {
    const [e] = await stream('0w', '005930', 1);
    expect(Object.keys(e!.values).sort()).toEqual(['10', '11', '12', '13', '20', '202', '204', '206', '208', '210', '211', '212', '213', '25'].sort());
  });

  it('0F colours foreign members (DHDB selling, DGDB buying, "!!!!" otherwise) and sums them in signed 261-268', async () => {
    const codes = emu.state.master.slice(0, 12).map((s) => s.code);
    const seen = new Set<string>();
    for (const code of codes) {
      for (const { values: v } of (await stream('0F', code, 3)).slice(-1)) {
        let sell = 0;
        let buy = 0;
        for (let n = 0; n < 5; n++) {
          const [sellColour, buyColour] = [v[String(271 + n)]!, v[String(281 + n)]!];
          expect(['!!!!', 'DHDB']).toContain(sellColour);
          expect(['!!!!', 'DGDB']).toContain(buyColour);
          seen.add(sellColour).add(buyColour);
          if (sellColour === 'DHDB') sell += Number(v[String(161 + n)]);
          if (buyColour === 'DGDB') buy += Number(v[String(171 + n)]);
        }
        expect(Number(v['261'])).toBe(sell);
        expect(Number(v['263'])).toBe(buy);
        expect(Number(v['267'])).toBe(buy - sell);
        expect(Number(v['268'])).toBe(Number(v['264']) - Number(v['262']));
        for (const fid of ['262', '264', '267', '268']) expect(v[fid]).toMatch(/^([+-][1-9]\d*|0)$/);
      }
    }
    expect([...seen].sort()).toEqual(['!!!!', 'DGDB', 'DHDB']);
  });
});

describe('row 19: 0D after the KRX close, and its throttle', () => {
  // Friday 2026-11-27 in Korea time.
  const at = (hhmm: string): number => Date.parse(`2026-11-27T${hhmm.slice(0, 2)}:${hhmm.slice(2)}:00+09:00`);

  /**
   * 0D for `items` over `ms`; `stallMs` blocks the event loop (emulator included) that long, from
   * 100 ms after the REG (the first push has left its 50 ms batch by then).
   */
  async function orderBook(clockAt: number, items: string[], ms: number, ws: Record<string, number> = {}, stallMs = 0): Promise<{ entries: RealEntry[]; elapsed: number; frames: RealEntry[][] }> {
    const started = Date.now();
    const local = await startEmulator({ seed: 11, realRate: 500, marketHours: 'krx', clock: () => clockAt + Date.now() - started, websocket: { loginDelayMs: 0, ...ws } });
    try {
      const res = await fetch(`${local.restUrl}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify({ grant_type: 'client_credentials', appkey: local.appkey, secretkey: local.secretkey }) });
      const c = await Client.login(`${local.wsUrl}/api/dostk/websocket`, String(((await res.json()) as { token: string }).token));
      const from = Date.now();
      await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: items, type: ['0D'] }] });
      if (stallMs > 0) {
        await sleep(100);
        for (const until = Date.now() + stallMs; Date.now() < until; );
      }
      await sleep(ms);
      c.close();
      const frames = c.frames.map((f) => (f.trnm === 'REAL' ? realOf(f).filter((e) => e.type === '0D') : []));
      return { entries: frames.flat(), elapsed: Date.now() - from, frames };
    } finally {
      await local.close();
    }
  }

  it('after 15:30 a bare code gets no 0D, and an _NX book has its KRX side (6044-6065) at 0', async () => {
    const { entries } = await orderBook(at('1600'), ['005930', '005930_NX'], 400);
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => e.item))).toEqual(new Set(['005930_NX']));
    for (const { values: v } of entries) {
      for (let fid = 6044; fid <= 6065; fid++) expect(v[String(fid)], String(fid)).toBe('0');
      expect(Number(v['61'])).toBeGreaterThan(0);
    }
  });

  it('81-100 carry each level\'s change with the last trade, signed, and 122 / 126 their sums', async () => {
    const { entries } = await orderBook(at('1000'), ['005930', '000660', '035720'], 800);
    let moved = 0;
    for (const { values: v } of entries) {
      const levels = (from: number): number[] => Array.from({ length: 10 }, (_, i) => Number(v[String(from + i)]));
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      expect(Number(v['122'])).toBe(sum(levels(81)));
      expect(Number(v['126'])).toBe(sum(levels(91)));
      for (let fid = 81; fid <= 100; fid++) expect(v[String(fid)]).toMatch(/^([+-][1-9]\d*|0)$/);
      if (levels(81).some((d) => d !== 0) || levels(91).some((d) => d !== 0)) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('in the session a bare code gets 0D with its KRX side filled', async () => {
    const { entries } = await orderBook(at('1000'), ['005930'], 300);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]!.values['6044']).toBe(entries[0]!.values['61']);
  });

  it('0D comes at most about 3.6 times a second per item, whatever the push rate', async () => {
    const { entries, elapsed } = await orderBook(at('1000'), ['005930', '000660'], 800);
    for (const item of ['005930', '000660']) {
      const n = entries.filter((e) => e.item === item).length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(Math.ceil((elapsed / 1000) * 3.6) + 1);
    }
  });

  it('after the event loop stalls past the 0D interval, an item gets one 0D, not every push it missed', async () => {
    // Live sends the book once when it is free again, not the same snapshot three times over.
    const { entries, frames } = await orderBook(at('1000'), ['005930'], 100, {}, 900);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const f of frames) expect(f.length).toBeLessThanOrEqual(1);
  });

  it('a throttle set above the scheduler\'s 100 ticks a second holds its rate, not one entry a tick', async () => {
    // A benchmark sets orderBookPerSecond high to offer more than 100 0D entries a second per item.
    const { entries, elapsed } = await orderBook(at('1000'), ['005930'], 500, { orderBookPerSecond: 300 });
    const allowed = (elapsed / 1000) * 300;
    expect(entries.length).toBeGreaterThan(allowed * 0.5);
    // Pushes are spaced from the tick before the first one, up to 10 ms before the REG.
    expect(entries.length).toBeLessThanOrEqual(Math.ceil(((elapsed + 10) / 1000) * 300) + 1);
  });
});

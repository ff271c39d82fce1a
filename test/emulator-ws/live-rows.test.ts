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

/**
 * The emulator's WebSocket values as recorded live where they differ from the documentation
 * (LIVE.md rows 13, 14, 16, 19, 20), read by a plain client against the real emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { Client, isReal, realOf } from './harness.js';

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
  emu = await startEmulator({ seed: 11, realRate: 0, websocket: { loginDelayMs: 0 } });
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

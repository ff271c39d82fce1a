/**
 * A third-party client registers order and balance events as `{"item":[],"type":["00"]}`. The
 * reference says 00 and 04 push for the token's account whatever the item, so the emulator must
 * register the account for it; and it must never acknowledge a REG that registers nothing, nor
 * take a REMOVE that names nothing as "clear the whole group".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, issueToken } from '../emulator/helpers.js';
import { Client, isReal } from '../emulator-ws/harness.js';

let emu: Emulator;
let token: string;
let c: Client;
const WS_PATH = '/api/dostk/websocket';
const reg = (grp: string, data: unknown) => ({ trnm: 'REG', grp_no: grp, refresh: '1', data });
const held = () => emu.wsHeld()[0]?.groups ?? {};

beforeAll(async () => {
  emu = await startEmulator({ mode: 'mock', seed: 7, realRate: 0 });
  token = await issueToken(emu);
  c = await Client.login(`${emu.wsUrl}${WS_PATH}`, token);
});
afterAll(async () => {
  c?.close();
  await emu?.close();
});

describe('00/04 REG with item: []', () => {
  it('registers the account, and an order then pushes 00 and a fill 04', async () => {
    const ack = await c.request(reg('7', [{ item: [], type: ['00', '04'] }]));
    expect(ack['return_code']).toBe(0);
    expect(held()['7']).toEqual(['00|', '04|']);
    const order = await call(emu, token, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3', cond_uv: '' });
    expect(order.body.return_code, order.body.return_msg).toBe(0);
    const ordNo = String(order.body['ord_no']);
    const accepted = await c.next(isReal('00'));
    expect(JSON.stringify(accepted)).toContain(ordNo);
    await c.next(isReal('04'));
  });
});

describe('a registration that registers nothing', () => {
  it('REG of a stock type with item: [] is refused, not acknowledged', async () => {
    const r = await c.request(reg('8', [{ item: [], type: ['0B'] }]));
    expect(r['return_code']).toBe(1);
    expect(String(r['return_msg'])).toContain('type=0B');
    expect(held()['8']).toBeUndefined();
  });

  it('REMOVE with item: [] or data: [] does not clear the group', async () => {
    expect((await c.request(reg('9', [{ item: ['005930', '000660'], type: ['0B'] }])))['return_code']).toBe(0);
    for (const data of [[{ item: [], type: ['0B'] }], []]) {
      const r = await c.request({ trnm: 'REMOVE', grp_no: '9', data });
      expect(r['return_code'], JSON.stringify(data)).toBe(1);
      expect(held()['9']).toEqual(['0B|000660', '0B|005930']);
    }
    // The account pair of a group goes with item: [] too, the stock pairs stay.
    expect((await c.request(reg('9', [{ item: [], type: ['00'] }])))['return_code']).toBe(0);
    expect((await c.request({ trnm: 'REMOVE', grp_no: '9', data: [{ item: [], type: ['00'] }] }))['return_code']).toBe(0);
    expect(held()['9']).toEqual(['0B|000660', '0B|005930']);
  });
});

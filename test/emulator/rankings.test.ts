import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, issueToken } from './helpers.js';

let emu: Emulator;
let token: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: 3, marketTicksPerSecond: 0, rateLimits: { perApiId: 100 } });
  token = await issueToken(emu);
});
afterAll(() => emu.close());

type Row = Record<string, string>;
const ka10027 = (sortTp: string, mrktTp = '000') =>
  call(emu, token, 'ka10027', {
    mrkt_tp: mrktTp, sort_tp: sortTp, trde_qty_cnd: '0000', stk_cnd: '0', crd_cnd: '0', updown_incls: '1', pric_cnd: '0', trde_prica_cnd: '0', stex_tp: '1',
  });

test('ka10027 ranks gainers and losers by the live change rate', async () => {
  const up = (await ka10027('1')).body.pred_pre_flu_rt_upper as Row[];
  const down = (await ka10027('3')).body.pred_pre_flu_rt_upper as Row[];
  expect(up.length).toBeGreaterThan(0);
  expect(down.length).toBeGreaterThan(0);
  const upRates = up.map((r) => Number(r.flu_rt));
  expect(upRates.every((r) => r > 0)).toBe(true);
  expect(upRates).toEqual([...upRates].sort((a, b) => b - a));
  expect(down.map((r) => Number(r.flu_rt)).every((r) => r < 0)).toBe(true);
  const top = up[0] as Row;
  const q = emu.state.quote(top.stk_cd as string);
  expect(top.cur_prc).toBe(`+${q?.price}`);
  expect(top.stk_nm).toBe(emu.state.stock(top.stk_cd as string)?.name);
});

test('ka10030 ranks by volume within the market asked for', async () => {
  const a = await call(emu, token, 'ka10030', {
    mrkt_tp: '101', sort_tp: '1', mang_stk_incls: '0', crd_tp: '0', trde_qty_tp: '0', pric_tp: '0', trde_prica_tp: '0', mrkt_open_tp: '0', stex_tp: '1',
  });
  const rows = a.body.tdy_trde_qty_upper as Row[];
  expect(rows).toHaveLength(100);
  expect(a.headers.get('cont-yn')).toBe('Y');
  expect(rows.every((r) => emu.state.stock(r.stk_cd as string)?.market === '10')).toBe(true);
  const vols = rows.map((r) => Number(r.trde_qty));
  expect(vols).toEqual([...vols].sort((x, y) => y - x));
});

test('ka10032 pages the whole market by traded value with ranks', async () => {
  const first = await call(emu, token, 'ka10032', { mrkt_tp: '000', mang_stk_incls: '1', stex_tp: '1' });
  expect(first.headers.get('cont-yn')).toBe('Y');
  const rows = first.body.trde_prica_upper as Row[];
  expect(rows.map((r) => r.now_rank).slice(0, 3)).toEqual(['1', '2', '3']);
  const second = await call(emu, token, 'ka10032', { mrkt_tp: '000', mang_stk_incls: '1', stex_tp: '1' }, { 'cont-yn': 'Y', 'next-key': first.headers.get('next-key') ?? '' });
  expect((second.body.trde_prica_upper as Row[])[0]?.now_rank).toBe(String(rows.length + 1));
});

import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, issueToken } from './helpers.js';
import { kstDate } from '../../src/emulator/state/clock.js';

let emu: Emulator;
let token: string;
beforeAll(async () => {
  emu = await startEmulator({ marketTicksPerSecond: 0, rateLimits: { perApiId: 100 } });
  token = await issueToken(emu);
  for (let i = 0; i < 20; i++) emu.state.tick('005930');
});
afterAll(() => emu.close());

const bare = (v: unknown): number => Number(String(v).replace(/^[+-]/, ''));

test('ka10001 prints the live quote signed against the previous close', async () => {
  const q = emu.state.quote('005930');
  if (!q) throw new Error('no quote');
  const a = await call(emu, token, 'ka10001', { stk_cd: '005930' });
  expect(a.body).toMatchObject({ stk_cd: '005930', stk_nm: '삼성전자', base_pric: String(q.prevClose), trde_qty: String(q.volume) });
  expect(bare(a.body.cur_prc)).toBe(q.price);
  const sign = q.price > q.prevClose ? '+' : q.price < q.prevClose ? '-' : '';
  expect(a.body.cur_prc).toBe(`${sign}${q.price}`);
  expect(Number(a.body.pred_pre)).toBe(q.price - q.prevClose);
  expect(bare(a.body.upl_pric)).toBe(q.upperLimit);
  expect(bare(a.body.lst_pric)).toBe(q.lowerLimit);
  expect(a.body.upl_pric).toMatch(/^\+/);
  expect(a.body.lst_pric).toMatch(/^-/);
});

test('ka10004 prints the ten levels of the live book', async () => {
  const q = emu.state.quote('005930');
  if (!q) throw new Error('no quote');
  const a = await call(emu, token, 'ka10004', { stk_cd: '005930' });
  expect(bare(a.body.sel_fpr_bid)).toBe(q.askPrices[0]);
  expect(Number(a.body.sel_fpr_req)).toBe(q.askQtys[0]);
  expect(bare(a.body.buy_fpr_bid)).toBe(q.bidPrices[0]);
  expect(bare(a.body.sel_10th_pre_bid)).toBe(q.askPrices[9]);
  expect(bare(a.body.buy_10th_pre_bid)).toBe(q.bidPrices[9]);
  expect(Number(a.body.tot_sel_req)).toBe(q.askQtys.reduce((x, y) => x + y, 0));
  expect(a.body.bid_req_base_tm).toBe(q.time);
});

test('ka10095 answers several codes at once and refuses more than 100 with 1634', async () => {
  const a = await call(emu, token, 'ka10095', { stk_cd: '005930|000660|035720' });
  const rows = a.body.atn_stk_infr as Record<string, string>[];
  expect(rows.map((r) => [r.stk_cd, r.stk_nm])).toEqual([['005930', '삼성전자'], ['000660', 'SK하이닉스'], ['035720', '카카오']]);
  expect(bare(rows[1]?.cur_prc)).toBe(emu.state.quote('000660')?.price);
  // dt is today's date (KST), as live (LIVE.md row 17).
  expect(rows.every((r) => r.dt === kstDate(Date.now()))).toBe(true);
  const many = emu.state.master.slice(0, 101).map((s) => s.code).join('|');
  const over = await call(emu, token, 'ka10095', { stk_cd: many });
  expect(over.body.return_code).toBe(5);
  expect(over.body.return_msg).toContain('[1634:');
});

test('ka10007 prints the book and the previous day', async () => {
  const q = emu.state.quote('035420');
  const a = await call(emu, token, 'ka10007', { stk_cd: '035420' });
  expect(a.body).toMatchObject({ stk_nm: 'NAVER', pred_close_pric: String(q?.prevClose) });
  expect(bare(a.body.sel_1bid)).toBe(q?.askPrices[0]);
  expect(Number(a.body.buy_3bid_req)).toBe(q?.bidQtys[2]);
});

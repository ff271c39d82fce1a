/**
 * ka10001 기본정보 in the formats the live servers answer with (LIVE.md row 25, sources C and E):
 * signed ratios, 거래대비 signed with two decimals, 유통비율 with one, the financial figures
 * filled and consistent with the price, and no expected execution during the session.
 */
import { afterEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { kiwoomNumber, magnitude } from '../../src/numbers.js';
import { call, issueToken } from './helpers.js';

let emus: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emus.map((e) => e.close()));
  emus = [];
});

/** ka10001 of 005930 at a Korea-time moment of 2026-11-25 (a Wednesday). */
async function basicInfo(hour: number, minute: number): Promise<{ info: Record<string, string>; emu: Emulator; prevVolume: number }> {
  const now = Date.UTC(2026, 10, 25, hour - 9, minute, 0);
  const emu = await startEmulator({ seed: 1, clock: () => now, marketTicksPerSecond: 0 });
  emus.push(emu);
  const token = await issueToken(emu);
  const info = (await call(emu, token, 'ka10001', { stk_cd: '005930' })).body as unknown as Record<string, string>;
  const days = (await call(emu, token, 'ka10081', { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1' })).body.stk_dt_pole_chart_qry as Record<string, string>[];
  return { info, emu, prevVolume: Number(days[1]?.trde_qty) };
}

test('ka10001 during the session: live formats, figures filled and consistent, no expected execution', async () => {
  const { info, emu, prevVolume } = await basicInfo(11, 20);
  expect(info.for_exh_rt).toMatch(/^\+\d+\.\d{2}$/);
  expect(info.crd_rt).toMatch(/^\+\d+\.\d{2}$/);
  expect(info.trde_pre).toMatch(/^[+-]\d+\.\d{2}$/);
  const volume = emu.state.quote('005930')?.volume as number;
  expect(kiwoomNumber(info.trde_pre)).toBeCloseTo((volume / prevVolume - 1) * 100, 1);
  expect(info.dstr_rt).toMatch(/^\d{1,3}\.\d$/);
  expect(Number(info.dstr_rt)).toBeCloseTo((Number(info.dstr_stk) / Number(info.flo_stk)) * 100, 0);
  expect(Number(info.dstr_stk)).toBeLessThan(Number(info.flo_stk));
  for (const k of ['per', 'eps', 'roe', 'pbr', 'ev', 'bps', 'sale_amt', 'bus_pro', 'cup_nga']) expect(info[k], k).toMatch(/^\d+(\.\d+)?$/);
  expect(info.bps).not.toBe('75300');
  const price = magnitude(info.cur_prc);
  expect(Number(info.per)).toBeCloseTo(price / Number(info.eps), 1);
  expect(Number(info.pbr)).toBeCloseTo(price / Number(info.bps), 1);
  expect(info.roe).toMatch(/^\d+\.\d$/);
  expect(Number(info.cup_nga)).toBe(Math.round((Number(info.eps) * (emu.state.stock('005930')?.listed as number)) / 100_000_000));
  expect(info.exp_cntr_pric).toBe('');
  expect(info.exp_cntr_qty).toBe('');
});

test('ka10001 after the close carries the expected execution again', async () => {
  const { info } = await basicInfo(16, 28);
  expect(info.exp_cntr_pric).toMatch(/^[+-]?\d+$/);
  expect(info.exp_cntr_pric).not.toBe('');
});

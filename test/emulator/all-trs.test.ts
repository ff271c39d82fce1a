import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { allApis, type ApiSpec } from '../../src/registry/index.js';
import { call, issueToken } from './helpers.js';

let emu: Emulator;
let token: string;
beforeAll(async () => {
  emu = await startEmulator({ marketTicksPerSecond: 0, rateLimits: { perApiId: 1000, global: 100_000 } });
  token = await issueToken(emu);
  // Trades on the tape, so the tick TRs answer rows too.
  for (let i = 0; i < 50; i++) emu.state.tick('005930');
});
afterAll(() => emu.close());

const trs = allApis().filter((a) => a.transport === 'rest' && a.category !== 'auth');

/** The official example request, with order bodies made valid against the emulator's market. */
async function requestFor(api: ApiSpec): Promise<Record<string, unknown>> {
  const file = new URL(`../../fixtures/kiwoom-rest/examples/${api.id}.json`, import.meta.url);
  const example = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).request : undefined) ?? {};
  if (['kt10000', 'kt10001', 'kt10006', 'kt10007'].includes(api.id)) {
    return { ...example, dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3' };
  }
  if (['kt10002', 'kt10003', 'kt10008', 'kt10009'].includes(api.id)) {
    const low = emu.state.quote('005930')?.lowerLimit ?? 0;
    const placed = await call(emu, token, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '2', ord_uv: String(low), trde_tp: '0' });
    return { ...example, dmst_stex_tp: 'KRX', stk_cd: '005930', orig_ord_no: placed.body.ord_no, mdfy_uv: String(low) };
  }
  return example;
}

test('the registry documents the 183 current domestic REST TRs', () => {
  expect(trs.filter((a) => a.status === 'current')).toHaveLength(183);
});

/** Row keys live answers carry beyond the documented table (LIVE.md row 8). */
const LIVE_EXTRA: Readonly<Record<string, readonly string[]>> = { ka10080: ['acc_trde_qty'] };

test.each(trs.map((a) => [a.id, a] as const))('%s answers with exactly its documented response keys', async (_id, api) => {
  const a = await call(emu, token, api.id, await requestFor(api));
  expect(a.status).toBe(200);
  expect(a.body.return_code, a.body.return_msg).toBe(0);
  const top = api.response.filter((f) => f.list === undefined);
  expect(Object.keys(a.body).sort()).toEqual([...top.map((f) => f.key), 'return_code', 'return_msg'].sort());
  for (const f of top) {
    const value = a.body[f.key];
    if (f.type !== 'LIST') {
      expect(typeof value, f.key).toBe('string');
      continue;
    }
    expect(Array.isArray(value), f.key).toBe(true);
    const keys = [...api.response.filter((c) => c.list === f.key).map((c) => c.key), ...(LIVE_EXTRA[api.id] ?? [])].sort();
    for (const row of value as Record<string, unknown>[]) {
      expect(Object.keys(row).sort()).toEqual(keys);
      for (const v of Object.values(row)) expect(typeof v).toBe('string');
    }
  }
});

test('TRs answered from examples still print the requested stock and its live price', async () => {
  const q = emu.state.quote('000660');
  const a = await call(emu, token, 'ka10002', { stk_cd: '000660' });
  expect(a.body).toMatchObject({ stk_cd: '000660', stk_nm: 'SK하이닉스' });
  expect(String(a.body.cur_prc).replace(/^[+-]/, '')).toBe(String(q?.price));
  // Example rows naming a listed stock carry that stock's live price too.
  const samsung = emu.state.quote('005930');
  const rows = (await call(emu, token, 'ka10016', await requestFor(trs.find((t) => t.id === 'ka10016') as ApiSpec))).body.ntl_pric as Record<string, string>[];
  expect(rows.some((x) => x.stk_cd === '005930')).toBe(true);
  for (const r of rows.filter((x) => x.stk_cd === '005930')) expect(r.cur_prc?.replace(/^[+-]/, '')).toBe(String(samsung?.price));
});

/**
 * The live WebSocket rules through the OCX face: SetRealReg past the live caps answers an OCX
 * code with OnReceiveMsg naming the cap, and REAL frames of several entries reach
 * OnReceiveRealData entry by entry (LIVE.md rows 1, 3, 5).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nextEvent, openBackend, type Backend } from './helpers.js';
import { batchedBurst } from '../batched-burst.js';

describe('SetRealReg and the live caps', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend('emulator', { emulator: { realRate: 0 } });
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(() => b.close());

  const codes = (n: number, from = 0): string => b.emu.state.master.slice(from, from + n).map((s) => s.code).join(';');

  test('the 201st code on the connection is refused with -204 and an OnReceiveMsg naming the cap; nothing is sent and the screen keeps what it had', async () => {
    const { api, emu } = b;
    expect(await api.SetRealReg('1000', codes(100), '10;41', '0')).toBe(0);
    expect(await api.SetRealReg('1001', codes(100, 100), '10', '0')).toBe(0);
    const held = JSON.stringify(emu.wsHeld());
    const msg = nextEvent<[string, string, string, string]>(api, 'OnReceiveMsg');
    expect(await api.SetRealReg('1002', codes(1, 200), '10', '0')).toBe(-204);
    const [screen, , , text] = await msg;
    expect(screen).toBe('1002');
    expect(text).toMatch(/201 items.*200 per WebSocket connection.*105115.*\(-204\)/);
    expect(api.GetLastError()).toMatchObject({ method: 'SetRealReg', code: -204 });
    // A screen past the cap on its own group (optType "1" adds to 1000's 100 codes, 101 more).
    expect(await api.SetRealReg('1000', codes(1, 250), '10', '1')).toBe(-204);
    expect(JSON.stringify(emu.wsHeld())).toBe(held);
    expect(emu.stats().wsRefusals).toEqual({});
    // Freeing a screen frees its slots.
    expect(await api.DisconnectRealData('1001')).toBe(0);
    expect(await api.SetRealReg('1002', codes(1, 200), '10', '0')).toBe(0);
    expect(await api.SetRealRemove('ALL', 'ALL')).toBe(0);
  });
});

describe('REAL frames of several entries', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend('emulator', { emulator: { realRate: 0 } });
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(() => b.close());

  test('every entry of a batched frame reaches OnReceiveRealData, and GetCommRealData reads its values', async () => {
    const { api, emu } = b;
    const seen: string[] = [];
    api.on('OnReceiveRealData', (code, type) => seen.push(`${code}/${type}`));
    expect(await api.SetRealReg('2000', '005930;000660', '10;15;20', '0')).toBe(0);
    const entries = await batchedBurst(emu, 1_000, 300);
    await expect.poll(() => seen.length).toBe(entries);
    expect(new Set(seen.map((s) => s.split('/')[0]))).toEqual(new Set(['005930', '000660']));
    expect(seen).toContain('005930/주식체결');
    expect(api.GetCommRealData('000660', 10)).toMatch(/^[+-]?\d+$/);
  });
});

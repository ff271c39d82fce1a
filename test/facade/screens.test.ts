/** The OCX's screen rules for real-time registrations, and CommConnect without blocking. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nextEvent, openBackend, type Backend } from './helpers.js';

describe('screens', () => {
  let b: Backend;
  beforeAll(async () => {
    // The OCX's 200-screen rule is under test, not the live REG rate: both ends are widened.
    b = await openBackend('emulator', {
      realtime: { reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, regPerSecond: 1_000 },
      emulator: { websocket: { regPerSecond: 1_000 } },
    });
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(() => b.close());

  test('200 screens register; a 201st is refused until one is freed', async () => {
    const { api } = b;
    const screens = Array.from({ length: 200 }, (_, i) => String(5000 + i));
    const codes = ['005930', '000660', '035420', '035720'];
    const results = await Promise.all(screens.map((s, i) => api.SetRealReg(s, codes[i % codes.length] ?? '005930', '10', '0')));
    expect(results.every((r) => r === 0)).toBe(true);
    expect(await api.SetRealReg('6000', '005930', '10', '0')).toBe(-105);
    expect(api.GetLastError()?.message).toMatch(/200/);
    // Re-registering on a screen already in use is fine.
    expect(await api.SetRealReg('5000', '000660', '10', '1')).toBe(0);
    expect(await api.DisconnectRealData('5001')).toBe(0);
    expect(await api.SetRealReg('6000', '005930', '10', '0')).toBe(0);
    expect(await api.SetRealRemove('ALL', 'ALL')).toBe(0);
  });
});

test('CommConnect(false) returns 0 at once; OnEventConnect(0) follows', async () => {
  const b = await openBackend('mock-domain');
  try {
    const connected = nextEvent<[number]>(b.api, 'OnEventConnect');
    expect(await b.api.CommConnect(false)).toBe(0);
    expect(b.api.GetConnectState()).toBe(0);
    expect(await connected).toEqual([0]);
    expect(b.api.GetConnectState()).toBe(1);
  } finally {
    await b.close();
  }
});

test('a refused login raises OnEventConnect with the OCX code', async () => {
  const b = await openBackend('mock-domain', { secretkey: 'wrong-secret' });
  try {
    const connected = nextEvent<[number]>(b.api, 'OnEventConnect');
    const ret = await b.api.CommConnect();
    expect(ret).toBe(-100);
    expect(await connected).toEqual([-100]);
    expect(b.api.GetConnectState()).toBe(0);
    expect(b.api.GetLastError()?.message).not.toContain('wrong-secret');
  } finally {
    await b.close();
  }
});

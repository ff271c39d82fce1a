/**
 * REMOVE acks that never come (LIVE.md row 28, the emulator's withholdRemoveAcks fault) through
 * the OCX surface: SetRealRemove, DisconnectRealData and a replacing SetRealReg answer 0 within
 * one ack wait and a restore, the screens left keep their data, and cleanup() sends no REMOVE
 * at all (closing the socket ends every registration), so it never waits for an ack.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { APIServer } from '../../src/facade/index.js';
import { openBackend, type Backend } from './helpers.js';

// The session has one timeout for every answer, LOGIN included: 300 ms failed CommConnect at load 5-9.
const ACK_WAIT_MS = 1_000;

let b: Backend;
let api: APIServer;
let emu: Emulator;

beforeEach(async () => {
  b = await openBackend('emulator', {
    emulator: { realRate: 200, websocket: { loginDelayMs: 0 } },
    realtime: { requestTimeoutMs: ACK_WAIT_MS, reconnect: { initialDelayMs: 5, maxDelayMs: 20 } },
  });
  ({ api, emu } = b);
  expect(await api.CommConnect()).toBe(0);
  for (const [screen, code] of [['1000', '005930'], ['1001', '000660'], ['1002', '035420']] as const) {
    expect(await api.SetRealReg(screen, code, '10', '0')).toBe(0);
  }
  emu.faults.withholdRemoveAcks();
});
afterEach(async () => {
  await b.close();
});

const heldItems = (): string[] =>
  [...new Set(Object.values(emu.wsHeld()[0]?.groups ?? {}).flat().map((k) => k.split('|')[1] ?? '').filter((i) => i !== ''))].sort();

async function timed<T>(step: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await step();
  return { value, ms: Date.now() - started };
}

test.each([
  ['SetRealRemove', () => api.SetRealRemove('1000', '005930')],
  ['DisconnectRealData', () => api.DisconnectRealData('1000')],
  ['SetRealReg replacing the screen', () => api.SetRealReg('1000', '005380', '10', '0')],
])('%s answers 0 within one ack wait; the other screens keep streaming', async (what, step) => {
  const { value, ms } = await timed(step);
  expect(value).toBe(0);
  expect(ms).toBeLessThan(ACK_WAIT_MS + 2_000);
  const kept = what.startsWith('SetRealReg') ? ['000660', '005380', '035420'] : ['000660', '035420'];
  expect(heldItems()).toEqual(kept);
  const seen = new Set<string>();
  api.on('OnReceiveRealData', (code: string) => seen.add(code));
  const deadline = Date.now() + 3_000;
  while (seen.size < kept.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect([...seen].sort()).toEqual(kept);
});

test('cleanup() with three screens and the chejan group sends no REMOVE and waits for no ack', async () => {
  const { ms } = await timed(() => api.cleanup());
  // Four REMOVEs each waiting for an ack that never comes would take four ack waits (1.2 s).
  expect(ms).toBeLessThan(3 * ACK_WAIT_MS);
  expect(api.GetConnectState()).toBe(0);
  expect(emu.stats().wsSessions).toBe(0);
});

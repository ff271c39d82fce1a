/**
 * The bridge's Node side on REAL frames of several entries (LIVE.md row 1): every entry of a
 * batched frame leaves the bridge as its own OnReceiveRealData line.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createBridge } from '../../src/bridge/server.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { EVENT_NAMES } from '../../src/facade/events.js';
import { APIServer } from '../../src/facade/index.js';

let emu: Emulator;
const api = new APIServer();
const lines: { id?: number; result?: unknown; event?: string; args?: unknown[] }[] = [];
const bridge = createBridge({
  target: api as unknown as Parameters<typeof createBridge>[0]['target'],
  methods: ['api_init', 'CommConnect', 'SetRealReg', 'GetCommRealData', 'cleanup'],
  events: EVENT_NAMES,
  write: (line) => lines.push(JSON.parse(line) as (typeof lines)[number]),
});
const call = async (id: number, method: string, ...args: unknown[]): Promise<unknown> => {
  await bridge.handle(JSON.stringify({ id, method, args }));
  return lines.find((l) => l.id === id)?.result;
};

beforeAll(async () => {
  emu = await startEmulator({ mode: 'mock', realRate: 0 });
  await call(1, 'api_init', {
    sim_no: 1,
    use_rest: true,
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    endpoints: { rest: emu.restUrl, ws: emu.wsUrl },
    log_level: 'silent',
    rest: { limits: { mockQuery: 5 } },
  });
  expect(await call(2, 'CommConnect', true)).toBe(0);
});
afterAll(async () => {
  await call(99, 'cleanup');
  await emu.close();
});

test('each entry of a batched REAL frame is its own OnReceiveRealData line', async () => {
  expect(await call(3, 'SetRealReg', '1000', '005930;000660', '10;15;20', '0')).toBe(0);
  const real = (): number => lines.filter((l) => l.event === 'OnReceiveRealData').length;
  const before = emu.stats();
  emu.setRate(800);
  await expect.poll(() => emu.stats().realEntries - before.realEntries, { timeout: 5_000 }).toBeGreaterThan(240);
  emu.setRate(0);
  await new Promise((r) => setTimeout(r, 100));
  const after = emu.stats();
  const entries = after.realEntries - before.realEntries;
  expect(entries).toBeGreaterThan((after.realFrames - before.realFrames) * 1.5);
  await expect.poll(real).toBe(entries);
  const codes = new Set(lines.filter((l) => l.event === 'OnReceiveRealData').map((l) => l.args?.[0]));
  expect(codes).toEqual(new Set(['005930', '000660']));
});

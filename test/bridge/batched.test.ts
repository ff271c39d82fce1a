/**
 * The bridge's Node side on REAL frames of several entries (LIVE.md row 1): every entry of a
 * batched frame reaches the bridge's output as its own quote (which the output may then merge
 * under backpressure; this one never does).
 */
import { expect, test } from 'vitest';
import { createBridge } from '../../src/bridge/server.js';
import { EVENT_NAMES } from '../../src/facade/events.js';
import { APIServer } from '../../src/facade/index.js';
import { batchedBurst } from '../batched-burst.js';
import { bridgeOnEmulator } from './on-emulator.js';

const api = new APIServer();
const lines: { id?: number; result?: unknown; event?: string; args?: unknown[] }[] = [];
/** Codes of the real-time quotes the bridge handed to its output, one per OnReceiveRealData. */
const quotes: string[] = [];
const bridge = createBridge({
  target: api as unknown as Parameters<typeof createBridge>[0]['target'],
  methods: ['api_init', 'CommConnect', 'SetRealReg', 'GetCommRealData', 'cleanup'],
  events: EVENT_NAMES,
  // An output that never merges: every quote the bridge hands over is counted.
  out: {
    push: (text: string) => void lines.push(JSON.parse(text) as (typeof lines)[number]),
    pushQuote: (key: string) => void quotes.push(key.split('\u0000')[0] ?? ''),
  },
});
const { call, emu } = bridgeOnEmulator(bridge, lines);

test('each entry of a batched REAL frame is handed to the output as its own quote', async () => {
  expect(await call(3, 'SetRealReg', '1000', '005930;000660', '10;15;20', '0')).toBe(0);
  const real = (): number => quotes.length;
  const entries = await batchedBurst(emu(), 800, 240);
  await expect.poll(real).toBe(entries);
  expect(new Set(quotes)).toEqual(new Set(['005930', '000660']));
});

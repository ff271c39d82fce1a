/**
 * The bridge reading quotes as text (as `bridge --stdio` does), against the emulator: every entry
 * of batched REAL frames reaches the output as a compact record, without an OnReceiveRealData
 * raised in Node, and the values Node keeps as text answer GetCommRealData with the record's.
 */
import { expect, test } from 'vitest';
import { createBridge } from '../../src/bridge/server.js';
import { EVENT_NAMES } from '../../src/facade/events.js';
import { APIServer } from '../../src/facade/index.js';
import { readQuotesAsText } from '../../src/facade/quote-text.js';
import { batchedBurst } from '../batched-burst.js';
import { bridgeOnEmulator } from './on-emulator.js';

const api = new APIServer();
const lines: { id?: number; result?: unknown; schema?: number; fids?: string[]; event?: string; args?: unknown[] }[] = [];
const records: string[][] = [];
let raisedInNode = 0;
api.on('OnReceiveRealData', () => void raisedInNode++);
const bridge = createBridge({
  target: api as unknown as Parameters<typeof createBridge>[0]['target'],
  methods: ['api_init', 'CommConnect', 'SetRealReg', 'GetCommRealData', 'SendOrder', 'cleanup'],
  events: EVENT_NAMES,
  out: {
    push: (text: string) => void lines.push(JSON.parse(text) as (typeof lines)[number]),
    pushQuote: (_key: string, text: string) => void records.push(text.split('\t')),
  },
  quotesAsText: (reader) => readQuotesAsText(api, reader),
});
const { call, emu } = bridgeOnEmulator(bridge, lines);

test('each entry of a batched REAL frame becomes a compact record, and GetCommRealData answers the latest one', async () => {
  expect(await call(3, 'SetRealReg', '1000', '005930;000660', '10;15;20', '0')).toBe(0);
  const entries = await batchedBurst(emu(), 800, 240);
  await expect.poll(() => records.length).toBe(entries);
  expect(raisedInNode).toBe(0);
  expect(new Set(records.map((r) => r[1]))).toEqual(new Set(['005930', '000660']));
  const fidsOf = new Map(lines.filter((l) => l.schema !== undefined).map((l) => [String(l.schema), l.fids ?? []]));
  let id = 10;
  for (const code of ['005930', '000660']) {
    const last = records.filter((r) => r[1] === code).at(-1)!;
    const fids = fidsOf.get(last[0]!)!;
    // The code's latest quote answers for each FID it carries.
    const carried = fids.map((fid, i) => [fid, last[2 + i]] as const).filter(([, v]) => v !== '');
    expect(carried.length).toBeGreaterThan(3);
    for (const [fid, value] of carried) expect(await call(id++, 'GetCommRealData', code, Number(fid))).toBe(value);
  }
});

test('order and balance frames stay OnReceiveChejanData events while quotes go as text', async () => {
  const before = records.length;
  emu().setRate(400);
  expect(await call(500, 'SendOrder', 'buy', '2000', emu().account, 1, '005930', 1, 0, '03', '')).toBe(0);
  const chejan = (gubun: string): number => lines.filter((l) => l.event === 'OnReceiveChejanData' && l.args?.[0] === gubun).length;
  // The accept and the fill (gubun 0), then the balance (gubun 1).
  await expect.poll(() => chejan('0'), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(() => chejan('1'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
  emu().setRate(0);
  expect(records.length).toBeGreaterThan(before);
  expect(records.every((r) => r[1] === '005930' || r[1] === '000660')).toBe(true);
});

#!/usr/bin/env node
/**
 * Benchmark (not a test): whether the emulator's cost stays put over a long run. One emulator
 * child takes client after client at the same offered rate (as bench/python-realtime.mjs's run
 * does): each connects, LOGINs, REGs 100 codes x 0B/0D, takes the stream for a window and
 * closes. Per window it prints the emulator's share of a core and its RSS and heap, then the
 * median share of the last three windows over the first three (1.0: no growth).
 *
 *   npm run build && node bench/emulator-clients.mjs [--windows 20] [--rate 5000] [--seconds 3] [--single]
 * `--single` keeps one client for every window: growth then follows the stream, not the clients.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { procCpuSeconds } from './lib/cpu.mjs';
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { subscribeDropping } from './lib/stream-client.mjs';

const { values: args } = parseArgs({
  options: { windows: { type: 'string', default: '20' }, rate: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '3' }, single: { type: 'boolean', default: false } },
});
const WINDOWS = Number(args.windows);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// python-realtime.mjs's emulator: its stamps included, the 0D throttle lifted.
const emu = await startEmulatorChild({ realRate: 0, stampFid: '9999', pingIntervalMs: 2_000, websocket: { orderBookPerSecond: 1_000_000 } });
const codes = (await emu.call('master')).slice(0, 100);

const connect = () => subscribeDropping(emu, codes);

const shares = [];
let ws = args.single ? await connect() : undefined;
try {
  for (let w = 0; w < WINDOWS; w++) {
    ws ??= await connect();
    await emu.call('setRate', RATE);
    await sleep(500);
    const sent0 = (await emu.call('stats')).realEntries;
    const cpu0 = procCpuSeconds(emu.pid);
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const sent1 = (await emu.call('stats')).realEntries;
    const wall = (performance.now() - t0) / 1000;
    const share = (procCpuSeconds(emu.pid) - cpu0) / wall;
    await emu.call('setRate', 0);
    const mem = await emu.call('memory');
    shares.push(share);
    console.log(`window ${String(w).padStart(2)}: sent ${Math.round((sent1 - sent0) / wall)}/s  emulator ${Math.round(share * 100)}%  rss ${Math.round(mem.rss / 1e6)} MB  heap ${Math.round(mem.heapUsed / 1e6)} MB`);
    if (!args.single) {
      ws.close();
      ws = undefined;
      await sleep(200);
    }
  }
} finally {
  ws?.close();
  await emu.close();
}
const first = median(shares.slice(0, 3));
const last = median(shares.slice(-3));
console.log(`emulator share of a core: first three windows ${Math.round(first * 100)}%, last three ${Math.round(last * 100)}% (ratio ${(last / first).toFixed(2)}); load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

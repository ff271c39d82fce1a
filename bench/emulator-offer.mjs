#!/usr/bin/env node
/**
 * What the emulator can offer (a benchmark, not a test): the REAL entries/s it sends at each
 * offered rate and its share of a core, on python-realtime.mjs's stream (100 codes x 0B/0D, the
 * 0D throttle lifted, each entry stamped with its send time), to a client that reads and drops
 * every frame (the emulator's own stats count what it sent). Tells whether the emulator or a client is the ceiling of python-realtime.mjs.
 *
 * Usage: npm run build && node bench/emulator-offer.mjs [--rates 40000,60000,80000] [--seconds 5]
 * BENCH_EMULATOR_FLAGS adds Node flags to the emulator (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
 * Writes bench/results/emulator-offer.json.
 */
import { procCpuSeconds } from './lib/cpu.mjs';
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { parseArgs, writeResult } from './lib/results.mjs';
import { subscribeDropping } from './lib/stream-client.mjs';
import { printTable } from './lib/table.mjs';

const args = parseArgs();
const RATES = String(args.get('--rates') ?? '40000,60000,80000').split(',').map(Number);
const SECONDS = Number(args.get('--seconds') ?? 5);

const emu = await startEmulatorChild({ realRate: 0, stampFid: '9999', pingIntervalMs: 2_000, websocket: { orderBookPerSecond: 1_000_000 } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const emuCpu = () => procCpuSeconds(emu.pid);
const rows = [];
try {
  const codes = (await emu.call('master')).slice(0, 100);
  const ws = await subscribeDropping(emu, codes);
  for (const rate of RATES) {
    await emu.call('setRate', rate);
    await sleep(1_000);
    const sent0 = (await emu.call('stats')).realEntries;
    const cpu0 = emuCpu();
    const mine0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const sent = (await emu.call('stats')).realEntries - sent0;
    const wall = (performance.now() - t0) / 1000;
    const cpu = emuCpu() - cpu0;
    const mine = process.cpuUsage(mine0);
    rows.push({
      offered: rate,
      sentPerSec: Math.round(sent / wall),
      emulatorCpu: Math.round((cpu / wall) * 1000) / 1000,
      emulatorUsPerEntry: Math.round(((cpu * 1e6) / sent) * 100) / 100,
      clientCpu: Math.round(((mine.user + mine.system) / 1e6 / wall) * 1000) / 1000,
    });
    await emu.call('setRate', 0);
  }
  ws.close();
} finally {
  await emu.close();
}
printTable(rows, ['offered', 'sentPerSec', 'emulatorCpu', 'emulatorUsPerEntry', 'clientCpu']);
writeResult('emulator-offer', { seconds: SECONDS, rows });

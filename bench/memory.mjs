#!/usr/bin/env node --expose-gc
/**
 * Memory benchmark (a script: it prints figures and asserts nothing).
 *
 * A RealtimeSession holds 2,000 subscriptions over 20 REG groups of 100 items (1,000 items x
 * 0B and 0D; the emulator's master has 364 listings, so the items are the listings and their
 * _NX / _AL variants), while the emulator, in a child process, pushes 20,000 REAL frames per
 * second for 60 s (`--long`: 10 minutes; `--seconds N` for a quick check). The consumer keeps
 * the latest price per item, as a trading program would.
 *
 * Figures: RSS at start (after subscribing and 5 s of stream), peak and end; heap used after a
 * forced GC at start and end; frames received and the session's drop/coalesce counters; and
 * the trend: median RSS of the last third of the run against the first third (RSS wanders by a
 * few MB as V8 and malloc size their spaces; a leak shows as a trend, not as one sample).
 * Goals: RSS growth start -> end under 10%, peak RSS under 150 MB.
 *
 * Usage: npm run build && node --expose-gc bench/memory.mjs [--seconds 60 | --long] [--rate 20000]
 * Writes bench/results/memory.json.
 */
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { parseArgs, writeResult } from './lib/results.mjs';
import { mb, printTable } from './lib/table.mjs';

if (typeof globalThis.gc !== 'function') {
  console.error('memory.mjs needs --expose-gc: node --expose-gc bench/memory.mjs');
  process.exit(2);
}
const args = parseArgs();
const SECONDS = args.has('--long') ? 600 : Number(args.get('--seconds') ?? 60);
const RATE = Number(args.get('--rate') ?? 20_000);
const WARMUP_S = Math.min(5, Math.max(1, Math.floor(SECONDS / 10)));
const GROUPS = 20;
const PER_GROUP = 100;
const GOALS = { growthPct: 10, peakMb: 150 };

const { KiwoomRest, RealtimeSession } = await import('../dist/index.js');
const emu = await startEmulatorChild({ seed: 9, realRate: 0, pingIntervalMs: 10_000, marketTicksPerSecond: 0 });
const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
const rt = new RealtimeSession({ rest, wsUrl: emu.wsUrl });

const codes = (await emu.call('master')).filter((c) => /^\d{6}$/.test(c));
const variants = codes.flatMap((c) => [c, `${c}_NX`, `${c}_AL`]).slice(0, (GROUPS * PER_GROUP) / 2);
if (variants.length < (GROUPS * PER_GROUP) / 2) throw new Error(`only ${variants.length} items available`);

const latest = new Map();
let frames = 0;
rt.on('real', (e) => {
  frames++;
  latest.set(e.item, e.values['10']);
});
await rt.connect();
for (let g = 0; g < GROUPS; g++) {
  const half = GROUPS / 2;
  const type = g < half ? '0B' : '0D';
  const slice = variants.slice((g % half) * PER_GROUP, (g % half + 1) * PER_GROUP);
  await rt.register(String(g + 1), slice, [type]);
}
const subscribed = Object.values(rt.subscriptions()).reduce(
  (n, group) => n + Object.values(group).reduce((m, types) => m + types.length, 0),
  0,
);
await emu.call('setRate', RATE);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const heapAfterGc = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
let peakRss = 0;
let measuring = false;
const rssSeries = [];
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  if (measuring) rssSeries.push(rss);
}, 100);

await sleep(WARMUP_S * 1000);
const start = { rss: process.memoryUsage().rss, heap: heapAfterGc(), frames };
peakRss = Math.max(peakRss, start.rss);
const samples = [];
measuring = true;
const t0 = Date.now();
while (Date.now() - t0 < SECONDS * 1000) {
  await sleep(Math.min(10_000, SECONDS * 1000 - (Date.now() - t0)));
  samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMb: mb(process.memoryUsage().rss), frames });
}
const endFrames = frames;
const end = { rss: process.memoryUsage().rss, heap: heapAfterGc() };
clearInterval(sampler);
peakRss = Math.max(peakRss, end.rss);
const stats = rt.stats();
await rt.close();
await rest.close();
await emu.close();

const measuredFrames = endFrames - start.frames;
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
const third = Math.max(1, Math.floor(rssSeries.length / 3));
const trend = { firstThirdMb: mb(median(rssSeries.slice(0, third))), lastThirdMb: mb(median(rssSeries.slice(-third))) };
trend.pct = Math.round(((trend.lastThirdMb - trend.firstThirdMb) / trend.firstThirdMb) * 1000) / 10;
const growthPct = ((end.rss - start.rss) / start.rss) * 100;
const heapGrowthPct = ((end.heap - start.heap) / start.heap) * 100;
console.log(
  `memory: ${subscribed} subscriptions in ${GROUPS} groups, ${RATE.toLocaleString('en-US')} frames/s asked, ${SECONDS} s measured after ${WARMUP_S} s warm-up`,
);
printTable(samples, [
  { key: 's', label: 't (s)' },
  { key: 'rssMb', label: 'RSS MB', format: (v) => v.toFixed(1) },
  { key: 'frames', label: 'frames so far' },
]);
printTable(
  [
    { what: 'RSS', start: mb(start.rss), peak: mb(peakRss), end: mb(end.rss), growth: `${growthPct.toFixed(1)}%` },
    { what: 'heap after GC', start: mb(start.heap), peak: '', end: mb(end.heap), growth: `${heapGrowthPct.toFixed(1)}%` },
  ],
  ['what', { key: 'start', label: 'start MB' }, { key: 'peak', label: 'peak MB' }, { key: 'end', label: 'end MB' }, 'growth'],
);
console.log(
  `frames received: ${measuredFrames.toLocaleString('en-US')} in ${SECONDS} s (${Math.round(measuredFrames / SECONDS).toLocaleString('en-US')}/s); ` +
    `dropped ${stats.dropped}, coalesced ${stats.coalesced}, bad frames ${Object.values(stats.badFrames).reduce((a, b) => a + b, 0)}`,
);
console.log(`RSS trend: median of the first third ${trend.firstThirdMb} MB, of the last third ${trend.lastThirdMb} MB (${trend.pct}%)`);
const goalMet = growthPct < GOALS.growthPct && mb(peakRss) < GOALS.peakMb;
console.log(`goals: growth < ${GOALS.growthPct}% and peak < ${GOALS.peakMb} MB: ${goalMet ? 'met' : 'NOT met'}`);

writeResult('memory', {
  subscriptions: subscribed,
  groups: GROUPS,
  rateAsked: RATE,
  seconds: SECONDS,
  warmupSeconds: WARMUP_S,
  framesReceived: measuredFrames,
  framesPerSec: Math.round(measuredFrames / SECONDS),
  rssMb: { start: mb(start.rss), peak: mb(peakRss), end: mb(end.rss) },
  heapAfterGcMb: { start: mb(start.heap), end: mb(end.heap) },
  growthPct: Number(growthPct.toFixed(2)),
  rssTrend: trend,
  heapGrowthPct: Number(heapGrowthPct.toFixed(2)),
  session: { dropped: stats.dropped, coalesced: stats.coalesced, badFrames: stats.badFrames, reconnects: stats.reconnects },
  samples,
  goals: GOALS,
  goalMet,
});
process.exit(0);

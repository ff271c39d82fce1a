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
 * Figures: RSS before the stream, after 5 s of it, at start, peak and end (start and end are
 * the median of 100 ms samples over the 5 s before them; peak is the highest sample); heap
 * used after a forced GC at start and end; frames received and the session's drop/coalesce
 * counters; and the trend: median RSS of the last third of the run against the first third
 * (RSS wanders by a few MB as V8 and malloc size their spaces; a leak shows as a trend, not as
 * one sample).
 * Goals: RSS growth start -> end under 10%, peak RSS under 150 MB (peak over the warm-up too).
 *
 * Start is taken after a warm-up of 60 s of stream (`--warmup N`), with no forced GC before
 * it, so the peak shows what V8 does left alone. What it does: JSON.parse internalizes short
 * string values, and V8 allocates those in the old generation; values a consumer keeps are
 * promoted there too. Kiwoom's values are short prices, volumes and times, so at 20,000
 * frames/s old-space garbage grows by ~0.35 MB/s in any Node client of this stream, bare or
 * not, and under default flags V8 lets it (and the socket buffers it pins) pile up to a full
 * GC: RSS saw-tooths by up to ~60 MB in the first minutes. `--optimize-for-size` makes V8
 * collect it early. So the runs are: the bare client and the library under default flags, and
 * the library under `--optimize-for-size`, each in a child process of its own.
 *
 * `--client bare|library` runs one side only (what the children run).
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
const WARMUP_S = Number(args.get('--warmup') ?? Math.min(60, SECONDS));
/** Start and end are the median RSS over this window, ending at the moment. */
const WINDOW_MS = 5_000;
/** Where the earlier versions of this script took their start. */
const EARLY_S = Math.min(5, WARMUP_S);
const GROUPS = 20;
const PER_GROUP = 100;
const GOALS = { growthPct: 10, peakMb: 150 };
/**
 * The runs compared: the bare client and the library under Node's default flags, then the
 * library under `--optimize-for-size`, the flag README recommends for long-running consumers.
 */
const RUNS = [
  { label: 'bare ws client', client: 'bare', flags: [] },
  { label: 'library', client: 'library', flags: [] },
  { label: 'library, --optimize-for-size', client: 'library', flags: ['--optimize-for-size'] },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CLIENT = args.get('--client');
if (CLIENT === undefined) {
  await compareClients();
  process.exit(0);
}

// 1,000 items is five times the live servers' 200 per connection: a load figure, so the caps,
// the REG rate and the 0D throttle (3.6 a second per item live) are widened on both sides.
const WIDE = { regPerSecond: 100, itemsPerConnection: 10_000, itemsPerGroup: 10_000, orderBookPerSecond: 1_000_000 };
const emu = await startEmulatorChild({ seed: 9, realRate: 0, pingIntervalMs: 10_000, marketTicksPerSecond: 0, websocket: WIDE });
const codes = (await emu.call('master')).filter((c) => /^\d{6}$/.test(c));
const variants = codes.flatMap((c) => [c, `${c}_NX`, `${c}_AL`]).slice(0, (GROUPS * PER_GROUP) / 2);
if (variants.length < (GROUPS * PER_GROUP) / 2) throw new Error(`only ${variants.length} items available`);
/** REG groups: the first half 0B, the second half 0D, 100 items each. */
const groups = Array.from({ length: GROUPS }, (_v, g) => ({
  grp: String(g + 1),
  items: variants.slice((g % (GROUPS / 2)) * PER_GROUP, ((g % (GROUPS / 2)) + 1) * PER_GROUP),
  type: g < GROUPS / 2 ? '0B' : '0D',
}));

const latest = new Map();
let frames = 0;
const client = CLIENT === 'bare' ? await bareClient() : await libraryClient();
const subscribed = groups.length * PER_GROUP;
const preStreamRss = process.memoryUsage().rss;
await emu.call('setRate', RATE);

const heapAfterGc = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
/** RSS every 100 ms from the first frame asked for: `at` in ms since then. */
const series = [];
const streamT0 = Date.now();
const sampler = setInterval(() => series.push({ at: Date.now() - streamT0, rss: process.memoryUsage().rss }), 100);
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
/** One sample wanders by several MB between GCs and malloc trims; a window's median does not. */
const rssOver = (fromMs, toMs) => median(series.filter((x) => x.at > fromMs && x.at <= toMs).map((x) => x.rss));

await sleep(EARLY_S * 1000);
const earlyRss = process.memoryUsage().rss;
await sleep((WARMUP_S - EARLY_S) * 1000);
const warmupEndMs = Date.now() - streamT0;
const start = { rss: rssOver(warmupEndMs - WINDOW_MS, warmupEndMs), heap: heapAfterGc(), frames };
const samples = [];
const t0 = Date.now();
while (Date.now() - t0 < SECONDS * 1000) {
  await sleep(Math.min(10_000, SECONDS * 1000 - (Date.now() - t0)));
  samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMb: mb(process.memoryUsage().rss), frames });
}
const endFrames = frames;
const endMs = Date.now() - streamT0;
clearInterval(sampler);
const end = { rss: rssOver(endMs - WINDOW_MS, endMs), heap: heapAfterGc() };
const peakRss = Math.max(...series.map((x) => x.rss));
const rssSeries = series.filter((x) => x.at > warmupEndMs).map((x) => x.rss);
const stats = client.stats();
await client.close();
await emu.close();

const measuredFrames = endFrames - start.frames;
const third = Math.max(1, Math.floor(rssSeries.length / 3));
const trend = { firstThirdMb: mb(median(rssSeries.slice(0, third))), lastThirdMb: mb(median(rssSeries.slice(-third))) };
trend.pct = Math.round(((trend.lastThirdMb - trend.firstThirdMb) / trend.firstThirdMb) * 1000) / 10;
const growthPct = ((end.rss - start.rss) / start.rss) * 100;
const growthFromEarlyPct = ((end.rss - earlyRss) / earlyRss) * 100;
const heapGrowthPct = ((end.heap - start.heap) / start.heap) * 100;
console.log(
  `memory (${CLIENT} client): ${subscribed} subscriptions in ${GROUPS} groups, ${RATE.toLocaleString('en-US')} frames/s asked, ${SECONDS} s measured after ${WARMUP_S} s warm-up`,
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
  `RSS before the stream ${mb(preStreamRss)} MB, after ${EARLY_S} s of it ${mb(earlyRss)} MB; ` +
    `growth from ${EARLY_S} s to the end ${growthFromEarlyPct.toFixed(1)}% (warm-up included)`,
);
console.log(
  `frames received: ${measuredFrames.toLocaleString('en-US')} in ${SECONDS} s (${Math.round(measuredFrames / SECONDS).toLocaleString('en-US')}/s); ` +
    `dropped ${stats.dropped}, coalesced ${stats.coalesced}, bad frames ${Object.values(stats.badFrames).reduce((a, b) => a + b, 0)}`,
);
console.log(`RSS trend: median of the first third ${trend.firstThirdMb} MB, of the last third ${trend.lastThirdMb} MB (${trend.pct}%)`);
const goalMet = growthPct < GOALS.growthPct && mb(peakRss) < GOALS.peakMb;
console.log(`goals: growth < ${GOALS.growthPct}% and peak < ${GOALS.peakMb} MB: ${goalMet ? 'met' : 'NOT met'}`);

const result = {
  client: CLIENT,
  subscriptions: subscribed,
  groups: GROUPS,
  rateAsked: RATE,
  seconds: SECONDS,
  warmupSeconds: WARMUP_S,
  framesReceived: measuredFrames,
  framesPerSec: Math.round(measuredFrames / SECONDS),
  rssMb: { preStream: mb(preStreamRss), early: mb(earlyRss), start: mb(start.rss), peak: mb(peakRss), end: mb(end.rss) },
  earlySeconds: EARLY_S,
  growthFromEarlyPct: Number(growthFromEarlyPct.toFixed(2)),
  heapAfterGcMb: { start: mb(start.heap), end: mb(end.heap) },
  growthPct: Number(growthPct.toFixed(2)),
  rssTrend: trend,
  heapGrowthPct: Number(heapGrowthPct.toFixed(2)),
  session: { dropped: stats.dropped, coalesced: stats.coalesced, badFrames: stats.badFrames, reconnects: stats.reconnects },
  samples,
  goals: GOALS,
  goalMet,
};
// A child reports to its parent; run alone, it writes its own result.
if (process.send) process.send(result);
else writeResult(`memory-${CLIENT}`, result);
process.exit(0);

// ---------------------------------------------------------------- the two clients

/** kiwoom-compat's RealtimeSession, as a program would use it. */
async function libraryClient() {
  const { KiwoomRest, RealtimeSession } = await import('../dist/index.js');
  const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
  const rt = new RealtimeSession({ rest, wsUrl: emu.wsUrl, regPerSecond: WIDE.regPerSecond, itemCaps: { perConnection: WIDE.itemsPerConnection, perGroup: WIDE.itemsPerGroup } });
  rt.on('real', (e) => {
    frames++;
    latest.set(e.item, e.values['10']);
  });
  await rt.connect();
  for (const { grp, items, type } of groups) await rt.register(grp, items, [type]);
  return {
    stats: () => rt.stats(),
    close: async () => {
      await rt.close();
      await rest.close();
    },
  };
}

/** The floor: a bare ws client doing LOGIN, REG, PING echo and JSON.parse. */
async function bareClient() {
  const { default: WebSocket } = await import('ws');
  const res = await fetch(`${emu.restUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey }),
  });
  const { token } = await res.json();
  const ws = new WebSocket(`${emu.wsUrl}/api/dostk/websocket`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let acks = 0;
  let loggedIn;
  const login = new Promise((r) => (loggedIn = r));
  ws.on('message', (data) => {
    const text = data.toString();
    const msg = JSON.parse(text);
    if (msg.trnm === 'PING') ws.send(text);
    else if (msg.trnm === 'REAL') {
      for (const d of msg.data) {
        frames++;
        latest.set(d.item, d.values['10']);
      }
    } else {
      acks++;
      if (msg.trnm === 'LOGIN') loggedIn();
    }
  });
  ws.send(JSON.stringify({ trnm: 'LOGIN', token }));
  await login; // as live, REG before the LOGIN answer is refused (rc 100013)
  for (const { grp, items, type } of groups) ws.send(JSON.stringify({ trnm: 'REG', grp_no: grp, refresh: '1', data: [{ item: items, type: [type] }] }));
  while (acks < groups.length + 1) await sleep(20);
  return {
    stats: () => ({ dropped: 0, coalesced: 0, badFrames: {}, reconnects: 0 }),
    close: async () => ws.close(),
  };
}

// ---------------------------------------------------------------- both, one after the other

/** Runs each of {@link RUNS} in a child process of its own, one after the other; prints them side by side. */
async function compareClients() {
  const { fork } = await import('node:child_process');
  const passOn = process.argv.slice(2);
  const run = ({ label, client, flags }) =>
    new Promise((resolve, reject) => {
      const execArgv = ['--expose-gc', ...flags];
      const child = fork(new URL(import.meta.url), [...passOn, '--client', client], { execArgv, stdio: 'inherit' });
      let result;
      child.once('message', (m) => (result = { ...m, label, nodeFlags: flags }));
      child.once('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${label} exited ${code}`))));
    });
  const results = [];
  for (const r of RUNS) results.push(await run(r));
  const [bare, lib, small] = results;
  console.log('\nmemory: the same stream taken by each client in a process of its own');
  printTable(
    results.map((r) => ({
      client: r.label,
      before: r.rssMb.preStream,
      early: `${r.rssMb.early} (${r.growthFromEarlyPct.toFixed(1)}%)`,
      start: r.rssMb.start,
      peak: r.rssMb.peak,
      end: r.rssMb.end,
      growth: `${r.growthPct.toFixed(1)}%`,
      trend: `${r.rssTrend.pct}%`,
      heap: `${r.heapAfterGcMb.start} -> ${r.heapAfterGcMb.end}`,
      fps: r.framesPerSec,
      goals: r.goalMet ? 'met' : 'NOT met',
    })),
    [
      'client',
      { key: 'before', label: 'before stream MB' },
      { key: 'early', label: `at ${lib.earlySeconds} s MB (-> end)` },
      { key: 'start', label: `start (${lib.warmupSeconds} s) MB` },
      { key: 'peak', label: 'peak MB' },
      { key: 'end', label: 'end MB' },
      'growth',
      { key: 'trend', label: 'trend (thirds)' },
      { key: 'heap', label: 'heap after GC MB' },
      { key: 'fps', label: 'frames/s' },
      'goals',
    ],
  );
  console.log(`goals (growth < ${GOALS.growthPct}%, peak < ${GOALS.peakMb} MB): ${results.map((r) => `${r.label} ${r.goalMet ? 'met' : 'NOT met'}`).join('; ')}`);
  writeResult('memory', { ...lib, baseline: bare, optimizeForSize: small });
}

#!/usr/bin/env node
/**
 * The Python bridge's real-time path in Node alone (a benchmark, not a test): the emulator (in a
 * child) streams 100 codes x 0B/0D to an in-process APIServer wired to the bridge engine
 * (createBridge, an Outbox over a sink that only counts), as `bridge --stdio` runs it minus the
 * pipe and Python. It prints what a change to the bridge's per-entry work moves, and what
 * depends less on the machine's load than latency does:
 *
 * - the path's CPU µs per entry the emulator sent, and its garbage collections in the window
 *   (count, p50 and max pause, per kind);
 * - the send-to-write latency p50/p99 (the emulator stamps each entry's send time as FID 9999);
 * - on frames recorded before the window, each step's own cost per entry, the fastest of several
 *   passes: the frame's `toString`, `JSON.parse`, the bridge's compact encoding from a FID
 *   dictionary, and the text path's frame scan plus compact encoding from the frame's text (the
 *   frame read as Latin-1, as the session's text tap reads it).
 *
 * The bridge reads quotes as text, as `bridge --stdio` does; `--objects` measures the path before
 * that (each quote parsed, raised as OnReceiveRealData with a FID dictionary, then encoded).
 *
 * `--profile FILE` writes the window's CPU profile (FILE.cpuprofile); `--allocations FILE` its
 * allocation sample instead (FILE.heapprofile: every allocation, or with `--survivors` only what
 * outlived a young-generation collection, i.e. what was promoted). The sampler slows the path
 * several times over, so the two are separate runs. Read them in DevTools or with
 * `node bench/lib/profile-top.mjs`.
 *
 * Usage: npm run build && node bench/bridge-real.mjs [--rate 5000] [--seconds 5] [--warmup 2] [--objects]
 *          [--profile FILE | --allocations FILE [--survivors]]
 * Writes bench/results/bridge-real.json.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg } from 'node:os';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { parseArgs, writeResult } from './lib/results.mjs';
import { APIServer } from '../dist/facade/index.js';
import { EVENT_NAMES } from '../dist/facade/events.js';
import { createBridge } from '../dist/bridge/server.js';
import { Outbox, RECORD_SEPARATOR } from '../dist/bridge/outbox.js';
import { QuoteEncoder } from '../dist/bridge/quotes.js';
import { bridgeMethods } from '../dist/cli/commands/bridge.js';
import { readQuotesAsText } from '../dist/facade/quote-text.js';
import { scanRealBytes } from '../dist/realtime/real-text.js';

const args = parseArgs();
const RATE = Number(args.get('--rate') ?? 5000);
const SECONDS = Number(args.get('--seconds') ?? 5);
const WARMUP = Number(args.get('--warmup') ?? 2);
const STAMP = '9999';
/** --objects: the path before quotes were read as text (each quote parsed and raised as a FID dictionary). */
const TEXT = !args.has('--objects');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

const load0 = loadavg();
const emu = await startEmulatorChild({ realRate: 0, stampFid: STAMP, pingIntervalMs: 2_000, websocket: { orderBookPerSecond: 1_000_000 } });
const codes = (await emu.call('master')).slice(0, 100);

// The sink: counts records and, in the window, each quote's send-to-write latency (its stamp is
// its last value: FID 9999 is outside the real types' FIDs, so it widens the schema at the end).
let measuring = false;
// Preallocated, so that recording latencies promotes nothing in the window.
const latencies = new Float64Array(Math.ceil(RATE * SECONDS * 2) + 1_000);
let measured = 0;
const sink = {
  write(line) {
    if (!measuring) return true;
    const at = nowUs();
    for (const record of line.split(RECORD_SEPARATOR)) {
      const c = record.charCodeAt(0);
      if (c >= 48 && c <= 57 && measured < latencies.length) latencies[measured++] = at - Number(record.slice(record.lastIndexOf('\t') + 1));
    }
    return true;
  },
  once() {},
};
const server = new APIServer();
const bridge = createBridge({ target: server, methods: bridgeMethods(server), events: EVENT_NAMES, out: new Outbox(sink), quotesAsText: TEXT ? (reader) => readQuotesAsText(server, reader) : undefined });
let id = 0;
const call = (method, ...a) => bridge.handle(JSON.stringify({ id: ++id, method, args: a }));

// Frames for the per-step costs, recorded as the session's socket gets them during the warm-up, as
// copies: held from the window, a frame (a view of the socket's read buffer) kept that buffer and its
// wrapper alive, which promoted them and made collections the bridge alone does not have.
let recording = false;
const frames = [];
const { WebSocket } = await import('ws');
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (name, ...rest) {
  if (name === 'message' && recording && frames.length < 2_000) frames.push(Buffer.from(rest[0]));
  return emit.call(this, name, ...rest);
};

await call('api_init', { sim_no: 1, use_rest: true, appkey: emu.appkey, secretkey: emu.secretkey, endpoints: { rest: emu.restUrl, ws: emu.wsUrl }, log_level: 'error' });
await call('CommConnect');
while (server.GetConnectState() !== 1) await sleep(20);
await call('SetRealReg', '1000', codes.join(';'), '', '0');
await emu.call('setRate', RATE);
recording = true;
await sleep(WARMUP * 1000);
recording = false;

const KINDS = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
const gcs = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([KINDS[e.detail?.kind] ?? 'other', e.duration]);
});
observer.observe({ entryTypes: ['gc'] });
const profiler = await startProfile();
const sent0 = (await emu.call('stats')).realEntries;
const cpu0 = process.cpuUsage();
measuring = true;
await sleep(SECONDS * 1000);
measuring = false;
const cpu = process.cpuUsage(cpu0);
await profiler?.();
const sent = (await emu.call('stats')).realEntries - sent0;
await emu.call('setRate', 0);
observer.disconnect();
await call('cleanup');
await emu.close();

/** Starts the profiler `--profile` or `--allocations` asks for; answers a function that stops it and writes its file (undefined: none asked). */
async function startProfile() {
  const cpu = args.get('--profile');
  const heap = args.get('--allocations');
  if (cpu === undefined && heap === undefined) return undefined;
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  if (cpu !== undefined) {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
  } else {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !args.has('--survivors') });
  }
  return async () => {
    if (cpu !== undefined) writeFileSync(`${cpu}.cpuprofile`, JSON.stringify((await post('Profiler.stop')).profile));
    else writeFileSync(`${heap}.heapprofile`, JSON.stringify((await post('HeapProfiler.stopSampling')).profile));
    session.disconnect();
  };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const gc = {};
for (const [kind, ms] of gcs) (gc[kind] ??= []).push(ms);
for (const [kind, v] of Object.entries(gc)) {
  v.sort((a, b) => a - b);
  gc[kind] = { n: v.length, p50ms: round(pct(v, 0.5)), maxMs: round(v.at(-1)), sumMs: round(v.reduce((a, b) => a + b, 0), 1) };
}
const sorted = latencies.subarray(0, measured).sort();

// Each step's own cost on the recorded frames: the fastest of 5 passes (JIT warm, least disturbed).
const real = frames.filter((b) => b.toString('latin1', 0, 14) === '{"trnm":"REAL"');
const texts = real.map((b) => b.toString());
const parsed = () => texts.map((t) => JSON.parse(t).data);
const entries = parsed().reduce((n, d) => n + d.length, 0);
const fastest = (fn) => {
  let best = Infinity;
  for (let pass = 0; pass < 5; pass++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return round((best * 1000) / entries);
};
const encoder = new QuoteEncoder();
const nameOf = { '0B': '주식체결', '0D': '주식호가잔량' };
const batches = [parsed(), parsed(), parsed(), parsed(), parsed()];
let pass = 0;
const steps = {
  toString: fastest(() => real.forEach((b) => b.toString())),
  jsonParse: fastest(() => texts.forEach((t) => JSON.parse(t))),
  encode: fastest(() => {
    for (const data of batches[pass++ % batches.length]) for (const e of data) encoder.encode(e.item, nameOf[e.type], e.values, () => undefined);
  }),
  // The text path's whole per-entry work: the frame read as Latin-1 and scanned, and the compact record from its text.
  scanAndEncodeText: fastest(() => {
    for (const b of real) {
      const { text, entries } = scanRealBytes(b);
      for (const e of entries) encoder.encodeText(e.item, nameOf[e.type], text, e.start, e.end, () => undefined, e);
    }
  }),
};

const result = {
  path: TEXT ? 'text' : 'objects',
  rate: RATE,
  emuSentPerSec: Math.round(sent / SECONDS),
  cpuUsPerEntry: round((cpu.user + cpu.system) / sent, 1),
  cpuShare: round((cpu.user + cpu.system) / (SECONDS * 1e6)),
  latencyMs: { p50: round(pct(sorted, 0.5) / 1000), p99: round(pct(sorted, 0.99) / 1000), max: round(sorted.at(-1) / 1000) },
  gc,
  stepsUsPerEntry: { ...steps, ofEntries: entries },
  loadavg: { start: load0, end: loadavg() },
};
console.log(JSON.stringify(result, null, 1));
writeResult('bridge-real', result);
process.exit(0);

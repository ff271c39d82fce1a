#!/usr/bin/env node
/**
 * The Python drop-in's real-time path against a plain Python client (a benchmark, not a test),
 * in one run on the same emulator stream: 100 codes x 0B/0D, offered rates from 5,000 to 60,000
 * frames/s. One client at a time subscribes; for each rate the clients take turns (order rotated
 * per repetition), each measured over the same warm-up and window:
 *
 * - `plain`: Kiwoom's official sample's shape (Python `websockets`, json.loads per frame);
 * - `dropin`: kiwoom_compat's APIServer, its bridge under Node's default flags (as shipped);
 * - `dropin-flag`: the same bridge under `node --optimize-for-size` (as the CLI runs).
 *
 * A kind may carry a variant of the drop-in: `dropin@hold=2`, `dropin@v8=...` (see variantOf).
 *
 * Per client: events/s its handler received, Python CPU µs per event (the bridge's CPU apart),
 * the entries/s the emulator sent it in the window and the emulator's share of a core (so that
 * each client's maximum says which process set it: see ceilingOf), for the
 * drop-in the bridge's CPU µs per entry sent (to set against the plain client's Python µs/event),
 * latency p50/p99 from the emulator's send to the handler (the emulator child stamps each REAL
 * entry with its send time), quotes coalesced; for the drop-in, 2 TR requests and 2 orders sent
 * during the window must all come back (every fill in the emulator's ledger reaches
 * OnReceiveChejanData), counted after the stream stopped and the drop-in's backlog arrived.
 * Then the reader pause: the drop-in's Python process is stopped (SIGSTOP)
 * for `--pause` seconds at 20,000 frames/s while the bridge's RSS is sampled, with and without
 * the flag.
 *
 * Needs /usr/bin/python3 with Debian's python3-websockets (`apt-get install python3-websockets`).
 * Usage: npm run build && node bench/python-realtime.mjs [--rates 5000,10000,20000,40000,60000]
 *   [--reps 2] [--seconds 5] [--warmup 2] [--pause 30] [--clients plain,dropin,dropin-flag]
 * BENCH_BRIDGE_FLAGS adds Node flags to both bridges (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
 * BENCH_EMULATOR_FLAGS to the emulator child.
 * `--stages` splits each drop-in quote's latency into the emulator's send to the bridge's receive,
 * the bridge's work up to its write, the pipe, and Python's read to the handler, and says how
 * of the p99 tail's time in the bridge its garbage collections took, and when the tail happened
 * (bench/lib/bridge-stages.mjs, bench/python/stages.py), and on the Python side the hand-off from
 * the reader thread to the handlers' thread, each tail quote's place in its line and the Python
 * process's collections; its stamps cost the handler a little.
 * Writes bench/results/python-realtime.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { procCpuSeconds } from './lib/cpu.mjs';
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { parseArgs, writeResult } from './lib/results.mjs';
import { printTable } from './lib/table.mjs';

const args = parseArgs();
const RATES = String(args.get('--rates') ?? '5000,10000,20000,40000,60000').split(',').map(Number);
const REPS = Number(args.get('--reps') ?? 2);
const SECONDS = Number(args.get('--seconds') ?? 5);
const WARMUP = Number(args.get('--warmup') ?? 2);
const PAUSE = Number(args.get('--pause') ?? 30);
const CLIENTS = String(args.get('--clients') ?? 'plain,dropin,dropin-flag').split(',');
const STAGES = args.has('--stages');
const STAGES_MODULE = new URL('lib/bridge-stages.mjs', import.meta.url).href;
const PYTHON = process.env.KIWOOM_BENCH_PYTHON ?? '/usr/bin/python3';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLIENT = fileURLToPath(new URL('python/realtime_client.py', import.meta.url));
const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const STAMP = '9999';

const probe = spawnSync(PYTHON, ['-c', 'import websockets'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(`${PYTHON} cannot import websockets (the plain client's library): apt-get install python3-websockets`);
  process.exit(1);
}

const load0 = loadavg();
// A throughput figure: the live 0D throttle (3.6 a second per item) would cap the offered rate.
const emu = await startEmulatorChild({ realRate: 0, stampFid: STAMP, pingIntervalMs: 2_000, websocket: { orderBookPerSecond: 1_000_000 } });
const codes = (await emu.call('master')).slice(0, 100);

/**
 * A client kind and its variant: `dropin@hold=0` is the drop-in with its bridge under
 * KIWOOM_BRIDGE_MAX_HOLD_MS=0, for an A/B of the outbox's hold within one run;
 * `dropin@v8=single-threaded-gc+no-memory-reducer` starts its bridge with those Node flags;
 * `dropin@worker` runs its bridge's stream on a worker thread (KIWOOM_BRIDGE_WORKER=1);
 * `dropin@main=/other/tree/dist/cli/main.js` runs another build's bridge (a checkout of another
 * commit), for an A/B of two versions of the code within one run; variants combine:
 * `dropin@worker@hold=0.5`.
 */
function variantOf(kind) {
  const [base, ...variants] = kind.split('@');
  const out = { base, env: {} };
  for (const variant of variants) {
    const hold = /^hold=(\d+(?:\.\d+)?)$/.exec(variant);
    if (variant.startsWith('v8=')) out.flags = variant.slice(3).split('+').map((f) => `--${f}`).join(' ');
    else if (variant.startsWith('main=')) out.main = variant.slice(5);
    else if (variant === 'worker') out.env.KIWOOM_BRIDGE_WORKER = '1';
    else if (hold) out.env.KIWOOM_BRIDGE_MAX_HOLD_MS = hold[1];
    else throw new Error(`unknown variant "${variant}" in ${kind} (hold=ms, v8=flag+flag, worker, main=path; several as dropin@worker@hold=1)`);
  }
  return out;
}

/** The bridge command line for a client kind (the Python side finds dist/ itself otherwise). */
const bridgeFor = (kind) =>
  `${process.execPath} ${variantOf(kind).base === 'dropin-flag' ? '--optimize-for-size ' : ''}${STAGES ? `--import ${STAGES_MODULE} ` : ''}${process.env.BENCH_BRIDGE_FLAGS ?? ''} ${variantOf(kind).flags ?? ''} ${variantOf(kind).main ?? MAIN} bridge --stdio`;

/** Runs one client: spawn, wait until subscribed, set the rate, measure, stop. */
async function runClient(kind, rate, hooks = {}) {
  const opts = {
    mode: variantOf(kind).base === 'plain' ? 'plain' : 'dropin',
    codes,
    restUrl: emu.restUrl,
    wsUrl: emu.wsUrl,
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    stampFid: STAMP,
    warmup: hooks.warmup ?? WARMUP,
    seconds: hooks.seconds ?? SECONDS,
    pythonPath: `${ROOT}compat/python`,
    ...(STAGES && kind !== 'plain' ? { stages: true, gcFile: join(tmpdir(), `python-realtime-gc-${process.pid}-${kind.replace(/[^\w-]/g, '_')}-${rate}-${Date.now()}.jsonl`) } : {}),
  };
  const child = spawn(PYTHON, [CLIENT, JSON.stringify(opts)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...variantOf(kind).env, KIWOOM_COMPAT_BRIDGE: bridgeFor(kind), ...(opts.gcFile ? { BENCH_STAGES_GC: opts.gcFile } : {}) },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout });
  let ready;
  let result;
  let sent;
  const ordersBefore = kind === 'plain' ? 0 : (await emu.call('orderLedger')).length;
  for await (const line of lines) {
    const msg = JSON.parse(line);
    if (msg.ready) {
      ready = msg.ready;
      await emu.call('setRate', rate);
      child.stdin.write('go\n');
      sent = sentInWindow(opts.warmup, opts.seconds);
      if (hooks.onGo) await hooks.onGo(ready);
    } else if (msg.drain) {
      await emu.call('setRate', 0);
      child.stdin.write('stopped\n');
    } else if (msg.result) {
      result = msg.result;
      await emu.call('setRate', 0);
      break;
    }
  }
  child.stdin.end();
  await exited;
  let timeline;
  if (opts.gcFile) {
    try {
      timeline = JSON.parse(readFileSync(`${opts.gcFile}.timeline.json`, 'utf8'));
    } catch {
      // The bridge did not exit cleanly: no timeline.
    }
    rmSync(opts.gcFile, { force: true });
    rmSync(`${opts.gcFile}.timeline.json`, { force: true });
  }
  await emu.call('setRate', 0);
  if (result === undefined) throw new Error(`${kind} at ${rate}/s gave no result`);
  if (kind !== 'plain') result.lost = await checkEvents(result, ordersBefore);
  ({ perSec: result.emuSentPerSec, cpuShare: result.emuCpuShare } = await sent);
  if (typeof result.bridgeCpuShare === 'number' && result.emuSentPerSec > 0) result.bridgeUsPerEntry = Math.round((result.bridgeCpuShare * 1e6) / result.emuSentPerSec * 10) / 10;
  if (timeline !== undefined && result.stages) result.stages.timeline = timeline;
  return { kind, rate, ...result, nodeFlags: ready.nodeFlags };
}

/**
 * REAL entries/s the emulator sent (to the one subscribed client) over the measured window, and
 * the share of a core the emulator used meanwhile (near 1, it, not the client, sets the ceiling).
 */
async function sentInWindow(warmup, seconds) {
  await sleep(warmup * 1000);
  const before = (await emu.call('stats')).realEntries;
  const cpu0 = procCpuSeconds(emu.pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const after = (await emu.call('stats')).realEntries;
  const wall = (performance.now() - t0) / 1000;
  return { perSec: Math.round((after - before) / wall), cpuShare: Math.round(((procCpuSeconds(emu.pid) - cpu0) / wall) * 1000) / 1000 };
}

/** What of the window's TR requests and orders did not reach the handlers (each should be 0). */
async function checkEvents(result, ordersBefore) {
  const orders = (await emu.call('orderLedger')).slice(ordersBefore);
  const fills = await emu.call('fillLedger');
  const ordNos = new Set(orders.map((o) => o.ordNo));
  const chejan = result.chejan.filter(([gubun, ordNo]) => gubun === '0' && ordNos.has(ordNo.padStart(7, '0').slice(-7)));
  const seenFills = chejan.filter(([, , status]) => status === '체결').length;
  const seenAccepts = new Set(chejan.filter(([, , status]) => status === '접수').map(([, n]) => n)).size;
  const ledgerFills = fills.filter((f) => ordNos.has(f.ordNo)).length;
  return {
    tr: result.sent.tr.length - new Set(result.trAnswered).size,
    ordersRefused: result.sent.orders.filter((rc) => rc !== 0).length,
    ordersMissing: result.sent.orders.length - orders.length,
    accepts: orders.length - seenAccepts,
    fills: ledgerFills - seenFills,
  };
}

/** The bridge's RSS while the Python reader is stopped, sampled each second. */
async function pauseRun(kind) {
  const samples = [];
  const row = await runClient(kind, 20_000, {
    warmup: 1,
    seconds: PAUSE + 4,
    onGo: async (ready) => {
      await sleep(2_000);
      const rss0 = rssMb(ready.bridgePid);
      process.kill(ready.pid, 'SIGSTOP');
      for (let s = 0; s < PAUSE; s++) {
        await sleep(1_000);
        samples.push(rssMb(ready.bridgePid));
      }
      process.kill(ready.pid, 'SIGCONT');
      samples.unshift(rss0);
    },
  });
  return { kind, rssBeforeMb: samples[0], rssPeakMb: Math.max(...samples), rssEndMb: samples.at(-1), samples, coalescedBridge: row.coalescedBridge, lost: row.lost };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A --stages run's split of the latency (bench/python/stages.py). */
function printStages(st) {
  const ms = (o) => `${o.p50} / ${o.p90} / ${o.p99} / ${o.max}`;
  console.log(`    stages, ms p50 / p90 / p99 / max over ${st.events} quotes:`);
  for (const [name, o] of Object.entries(st.stages)) console.log(`      ${name.padEnd(14)} ${ms(o)}   (p99 tail's mean ${st.tailMeanMs[name]})`);
  console.log(`      tail sent at (s into the window: quotes) ${st.tailBuckets.map(([t, n]) => `${t}: ${n}`).join(', ')}; TR + order sent at ${st.extras.join(', ')}`);
  if (st.timeline) console.log(`      bridge timeline (whole run): ${JSON.stringify(st.timeline)}`);
  if (st.handoff) console.log(`      reader -> handlers' thread (a line's first quote): p50 ${st.handoff.p50} p99 ${st.handoff.p99} max ${st.handoff.max} ms over ${st.handoff.lines} lines; the p99 tail's quotes stood at ${st.tailLine.meanPosition} in lines of ${st.tailLine.meanLineEvents} events on average (all lines: ${st.tailLine.meanLineEventsAll})`);
  if (st.pythonGc) console.log(`      Python GC over ${st.pythonGc.seconds} s: ${JSON.stringify(st.pythonGc.generations)}; of the p99 tail's read->handler, ${st.pythonGc.tailGcMeanMs} ms on average in collections`);
  if (st.gc) console.log(`      bridge GC over ${st.gc.seconds} s: ${JSON.stringify(st.gc.kinds)}; the p99 tail's quotes spent ${st.gc.tailInBridgeMeanMs} ms in the bridge on average, ${st.gc.tailGcMeanMs} of it in collections`);
}
function rssMb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
}

const runs = [];
const pauses = [];
try {
  for (let rep = 0; rep < REPS; rep++) {
    for (const rate of RATES) {
      const order = CLIENTS.map((_, i) => CLIENTS[(i + rep) % CLIENTS.length]);
      for (const kind of order) {
        const r = await runClient(kind, rate);
        runs.push({ rep, ...r, chejan: undefined, sent: undefined, trAnswered: undefined });
        console.log(
          `rep ${rep} ${String(rate).padStart(5)}/s ${kind.padEnd(13)} ${String(r.eventsPerSec).padStart(6)} ev/s (sent ${r.emuSentPerSec}, emulator ${Math.round(r.emuCpuShare * 100)}%)  cpu ${r.cpuUsPerEvent} µs/ev  p50 ${r.p50ms} p99 ${r.p99ms} ms` +
            (r.coalesced === undefined ? '' : `  coalesced ${r.coalesced} (bridge ${r.coalescedBridge}), bridge ${Math.round(r.bridgeCpuShare * 100)}% ${r.bridgeUsPerEntry} µs/entry ${r.bridgeRssMb} MB, lost ${JSON.stringify(r.lost)}`),
        );
        if (r.threadCpu) console.log(`    Python threads, share of a core: ${Object.entries(r.threadCpu).map(([n, c]) => `${n} ${c}`).join(', ')}`);
        if (r.stages) printStages(r.stages);
      }
    }
  }
  if (PAUSE > 0) for (const kind of CLIENTS.filter((k) => k !== 'plain')) pauses.push(await pauseRun(kind));
} finally {
  await emu.close();
}

// Per client and rate: the median over repetitions.
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length === 0 ? undefined : v[Math.floor((v.length - 1) / 2)];
};
const table = [];
for (const kind of CLIENTS) {
  for (const rate of RATES) {
    const rs = runs.filter((r) => r.kind === kind && r.rate === rate);
    table.push({
      client: kind,
      offered: rate,
      eventsPerSec: median(rs.map((r) => r.eventsPerSec)),
      emuSent: median(rs.map((r) => r.emuSentPerSec)),
      emuCpu: median(rs.map((r) => r.emuCpuShare)),
      cpuUsPerEvent: median(rs.map((r) => r.cpuUsPerEvent)),
      pythonCpu: median(rs.map((r) => r.cpuShare)),
      bridgeCpu: median(rs.map((r) => r.bridgeCpuShare)),
      bridgeUsPerEntry: median(rs.map((r) => r.bridgeUsPerEntry)),
      p50ms: median(rs.map((r) => r.p50ms)),
      p99ms: median(rs.map((r) => r.p99ms)),
      coalesced: median(rs.map((r) => r.coalesced)),
      lost: rs.some((r) => r.lost && Object.values(r.lost).some((n) => n !== 0)) ? 'YES' : kind === 'plain' ? '' : '0',
    });
  }
}
const max = (kind) => Math.max(...table.filter((t) => t.client === kind).map((t) => t.eventsPerSec ?? 0));
const at = (kind, rate) => table.find((t) => t.client === kind && t.offered === rate);
/**
 * Which process set a client's maximum: the client (it received less than was offered), the
 * emulator (it sent less than offered while using nearly a core), or none measured (the client
 * took everything offered at every rate, so its maximum lies above the highest rate).
 */
function ceilingOf(kind) {
  const row = table.filter((t) => t.client === kind).find((t) => t.eventsPerSec === max(kind));
  const took = row.eventsPerSec / row.offered;
  const busiest = (row.bridgeCpu ?? 0) > row.pythonCpu ? `its bridge, ${Math.round(row.bridgeCpu * 100)}% of a core` : `its Python, ${Math.round(row.pythonCpu * 100)}% of a core`;
  const by =
    took >= 0.98
      ? 'none reached (took all offered: raise --rates)'
      : row.emuSent < 0.98 * row.offered && row.emuCpu >= 0.9
        ? 'the emulator (sent less than offered at a full core)'
        : `the client (received less than offered; busiest: ${busiest})`;
  return { client: kind, max: row.eventsPerSec, atOffered: row.offered, emuSent: row.emuSent, emuCpu: row.emuCpu, pythonCpu: row.pythonCpu, bridgeCpu: row.bridgeCpu, ceiling: by };
}
const summary = {};
if (CLIENTS.includes('plain') && CLIENTS.includes('dropin')) {
  const base = RATES[0];
  summary.maxEventsPerSec = { plain: max('plain'), dropin: max('dropin'), ...(CLIENTS.includes('dropin-flag') ? { dropinFlag: max('dropin-flag') } : {}) };
  summary.maxRatio = max('dropin') / max('plain');
  summary.ceilings = ['plain', 'dropin'].map(ceilingOf);
  summary.cpuPerEventRatio = at('dropin', base).cpuUsPerEvent / at('plain', base).cpuUsPerEvent;
  summary.p99AtFirstRate = at('dropin', base).p99ms;
  // Past capacity: the lowest rate delivered at any offered rate from the one that gave the maximum on.
  const peak = RATES.findIndex((r) => at('dropin', r).eventsPerSec === max('dropin'));
  summary.pastCapacity = Math.min(...RATES.slice(peak).map((r) => at('dropin', r).eventsPerSec ?? 0)) / max('dropin');
  summary.lost = table.filter((t) => t.lost === 'YES').length;
}
const load1 = loadavg();
console.log(`\nload average ${load0.map((l) => l.toFixed(1)).join(' ')} at the start, ${load1.map((l) => l.toFixed(1)).join(' ')} at the end`);
printTable(table, ['client', 'offered', 'emuSent', 'emuCpu', 'eventsPerSec', 'cpuUsPerEvent', 'pythonCpu', 'bridgeCpu', 'bridgeUsPerEntry', 'p50ms', 'p99ms', 'coalesced', 'lost']);
if (pauses.length > 0) printTable(pauses.map((p) => ({ ...p, samples: undefined, lost: JSON.stringify(p.lost) })), ['kind', 'rssBeforeMb', 'rssPeakMb', 'rssEndMb', 'coalescedBridge', 'lost']);
for (const c of summary.ceilings ?? []) {
  console.log(`max ${c.client}: ${c.max} events/s at ${c.atOffered} offered (sent ${c.emuSent}, emulator ${Math.round(c.emuCpu * 100)}% of a core, Python ${Math.round(c.pythonCpu * 100)}%${c.bridgeCpu === undefined ? '' : `, bridge ${Math.round(c.bridgeCpu * 100)}%`}); ceiling: ${c.ceiling}`);
}
console.log(JSON.stringify(summary));
writeResult('python-realtime', { loadavg: { start: load0, end: load1 }, reps: REPS, seconds: SECONDS, warmup: WARMUP, table, summary, pauses, runs });

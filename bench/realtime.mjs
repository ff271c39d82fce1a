#!/usr/bin/env node
/**
 * RealtimeSession benchmark (a script, not a test: it prints figures and asserts nothing).
 *
 * 1. Throughput. A stream of REAL frames recorded from the emulator (0B-heavy: 0B for 30
 *    stocks, 0D for 6, 0C/0H for 4) is replayed as fast as the socket takes it by a ws server
 *    in a child process, into
 *      (a) a bare `ws` client doing JSON.parse + one emit per entry (frames carry 1 to 3), and
 *      (b) RealtimeSession (LOGIN, frame checks, per-item dispatch, one 'real' listener).
 *    Figures: entries/s and client CPU µs per entry (process.cpuUsage, the server's CPU is in
 *    the other process), and the ratio (b)/(a) of CPU per frame (goal ≤ 1.3).
 * 2. Reconnect. 20 forced drops (emulator dropWebSockets, which keeps the live limits: 5
 *    REG/s, 200 items per connection) with 20 REG groups (200 items, 0B on all, 0D on half,
 *    00/04 on the first) and 2 real-time conditions: time from the drop to the 'reconnected'
 *    event (everything restored) and the same less the backoff delay, p50/p95/max. The restore
 *    paces itself: 20 REGs at 5 per second cannot take less than about 3 s.
 *
 * Usage: npm run build && node bench/realtime.mjs [--frames 200000] [--runs 3]
 * Writes bench/results/realtime.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'eventemitter3';
import WebSocket from 'ws';
import { recordStream, sendStream, serveReplay, startReplayChild } from './lib/replay.mjs';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1]]));
const TOTAL_FRAMES = Number(args.get('--frames') ?? 200_000);
const RUNS = Number(args.get('--runs') ?? 3);
const DROPS = 20;
/** The one REG both clients send: every item and type of the recording, and the END marker. */
let REG;

if (process.argv[2] === '--replay-server') await replayServer();
else await main();

// ---------------------------------------------------------------- child: replay server

/** Serves the recorded frames to each client after its LOGIN. */
async function replayServer() {
  // The stream starts at the REG answer: RealtimeSession drops REAL data for items it has not
  // registered, as it should live. The END marker is a frame of a registered item.
  await serveReplay((ws, msg, frames) => {
    if (msg.trnm === 'LOGIN') ws.send(JSON.stringify({ trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' }));
    if (msg.trnm !== 'REG') return;
    ws.send(JSON.stringify({ trnm: 'REG', return_code: 0, return_msg: '' }));
    void sendStream(ws, frames, TOTAL_FRAMES, `{"trnm":"REAL","data":[{"type":"0B","name":"END","item":"END","values":{}}]}`);
  });
}

// ---------------------------------------------------------------- parent

async function main() {
  const { RealtimeSession } = await import('../dist/index.js');
  const { startEmulator } = await import('../dist/emulator/index.js');
  const { KiwoomRest } = await import('../dist/rest/index.js');

  const recorded = await recordStream(startEmulator, KiwoomRest);
  const bytes = recorded.reduce((n, f) => n + Buffer.byteLength(f), 0);
  const byType = {};
  for (const f of recorded) {
    const t = JSON.parse(f).data[0].type;
    byType[t] = (byType[t] ?? 0) + 1;
  }
  console.log(`recorded ${recorded.length} frames, mean ${Math.round(bytes / recorded.length)} bytes, types ${JSON.stringify(byType)}`);

  const items = new Set(['END']);
  const types = new Set();
  for (const f of recorded) for (const d of JSON.parse(f).data) (items.add(d.item), types.add(d.type));
  REG = { trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: [...items], type: [...types] }] };
  const { child, wsUrl: url } = await startReplayChild(new URL(import.meta.url).pathname, ['--replay-server', '--frames', String(TOTAL_FRAMES)], recorded);

  const runs = { bare: [], session: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.bare.push(await runBare(url));
    runs.session.push(await runSession(RealtimeSession, url));
  }
  child.kill();
  const best = (list, key) => list.reduce((a, b) => (b[key] < a[key] ? b : a));
  const bare = best(runs.bare, 'cpuUsPerFrame');
  const session = best(runs.session, 'cpuUsPerFrame');
  const ratio = session.cpuUsPerFrame / bare.cpuUsPerFrame;
  console.log(`(a) bare ws + JSON.parse + emit : ${fmt(bare.framesPerSec)} entries/s, ${bare.cpuUsPerFrame.toFixed(2)} CPU µs/entry`);
  console.log(
    `(b) RealtimeSession             : ${fmt(session.framesPerSec)} entries/s, ${session.cpuUsPerFrame.toFixed(2)} CPU µs/entry` +
      ` (delivered ${fmt(session.frames)}, coalesced ${session.coalesced}, dropped ${session.dropped})`,
  );
  console.log(`ratio (b)/(a) CPU per entry     : ${ratio.toFixed(3)} (goal <= 1.3)`);

  const reconnect = await benchReconnect(RealtimeSession, startEmulator, KiwoomRest);
  console.log(
    `reconnect x${DROPS}: drop -> restored p50 ${reconnect.gapMs.p50} ms, p95 ${reconnect.gapMs.p95} ms, max ${reconnect.gapMs.max} ms; ` +
      `less backoff p50 ${reconnect.restoreMs.p50} ms, p95 ${reconnect.restoreMs.p95} ms, max ${reconnect.restoreMs.max} ms`,
  );

  const result = {
    at: new Date().toISOString(),
    node: process.version,
    stream: { recordedFrames: recorded.length, replayedFrames: TOTAL_FRAMES, meanBytes: Math.round(bytes / recorded.length), byType },
    throughput: { runs, best: { bare, session }, ratioCpuPerFrame: Number(ratio.toFixed(3)), goal: 1.3 },
    reconnect,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/realtime.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
  console.log('wrote bench/results/realtime.json');
  process.exit(0);
}


function measure(start, cpu0, frames) {
  const wallS = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    frames,
    framesPerSec: Math.round(frames / wallS),
    cpuUsPerFrame: (cpu.user + cpu.system) / frames,
  };
}

/** (a) the floor: parse each frame and emit each entry once. */
async function runBare(url) {
  const bus = new EventEmitter();
  let n = 0;
  bus.on('real', () => n++);
  const ws = new WebSocket(`${url}/api/dostk/websocket`);
  await new Promise((r) => ws.once('open', r));
  let start = 0;
  let cpu0;
  const done = new Promise((resolve) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.trnm === 'LOGIN') return ws.send(JSON.stringify(REG));
      if (msg.trnm === 'REG') {
        start = performance.now();
        cpu0 = process.cpuUsage();
        return;
      }
      if (msg.data[0].name === 'END') return resolve(measure(start, cpu0, n));
      // A frame carries 1 to 3 entries, as live: one emit per entry, as the session delivers them.
      for (const entry of msg.data) bus.emit('real', entry);
    });
  });
  ws.send(JSON.stringify({ trnm: 'LOGIN', token: 'bench' }));
  const r = await done;
  ws.terminate();
  return r;
}

/** (b) the same stream through RealtimeSession. */
async function runSession(RealtimeSession, url) {
  const rest = { simNo: 0, token: async () => 'bench', invalidateToken() {} };
  const rt = new RealtimeSession({ rest, wsUrl: url, reconnect: false });
  let n = 0;
  let start = 0;
  let cpu0;
  const done = new Promise((resolve) => {
    rt.on('real', (e) => {
      if (e.name === 'END') return resolve(measure(start, cpu0, n));
      n++;
    });
  });
  await rt.register(REG.grp_no, REG.data[0].item, REG.data[0].type);
  // connect() resolves at the REG answer (the restore), which marks the start, as for (a)
  const connected = rt.connect().then(() => {
    start = performance.now();
    cpu0 = process.cpuUsage();
  });
  await connected;
  const r = await done;
  const { coalesced, dropped, badFrames } = rt.stats();
  await rt.close();
  return { ...r, coalesced, dropped, badFrames };
}

async function benchReconnect(RealtimeSession, startEmulator, KiwoomRest) {
  const emu = await startEmulator({ seed: 5, realRate: 5_000, pingIntervalMs: 10_000 });
  const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
  const initialDelayMs = 20;
  const rt = new RealtimeSession({ rest, reconnect: { initialDelayMs, maxDelayMs: 1_000 } });
  await rt.connect();
  const stocks = emu.state.master.filter((s) => /^\d{6}$/.test(s.code)).map((s) => s.code);
  // 20 groups of 10 items: the connection's 200-item cap, one REG per group.
  await Promise.all(Array.from({ length: 20 }, (_, g) => rt.register(String(g + 1), stocks.slice(g * 10, g * 10 + 10), g % 2 === 0 ? ['0B', '0D'] : ['0B'])));
  await rt.register('1', [''], ['00', '04']); // added to group 1 (refresh: keep what it holds)
  await rt.search('0', { realtime: true });
  await rt.search('1', { realtime: true });
  let real = 0;
  rt.on('real', () => real++);
  const gaps = [];
  const restores = [];
  for (let i = 0; i < DROPS; i++) {
    let delay = 0;
    const onReconnecting = (_attempt, d) => (delay += d);
    rt.on('reconnecting', onReconnecting);
    const back = new Promise((r) => rt.once('reconnected', r));
    emu.faults.dropWebSockets();
    const gap = await back;
    rt.off('reconnecting', onReconnecting);
    gaps.push(gap);
    restores.push(Math.max(0, gap - delay));
    const before = real;
    while (real === before) await new Promise((r) => setTimeout(r, 2));
  }
  const subs = rt.subscriptions();
  const items = Object.values(subs).reduce((n, g) => n + Object.keys(g).length, 0);
  await rt.close();
  const { wsRefusals } = emu.stats();
  await emu.close();
  return {
    drops: DROPS,
    refusedByServer: wsRefusals,
    groups: Object.keys(subs).length,
    items,
    realtimeConditions: 2,
    backoff: { initialDelayMs, jitter: 0.5 },
    gapMs: pct(gaps),
    restoreMs: pct(restores),
  };
}

function pct(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: at(50), p95: at(95), max: s.at(-1) };
}

function fmt(n) {
  return n.toLocaleString('en-US');
}

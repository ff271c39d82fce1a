#!/usr/bin/env node
/**
 * APIServer real-data benchmark (a script, not a test: it prints figures and asserts nothing).
 *
 * A stream of REAL frames recorded from the emulator (0B-heavy) is replayed as fast as the
 * socket takes it by a ws server in a child process, into
 *   (a) a bare `ws` client doing JSON.parse + one emit per REAL item, and
 *   (b) APIServer: RealtimeSession → facade → OnReceiveRealData(code, realType, fids), with
 *       one listener that reads GetCommRealData(code, 10) as legacy handlers do.
 * Figures: items/s and client CPU µs per item (process.cpuUsage; the server's CPU is in the
 * other process), best of N runs, and the ratio (b)/(a) (goal ≤ 1.5).
 *
 * Usage: npm run build && node bench/facade-real.mjs [--frames 200000] [--runs 3]
 * Writes bench/results/facade-real.json.
 */
import { EventEmitter } from 'eventemitter3';
import WebSocket from 'ws';
import { recordStream, sendStream, serveReplay, startReplayChild } from './lib/replay.mjs';
import { parseArgs, writeResult } from './lib/results.mjs';

const args = parseArgs();
const TOTAL_FRAMES = Number(args.get('--frames') ?? 200_000);
const RUNS = Number(args.get('--runs') ?? 3);
const END = '{"trnm":"REAL","data":[{"type":"0s","name":"장시작시간","item":"END","values":{}}]}';

if (process.argv.includes('--replay-server')) await replayServer();
else await main();

// ---------------------------------------------------------------- child: replay server

async function replayServer() {
  await serveReplay((ws, msg, frames) => {
    if (msg.trnm === 'LOGIN') return ws.send(JSON.stringify({ trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' }));
    if (msg.trnm !== 'REG') return;
    ws.send(JSON.stringify({ trnm: 'REG', return_code: 0, return_msg: '' }));
    // The first REG of a stock type (the consumer's SetRealReg, not the account-level 00/04 one) starts the replay.
    const types = (msg.data ?? []).flatMap((d) => d.type);
    if (types.every((t) => t === '00' || t === '04')) return;
    void sendStream(ws, frames, TOTAL_FRAMES, END);
  });
}

// ---------------------------------------------------------------- parent

async function main() {
  const { APIServer, KiwoomRest } = await import('../dist/index.js');
  const { startEmulator } = await import('../dist/emulator/index.js');

  const recorded = await recordStream(startEmulator, KiwoomRest);
  const items = recorded.reduce((n, f) => n + JSON.parse(f).data.length, 0);
  const bytes = recorded.reduce((n, f) => n + Buffer.byteLength(f), 0);
  console.log(`recorded ${recorded.length} frames (${items} items), mean ${Math.round(bytes / recorded.length)} bytes`);

  const { child, wsUrl } = await startReplayChild(new URL(import.meta.url).pathname, ['--replay-server', '--frames', String(TOTAL_FRAMES)], recorded);
  // REST (token, account list) from an emulator; the WebSocket from the replay server.
  const emu = await startEmulator({ seed: 3, realRate: 1 });

  const runs = { bare: [], facade: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.bare.push(await runBare(wsUrl));
    runs.facade.push(await runFacade(APIServer, emu, wsUrl));
  }
  child.kill();
  await emu.close();
  const best = (list) => list.reduce((a, b) => (b.cpuUsPerItem < a.cpuUsPerItem ? b : a));
  const bare = best(runs.bare);
  const facade = best(runs.facade);
  const ratio = facade.cpuUsPerItem / bare.cpuUsPerItem;
  console.log(`(a) bare ws + JSON.parse + emit     : ${fmt(bare.itemsPerSec)} items/s, ${bare.cpuUsPerItem.toFixed(2)} CPU µs/item`);
  console.log(`(b) APIServer OnReceiveRealData     : ${fmt(facade.itemsPerSec)} items/s, ${facade.cpuUsPerItem.toFixed(2)} CPU µs/item (delivered ${fmt(facade.items)})`);
  console.log(`ratio (b)/(a) CPU per item          : ${ratio.toFixed(3)} (goal <= 1.5)`);
  writeResult('facade-real', {
    stream: { recordedFrames: recorded.length, replayedFrames: TOTAL_FRAMES, meanBytes: Math.round(bytes / recorded.length) },
    runs,
    best: { bare, facade },
    ratioCpuPerFrame: Number(ratio.toFixed(3)),
    goal: 1.5,
    goalMet: ratio <= 1.5,
  });
  process.exit(0);
}


function measure(start, cpu0, items) {
  const wallS = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { items, itemsPerSec: Math.round(items / wallS), cpuUsPerItem: (cpu.user + cpu.system) / items };
}

/** (a) the floor: parse each frame, emit each REAL item once. */
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
      if (msg.trnm === 'LOGIN') {
        ws.send(JSON.stringify({ trnm: 'REG', grp_no: '1', refresh: '0', data: [{ item: ['005930'], type: ['0B'] }] }));
        return;
      }
      if (msg.trnm === 'REG') {
        start = performance.now();
        cpu0 = process.cpuUsage();
        return;
      }
      for (const d of msg.data) {
        if (d.item === 'END') return resolve(measure(start, cpu0, n));
        bus.emit('real', d.item, d.type, d.values);
      }
    });
  });
  ws.send(JSON.stringify({ trnm: 'LOGIN', token: 'bench' }));
  const r = await done;
  ws.terminate();
  return r;
}

/** (b) the same stream through APIServer, with a legacy-style handler. */
async function runFacade(APIServer, emu, wsUrl) {
  const api = new APIServer();
  await api.api_init({
    sim_no: 1,
    use_rest: true,
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    endpoints: { rest: emu.restUrl, ws: wsUrl },
    log_level: 'silent',
    rest: { limits: { mockQuery: 5 } },
    realtime: { reconnect: false },
  });
  if ((await api.CommConnect()) !== 0) throw new Error(`CommConnect failed: ${api.GetLastError()?.message}`);
  let n = 0;
  let last = '';
  let start = 0;
  let cpu0;
  const done = new Promise((resolve) => {
    api.on('OnReceiveRealData', (code) => {
      if (code === 'END') return resolve(measure(start, cpu0, n));
      last = api.GetCommRealData(code, 10);
      n++;
    });
  });
  start = performance.now();
  cpu0 = process.cpuUsage();
  await api.SetRealReg('1000', '005930', '10', '0');
  const r = await done;
  await api.cleanup();
  return { ...r, lastPrice: last };
}

function fmt(n) {
  return n.toLocaleString('en-US');
}

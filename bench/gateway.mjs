#!/usr/bin/env node
/**
 * Gateway benchmark (a script, not a test: it prints figures and asserts nothing).
 *
 * One upstream stream (the recorded 0B-heavy REAL frames of bench/lib/replay.mjs, each stamped
 * with its send time) is pushed at a fixed rate by a loopback Kiwoom stand-in (REST token +
 * WebSocket) in its own process. Measured:
 *   - direct: one RealtimeSession on the stand-in (the library's own client): its CPU per frame,
 *     and the latency of a raw ws client on the stand-in (send → parsed), p50/p99;
 *   - through the gateway (its own process) with 1, 5 and 20 raw clients on the same stream:
 *     the gateway process's CPU per upstream frame (every client gets every frame), its ratio
 *     to the direct client's, and the latency at the clients, p50/p99, and what the hop adds.
 * The clients run in a third process, so neither their CPU nor the stand-in's is counted.
 *
 * Usage: npm run build && node bench/gateway.mjs [--rate 1000] [--seconds 8]
 * Writes bench/results/gateway.json.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { recordStream } from './lib/replay.mjs';
import { parseArgs, writeResult } from './lib/results.mjs';

const args = parseArgs();
const RATE = Number(args.get('--rate') ?? 1000);
const SECONDS = Number(args.get('--seconds') ?? 8);
const WARMUP_S = 2;
const CLIENTS = [1, 5, 20];
const STAMP = '9999';
const STAMP_KEY = `"${STAMP}":"`;
const SCRIPT = new URL(import.meta.url).pathname;

const role = process.argv[2];
// A child ends with the parent, whatever way the parent ends.
if (role !== undefined && role.startsWith('--') && process.send !== undefined) process.on('disconnect', () => process.exit(0));
if (role === '--upstream') await upstream();
else if (role === '--gateway') await gatewayChild();
else if (role === '--clients') await clientsChild();
else await main();

// ---------------------------------------------------------------- child: the Kiwoom stand-in

/** REST token + WebSocket (LOGIN, REG/REMOVE acks); pushes the frames at RATE to every socket that registered, stamped with hrtime. */
async function upstream() {
  const frames = await new Promise((resolve) => process.once('message', resolve));
  const bodies = frames.map((f) => f.split('"values":{'));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify({ token: 'bench-upstream-token', token_type: 'Bearer', expires_dt: '20991231235959', return_code: 0, return_msg: '' }));
    });
  });
  const wss = new WebSocketServer({ server, path: '/api/dostk/websocket', perMessageDeflate: false });
  const streaming = new Set();
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (m.trnm === 'LOGIN') ws.send(JSON.stringify({ trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' }));
      else if (m.trnm === 'REG' || m.trnm === 'REMOVE') {
        ws.send(JSON.stringify({ trnm: m.trnm, return_code: 0, return_msg: '' }));
        if (m.trnm === 'REG') streaming.add(ws);
      }
    });
    ws.on('close', () => streaming.delete(ws));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  let sent = 0;
  let owed = 0;
  let last = performance.now();
  let i = 0;
  setInterval(() => {
    const now = performance.now();
    owed += ((now - last) / 1000) * RATE;
    last = now;
    const n = Math.floor(owed);
    owed -= n;
    for (let k = 0; k < n; k++) {
      const [head, tail] = bodies[i++ % bodies.length];
      const frame = `${head}"values":{"${STAMP}":"${process.hrtime.bigint()}",${tail}`;
      for (const ws of streaming) ws.send(frame);
      if (streaming.size > 0) sent++;
    }
  }, 5);
  process.on('message', (m) => {
    if (m === 'sent') process.send({ sent });
  });
  process.send({ port: server.address().port });
}

// ---------------------------------------------------------------- child: the gateway

async function gatewayChild() {
  const { startGateway } = await import('../dist/gateway/index.js');
  const { pino } = await import('pino');
  const { restUrl } = await new Promise((resolve) => process.once('message', resolve));
  const gw = await startGateway({
    appkey: 'bench-upstream-appkey',
    secretkey: 'bench-upstream-secretkey',
    simNo: 0,
    endpoints: { rest: restUrl, ws: restUrl.replace('http', 'ws') },
    logger: pino({ level: 'silent' }),
  });
  const pairs = Array.from({ length: Math.max(...CLIENTS) }, (_, k) => gw.clients.issue(`c${k}`));
  process.on('message', (m) => {
    if (m === 'cpu') {
      const c = process.cpuUsage();
      process.send({ cpuUs: c.user + c.system });
    } else if (m === 'dropped') {
      // REAL frames the gateway skipped because a client was not reading.
      const sessions = gw.status().clients.flatMap((c) => c.sessions);
      process.send({ dropped: sessions.reduce((n, x) => n + x.dropped, 0), framesOut: sessions.reduce((n, x) => n + x.framesOut, 0) });
    }
  });
  process.send({ restUrl: gw.restUrl, wsUrl: gw.wsUrl, pairs });
}

// ---------------------------------------------------------------- child: the clients

/** Raw ws clients (LOGIN, PING echo, REG of every pair of the stream) that parse each frame and keep its latency. */
async function clientsChild() {
  const { RealtimeSession } = await import('../dist/index.js');
  let clients = [];
  let lat = [];
  let sampling = false;
  let rt;
  let rtFrames = 0;
  let cpu0;
  process.on('message', async (m) => {
    if (m.cmd === 'raw') {
      clients = await Promise.all(m.logins.map((login) => rawClient(login, m.pairs)));
      process.send({ ok: true });
    } else if (m.cmd === 'session') {
      const rest = { simNo: 0, baseUrl: m.restUrl, token: async () => 'bench-upstream-token', invalidateToken() {} };
      rt = new RealtimeSession({ rest, wsUrl: m.wsUrl, reconnect: false, buffer: { coalesceAbove: 1e9, maxBuffered: 1e9 } });
      rt.on('real', () => rtFrames++);
      await rt.connect();
      for (const [grp, items, types] of m.pairs) await rt.register(grp, items, types);
      process.send({ ok: true });
    } else if (m.cmd === 'start') {
      lat = [];
      sampling = true;
      rtFrames = 0;
      const c = process.cpuUsage();
      cpu0 = c.user + c.system;
      process.send({ ok: true });
    } else if (m.cmd === 'stop') {
      sampling = false;
      const c = process.cpuUsage();
      process.send({ latencyUs: lat, rtFrames, cpuUs: c.user + c.system - cpu0 });
    } else if (m.cmd === 'close') {
      for (const ws of clients) ws.terminate();
      clients = [];
      await rt?.close();
      rt = undefined;
      process.send({ ok: true });
    }
  });

  async function rawClient({ wsUrl, token }, pairs) {
    const ws = new WebSocket(`${wsUrl}/api/dostk/websocket`, { perMessageDeflate: false });
    await new Promise((r) => ws.once('open', r));
    const acked = new Promise((resolve) => {
      let regs = 0;
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('{"trnm":"REAL"')) {
          // Only the stamp is read: the clients' process must keep up with 20 clients' streams.
          if (!sampling) return;
          const now = process.hrtime.bigint();
          for (let at = text.indexOf(STAMP_KEY); at >= 0; at = text.indexOf(STAMP_KEY, at + 1)) {
            const from = at + STAMP_KEY.length;
            lat.push(Number(now - BigInt(text.slice(from, text.indexOf('"', from)))) / 1000);
          }
          return;
        }
        const msg = JSON.parse(text);
        if (msg.trnm === 'PING') return ws.send(text);
        if (msg.trnm === 'LOGIN') for (const [grp, items, types] of pairs) ws.send(JSON.stringify({ trnm: 'REG', grp_no: grp, refresh: '1', data: [{ item: items, type: types }] }));
        if (msg.trnm === 'REG' && ++regs === pairs.length) resolve();
      });
    });
    ws.send(JSON.stringify({ trnm: 'LOGIN', token }));
    await acked;
    return ws;
  }
  process.send({ ready: true });
}

// ---------------------------------------------------------------- parent

function child(flag) {
  const c = fork(SCRIPT, [flag, '--rate', String(RATE)], { stdio: 'inherit' });
  const ask = (msg) =>
    new Promise((resolve) => {
      c.once('message', resolve);
      if (msg !== undefined) c.send(msg);
    });
  return { c, ask };
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function pct(list) {
  const s = [...list].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { p50: Math.round(at(50)), p99: Math.round(at(99)), samples: s.length };
}

/** Every (grp, items, types) REG block of the recorded stream: one group per type set. */
function pairsOf(frames) {
  const byType = new Map();
  for (const f of frames) for (const e of JSON.parse(f).data) (byType.get(e.type) ?? byType.set(e.type, new Set()).get(e.type)).add(e.item);
  return [...byType].map(([type, items], i) => [String(i + 1), [...items], [type]]);
}

async function main() {
  const { startEmulator } = await import('../dist/emulator/index.js');
  const { KiwoomRest } = await import('../dist/rest/index.js');
  // One entry per frame (the emulator batches 1-3, as live): each frame then carries one stamp,
  // and "per frame" is per entry for the direct client and the gateway alike.
  const recorded = (await recordStream(startEmulator, KiwoomRest)).flatMap((f) => JSON.parse(f).data.map((e) => JSON.stringify({ trnm: 'REAL', data: [e] })));
  const pairs = pairsOf(recorded);
  console.log(`recorded ${recorded.length} frames, ${pairs.reduce((n, p) => n + p[1].length, 0)} (type, item) pairs; pushed at ${RATE} frames/s, ${SECONDS} s measured after ${WARMUP_S} s`);

  const up = child('--upstream');
  up.c.send(recorded);
  const { port } = await up.ask();
  const restUrl = `http://127.0.0.1:${port}`;
  const sentFrames = async () => (await up.ask('sent')).sent;
  const clients = child('--clients');
  await clients.ask();

  /** Runs the stream for the window; `cpu()` gives the measured process's CPU µs so far. */
  async function window(cpu) {
    await sleep(WARMUP_S * 1000);
    const sent0 = await sentFrames();
    const cpu0 = await cpu();
    await clients.ask({ cmd: 'start' });
    await sleep(SECONDS * 1000);
    const stop = await clients.ask({ cmd: 'stop' });
    const frames = (await sentFrames()) - sent0;
    return { frames, cpuUs: (await cpu()) - cpu0, stop };
  }

  // Direct: the library's client on the stand-in (its CPU), then a raw client (the latency floor).
  const none = async () => 0;
  await clients.ask({ cmd: 'session', restUrl, wsUrl: `ws://127.0.0.1:${port}`, pairs });
  const direct = await window(none);
  const directCpu = direct.stop.cpuUs / direct.stop.rtFrames;
  await clients.ask({ cmd: 'close' });
  await clients.ask({ cmd: 'raw', logins: [{ wsUrl: `ws://127.0.0.1:${port}`, token: 'bench-upstream-token' }], pairs });
  const directLat = pct((await window(none)).stop.latencyUs);
  await clients.ask({ cmd: 'close' });
  console.log(`direct RealtimeSession           : ${directCpu.toFixed(2)} CPU µs/frame (${direct.stop.rtFrames} frames); raw client latency p50 ${directLat.p50} µs, p99 ${directLat.p99} µs`);

  const through = [];
  for (const n of CLIENTS) {
    const gw = child('--gateway');
    const info = await gw.ask({ restUrl });
    const logins = await Promise.all(info.pairs.slice(0, n).map(async (p) => ({ wsUrl: info.wsUrl, token: await issueToken(info.restUrl, p) })));
    await clients.ask({ cmd: 'raw', logins, pairs });
    const w = await window(async () => (await gw.ask('cpu')).cpuUs);
    const lat = pct(w.stop.latencyUs);
    const { dropped } = await gw.ask('dropped');
    const cpuPerFrame = w.cpuUs / w.frames;
    through.push({
      clients: n,
      frames: w.frames,
      gatewayCpuUsPerFrame: Number(cpuPerFrame.toFixed(2)),
      gatewayCpuUsPerDelivery: Number((cpuPerFrame / n).toFixed(2)),
      ratioVsDirectClient: Number((cpuPerFrame / directCpu).toFixed(2)),
      latencyUs: lat,
      addedLatencyUs: { p50: lat.p50 - directLat.p50, p99: lat.p99 - directLat.p99 },
      deliveries: w.stop.latencyUs.length,
      droppedForSlowClients: dropped,
    });
    const t = through.at(-1);
    console.log(
      `gateway, ${String(n).padStart(2)} client(s)              : ${t.gatewayCpuUsPerFrame} CPU µs/frame (${t.ratioVsDirectClient}x the direct client; ${t.gatewayCpuUsPerDelivery} µs per delivery), ` +
        `latency p50 ${lat.p50} µs, p99 ${lat.p99} µs (hop adds p50 ${t.addedLatencyUs.p50} µs, p99 ${t.addedLatencyUs.p99} µs), ${dropped} skipped for slow clients`,
    );
    await clients.ask({ cmd: 'close' });
    gw.c.kill();
  }
  up.c.kill();
  clients.c.kill();
  writeResult('gateway', {
    stream: { recordedFrames: recorded.length, pushRate: RATE, seconds: SECONDS },
    direct: { sessionCpuUsPerFrame: Number(directCpu.toFixed(2)), rawClientLatencyUs: directLat },
    through,
  });
  process.exit(0);
}

async function issueToken(restUrl, pair) {
  const res = await fetch(`${restUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: pair.appkey, secretkey: pair.secretkey }),
  });
  return (await res.json()).token;
}

#!/usr/bin/env node
/**
 * Benchmark (not a test): REAL frames per second the emulator's WebSocket side achieves at a
 * requested rate, measured on the server (frames sent) and on a client in a worker thread
 * (frames received and parsed as JSON text only by length).
 *
 *   npm run build && node bench/ws-push-rate.mjs [requested=50000] [seconds=5] [codes=50] [types=0B,0C,0D]
 */
import { Worker } from 'node:worker_threads';
import { startEmulator } from '../dist/emulator/index.js';

const requested = Number(process.argv[2] ?? 50_000);
const seconds = Number(process.argv[3] ?? 5);
const codeCount = Number(process.argv[4] ?? 50);
const types = (process.argv[5] ?? '0B,0C,0D').split(',');

const emu = await startEmulator({ realRate: 0 });
try {
  const res = await fetch(`${emu.restUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey }),
  });
  const { token } = await res.json();
  const codes = emu.state.master.slice(0, codeCount).map((s) => s.code);

  // The client runs in its own thread so that receiving does not steal the server's event loop.
  const client = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const WebSocket = require(workerData.wsPath);
    const ws = new WebSocket(workerData.url);
    let frames = 0, bytes = 0, pending = 0;
    ws.on('open', () => ws.send(JSON.stringify({ trnm: 'LOGIN', token: workerData.token })));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"trnm":"REAL"')) { frames++; bytes += text.length; return; }
      const msg = JSON.parse(text);
      if (msg.trnm === 'PING') ws.send(text);
      else if (msg.trnm === 'LOGIN') {
        // at most 100 items per REG, one group each
        for (let i = 0; i < workerData.codes.length; i += 100) {
          pending++;
          ws.send(JSON.stringify({ trnm: 'REG', grp_no: String(i / 100 + 1), refresh: '1', data: [{ item: workerData.codes.slice(i, i + 100), type: workerData.types }] }));
        }
      } else if (msg.trnm === 'REG') {
        if (msg.return_code !== 0) parentPort.postMessage({ ready: false, msg });
        else if (--pending === 0) parentPort.postMessage({ ready: true });
      }
    });
    parentPort.on('message', (m) => { if (m === 'count') parentPort.postMessage({ frames, bytes }); else ws.terminate(); });
    `,
    {
      eval: true,
      workerData: {
        url: `${emu.wsUrl}/api/dostk/websocket`,
        token,
        codes,
        types,
        wsPath: new URL('../node_modules/ws/index.js', import.meta.url).pathname,
      },
    },
  );
  const ask = () => new Promise((resolve) => client.once('message', resolve));
  const ready = await ask();
  if (!ready.ready) throw new Error(`REG failed: ${JSON.stringify(ready.msg)}`);

  emu.setRate(requested);
  await new Promise((r) => setTimeout(r, 1000)); // warm-up
  client.postMessage('count');
  const c0 = await ask();
  const s0 = emu.stats().realFrames;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  client.postMessage('count');
  const c1 = await ask();
  const s1 = emu.stats().realFrames;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);

  const sent = (s1 - s0) / elapsed;
  const received = (c1.frames - c0.frames) / elapsed;
  console.log(`ws-push-rate: ${codes.length} codes x [${types.join(',')}] = ${codes.length * types.length} registrations, ${elapsed.toFixed(1)} s`);
  console.log(`  requested          ${requested.toLocaleString('en')} frames/s`);
  console.log(`  server sent        ${Math.round(sent).toLocaleString('en')} frames/s`);
  console.log(`  client received    ${Math.round(received).toLocaleString('en')} frames/s (${((c1.bytes - c0.bytes) / elapsed / 1e6).toFixed(1)} MB/s)`);
  console.log(`  server+client CPU  ${(((cpu.user + cpu.system) / 1e6 / elapsed) * 100).toFixed(0)} % of one core`);
  client.postMessage('stop');
  await client.terminate();
} finally {
  await emu.close();
}

/**
 * A consumer slower than the stream: the session's buffer stays within its cap (memory
 * bounded), snapshot types are coalesced and the overflow dropped, the counters say so, the
 * drop is logged once, PING echoes keep flowing, and once the stream stops the buffer drains.
 *
 * The stream comes from a small Kiwoom-speaking server in a child process: in this process a
 * busy listener would slow the server down with it, and nothing would ever pile up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RealtimeSession } from '../../src/realtime/index.js';
import { LONG, captureLogs, countSecrets, recordFigures, sleep, waitUntil } from './harness.js';

const SECONDS = LONG ? 60 : 3;
const ITEMS = 20;
const BUFFER = { coalesceAbove: 50, maxBuffered: 150, dispatchBudgetMs: 10 };
const TOKEN = 'slow-consumer-token-0123456789';
const logs = captureLogs();

/**
 * The child: LOGIN and REG answered, then REAL frames as fast as the socket takes them (0B
 * trades for ITEMS codes, which may be coalesced, alternating with 00 order events, which may
 * not), and a PING every 100 ms.
 */
const SERVER = `
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/api/dostk/websocket' });
let echoes = 0, pings = 0, sent = 0, flooding = false, socket;
wss.on('listening', () => process.send({ port: wss.address().port }));
process.on('message', (m) => {
  if (m === 'stop') flooding = false;
  if (m === 'report') process.send({ echoes, pings, sent });
});
wss.on('connection', (ws) => {
  socket = ws;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.trnm === 'PING') { echoes++; return; }
    ws.send(JSON.stringify({ trnm: msg.trnm, return_code: 0, return_msg: '' }));
    if (msg.trnm === 'REG' && !flooding) { flooding = true; flood(); }
  });
  setInterval(() => { pings++; ws.send(JSON.stringify({ trnm: 'PING' })); }, 100).unref();
});
function flood() {
  if (!flooding) return;
  for (let i = 0; i < 200; i++, sent++) {
    const entry = sent % 2 === 0
      ? { type: '0B', name: '주식체결', item: String(100000 + ((sent / 2) % ${ITEMS})), values: { '10': String(sent), '20': '093000' } }
      : { type: '00', name: '주문체결', item: '', values: { '9203': String(sent), '913': '접수' } };
    socket.send(JSON.stringify({ trnm: 'REAL', data: [entry] }));
  }
  if (socket.bufferedAmount > 1 << 20) setTimeout(flood, 1); else setImmediate(flood);
}
`;

let child: ChildProcess;
let port = 0;
const ask = (msg: string): Promise<{ echoes: number; pings: number; sent: number }> =>
  new Promise((resolve) => {
    child.once('message', resolve as never);
    child.send(msg);
  });

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
});
afterAll(() => {
  child?.kill();
});

describe('a slow consumer', () => {
  test('memory stays bounded and the coalesce/drop counters say what happened', async () => {
    const rest = { simNo: 0, token: async () => TOKEN, invalidateToken: () => undefined };
    const rt = new RealtimeSession({ rest, wsUrl: `ws://127.0.0.1:${port}`, logger: logs.logger, buffer: BUFFER, reconnect: false });
    let delivered = 0;
    rt.on('real', () => {
      delivered++;
      // 0.5 ms of work per event: about 2,000 events/s, far below the stream.
      const until = performance.now() + 0.5;
      while (performance.now() < until);
    });
    await rt.connect();
    const heap0 = process.memoryUsage().heapUsed;
    await rt.register('1', Array.from({ length: ITEMS }, (_, i) => String(100000 + i)), ['0B']);
    await rt.register('2', [''], ['00']);
    let maxBuffered = 0;
    let maxHeap = heap0;
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      await sleep(20);
      maxBuffered = Math.max(maxBuffered, rt.stats().buffered);
      maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    }
    const { echoes, pings } = await ask('report');
    child.send('stop');
    await waitUntil(() => rt.stats().buffered === 0, 'the buffer to drain');
    const stats = rt.stats();

    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(BUFFER.maxBuffered);
    expect(maxHeap - heap0).toBeLessThan(64 * 1024 * 1024);
    expect(stats.coalesced).toBeGreaterThan(0);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.dispatched).toBe(delivered);
    expect(logs.lines.filter((l) => l.includes('slow consumer'))).toHaveLength(1);
    // PING echoes did not wait behind the listener: most PINGs the server sent during the flood
    // (one per 100 ms) came back during it, and every one of them came back. A PING waits behind
    // the REAL frames sent before it on the same TCP stream, so on a loaded machine the last few
    // are still in flight when the flood stops; a listener that held reading would let none back.
    expect(pings).toBeGreaterThanOrEqual(SECONDS * 3);
    expect(echoes).toBeGreaterThanOrEqual(pings / 2);
    const echoDeadline = Date.now() + 10_000;
    while ((await ask('report')).echoes < pings) {
      if (Date.now() > echoDeadline) throw new Error('a PING of the flood was never echoed');
      await sleep(20);
    }
    expect(rt.state).toBe('open');
    await rt.close();
    recordFigures('slow-consumer', {
      slowConsumerDelivered: stats.dispatched,
      slowConsumerCoalesced: stats.coalesced,
      slowConsumerDropped: stats.dropped,
      slowConsumerMaxBuffered: maxBuffered,
      slowConsumerHeapGrowthMb: Math.round(((maxHeap - heap0) / 1024 / 1024) * 10) / 10,
      logLinesScanned: logs.lines.length,
      secretsFound: countSecrets(logs.lines, [TOKEN]),
    });
  }, LONG ? 120_000 : 20_000);

  test('no token in any log line of this file', () => {
    expect(countSecrets(logs.lines, [TOKEN])).toBe(0);
  });
});

/**
 * A recorded REAL stream and a loopback server that replays it: the shared half of the
 * real-time benchmarks, so that the bare client and the library read the very same bytes.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

const RECORDED_FRAMES = 20_000;

/** REAL frames as the emulator sends them, 0B-heavy: 0B for 30 stocks, 0D for 6, 0C/0H for 4. */
export async function recordStream(startEmulator, KiwoomRest) {
  const emu = await startEmulator({ seed: 11, realRate: 50_000, pingIntervalMs: 60_000 });
  const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
  const token = await rest.token();
  const stocks = emu.state.master.filter((s) => /^\d{6}$/.test(s.code)).map((s) => s.code);
  const ws = new WebSocket(`${emu.wsUrl}/api/dostk/websocket`);
  const frames = [];
  await new Promise((r) => ws.once('open', r));
  let loggedIn;
  const login = new Promise((r) => (loggedIn = r));
  ws.on('message', (data) => {
    const text = String(data);
    if (text.startsWith('{"trnm":"REAL"')) frames.push(text);
    else if (text.includes('"trnm":"LOGIN"')) loggedIn();
  });
  ws.send(JSON.stringify({ trnm: 'LOGIN', token }));
  // As live, anything sent before the LOGIN answer is refused (rc 100013).
  await login;
  const reg = (grp, item, type) => ws.send(JSON.stringify({ trnm: 'REG', grp_no: grp, refresh: '1', data: [{ item, type }] }));
  reg('1', stocks.slice(0, 30), ['0B']);
  reg('2', stocks.slice(0, 6), ['0D']);
  reg('3', stocks.slice(30, 34), ['0C', '0H']);
  while (frames.length < RECORDED_FRAMES) await new Promise((r) => setTimeout(r, 20));
  ws.terminate();
  await rest.close();
  await emu.close();
  return frames.slice(0, RECORDED_FRAMES);
}

/** Sends `total` frames cycling through `frames`, then `end`, yielding when the socket backs up. */
export async function sendStream(ws, frames, total, end) {
  for (let sent = 0; sent < total; sent++) {
    ws.send(frames[sent % frames.length]);
    if (ws.bufferedAmount > 8 * 1024 * 1024) {
      await new Promise((r) => setImmediate(r));
      while (ws.bufferedAmount > 1024 * 1024) await new Promise((r) => setTimeout(r, 1));
    }
  }
  ws.send(end);
}

/**
 * In the child: a loopback WebSocket server at /api/dostk/websocket; `onMessage(ws, msg, frames)`
 * answers each parsed client message. The frames arrive from the parent over IPC; the port goes back.
 */
export async function serveReplay(onMessage) {
  const frames = await new Promise((resolve) => process.once('message', resolve));
  const server = createServer();
  const wss = new WebSocketServer({ server, path: '/api/dostk/websocket', perMessageDeflate: false });
  wss.on('connection', (ws) => ws.on('message', (data) => onMessage(ws, JSON.parse(String(data)), frames)));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  process.send({ port: server.address().port });
}

/** In the parent: forks `script` with `args` as the replay server, hands it the frames, resolves to its ws URL. */
export async function startReplayChild(script, args, frames) {
  const child = fork(script, args, { stdio: 'inherit' });
  child.send(frames);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  return { child, wsUrl: `ws://127.0.0.1:${port}` };
}

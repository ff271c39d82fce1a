/**
 * The bridge's stream worker (a `worker_threads` Worker; its main-thread side and the why are
 * in ./stream-relay.ts, what it does with frames and output in ./stream-writer.ts). It owns the
 * session's WebSockets and the bridge's output on fd 1.
 */
import { createWriteStream, fstatSync, type WriteStream } from 'node:fs';
import { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import type WebSocket from 'ws';
import { HttpError } from '../errors.js';
import { openSocket } from '../realtime/socket.js';
import type { FromWorker, StreamWorkerData, ToWorker } from './stream-relay.js';
import { StreamWriter } from './stream-writer.js';

const port = parentPort!;
const data = workerData as StreamWorkerData;
const post = (msg: FromWorker): void => port.postMessage(msg);

/** fd 1 as a stream: a socket where it is a pipe or a socket (the Python side's), else a file stream (`net.Socket` refuses a file, /dev/null or a terminal). */
function stdoutSink(): Socket | WriteStream {
  const fd = fstatSync(1);
  return fd.isFIFO() || fd.isSocket() ? new Socket({ fd: 1, readable: false, writable: true }) : createWriteStream('', { fd: 1, autoClose: false });
}

const sink = stdoutSink();
// A reader gone (EPIPE) has had enough: the bridge ends quietly with 0, as it does without the
// worker (src/cli/main.ts); the main thread exits on this message. Any other write error kills
// the worker, and the main thread reports it and exits 1.
let readerGone = false;
sink.on('error', (err: NodeJS.ErrnoException) => {
  if (readerGone) return;
  if (err.code !== 'EPIPE') throw err;
  readerGone = true;
  post({ t: 'readerGone' });
});
sink.write(`${data.ready}\n`);
const writer = new StreamWriter(sink, data.outbox, post);
const sockets = new Map<number, WebSocket>();

async function open(id: number, url: string, timeoutMs: number, maxPayload: number): Promise<void> {
  let ws: WebSocket;
  try {
    ws = await openSocket(url, timeoutMs, maxPayload);
  } catch (err) {
    const e = err as Error;
    post({ t: 'failed', id, http: e instanceof HttpError, status: e instanceof HttpError ? e.status : 0, message: e.message });
    return;
  }
  sockets.set(id, ws);
  ws.on('message', (frame) => writer.frame(id, frame));
  ws.on('close', (code, reason) => {
    sockets.delete(id);
    post({ t: 'closed', id, code, reason: reason.toString() });
  });
  ws.on('error', (error) => post({ t: 'error', id, code: (error as { code?: string }).code, message: error.message }));
  post({ t: 'opened', id });
}

/** Writes everything that waits (as fast as the reader takes it), then ends the worker. */
function finish(): void {
  writer.outbox.flush();
  if (writer.outbox.waiting > 0 || writer.outbox.blocked) {
    sink.once('drain', () => setImmediate(finish));
    return;
  }
  // A failed write is the 'error' handler's to report (EPIPE: the main thread ends with 0).
  sink.end((err?: Error | null) => {
    if (err == null) process.exit(0);
  });
}

/**
 * The session has let socket `id` go (close or terminate): what it still delivers (frames in
 * flight during a closing handshake, a destroyed socket's last buffered bytes) is neither
 * written nor handed over, as the session ignores a socket it let go.
 */
function letGo(id: number): WebSocket | undefined {
  const ws = sockets.get(id);
  ws?.removeAllListeners('message');
  return ws;
}

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'out':
      return writer.output(m.items);
    case 'wanted':
      return writer.wanted(m.pairs);
    case 'open':
      return void open(m.id, m.url, m.timeoutMs, m.maxPayload);
    case 'send':
      return sockets.get(m.id)?.send(m.text);
    case 'close':
      return letGo(m.id)?.close(m.code, m.reason);
    case 'terminate':
      return letGo(m.id)?.terminate();
    case 'end':
      for (const ws of sockets.values()) ws.terminate();
      writer.release();
      return finish();
  }
});

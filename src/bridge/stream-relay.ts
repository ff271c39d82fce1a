/**
 * The bridge's stream on a worker thread (./stream-worker.ts), its main-thread side.
 *
 * Why: at 5,000 quotes a second the stream's latency tail was made on the bridge's main
 * thread: frames waited in the socket through the facade heap's major collections (6-8 ms, one
 * each 5 s), its scavenges and the synchronous pipe writes. The worker reads the WebSocket,
 * writes quote frames' compact records and owns the output (fd 1, through its own
 * {@link Outbox}); its small heap collects in well under a millisecond, and nothing the facade
 * does stops it. Everything else stays here: the session (LOGIN, REG, PING, reconnect, errors)
 * gets every frame that is not plain quotes as a socket 'message', and the facade's output
 * (replies, events) is posted to the worker in order.
 *
 * Order as without the worker: a quote never overtakes the output of an earlier frame. After a
 * frame it handed over (a PING apart), the worker hands over every frame until this side
 * acknowledges them, which it does once their synchronous output (and its microtasks') has been
 * posted and nothing waits in the session's dispatcher.
 *
 * The main thread writes nothing to stdout itself: the worker owns fd 1.
 */
import { Worker } from 'node:worker_threads';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { HttpError, NetworkError } from '../errors.js';
import type { BridgeOutput } from './server.js';
import type { OutboxOptions } from './outbox.js';
import type { RealtimeSession, StreamRelay } from '../realtime/index.js';
import type { RealData } from '../facade/real-data.js';

/** What the worker starts with. */
export interface StreamWorkerData {
  /** The ready line, written first. */
  ready: string;
  outbox: Pick<OutboxOptions, 'maxHoldMs' | 'maxLineChars'>;
}

/** One output message, main → worker: push, pushQuote, an OnReceiveRealData to encode there, an acknowledged frame. */
export type OutItem = ['p', string] | ['q', string, string] | ['r', unknown, unknown, unknown] | ['a', number];

/** Main → worker. */
export type ToWorker =
  | { t: 'out'; items: OutItem[] }
  | { t: 'wanted'; pairs: [string, string[]][] }
  | { t: 'open'; id: number; url: string; timeoutMs: number; maxPayload: number }
  | { t: 'send'; id: number; text: string }
  | { t: 'close'; id: number; code: number; reason: string }
  | { t: 'terminate'; id: number }
  | { t: 'end' };

/** Worker → main. `seq` > 0: the worker hands over every later frame until this one is acknowledged. */
export type FromWorker =
  | { t: 'frame'; id: number; seq: number; text: string }
  | { t: 'seen'; frames: number; entries: number; remember: string[] }
  | { t: 'opened'; id: number }
  | { t: 'failed'; id: number; http: boolean; status: number; message: string }
  | { t: 'closed'; id: number; code: number; reason: string }
  | { t: 'error'; id: number; code: string | undefined; message: string }
  | { t: 'readerGone' };

/** The session as the relay drives it. */
export type RelayedSession = Pick<RealtimeSession, 'relayStream' | 'countRelayed' | 'realIdle'>;

const { CONNECTING, OPEN, CLOSING, CLOSED } = WebSocket;

/** A WebSocket whose socket lives in the worker: what the session uses of `ws`'s WebSocket. */
class RelayedSocket extends EventEmitter {
  readyState: WebSocket['readyState'] = CONNECTING;
  constructor(
    private readonly id: number,
    private readonly post: (msg: ToWorker) => void,
  ) {
    super();
  }
  send(text: string): void {
    this.post({ t: 'send', id: this.id, text });
  }
  close(code = 1000, reason = ''): void {
    if (this.readyState >= CLOSING) return;
    this.readyState = CLOSING;
    this.post({ t: 'close', id: this.id, code, reason });
  }
  terminate(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.post({ t: 'terminate', id: this.id });
  }
}

/** The stream worker and the bridge's output through it: a {@link BridgeOutput} and a session's {@link StreamRelay}. */
export class StreamWorker implements BridgeOutput, StreamRelay {
  readonly #worker: Worker;
  #batch: OutItem[] = [];
  #scheduled = false;
  /** Handed-over frames whose output is not yet acknowledged, in order. */
  #unacked: number[] = [];
  #acking = false;
  readonly #sockets = new Map<number, RelayedSocket>();
  readonly #opening = new Map<number, { resolve(ws: WebSocket): void; reject(e: Error): void }>();
  #nextId = 0;
  #session: RelayedSession | undefined;
  #real: Pick<RealData, 'remember'> | undefined;
  readonly #exited: Promise<number>;
  #ending = false;

  constructor(data: StreamWorkerData) {
    this.#worker = new Worker(new URL('./stream-worker.js', import.meta.url), { workerData: data, stdout: true });
    // The worker's console goes to stderr: stdout carries protocol lines only.
    this.#worker.stdout.pipe(process.stderr);
    this.#worker.on('message', (m: FromWorker) => this.#onMessage(m));
    this.#worker.on('error', (err) => process.stderr.write(`bridge: stream worker failed: ${err.message}\n`));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    // Without its worker the bridge has no output: end, so that the reader sees the end of the
    // stream. A worker that failed while writing the last output (end()) is reported too: the
    // reader did not get it all.
    void this.#exited.then((code) => {
      if (this.#ending && code === 0) return;
      process.stderr.write(`bridge: the stream worker ended (exit code ${code}); the bridge ends\n`);
      process.exit(1);
    });
  }

  /** Attaches a session (and the facade's store of latest quotes) to the worker: its sockets open there. */
  readonly attach = (session: RelayedSession, real: Pick<RealData, 'remember'>): void => {
    this.#session = session;
    this.#real = real;
    session.relayStream(this);
  };

  push(text: string): void {
    this.#out(['p', text]);
  }

  pushQuote(key: string, text: string): void {
    this.#out(['q', key, text]);
  }

  realData(code: unknown, name: unknown, values: unknown): void {
    this.#out(['r', code, name, values]);
  }

  readonly open = (url: string, timeoutMs: number, maxPayload: number): Promise<WebSocket> => {
    const id = ++this.#nextId;
    return new Promise<WebSocket>((resolve, reject) => {
      this.#opening.set(id, { resolve, reject });
      this.#post({ t: 'open', id, url, timeoutMs, maxPayload });
    });
  };

  wanted(pairs: [string, string[]][]): void {
    this.#post({ t: 'wanted', pairs });
  }

  /** Writes what waits, ends the worker once its output is written; resolves when it has exited. */
  async end(): Promise<void> {
    this.#ending = true;
    this.#flush();
    this.#post({ t: 'end' });
    await this.#exited;
  }

  #post(msg: ToWorker): void {
    this.#worker.postMessage(msg);
  }

  #out(item: OutItem): void {
    this.#batch.push(item);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#batch.length === 0) return;
    const items = this.#batch;
    this.#batch = [];
    this.#post({ t: 'out', items });
  };

  /** Acknowledges handed-over frames once their output is posted and the session's dispatcher holds nothing. */
  readonly #ack = (): void => {
    if (this.#session !== undefined && !this.#session.realIdle) {
      setImmediate(this.#ack);
      return;
    }
    this.#acking = false;
    for (const seq of this.#unacked) this.#batch.push(['a', seq]);
    this.#unacked = [];
    this.#flush();
  };

  #onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'frame':
        this.#sockets.get(m.id)?.emit('message', m.text);
        if (m.seq > 0) {
          this.#unacked.push(m.seq);
          if (!this.#acking) {
            this.#acking = true;
            // After this turn's microtasks: output that a frame's promises raise is then posted.
            setImmediate(this.#ack);
          }
        }
        return;
      case 'seen': {
        this.#session?.countRelayed(m.frames, m.entries);
        const r = m.remember;
        for (let i = 0; i < r.length; i += 3) this.#real?.remember(r[i]!, r[i + 1]!, r[i + 2]!);
        return;
      }
      case 'opened': {
        const ws = new RelayedSocket(m.id, (msg) => this.#post(msg));
        ws.readyState = OPEN;
        this.#sockets.set(m.id, ws);
        this.#settleOpen(m.id)?.resolve(ws as unknown as WebSocket);
        return;
      }
      case 'failed':
        this.#settleOpen(m.id)?.reject(m.http ? new HttpError(m.message, { status: m.status }) : new NetworkError(m.message));
        return;
      case 'closed': {
        const ws = this.#sockets.get(m.id);
        this.#sockets.delete(m.id);
        if (ws === undefined) return;
        ws.readyState = CLOSED;
        ws.emit('close', m.code, m.reason);
        return;
      }
      case 'error':
        this.#sockets.get(m.id)?.emit('error', Object.assign(new Error(m.message), { code: m.code }));
        return;
      case 'readerGone':
        // The reader of stdout went away (EPIPE): the end it asked for, 0 as without the worker (src/cli/main.ts).
        process.exit(0);
    }
  }

  #settleOpen(id: number): { resolve(ws: WebSocket): void; reject(e: Error): void } | undefined {
    const waiter = this.#opening.get(id);
    this.#opening.delete(id);
    return waiter;
  }
}

/**
 * Test harness for the WebSocket side: a small fake EmulatorState and token store, a bare
 * http.Server with attachWebSocket on loopback, and a raw `ws` client that queues frames.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'eventemitter3';
import WebSocket from 'ws';
import type { EmulatorContext, TokenCheck } from '../../src/emulator/context.js';
import type { EmulatorStateEvents, Quote, StockInfo, EmulatorState } from '../../src/emulator/types.js';
import { attachWebSocket, type WsSide, type WsSideOptions } from '../../src/emulator/ws/index.js';

const STOCKS: StockInfo[] = [
  { code: '000660', name: 'SK하이닉스', market: '0', listed: 728_002_365, faceValue: 5000, prevClose: 180_000 },
  { code: '005930', name: '삼성전자', market: '0', listed: 5_969_782_550, faceValue: 5000, prevClose: 60_300 },
  { code: '035720', name: '카카오', market: '0', listed: 444_000_000, faceValue: 100, prevClose: 40_000 },
  { code: '069500', name: 'KODEX 200', market: '8', listed: 100_000_000, faceValue: 0, prevClose: 35_000 },
  { code: '247540', name: '에코프로비엠', market: '10', listed: 97_801_344, faceValue: 500, prevClose: 250_000 },
  { code: '57JBHH', name: '한국JBHH삼성전자콜', market: '3', listed: 10_000_000, faceValue: 0, prevClose: 450 },
];

function book(price: number, dir: 1 | -1): number[] {
  return Array.from({ length: 10 }, (_, k) => price + dir * (k + (dir === 1 ? 1 : 0)) * 100);
}

/** A deterministic little market: tick() moves a stock up, down, up, down, ... by 100 won. */
export class FakeState extends EventEmitter<EmulatorStateEvents> implements EmulatorState {
  readonly seed = 1;
  mode: 'prod' | 'mock' = 'prod';
  readonly master = STOCKS;
  readonly quotes = new Map<string, Quote>();
  clock = '101500';
  private n = 0;

  constructor() {
    super();
    for (const s of STOCKS) {
      this.quotes.set(s.code, {
        code: s.code,
        price: s.prevClose,
        prevClose: s.prevClose,
        open: s.prevClose,
        high: s.prevClose,
        low: s.prevClose,
        upperLimit: Math.round(s.prevClose * 1.3),
        lowerLimit: Math.round(s.prevClose * 0.7),
        volume: 1000,
        value: 1000 * s.prevClose,
        lastQty: 0,
        time: this.clock,
        askPrices: book(s.prevClose, 1),
        askQtys: Array.from({ length: 10 }, (_, k) => 100 + k),
        bidPrices: book(s.prevClose, -1),
        bidQtys: Array.from({ length: 10 }, (_, k) => 200 + k),
      });
    }
  }

  stock(code: string): StockInfo | undefined {
    return STOCKS.find((s) => s.code === code);
  }

  quote(code: string): Quote | undefined {
    return this.quotes.get(code);
  }

  /** Sets a stock's price (and emits 'trade'), for condition tests. */
  setPrice(code: string, price: number, qty = 10): Quote {
    const q = this.quotes.get(code)!;
    q.price = price;
    q.high = Math.max(q.high, price);
    q.low = Math.min(q.low, price);
    q.volume += Math.abs(qty);
    q.value += Math.abs(qty) * price;
    q.lastQty = qty;
    q.time = this.clock;
    this.emit('trade', q);
    return q;
  }

  tick(code: string): Quote {
    const q = this.quotes.get(code)!;
    this.n++;
    const up = this.n % 2 === 1;
    return this.setPrice(code, q.prevClose + (up ? 100 : -100), up ? 7 : -5);
  }

  now(): string {
    return this.clock;
  }
}

export const APPKEY = 'test-appkey';
export const ACCOUNT = '8123456711';
export const TOKEN = 'good-token';
export const OTHER_TOKEN = 'good-token-2';

export interface Harness {
  ctx: EmulatorContext;
  state: FakeState;
  side: WsSide;
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { realRate?: number; pingIntervalMs?: number; ws?: WsSideOptions; mode?: 'prod' | 'mock' } = {},
): Promise<Harness> {
  const state = new FakeState();
  state.mode = opts.mode ?? 'prod';
  const tokens: Record<string, TokenCheck> = {
    [TOKEN]: { ok: true, appkey: APPKEY, account: ACCOUNT },
    [OTHER_TOKEN]: { ok: true, appkey: APPKEY, account: ACCOUNT },
    'other-app-token': { ok: true, appkey: 'other-app', account: '8999999911' },
    'expired-token': { ok: false, reason: 'expired' },
  };
  const ctx: EmulatorContext = {
    state,
    tokens: { verify: (t) => tokens[t] ?? { ok: false, reason: 'unknown' } },
    options: { seed: 1, mode: state.mode, realRate: opts.realRate ?? 0, pingIntervalMs: opts.pingIntervalMs ?? 60_000 },
    stats: { requests: 0, rateLimited: 0, byApiId: {}, orders: 0, tokensIssued: 0, realFrames: 0, realEntries: 0, wsSessions: 0, wsLogins: 0, wsRefusals: {} },
    wsFaults: { garbleFrames: 0, stallUntil: 0, rejectLogins: 0 },
  };
  const server = createServer((_req, res) => res.writeHead(404).end());
  const side = attachWebSocket(server, ctx, opts.ws ?? {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ctx,
    state,
    side,
    server,
    url: `ws://127.0.0.1:${port}/api/dostk/websocket`,
    async close() {
      await side.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Frame = Record<string, unknown> & { trnm?: string };

/** A raw client that keeps every frame it receives; `next` waits for a matching one. */
export class Client {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  /** Frames that arrived as binary WebSocket messages (Kiwoom sends text only). */
  binaryFrames = 0;
  private readonly waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  readonly closed: Promise<{ code: number }>;
  autoPong = true;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames++;
      const text = data.toString();
      this.raw.push(text);
      let f: Frame;
      try {
        f = JSON.parse(text) as Frame;
      } catch {
        return;
      }
      if (f.trnm === 'PING' && this.autoPong) ws.send(text);
      this.frames.push(f);
      const w = this.waiters.find((x) => x.match(f));
      if (w) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(f);
      }
    });
  }

  static async connect(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const c = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }

  /** Connects and logs in, resolving after the LOGIN ack. */
  static async login(url: string, token = TOKEN): Promise<Client> {
    const c = await Client.connect(url);
    const ack = c.next((f) => f.trnm === 'LOGIN');
    c.send({ trnm: 'LOGIN', token });
    const f = await ack;
    if (f['return_code'] !== 0) throw new Error(`login failed: ${JSON.stringify(f)}`);
    return c;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The first frame (already received or next) matching; rejects after `ms`. */
  next(match: (f: Frame) => boolean, ms = 3000): Promise<Frame> {
    const have = this.frames.find(match);
    if (have) {
      this.frames.splice(this.frames.indexOf(have), 1);
      return Promise.resolve(have);
    }
    return new Promise((resolve, reject) => {
      const w = { match, resolve: (f: Frame) => (clearTimeout(t), this.frames.splice(this.frames.indexOf(f), 1), resolve(f)) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no matching frame within ${ms} ms; got ${this.raw.slice(-5).join(' | ')}`));
      }, ms);
      this.waiters.push(w);
    });
  }

  /** Sends a request and waits for the reply with the same trnm. */
  async request(msg: Frame): Promise<Frame> {
    const reply = this.next((f) => f.trnm === msg.trnm);
    this.send(msg);
    return reply;
  }

  close(): void {
    this.ws.terminate();
  }
}

export type RealEntry = { type: string; name: string; item: string; values: Record<string, string> };

export const realOf = (f: Frame): RealEntry[] => (f['data'] as RealEntry[]) ?? [];
export const isReal = (type: string, item?: string) => (f: Frame): boolean =>
  f.trnm === 'REAL' && realOf(f).some((e) => e.type === type && (item === undefined || e.item === item));

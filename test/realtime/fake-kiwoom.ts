/**
 * A small Kiwoom-like WebSocket server on loopback for the session's tests: it checks LOGIN
 * tokens, tracks REG/REMOVE per socket, answers condition requests, and lets a test push
 * frames, drop sockets, kick or refuse logins. Independent of the emulator on purpose, so that
 * each protocol rule can be driven exactly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { RealtimeSession } from '../../src/realtime/index.js';

export interface FakeConn {
  ws: WebSocket;
  loggedIn: boolean;
  token: string | undefined;
  /** grp → item → types, as this socket registered them. */
  regs: Map<string, Map<string, Set<string>>>;
  realtimeConds: Set<string>;
  /** Every text frame received, in order. */
  received: string[];
  closed: boolean;
}

export interface FakeOptions {
  validTokens?: string[];
  /** [seq, name] pairs for CNSRLST. */
  conditions?: [string, string][];
  /** One-shot and initial real-time results per seq (codes without 'A'). */
  results?: Record<string, string[]>;
  /** Rows per CNSRREQ one-shot page. */
  pageSize?: number;
  maxItemsPerReg?: number;
}

export interface FakeKiwoom {
  wsUrl: string;
  conns: FakeConn[];
  /** Connections that completed LOGIN and are open. */
  live(): FakeConn[];
  last(): FakeConn;
  /** Send a frame (object or raw text) to every logged-in socket. */
  push(frame: unknown): void;
  /** Terminate every socket (a network drop). */
  drop(): void;
  /** SYSTEM R10001, then close. */
  kick(): void;
  system(code: string, message: string): void;
  /** Leave the next n requests of this trnm unanswered. */
  swallow(trnm: string, n: number): void;
  /** Drop the socket (a network loss) on each of the next n requests of this trnm, unanswered. */
  dropOn(trnm: string, n: number): void;
  validTokens: Set<string>;
  results: Record<string, string[]>;
  /** Count of LOGIN frames received over all sockets. */
  logins(): number;
  /** Every frame of a trnm received over all sockets. */
  receivedOf(trnm: string): Record<string, unknown>[];
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const REAL_0B = (item: string, price: string): Record<string, unknown> => ({
  trnm: 'REAL',
  data: [{ type: '0B', name: '주식체결', item, values: { '10': price, '20': '093000', '15': '+10' } }],
});

export async function startFake(options: FakeOptions = {}): Promise<FakeKiwoom> {
  const validTokens = new Set(options.validTokens ?? ['tok-1']);
  const conditions = options.conditions ?? [['0', '조건1'], ['1', '조건2'], ['2', '조건3']];
  const results: Record<string, string[]> = options.results ?? {};
  const pageSize = options.pageSize ?? 50;
  const maxItems = options.maxItemsPerReg ?? 100;
  const conns: FakeConn[] = [];
  const swallowed = new Map<string, number>();
  const dropping = new Map<string, number>();
  const server: Server = createServer();
  const wss = new WebSocketServer({ server, path: '/api/dostk/websocket' });

  const send = (c: FakeConn, obj: unknown): void => {
    if (!c.closed) c.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  };

  wss.on('connection', (ws) => {
    const c: FakeConn = { ws, loggedIn: false, token: undefined, regs: new Map(), realtimeConds: new Set(), received: [], closed: false };
    conns.push(c);
    ws.on('close', () => (c.closed = true));
    ws.on('message', (data) => {
      const text = data.toString();
      c.received.push(text);
      const msg = JSON.parse(text) as Record<string, unknown>;
      if (!c.loggedIn && msg['trnm'] !== 'LOGIN') {
        send(c, { trnm: 'SYSTEM', code: 'R10004', message: '접속허용요청(토큰)이 들어오지 않았습니다' });
        ws.close();
        return;
      }
      const drops = dropping.get(String(msg['trnm'])) ?? 0;
      if (drops > 0) {
        dropping.set(String(msg['trnm']), drops - 1);
        ws.terminate();
        return;
      }
      const left = swallowed.get(String(msg['trnm'])) ?? 0;
      if (left > 0) {
        swallowed.set(String(msg['trnm']), left - 1);
        return;
      }
      switch (msg['trnm']) {
        case 'LOGIN': {
          const token = String(msg['token']);
          if (!validTokens.has(token)) {
            send(c, {
              trnm: 'LOGIN',
              return_code: 805004,
              return_msg: '토큰 인증에 실패했습니다. 접속을 종료합니다 [CODE=8005, MESSAGE=Token이 유효하지 않습니다]',
            });
            ws.close();
            return;
          }
          c.loggedIn = true;
          c.token = token;
          send(c, { trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' });
          return;
        }
        case 'REG':
        case 'REMOVE': {
          const grp = String(msg['grp_no']);
          const blocks = msg['data'] as { item: string[]; type: string[] }[];
          const tooMany = blocks.some((b) => b.item.length > maxItems);
          const bad = blocks.some((b) => b.item.includes('999999'));
          if (tooMany || bad) {
            send(c, { trnm: msg['trnm'], return_code: 1, return_msg: tooMany ? '등록 종목수 초과' : '종목코드 오류' });
            return;
          }
          if (msg['trnm'] === 'REG' && msg['refresh'] === '0') c.regs.delete(grp);
          let book = c.regs.get(grp);
          if (!book) c.regs.set(grp, (book = new Map()));
          for (const b of blocks) {
            for (const item of b.item) {
              let set = book.get(item);
              if (!set) book.set(item, (set = new Set()));
              for (const t of b.type) {
                if (msg['trnm'] === 'REG') set.add(t);
                else set.delete(t);
              }
              if (set.size === 0) book.delete(item);
            }
          }
          if (book.size === 0) c.regs.delete(grp);
          send(c, { trnm: msg['trnm'], return_code: 0, return_msg: '' });
          return;
        }
        case 'CNSRLST':
          send(c, { trnm: 'CNSRLST', return_code: 0, return_msg: '', data: conditions });
          return;
        case 'CNSRREQ': {
          const seq = String(msg['seq']);
          const codes = results[seq] ?? [];
          if (msg['search_type'] === '1') {
            if (!c.realtimeConds.has(seq) && c.realtimeConds.size >= 10) {
              send(c, { trnm: 'CNSRREQ', seq, return_code: 1, return_msg: '실시간 조건검색 개수 초과' });
              return;
            }
            c.realtimeConds.add(seq);
            send(c, { trnm: 'CNSRREQ', seq, return_code: 0, data: codes.map((code) => ({ jmcode: `A${code}` })) });
            return;
          }
          const start = msg['cont_yn'] === 'Y' ? Number(msg['next_key']) : 0;
          const page = codes.slice(start, start + pageSize);
          const more = start + pageSize < codes.length;
          send(c, {
            trnm: 'CNSRREQ',
            seq: `${seq}  `,
            cont_yn: more ? 'Y' : 'N',
            next_key: more ? String(start + pageSize) : '',
            return_code: 0,
            data: page.map((code) => ({ '9001': `A${code}`, '302': '종목', '10': '000021850' })),
          });
          return;
        }
        case 'CNSRCLR': {
          const seq = String(msg['seq']);
          c.realtimeConds.delete(seq);
          send(c, { trnm: 'CNSRCLR', seq, return_code: 0, return_msg: '' });
          return;
        }
        default:
          return; // PING echoes and anything else are only recorded
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const live = (): FakeConn[] => conns.filter((c) => c.loggedIn && !c.closed);

  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    conns,
    live,
    last: () => {
      const c = conns.at(-1);
      if (!c) throw new Error('no connection yet');
      return c;
    },
    push: (frame) => {
      for (const c of live()) send(c, frame);
    },
    drop: () => {
      for (const c of conns) if (!c.closed) c.ws.terminate();
    },
    kick: () => {
      for (const c of live()) {
        send(c, { trnm: 'SYSTEM', code: 'R10001', message: '동일한 App key로 접속이 되었습니다. 기존 세션은 종료가 됩니다' });
        c.ws.close();
      }
    },
    system: (code, message) => {
      for (const c of live()) send(c, { trnm: 'SYSTEM', code, message });
    },
    swallow: (trnm, n) => void swallowed.set(trnm, n),
    dropOn: (trnm, n) => void dropping.set(trnm, n),
    validTokens,
    results,
    logins: () => conns.reduce((n, c) => n + c.received.filter((t) => t.includes('"LOGIN"')).length, 0),
    receivedOf: (trnm) =>
      conns.flatMap((c) => c.received.map((t) => JSON.parse(t) as Record<string, unknown>).filter((m) => m['trnm'] === trnm)),
    waitFor: async (pred, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: async () => {
      for (const c of conns) if (!c.closed) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Polls `pred` on real turns of the event loop: for tests that fake setTimeout, where
 * FakeKiwoom.waitFor (which sleeps on it) would never wake.
 */
export async function until(pred: () => boolean, ms = 3_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!pred()) {
    if (performance.now() > deadline) throw new Error('until: condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * A session against `fake` that reconnects fast (5 ms back-off, at most `maxDelayMs`), with
 * `extra` on top; the caller closes it.
 */
export function sessionOn(
  fake: FakeKiwoom,
  extra: Partial<ConstructorParameters<typeof RealtimeSession>[0]> = {},
  tokens: ReturnType<typeof fakeTokens> = fakeTokens(),
  maxDelayMs = 50,
): RealtimeSession {
  return new RealtimeSession({ rest: tokens, wsUrl: fake.wsUrl, reconnect: { initialDelayMs: 5, maxDelayMs }, ...extra });
}

/** A token source like KiwoomRest's: hands out `tokens` in order as each is invalidated. */
export function fakeTokens(tokens: string[] = ['tok-1']): {
  simNo: number;
  baseUrl: undefined;
  token(): Promise<string>;
  invalidateToken(token?: string): void;
  invalidated: (string | undefined)[];
  issued: number;
  invalidations: number;
} {
  let i = 0;
  return {
    simNo: 0,
    baseUrl: undefined,
    issued: 0,
    invalidations: 0,
    invalidated: [],
    async token() {
      this.issued++;
      return tokens[Math.min(i, tokens.length - 1)] ?? '';
    },
    invalidateToken(token?: string) {
      this.invalidations++;
      this.invalidated.push(token);
      i++;
    },
  };
}

/** Plain copy of a connection's registrations, for comparison with `rt.subscriptions()`. */
export function regsOf(c: FakeConn): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [grp, book] of c.regs) {
    const items: Record<string, string[]> = {};
    for (const [item, types] of book) items[item] = [...types].sort();
    out[grp] = items;
  }
  return out;
}

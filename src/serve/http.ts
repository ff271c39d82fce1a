/**
 * The local control API (`kiwoom-compat serve --http`): a small HTTP server in front of one
 * logged-in APIServer, for scripts and dashboards that want a quote, an order, the balance or
 * the open orders without speaking the OCX. Loopback only unless asked otherwise; every request
 * carries the bearer token printed at start. Token renewal with Kiwoom is automatic (the
 * REST client refreshes before expiry), so nothing needs the daily restart legacy servers had.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { ValidationError } from '../errors.js';
import { isLoopback } from '../hosts.js';
import { opErrorForCategory } from '../compat/op-errors.js';
import type { Ctx, Handler } from './handler.js';
import { OcxCallError, query, type ServeApi } from './ocx.js';
import { cancelOrder, modifyOrder, openOrders, orderStatus, placeOrder } from './orders.js';

/** Options of {@link startServe}. */
export interface ServeOptions {
  api: ServeApi;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Required to bind anything but a loopback address. */
  allowRemote?: boolean;
  /** The bearer token; default 32 random bytes, hex. */
  token?: string;
  /** Where the orders go, stated on every order answer (`emulator`, `mock`, `production`). */
  domain: string;
  /** Screen numbers used for the control API's own requests. */
  screen?: string;
  /** Connections served at once; more are closed as they come (default 64). */
  maxConnections?: number;
  /**
   * A connection must deliver a request's headers within this long of opening (or of its last
   * answer), and a body within it of the headers, or it is closed (default 10,000 ms).
   */
  headersTimeoutMs?: number;
}

/** A running control API. */
export interface ServeHandle {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Largest request body read. */
const MAX_BODY = 64 * 1024;

/** The OCX codes a refusal of the caller's input becomes, for queries and for orders. */
const INPUT_CODES = new Set([opErrorForCategory('input', 'query'), opErrorForCategory('input', 'order')]);

/** Starts the control API. @throws ValidationError for a non-loopback host without allowRemote. */
export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.allowRemote !== true) {
    throw new ValidationError(`host ${host} is not a loopback address: the control API places orders, so binding it beyond this machine needs --allow-remote`, { field: 'host' });
  }
  const token = options.token ?? randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
  const ctx: Ctx = {
    api: options.api,
    domain: options.domain,
    screen: options.screen ?? '9100',
    accno: () => options.api.GetLoginInfo('ACCNO').split(';')[0] ?? '',
    readBody: (req) => readBody(req, headersTimeoutMs),
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
  });
  server.maxConnections = options.maxConnections ?? 64;
  // Node's own headersTimeout never fires for a connection that sends nothing (or part of a
  // request line), so each connection gets a deadline for its next request's headers.
  server.on('connection', (socket: Socket) => armHeadersDeadline(socket, headersTimeoutMs));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    clearHeadersDeadline(req.socket);
    res.once('finish', () => armHeadersDeadline(req.socket, headersTimeoutMs));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.setHeader('www-authenticate', 'Bearer');
      send(res, 401, { error: 'missing or wrong bearer token (Authorization: Bearer <token printed at start>)' });
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    for (const [method, pattern, handler] of ROUTES) {
      const m = pattern.exec(path);
      if (m !== null && req.method === method) {
        const params = decodeAll(m.slice(1));
        if (params === undefined) {
          send(res, 400, { error: `malformed percent-escape in the path ${path}`, field: 'path' });
          return;
        }
        try {
          const [status, body, headers] = await handler(req, params, ctx);
          send(res, status, body, headers);
        } catch (err) {
          if (!(err instanceof OcxCallError)) throw err;
          // Refused as given (bad code, bad input): 400; anything else the backend did: 502.
          send(res, INPUT_CODES.has(err.code) ? 400 : 502, { ret: err.code, error: err.message });
        }
        return;
      }
    }
    send(res, 404, { error: `no route ${req.method ?? ''} ${path}`, routes: ROUTES.map(([m, p]) => `${m} ${routeText(p)}`) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const deadlines = new WeakMap<Socket, NodeJS.Timeout>();

function armHeadersDeadline(socket: Socket, ms: number): void {
  clearHeadersDeadline(socket);
  const timer = setTimeout(() => socket.destroy(), ms);
  timer.unref();
  deadlines.set(socket, timer);
  socket.once('close', () => clearHeadersDeadline(socket));
}

function clearHeadersDeadline(socket: Socket): void {
  clearTimeout(deadlines.get(socket));
  deadlines.delete(socket);
}

/** Percent-decoded path segments, or undefined when one has a malformed escape (`%E0%A4%A`). */
function decodeAll(segments: string[]): string[] | undefined {
  try {
    return segments.map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

/** A number from an OCX string (`"+0071200"` → 71200, signs kept for changes). */
const num = (s: string): number => Number(s.trim().replace(/^\+/, '')) || 0;
const abs = (s: string): number => Math.abs(num(s));

const price: Handler = async (_req, [code = ''], { api, screen }) => {
  if (!/^[0-9A-Z]{6}(_NX|_AL)?$/.test(code)) return [400, { error: `code must be a 6-character stock code, got "${code}"`, field: 'code' }];
  const quote = await query(api, 'opt10001', { 종목코드: code }, screen, (rq) => {
    const get = (item: string): string => api.GetCommData('opt10001', rq, 0, item).trim();
    return { code, name: get('종목명'), price: abs(get('현재가')), change: num(get('전일대비')), rate: num(get('등락율')), volume: abs(get('거래량')) };
  });
  return [200, quote];
};

const balance: Handler = async (_req, _p, { api, screen, accno }) => {
  const inputs = { 계좌번호: accno(), 비밀번호: '', 비밀번호입력매체구분: '00', 조회구분: '1' };
  const body = await query(api, 'opw00018', inputs, screen, (rq) => {
    const get = (i: number, item: string): string => api.GetCommData('opw00018', rq, i, item).trim();
    const holdings = Array.from({ length: api.GetRepeatCnt('opw00018', rq) }, (_v, i) => ({
      code: get(i, '종목번호').replace(/^A/, ''),
      name: get(i, '종목명'),
      qty: abs(get(i, '보유수량')),
      avgPrice: abs(get(i, '매입가')),
      price: abs(get(i, '현재가')),
      value: abs(get(i, '평가금액')),
      pnl: num(get(i, '평가손익')),
      rate: num(get(i, '수익률(%)')),
    }));
    return { account: accno(), totalPurchase: abs(get(0, '총매입금액')), totalValue: abs(get(0, '총평가금액')), totalPnl: num(get(0, '총평가손익금액')), holdings };
  });
  return [200, body];
};

/** A route pattern as a person writes it: `/^\/price\/(?<code>[^/]+)$/` → `/price/:code`. */
export function routeText(pattern: RegExp): string {
  return pattern.source
    .replace(/^\^|\$$/g, '')
    .replace(/\((?:\?<(\w+)>)?[^)]*\)/g, (_m, name: string | undefined) => `:${name ?? 'param'}`)
    .replaceAll('\\/', '/');
}

const ROUTES: readonly [string, RegExp, Handler][] = [
  ['GET', /^\/price\/(?<code>[^/]+)$/, price],
  ['GET', /^\/balance$/, balance],
  ['GET', /^\/orders$/, openOrders],
  ['POST', /^\/orders$/, placeOrder],
  ['GET', /^\/orders\/(?<id>[^/]+)$/, orderStatus],
  ['DELETE', /^\/orders\/(?<orderNo>\d{1,10})$/, cancelOrder],
  ['PATCH', /^\/orders\/(?<orderNo>\d{1,10})$/, modifyOrder],
];

/** The body as text: at most {@link MAX_BODY} bytes, within `ms`; else the connection is closed. */
async function readBody(req: IncomingMessage, ms: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => req.socket.destroy(), ms);
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        req.socket.destroy();
        throw new Error('body too large');
      }
      chunks.push(chunk as Buffer);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

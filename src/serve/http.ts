/**
 * The local control API (`kiwoom-compat serve --http`): a small HTTP server in front of one
 * logged-in APIServer, for scripts and dashboards that want a quote, an order, the balance or
 * the open orders without speaking the OCX. Loopback only unless asked otherwise; every request
 * carries the bearer token printed at start. Token renewal with Kiwoom is automatic (the
 * REST client refreshes before expiry), so nothing needs the daily restart legacy servers had.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '../errors.js';
import { opErrorForCategory } from '../compat/op-errors.js';
import { OcxCallError, order, query, type ServeApi } from './ocx.js';

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
}

/** A running control API. */
export interface ServeHandle {
  url: string;
  token: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, params: string[], ctx: Ctx) => Promise<[number, unknown]>;
interface Ctx {
  api: ServeApi;
  domain: string;
  screen: string;
  accno: () => string;
}

/** The OCX codes a refusal of the caller's input becomes, for queries and for orders. */
const INPUT_CODES = new Set([opErrorForCategory('input', 'query'), opErrorForCategory('input', 'order')]);

/** Whether an address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Starts the control API. @throws ValidationError for a non-loopback host without allowRemote. */
export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.allowRemote !== true) {
    throw new ValidationError(`host ${host} is not a loopback address: the control API places orders, so binding it beyond this machine needs --allow-remote`, { field: 'host' });
  }
  const token = options.token ?? randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const ctx: Ctx = { api: options.api, domain: options.domain, screen: options.screen ?? '9100', accno: () => options.api.GetLoginInfo('ACCNO').split(';')[0] ?? '' };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
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
        try {
          const [status, body] = await handler(req, m.slice(1).map(decodeURIComponent), ctx);
          send(res, status, body);
        } catch (err) {
          if (!(err instanceof OcxCallError)) throw err;
          // Refused as given (bad code, bad input): 400; anything else the backend did: 502.
          send(res, INPUT_CODES.has(err.code) ? 400 : 502, { ret: err.code, error: err.message });
        }
        return;
      }
    }
    send(res, 404, { error: `no route ${req.method ?? ''} ${path}`, routes: ROUTES.map(([m, p]) => `${m} ${p.source}`) });
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

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
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

const openOrders: Handler = async (_req, _p, { api, screen, accno }) => {
  const inputs = { 계좌번호: accno(), 전체종목구분: '0', 매매구분: '0', 종목코드: '' };
  const orders = await query(api, 'opt10075', inputs, screen, (rq) =>
    Array.from({ length: api.GetRepeatCnt('opt10075', rq) }, (_v, i) => {
      const get = (item: string): string => api.GetCommData('opt10075', rq, i, item).trim();
      return { orderNo: get('주문번호'), code: get('종목코드'), name: get('종목명'), side: get('주문구분'), qty: abs(get('주문수량')), price: abs(get('주문가격')), openQty: abs(get('미체결수량')), status: get('주문상태') };
    }),
  );
  return [200, { account: accno(), orders }];
};

const SIDES: Readonly<Record<string, number>> = { buy: 1, sell: 2 };

const placeOrder: Handler = async (req, _p, { api, screen, accno, domain }) => {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
  } catch {
    return [400, { error: 'the body must be a JSON object: {"side":"buy","code":"005930","qty":1,"price":0,"hoga":"03"}', field: 'body' }];
  }
  const orderType = typeof body.orderType === 'number' ? body.orderType : typeof body.side === 'string' ? SIDES[body.side] : undefined;
  if (orderType === undefined) return [400, { error: 'give "side" ("buy" or "sell") or "orderType" (1..6, as SendOrder\'s nOrderType)', field: 'side' }];
  for (const [field, type] of [['code', 'string'], ['qty', 'number']] as const) {
    if (typeof body[field] !== type) return [400, { error: `"${field}" must be a ${type}`, field }];
  }
  const args = {
    accno: typeof body.accno === 'string' ? body.accno : accno(),
    orderType,
    code: body.code as string,
    qty: body.qty as number,
    price: typeof body.price === 'number' ? body.price : 0,
    hoga: typeof body.hoga === 'string' ? body.hoga : body.price === undefined || body.price === 0 ? '03' : '00',
    orgOrderNo: typeof body.orgOrderNo === 'string' ? body.orgOrderNo : '',
  };
  try {
    const { orderNo, message } = await order(api, args, screen);
    return [201, { ret: 0, orderNo, message, domain }];
  } catch (err) {
    if (err instanceof OcxCallError) return [400, { ret: err.code, error: err.message, domain }];
    throw err;
  }
};

const ROUTES: readonly [string, RegExp, Handler][] = [
  ['GET', /^\/price\/([^/]+)$/, price],
  ['GET', /^\/balance$/, balance],
  ['GET', /^\/orders$/, openOrders],
  ['POST', /^\/orders$/, placeOrder],
];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The local control API (`kiwoom-compat serve --http`): a small HTTP server in front of one
 * logged-in APIServer, for scripts and dashboards that want a quote, an order, the balance or
 * the open orders without speaking the OCX, and a page at `/` for a person (quotes, positions,
 * open orders, the last events, live). Loopback only unless asked otherwise; every request
 * carries the bearer token printed at start, or the session cookie the page's login gives.
 * Token renewal with Kiwoom is automatic (the REST client refreshes before expiry), so nothing
 * needs the daily restart legacy servers had.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { ValidationError } from '../errors.js';
import { isLoopback } from '../hosts.js';
import { opErrorForCategory } from '../compat/op-errors.js';
import { Auth } from './auth.js';
import type { Ctx, Handler } from './handler.js';
import { LiveFeed, type LiveFeedOptions } from './live.js';
import { OcxCallError, type ServeApi } from './ocx.js';
import { cancelOrder, modifyOrder, openOrders, orderStatus, placeOrder } from './orders.js';
import { Page } from './page.js';
import { readBalance, readQuote, STOCK_CODE } from './queries.js';

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
  /** Codes whose trades the page shows from the start (more can be added from the page). */
  watch?: readonly string[];
  /** The page's live feed: refresh and heartbeat periods, events kept, the stream bound. */
  live?: Partial<Pick<LiveFeedOptions, 'accountRefreshMs' | 'heartbeatMs' | 'maxEvents' | 'maxBufferedBytes'>>;
  /** A page login lasts this long (default 12 hours). */
  sessionMs?: number;
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
  const headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
  const page = await Page.load();
  const server = createServer();
  server.maxConnections = options.maxConnections ?? 64;
  // An idle kept-alive connection is closed at the header deadline; advertising no longer a
  // keep-alive (the Keep-Alive header) lets a client stop reusing it first instead of racing
  // its next request against the close (ECONNRESET on a POST, which is never retried).
  server.keepAliveTimeout = Math.min(server.keepAliveTimeout, headersTimeoutMs);
  // Node's own headersTimeout never fires for a connection that sends nothing (or part of a
  // request line), so each connection gets a deadline for its next request's headers.
  server.on('connection', (socket: Socket) => {
    armHeadersDeadline(socket, headersTimeoutMs);
    socket.once('close', () => clearHeadersDeadline(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    clearHeadersDeadline(req.socket);
    res.once('finish', () => armHeadersDeadline(req.socket, headersTimeoutMs));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const accno = (): string => options.api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
  const screen = options.screen ?? '9100';
  // Browsers keep cookies per host, not per port: each server's session cookie has its own name.
  const auth = new Auth({ token, cookieName: `kiwoom_compat_${port}`, ...(options.sessionMs === undefined ? {} : { sessionMs: options.sessionMs }) });
  const live = new LiveFeed({ api: options.api, domain: options.domain, accno, screen, watchScreen: String(Number(screen) + 10), ...options.live });
  const ctx: Ctx = { api: options.api, domain: options.domain, screen, accno, live, readBody: (req) => readBody(req, headersTimeoutMs) };
  const close = async (): Promise<void> => {
    await live.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path === '/login') {
      const session = auth.login(new URLSearchParams(await ctx.readBody(req)).get('token') ?? '');
      if (session === undefined) page.login(res, 401, true);
      else redirectHome(res, auth.cookie(session));
      return;
    }
    const access = auth.check(req);
    if (access === 'foreign-origin') {
      send(res, 403, { error: 'a request carrying the page\'s session cookie must come from the page itself (its Origin header)' });
      return;
    }
    if (access === 'none') {
      const headers = { 'www-authenticate': 'Bearer' };
      if (req.method === 'GET' && path === '/') page.login(res, 401, false, headers);
      else send(res, 401, { error: 'missing or wrong bearer token (Authorization: Bearer <token printed at start>), or log in at /' }, headers);
      return;
    }
    if (req.method === 'GET' && page.has(path)) return page.serve(path, res);
    if (req.method === 'GET' && path === '/events') return live.attach(req, res);
    if (req.method === 'POST' && path === '/logout') {
      auth.logout(req);
      return redirectHome(res, auth.cookie(undefined));
    }
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
    send(res, 404, { error: `no route ${req.method ?? ''} ${path}`, routes: [...PAGE_ROUTES, ...ROUTES.map(([m, p]) => `${m} ${routeText(p)}`)] });
  }

  for (const code of options.watch ?? []) {
    const [status, body] = await live.watch(code);
    if (status !== 200) {
      await close();
      throw new ValidationError(`cannot watch ${code}: ${(body as { error: string }).error}`, { field: 'watch' });
    }
  }
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, token, close };
}

/** After a login or logout: back to the page, with the cookie set or cleared. */
function redirectHome(res: ServerResponse, cookie: string): void {
  res.writeHead(303, { location: '/', 'set-cookie': cookie, 'cache-control': 'no-store' });
  res.end();
}

const deadlines = new WeakMap<Socket, NodeJS.Timeout>();

function armHeadersDeadline(socket: Socket, ms: number): void {
  clearHeadersDeadline(socket);
  const timer = setTimeout(() => socket.destroy(), ms);
  timer.unref();
  deadlines.set(socket, timer);
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

const price: Handler = async (_req, [code = ''], { api, screen }) => {
  if (!STOCK_CODE.test(code)) return [400, { error: `code must be a 6-character stock code, got "${code}"`, field: 'code' }];
  return [200, await readQuote(api, screen, code)];
};

const balance: Handler = async (_req, _p, { api, screen, accno }) => [200, await readBalance(api, screen, accno())];

const watchList: Handler = async (_req, _p, { live }) => [200, live.state()];
const watchCode: Handler = async (_req, [code = ''], { live }) => live.watch(code);
const unwatchCode: Handler = async (_req, [code = ''], { live }) => live.unwatch(code);

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
  ['GET', /^\/watch$/, watchList],
  ['PUT', /^\/watch\/(?<code>[^/]+)$/, watchCode],
  ['DELETE', /^\/watch\/(?<code>[^/]+)$/, unwatchCode],
];

/** The page's own routes, handled before {@link ROUTES}. */
const PAGE_ROUTES = ['GET /', 'POST /login', 'POST /logout', 'GET /events'];

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

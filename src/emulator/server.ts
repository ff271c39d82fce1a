/**
 * The emulator's HTTP side: a node:http server on loopback that reads each request, applies
 * the injected faults, routes `/oauth2/*` and `/api/dostk/*`, and records stats and the
 * request log. The WebSocket side attaches to the same server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { EmulatorStats, RequestLogEntry } from './types.js';
import type { EmulatorStateImpl } from './state/index.js';
import type { TokenStore } from './state/tokens.js';
import { ApiReject, rejectEnvelope, type Envelope } from './rest/envelope.js';
import { issueToken, revokeToken, type AuthDeps } from './rest/auth.js';
import { dispatchTr, type DispatchDeps } from './rest/dispatch.js';
import { SlidingWindow } from './rest/ratelimit.js';

/** Request bodies larger than this are refused (Kiwoom bodies are a few hundred bytes). */
const MAX_BODY = 1 << 20;

/** Keys whose values never reach the request log. */
const SECRET_KEYS = new Set(['appkey', 'secretkey', 'token']);

/** Fault switches of the HTTP side. */
export interface HttpFaults {
  rateLimitNext: number;
  delayMs: number;
  dropNext: number;
}

/** Everything the HTTP side serves from. */
export interface HttpDeps {
  state: EmulatorStateImpl;
  tokens: TokenStore;
  stats: EmulatorStats;
  log: RequestLogEntry[];
  faults: HttpFaults;
  appkey: string;
  secretkey: string;
  perApiId: number;
  global: number;
  /** Entries the request log keeps. */
  logLimit: number;
}

function redact(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '***' : v]));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RangeError('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Creates the HTTP server (not yet listening). */
export function createHttpServer(deps: HttpDeps): Server {
  const dispatchDeps: DispatchDeps = {
    state: deps.state,
    tokens: deps.tokens,
    budgets: new SlidingWindow(deps.state.nowMs),
    perApiId: deps.perApiId,
    global: deps.global,
    forced: deps.faults,
  };
  const authDeps: AuthDeps = {
    appkey: deps.appkey,
    secretkey: deps.secretkey,
    account: deps.state.defaultAccount,
    tokens: deps.tokens,
    nowMs: deps.state.nowMs,
    onIssued: () => deps.stats.tokensIssued++,
  };

  const route = (path: string, req: IncomingMessage, body: unknown): { envelope: Envelope; apiId?: string | undefined; headers: Record<string, string> } => {
    const json = { 'content-type': 'application/json;charset=UTF-8' };
    if (path === '/oauth2/token' || path === '/oauth2/revoke') {
      const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const apiId = path === '/oauth2/token' ? 'au10001' : 'au10002';
      deps.stats.byApiId[apiId] = (deps.stats.byApiId[apiId] ?? 0) + 1;
      try {
        return { envelope: path === '/oauth2/token' ? issueToken(authDeps, b) : revokeToken(authDeps, b), headers: json };
      } catch (err) {
        if (err instanceof ApiReject) return { envelope: rejectEnvelope(err), headers: json };
        throw err;
      }
    }
    if (path.startsWith('/api/dostk/')) {
      const d = dispatchTr(dispatchDeps, { path, headers: req.headers, body });
      if (d.apiId !== undefined) deps.stats.byApiId[d.apiId] = (deps.stats.byApiId[d.apiId] ?? 0) + 1;
      return {
        envelope: d.envelope,
        apiId: d.apiId,
        headers: { ...json, 'api-id': d.apiId ?? '', 'cont-yn': d.contYn, 'next-key': d.nextKey },
      };
    }
    return { envelope: { status: 404, body: { return_code: 2, return_msg: `지원하지 않는 URI입니다. URI=${path}` } }, headers: json };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let text: string;
    try {
      text = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    deps.stats.requests++;
    const body = parseJson(text);
    const apiHeader = req.headers['api-id'];
    const entry: RequestLogEntry = {
      at: Date.now(), path, apiId: typeof apiHeader === 'string' ? apiHeader : undefined, body: redact(body),
      status: 0, returnCode: undefined,
    };
    deps.log.push(entry);
    if (deps.log.length > deps.logLimit) deps.log.splice(0, deps.log.length - deps.logLimit);
    if (deps.faults.dropNext > 0) {
      deps.faults.dropNext--;
      req.socket.destroy();
      return;
    }
    const ordersBefore = deps.state.orders.ledger.length;
    const { envelope, headers } = route(path, req, body);
    deps.stats.orders += deps.state.orders.ledger.length - ordersBefore;
    entry.status = envelope.status;
    const rc = envelope.body.return_code;
    entry.returnCode = typeof rc === 'number' ? rc : undefined;
    if (envelope.status === 429) deps.stats.rateLimited++;
    if (deps.faults.delayMs > 0) {
      await new Promise<void>((r) => setTimeout(r, deps.faults.delayMs).unref());
    }
    if (res.destroyed) return;
    res.writeHead(envelope.status, headers);
    res.end(JSON.stringify(envelope.body));
  };

  return createServer((req, res) => {
    handle(req, res).catch(() => {
      // A handler bug answers 1999 rather than killing the emulator.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify({ return_code: 2, return_msg: '입력 값 오류입니다[1999:예기치 못한 에러가 발생했습니다.]' }));
      }
    });
  });
}

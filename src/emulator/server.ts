/**
 * The emulator's HTTP side: Kiwoom's HTTP protocol ({@link createKiwoomHttpServer}) with the
 * emulator's routes: it applies the injected faults, answers `/oauth2/*` for the demo key and
 * `/api/dostk/*` from the simulated market, and records stats and the request log. The
 * WebSocket side attaches to the same server.
 */
import type { Server } from 'node:http';
import type { EmulatorStats, RequestLogEntry } from './types.js';
import type { EmulatorStateImpl } from './state/index.js';
import type { TokenStore } from './state/tokens.js';
import { answerAuth, type AuthDeps } from './rest/auth.js';
import { dispatchTr, type DispatchDeps } from './rest/dispatch.js';
import { createKiwoomHttpServer, notFound, type Answer, type KiwoomRequest } from './rest/http.js';
import { SlidingWindow } from './rest/ratelimit.js';

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
    accountOf: (appkey, secretkey) => (appkey === deps.appkey && secretkey === deps.secretkey ? deps.state.defaultAccount : undefined),
    tokens: deps.tokens,
    onIssued: () => deps.stats.tokensIssued++,
  };
  const count = (apiId: string): void => {
    deps.stats.byApiId[apiId] = (deps.stats.byApiId[apiId] ?? 0) + 1;
  };

  const route = ({ req, path, body }: KiwoomRequest): Answer => {
    if (path === '/oauth2/token' || path === '/oauth2/revoke') {
      count(path === '/oauth2/token' ? 'au10001' : 'au10002');
      return { envelope: answerAuth(authDeps, path, body) };
    }
    if (path.startsWith('/api/dostk/')) {
      const d = dispatchTr(dispatchDeps, { path, headers: req.headers, body });
      if (d.apiId !== undefined) count(d.apiId);
      return { envelope: d.envelope, headers: { 'api-id': d.apiId ?? '', 'cont-yn': d.contYn, 'next-key': d.nextKey } };
    }
    return notFound(path);
  };

  return createKiwoomHttpServer(async (request) => {
    const { req, path, body } = request;
    deps.stats.requests++;
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
      return undefined;
    }
    const ordersBefore = deps.state.orders.ledger.length;
    const answer = route(request);
    deps.stats.orders += deps.state.orders.ledger.length - ordersBefore;
    const { envelope } = answer;
    entry.status = envelope.status;
    const rc = envelope.body.return_code;
    entry.returnCode = typeof rc === 'number' ? rc : undefined;
    if (envelope.status === 429) deps.stats.rateLimited++;
    if (deps.faults.delayMs > 0) {
      await new Promise<void>((r) => setTimeout(r, deps.faults.delayMs).unref());
    }
    return answer;
  });
}

/**
 * The checks every `/api/dostk/*` request passes, in Kiwoom's order, before its handler runs:
 * api-id (1501/1505/1504), token (1513/1514/8005), budgets (429 with 1700/1701), body (1517),
 * the mock domain's rules (8104/RC9000, KRX only) and required fields (1511).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { getApi, type ApiSpec } from '../../registry/index.js';
import type { EmulatorStateImpl } from '../state/index.js';
import type { TokenStore } from '../state/tokens.js';
import { BusinessReject } from '../state/reject.js';
import { loadEmulatorData } from '../data.js';
import { ApiReject, businessEnvelope, okEnvelope, rejectEnvelope, type Envelope } from './envelope.js';
import type { SlidingWindow } from './ratelimit.js';
import { handlerFor } from './handlers/index.js';

const mockApiReject = loadEmulatorData<{ mockApiReject: Record<string, string> }>('rules').mockApiReject;

/** What the dispatcher needs from the emulator. */
export interface DispatchDeps {
  state: EmulatorStateImpl;
  tokens: TokenStore;
  budgets: SlidingWindow;
  perApiId: number;
  global: number;
  /** Remaining forced 429s (fault injection); the dispatcher decrements it. */
  forced: { rateLimitNext: number };
}

/** A dispatched answer: the envelope and the paging headers. */
export interface Dispatched {
  envelope: Envelope;
  apiId: string | undefined;
  contYn: 'Y' | 'N';
  nextKey: string;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Codes on the KRX-only mock domain may not carry `_NX`/`_AL`, nor orders name NXT/SOR. */
function breaksKrxOnly(body: Record<string, unknown>): boolean {
  const ex = body.dmst_stex_tp;
  if (ex === 'NXT' || ex === 'SOR') return true;
  return Object.entries(body).some(([k, v]) => k.endsWith('stk_cd') && typeof v === 'string' && /_(NX|AL)(\||$)/.test(v));
}

function checkApi(apiId: string | undefined, path: string): ApiSpec {
  if (apiId === undefined || apiId.trim() === '') throw new ApiReject('1501');
  const api = getApi(apiId);
  if (!api || api.transport !== 'rest' || api.category === 'auth') throw new ApiReject('1505', [apiId]);
  if (api.path !== path) throw new ApiReject('1504', [apiId, path]);
  return api;
}

function checkToken(deps: DispatchDeps, headers: IncomingHttpHeaders): string {
  const auth = header(headers, 'authorization');
  if (auth === undefined || auth.trim() === '') throw new ApiReject('1513');
  const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
  if (!m) throw new ApiReject('1514');
  const check = deps.tokens.verify(m[1] as string);
  if (!check.ok) throw new ApiReject('8005');
  return check.account;
}

function checkBudgets(deps: DispatchDeps, apiId: string): void {
  if (!deps.budgets.take('*', deps.global)) throw new ApiReject('1701', [String(deps.global)]);
  if (!deps.budgets.take(apiId, deps.perApiId)) throw new ApiReject('1700', [String(deps.perApiId), apiId]);
}

function checkMock(deps: DispatchDeps, api: ApiSpec, body: Record<string, unknown>): void {
  if (deps.state.mode !== 'mock') return;
  if (api.mock === 'no') {
    const code = mockApiReject[api.id];
    if (code !== undefined) throw new ApiReject(code);
    throw new BusinessReject('notInMock');
  }
  if (breaksKrxOnly(body)) throw new BusinessReject('notInMock');
}

function checkRequired(api: ApiSpec, body: Record<string, unknown>): void {
  const missing = api.request.find((f) => f.required && (body[f.key] === undefined || body[f.key] === null));
  if (missing) throw new ApiReject('1511', [missing.key]);
}

/** Runs the checks and the handler; every refusal becomes its documented envelope. */
export function dispatchTr(
  deps: DispatchDeps,
  req: { path: string; headers: IncomingHttpHeaders; body: unknown },
): Dispatched {
  const apiId = header(req.headers, 'api-id');
  const answer = (envelope: Envelope, nextKey = ''): Dispatched => ({
    envelope, apiId, contYn: nextKey ? 'Y' : 'N', nextKey,
  });
  try {
    if (deps.forced.rateLimitNext > 0) {
      deps.forced.rateLimitNext--;
      throw new ApiReject('1700', [String(deps.perApiId), apiId ?? '']);
    }
    const api = checkApi(apiId, req.path);
    const account = checkToken(deps, req.headers);
    checkBudgets(deps, api.id);
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new ApiReject('1517', ['body', 'JSON 객체가 아닙니다']);
    }
    const body = req.body as Record<string, unknown>;
    checkMock(deps, api, body);
    checkRequired(api, body);
    const contYn = header(req.headers, 'cont-yn') === 'Y';
    const nextKey = contYn ? (header(req.headers, 'next-key') ?? '') : undefined;
    const result = handlerFor(api.id)({ api, body, account, nextKey, state: deps.state });
    return answer(okEnvelope(result.fields, result.message), result.nextKey ?? '');
  } catch (err) {
    if (err instanceof ApiReject) return answer(rejectEnvelope(err));
    if (err instanceof BusinessReject) return answer(businessEnvelope(err.rule));
    throw err;
  }
}

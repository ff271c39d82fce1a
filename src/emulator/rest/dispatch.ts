/**
 * The checks every `/api/dostk/*` request passes, in Kiwoom's order: api-id (1501/1505/1504),
 * token (1513/1514/8005), budgets (429 with 1700/1701), body (1517), the mock domain's rules
 * (8104/RC9000, KRX only) and required fields (1511). {@link checkTr} is the protocol part,
 * shared with the gateway; {@link dispatchTr} adds the emulator's budgets, mock rules and
 * handlers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { getApi, type ApiSpec } from '../../registry/index.js';
import type { TokenVerifier } from '../context.js';
import type { EmulatorStateImpl } from '../state/index.js';
import { BusinessReject } from '../state/reject.js';
import { loadEmulatorData } from '../data.js';
import { ApiReject, businessEnvelope, okEnvelope, rejectEnvelope, type Envelope } from './envelope.js';
import type { SlidingWindow } from './ratelimit.js';
import { handlerFor } from './handlers/index.js';

const mockApiReject = loadEmulatorData<{ mockApiReject: Record<string, string> }>('rules').mockApiReject;

/** What the dispatcher needs from the emulator. */
export interface DispatchDeps {
  state: EmulatorStateImpl;
  tokens: TokenVerifier;
  budgets: SlidingWindow;
  perApiId: number;
  global: number;
  /** Remaining forced 429s (fault injection); the dispatcher decrements it. */
  forced: { rateLimitNext: number };
}

/** A TR request as it arrived. */
export interface TrRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A request that passed the protocol's checks. */
export interface CheckedTr {
  api: ApiSpec;
  /** The app key and account of the token. */
  appkey: string;
  account: string;
  body: Record<string, unknown>;
  contYn: 'Y' | 'N';
  /** The `next-key` header when `cont-yn` is Y, else ''. */
  nextKey: string;
}

/** Checks a server runs between the protocol's own, at Kiwoom's places in the order. */
export interface TrHooks {
  /** After the token: budgets (throw an ApiReject 1700/1701 to answer 429). */
  afterToken?: (api: ApiSpec, appkey: string) => void;
  /** After the body is known to be an object, before required fields: domain rules. */
  beforeRequired?: (api: ApiSpec, body: Record<string, unknown>) => void;
}

/** A dispatched answer: the envelope and the paging headers. */
export interface Dispatched {
  envelope: Envelope;
  apiId: string | undefined;
  contYn: 'Y' | 'N';
  nextKey: string;
}

/** A header's first value. */
export const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
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

function checkToken(tokens: TokenVerifier, headers: IncomingHttpHeaders): { appkey: string; account: string } {
  const auth = header(headers, 'authorization');
  if (auth === undefined || auth.trim() === '') throw new ApiReject('1513');
  const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
  if (!m) throw new ApiReject('1514');
  const check = tokens.verify(m[1] as string);
  if (!check.ok) throw new ApiReject('8005');
  return check;
}

function checkRequired(api: ApiSpec, body: Record<string, unknown>): void {
  const missing = api.request.find((f) => f.required && (body[f.key] === undefined || body[f.key] === null));
  if (missing) throw new ApiReject('1511', [missing.key]);
}

/** Runs the protocol's checks in Kiwoom's order, with the server's hooks in between; throws an ApiReject. */
export function checkTr(req: TrRequest, tokens: TokenVerifier, hooks: TrHooks = {}): CheckedTr {
  const api = checkApi(header(req.headers, 'api-id'), req.path);
  const { appkey, account } = checkToken(tokens, req.headers);
  hooks.afterToken?.(api, appkey);
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new ApiReject('1517', ['body', 'JSON 객체가 아닙니다']);
  }
  const body = req.body as Record<string, unknown>;
  hooks.beforeRequired?.(api, body);
  checkRequired(api, body);
  const contYn = header(req.headers, 'cont-yn') === 'Y' ? 'Y' : 'N';
  return { api, appkey, account, body, contYn, nextKey: contYn === 'Y' ? (header(req.headers, 'next-key') ?? '') : '' };
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

/** Runs the checks and the handler; every refusal becomes its documented envelope. */
export function dispatchTr(deps: DispatchDeps, req: TrRequest): Dispatched {
  const apiId = header(req.headers, 'api-id');
  const answer = (envelope: Envelope, nextKey = ''): Dispatched => ({
    envelope, apiId, contYn: nextKey ? 'Y' : 'N', nextKey,
  });
  try {
    if (deps.forced.rateLimitNext > 0) {
      deps.forced.rateLimitNext--;
      throw new ApiReject('1700', [String(deps.perApiId), apiId ?? '']);
    }
    const tr = checkTr(req, deps.tokens, {
      afterToken: (api) => checkBudgets(deps, api.id),
      beforeRequired: (api, body) => checkMock(deps, api, body),
    });
    const result = handlerFor(tr.api.id)({
      api: tr.api,
      body: tr.body,
      account: tr.account,
      nextKey: tr.contYn === 'Y' ? tr.nextKey : undefined,
      state: deps.state,
    });
    return answer(okEnvelope(result.fields, result.message), result.nextKey ?? '');
  } catch (err) {
    if (err instanceof ApiReject) return answer(rejectEnvelope(err));
    if (err instanceof BusinessReject) return answer(businessEnvelope(err.rule));
    throw err;
  }
}

/**
 * A small in-test Kiwoom for msw: issues tokens, checks the authorization header and the
 * api-id, and answers each TR through a responder the test sets. Everything it sees is
 * recorded so tests can assert what reached the wire.
 */
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';

type SetupServerApi = ReturnType<typeof setupServer>;
import { KiwoomRest, type KiwoomRestOptions } from '../../src/rest/index.js';

/**
 * `YYYYMMDDHHMMSS` in Asia/Seoul by the platform's time-zone database, not by src/rest/kst.ts:
 * the fake server must not share the code under test.
 */
const SEOUL = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** `YYYYMMDDHHMMSS` of an instant in Asia/Seoul (see SEOUL). */
export function seoulTimestamp(epochMs: number): string {
  const part = Object.fromEntries(SEOUL.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${part['year']}${part['month']}${part['day']}${part['hour']}${part['minute']}${part['second']}`;
}

/** Loopback address never contacted: msw answers before the network. */
export const BASE = 'http://127.0.0.1:59999';
export const APPKEY = 'APPKEY-test-3f9a7c21d8e4b6';
export const SECRETKEY = 'SECRET-test-a81c55e0f7d2c9b4';

export interface SeenRequest {
  path: string;
  apiId: string | null;
  authorization: string | null;
  contYn: string | null;
  nextKey: string | null;
  contentType: string | null;
  userAgent: string | null;
  body: unknown;
}

/** What a responder returns: a JSON body (status 200) or a full Response. */
export type Reply = JsonBodyType | Response;
export type Responder = (request: SeenRequest, count: number) => Reply | Promise<Reply>;

export interface FakeKiwoom {
  server: SetupServerApi;
  seen: SeenRequest[];
  tokensIssued: number;
  /** Every token issued, oldest first. */
  issued: string[];
  revoked: string[];
  /** Token lifetime the next issues get, seconds. */
  lifetimeSec: number;
  /** Tokens issued so far are rejected (return_code 3 / 8005) from now on. */
  expireTokens(): void;
  /** Answer `apiId` with `responder`; the default answers `{ return_code: 0 }` with the body echoed as `echo`. */
  on(apiId: string, responder: Responder): void;
  /** Requests seen for one api-id. */
  calls(apiId: string): SeenRequest[];
}

export function ok(body: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...body, return_code: 0, return_msg: '정상적으로 처리되었습니다' };
}

/** A JSON reply with headers (continuation, status). */
export function reply(body: JsonBodyType, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return HttpResponse.json(body, init);
}

export function startFakeKiwoom(): FakeKiwoom {
  const valid = new Set<string>();
  const responders = new Map<string, Responder>();
  const counts = new Map<string, number>();
  const fake: FakeKiwoom = {
    server: undefined as unknown as SetupServerApi,
    seen: [],
    tokensIssued: 0,
    issued: [],
    revoked: [],
    lifetimeSec: 86_400,
    expireTokens: () => valid.clear(),
    on: (apiId, responder) => responders.set(apiId, responder),
    calls: (apiId) => fake.seen.filter((r) => r.apiId === apiId),
  };

  const record = async (request: Request): Promise<SeenRequest> => {
    const url = new URL(request.url);
    const text = await request.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the raw text
    }
    const seen: SeenRequest = {
      path: url.pathname,
      apiId: request.headers.get('api-id'),
      authorization: request.headers.get('authorization'),
      contYn: request.headers.get('cont-yn'),
      nextKey: request.headers.get('next-key'),
      contentType: request.headers.get('content-type'),
      userAgent: request.headers.get('user-agent'),
      body,
    };
    fake.seen.push(seen);
    return seen;
  };

  fake.server = setupServer(
    http.post(`${BASE}/oauth2/token`, async ({ request }) => {
      const seen = await record(request);
      const body = seen.body as Record<string, string>;
      if (body.appkey !== APPKEY || body.secretkey !== SECRETKEY) {
        return HttpResponse.json({ return_code: 2, return_msg: '입력 값 오류입니다[8001:App Key와 Secret Key 검증에 실패했습니다]' });
      }
      fake.tokensIssued++;
      const token = `TOKEN-${fake.tokensIssued}-${'x'.repeat(60)}`;
      valid.add(token);
      fake.issued.push(token);
      return HttpResponse.json({
        expires_dt: seoulTimestamp(Date.now() + fake.lifetimeSec * 1000),
        token_type: 'Bearer',
        token,
        return_code: 0,
        return_msg: '정상적으로 처리되었습니다',
      });
    }),
    http.post(`${BASE}/oauth2/revoke`, async ({ request }) => {
      const seen = await record(request);
      const { token } = seen.body as { token: string };
      fake.revoked.push(token);
      valid.delete(token);
      return HttpResponse.json({ return_code: 0, return_msg: '정상적으로 처리되었습니다' });
    }),
    http.post(`${BASE}/api/dostk/:family`, async ({ request }) => {
      const seen = await record(request);
      const token = seen.authorization?.replace(/^Bearer /, '') ?? '';
      if (!valid.has(token)) {
        return HttpResponse.json({ return_code: 3, return_msg: '인증에 실패했습니다[8005:Token이 유효하지 않습니다]' });
      }
      const apiId = seen.apiId ?? '';
      const count = (counts.get(apiId) ?? 0) + 1;
      counts.set(apiId, count);
      const responder = responders.get(apiId);
      const answer = responder === undefined ? ok({ echo: seen.body }) : await responder(seen, count);
      return answer instanceof Response ? answer : HttpResponse.json(answer);
    }),
  );
  fake.server.listen({ onUnhandledRequest: 'error' });
  return fake;
}

/**
 * KiwoomRest sends through undici's `request`, which msw cannot see; tests that answer with msw
 * inject a fetch that looks up the (msw-patched) global at call time.
 */
export const viaMsw = { fetch: (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init) };

/** Budgets far above any test's load, and short backoffs, so only what a test sets matters. */
export const FAST_LIMITS = { perApiId: 10_000, query: 10_000, order: 10_000, global: 10_000, backoffMs: 5 } as const;

/**
 * Makes KiwoomRest clients against the fake (`defaults`, then each call's options, over
 * FAST_LIMITS) and closes every one of them in `closeAll()`, for an afterEach.
 */
export function clientFactory(defaults: Partial<KiwoomRestOptions> = {}) {
  const made: KiwoomRest[] = [];
  const track = (rest: KiwoomRest): KiwoomRest => {
    made.push(rest);
    return rest;
  };
  return {
    client: (options: Partial<KiwoomRestOptions> = {}): KiwoomRest =>
      track(new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, baseUrl: BASE, limits: FAST_LIMITS, ...defaults, ...options })),
    track,
    closeAll: async (): Promise<void> => {
      await Promise.all(made.splice(0).map((c) => c.close()));
    },
  };
}

import { HttpResponse, delay } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthError,
  HttpError,
  KiwoomError,
  NetworkError,
  NotSupportedInMockError,
  OrderUnknownError,
  RateLimitError,
  TimeoutError,
} from '../../src/errors.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { APPKEY, SECRETKEY, ok, reply, startFakeKiwoom, type FakeKiwoom, FAST_LIMITS, clientFactory, viaMsw } from './fake-kiwoom.js';

let fake: FakeKiwoom;
const { client, track, closeAll } = clientFactory({ limits: { ...FAST_LIMITS, maxBackoffMs: 20 } });
const BUY = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' };

async function failure(promise: Promise<unknown>): Promise<KiwoomError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KiwoomError);
  return error as KiwoomError;
}

beforeEach(() => {
  fake = startFakeKiwoom();
});
afterEach(async () => {
  fake.server.close();
  await closeAll();
});

describe('request shape', () => {
  it('POSTs to the registry path with api-id, Bearer token, cont-yn, next-key and the JSON content type', async () => {
    const rest = client();
    await rest.call('ka10081', { stk_cd: '005930', base_dt: '20250101', upd_stkpc_tp: '1' }, { contYn: 'Y', nextKey: 'K1' });
    const sent = fake.calls('ka10081')[0]!;
    expect(sent.path).toBe('/api/dostk/chart');
    expect(sent.authorization).toBe(`Bearer ${await rest.token()}`);
    expect(sent.contYn).toBe('Y');
    expect(sent.nextKey).toBe('K1');
    expect(sent.contentType).toBe('application/json;charset=UTF-8');
    // Kiwoom's WAF blocks some library default User-Agents; ours names the package.
    expect(sent.userAgent).toMatch(/^kiwoom-compat\//);
    expect(sent.body).toEqual({ stk_cd: '005930', base_dt: '20250101', upd_stkpc_tp: '1' });
  });

  it('resolves the host from simNo: 0 production, 1..3 mock; baseUrl overrides', () => {
    const prod = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, simNo: 0 });
    track(prod);
    expect([prod.baseUrl, prod.isMock, prod.simNo]).toEqual(['https://api.kiwoom.com', false, 0]);
    for (const simNo of [1, 2, 3]) {
      const mock = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, simNo });
      expect([mock.baseUrl, mock.isMock]).toEqual(['https://mockapi.kiwoom.com', true]);
      track(mock);
    }
    const custom = client({ simNo: 1, baseUrl: 'http://127.0.0.1:1234/' });
    expect([custom.baseUrl, custom.isMock]).toEqual(['http://127.0.0.1:1234', true]);
  });
});

describe('transport failures', () => {
  it('a query that gets no answer in time is a TimeoutError', async () => {
    fake.on('ka10001', async () => {
      await delay(500);
      return ok();
    });
    const rest = client({ timeouts: { totalMs: 100 }, limits: { maxRetries: 0 } });
    const error = await failure(rest.call('ka10001', { stk_cd: '005930' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(OrderUnknownError);
    expect((error as TimeoutError).phase).toBe('total');
  });

  it('an order that times out is an OrderUnknownError and is never resent', async () => {
    fake.on('kt10000', async () => {
      await delay(500);
      return ok({ ord_no: '0000001' });
    });
    const rest = client({ timeouts: { totalMs: 100 } });
    const error = await failure(rest.call('kt10000', BUY));
    expect(error).toBeInstanceOf(OrderUnknownError);
    expect(error.message).toMatch(/^kt10000: .*not resent/);
    await delay(50);
    expect(fake.calls('kt10000')).toHaveLength(1);
  });

  it("the caller's AbortSignal ends a call with TimeoutError phase 'abort'", async () => {
    fake.on('ka10001', async () => {
      await delay(500);
      return ok();
    });
    const rest = client();
    const controller = new AbortController();
    const pending = rest.call('ka10001', { stk_cd: '005930' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await failure(pending);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe('abort');
  });

  it('an order whose signal is already aborted is a plain abort and is not sent', async () => {
    const rest = client();
    const error = await failure(rest.call('kt10000', BUY, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(OrderUnknownError);
    expect(fake.calls('kt10000')).toHaveLength(0);
  });

  it('a dropped connection is retried for a query', async () => {
    fake.on('ka10001', (_req, count) => (count === 1 ? HttpResponse.error() : ok({ stk_nm: '삼성전자' })));
    const rest = client();
    const result = await rest.call('ka10001', { stk_cd: '005930' });
    expect(result.body.stk_nm).toBe('삼성전자');
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it('a dropped connection on an order is an OrderUnknownError, sent once', async () => {
    fake.on('kt10000', () => HttpResponse.error());
    const rest = client();
    const error = await failure(rest.call('kt10000', BUY));
    expect(error).toBeInstanceOf(OrderUnknownError);
    expect(fake.calls('kt10000')).toHaveLength(1);
  });

  it('a dropped connection that persists is a NetworkError after the bounded retries', async () => {
    fake.on('ka10001', () => HttpResponse.error());
    const rest = client({ limits: { maxRetries: 2, backoffMs: 1 } });
    const error = await failure(rest.call('ka10001', { stk_cd: '005930' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(fake.calls('ka10001')).toHaveLength(3);
  });
});

describe('HTTP answers the protocol does not explain', () => {
  it("Kiwoom's WAF HTML 400 page is an HttpError that says so, not retried", async () => {
    fake.on(
      'ka10001',
      () =>
        new HttpResponse('<html><head><title>Request Blocked</title></head><body>blocked</body></html>', {
          status: 400,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const rest = client();
    const error = await failure(rest.call('ka10001', { stk_cd: '005930' }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect(error.message).toContain('ka10001: HTTP 400: an HTML page "Request Blocked"');
    expect(fake.calls('ka10001')).toHaveLength(1);
  });

  it('a 5xx is retried for a query and succeeds when the server recovers', async () => {
    fake.on('ka10001', (_req, count) => (count < 3 ? new HttpResponse('bad gateway', { status: 502 }) : ok({ stk_nm: '삼성전자' })));
    const rest = client();
    const result = await rest.call('ka10001', { stk_cd: '005930' });
    expect(result.body.stk_nm).toBe('삼성전자');
    expect(fake.calls('ka10001')).toHaveLength(3);
  });

  it('a 5xx after an order is an OrderUnknownError (the gateway may have passed it on), and it is not resent', async () => {
    fake.on('kt10000', () => new HttpResponse('oops', { status: 503 }));
    const rest = client();
    const error = await failure(rest.call('kt10000', BUY));
    expect(error).toBeInstanceOf(OrderUnknownError);
    expect(error.cause).toBeInstanceOf(HttpError);
    expect((error.cause as HttpError).status).toBe(503);
    expect(fake.calls('kt10000')).toHaveLength(1);
  });

  it('an unreadable 200 after an order is an OrderUnknownError; a WAF 400 page is not (the order was blocked)', async () => {
    fake.on('kt10000', () => new HttpResponse('{"ord_no":"00', { status: 200 }));
    const rest = client();
    expect(await failure(rest.call('kt10000', BUY))).toBeInstanceOf(OrderUnknownError);
    fake.on('kt10001', () => new HttpResponse('<html><title>Request Blocked</title></html>', { status: 400 }));
    const blocked = await failure(rest.call('kt10001', BUY));
    expect(blocked).toBeInstanceOf(HttpError);
    expect(blocked).not.toBeInstanceOf(OrderUnknownError);
  });

  it('malformed JSON with status 200 is an HttpError quoting the body', async () => {
    fake.on('ka10001', () => new HttpResponse('{"return_code":0,"stk_cd":"005930",', { status: 200 }));
    const rest = client();
    const error = await failure(rest.call('ka10001', { stk_cd: '005930' }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toContain('malformed JSON');
  });

  it('JSON without a valid envelope is an HttpError naming the envelope', async () => {
    fake.on('ka10001', () => ({ return_code: '0', stk_cd: '005930' }));
    const rest = client();
    const error = await failure(rest.call('ka10001', { stk_cd: '005930' }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toContain('envelope');
  });
});

describe('Kiwoom failures', () => {
  it.each([
    [
      'input error with embedded code',
      { return_code: 2, return_msg: '입력 값 오류입니다[1902:종목 정보가 없습니다. 입력한 종목코드 값을 확인바랍니다. 종목코드=999999]' },
      ApiError,
      1902,
      'input',
    ],
    ['8104 on mock', { return_code: 2, return_msg: '입력 값 오류입니다[8104:모의투자에서 지원하지 않는 API 입니다.]' }, NotSupportedInMockError, 8104, 'not-supported-in-mock'],
    ['RC9000 on mock', { return_code: 20, return_msg: '[2000](RC9000:모의투자에서는 해당업무가 제공되지 않습니다.)' }, NotSupportedInMockError, 9000, 'not-supported-in-mock'],
    ['RC4058 market closed', { return_code: 20, return_msg: '[2000](RC4058:모의투자 장종료)' }, ApiError, 4058, 'order-reject'],
    ['(1511:...) without RC', { return_code: 20, return_msg: '[2000](1511:입력값을 확인하세요.)' }, ApiError, 1511, 'input'],
    ['8030 appkey of the other domain', { return_code: 2, return_msg: '입력 값 오류입니다[8030:투자구분(실전/모의)이 달라서 Appkey를 사용할수가 없습니다]' }, AuthError, 8030, 'auth'],
    ['no embedded code', { return_code: 20, return_msg: '조회할 자료가 없습니다' }, ApiError, 20, 'order-reject'],
  ])('%s → the right class, code and category', async (_, answer, ErrorClass, code, category) => {
    fake.on('ka10001', () => answer);
    const rest = client();
    const error = await failure(rest.call('ka10001', { stk_cd: '005930' }));
    expect(error).toBeInstanceOf(ErrorClass);
    const apiError = error as ApiError;
    expect(apiError.code).toBe(code);
    expect(apiError.category).toBe(category);
    expect(apiError.returnCode).toBe(answer.return_code);
    expect(apiError.message).toBe(`ka10001: Kiwoom ${code} ${answer.return_msg}`);
    expect(apiError.apiId).toBe('ka10001');
    expect(fake.calls('ka10001')).toHaveLength(1);
  });

  it('accepts the returnCode/returnMsg spelling of some official examples', async () => {
    fake.on('ka10030', () => ({ tdy_trde_qty_upper: [], returnCode: 0, returnMsg: '정상적으로 처리되었습니다' }));
    const rest = client();
    const result = await rest.call('ka10030', {
      mrkt_tp: '000', sort_tp: '1', mang_stk_incls: '0', crd_tp: '0', trde_qty_tp: '0', pric_tp: '0', trde_prica_tp: '0', mrkt_open_tp: '0', stex_tp: '3',
    });
    expect(result.body.return_code).toBe(0);
    expect(result.body.return_msg).toBe('정상적으로 처리되었습니다');
  });

  it('a server text that echoes a secret is scrubbed from the error message', async () => {
    fake.on('ka10001', () => ({ return_code: 2, return_msg: `입력 값 오류입니다[1517:입력 값 형식이 올바르지 않습니다. 파라미터=${APPKEY}]` }));
    const rest = client();
    const error = await failure(rest.call('ka10001', { stk_cd: '005930' }));
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain(APPKEY);
    expect((error as ApiError).kiwoomMessage).not.toContain(APPKEY);
  });
});

describe('continuation headers', () => {
  it('returns cont-yn and next-key from the response headers', async () => {
    fake.on('ka10081', () => reply(ok({ stk_dt_pole_chart_qry: [] }), { headers: { 'cont-yn': 'Y', 'next-key': 'NEXT-2' } }));
    const rest = client();
    const result = await rest.call('ka10081', { stk_cd: '005930', base_dt: '20250101', upd_stkpc_tp: '1' });
    expect(result.contYn).toBe('Y');
    expect(result.nextKey).toBe('NEXT-2');
  });

  it('a 429 with an unreadable body is still a RateLimitError', async () => {
    fake.on('kt10000', () => new HttpResponse('Too Many Requests', { status: 429 }));
    const rest = client();
    const error = await failure(rest.call('kt10000', BUY));
    expect(error).toBeInstanceOf(RateLimitError);
  });
});

describe('the client itself', () => {
  it("emits 'token' when it issues one, with its times and never the token", async () => {
    const rest = client();
    const seen: unknown[] = [];
    rest.on('token', (info) => seen.push(info));
    await rest.call('ka10001', { stk_cd: '005930' });
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(seen).toEqual([{ issuedAt: expect.any(Number), expiresAt: expect.any(Number), fromCache: false }]);
    expect(JSON.stringify(seen)).not.toContain(fake.issued[0]);
  });

  it('close() fails a call waiting for the rate budget, saying the client closed; it is never sent; a second close() is harmless', async () => {
    const rest = client({ limits: { ...FAST_LIMITS, perApiId: 1 } });
    await rest.call('ka10001', { stk_cd: '005930' });
    const waiting = rest.call('ka10001', { stk_cd: '005930' });
    expect(rest.queued).toBe(1);
    await rest.close();
    const error = await failure(waiting);
    expect(error.message).toBe('KiwoomRest closed');
    expect(fake.calls('ka10001')).toHaveLength(1);
    await expect(rest.close()).resolves.toBeUndefined();
  });
});

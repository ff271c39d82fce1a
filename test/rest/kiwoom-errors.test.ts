import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError, AuthError, NotSupportedInMockError, RateLimitError, type ErrorCategory } from '../../src/errors.js';
import { classifyFailure, embeddedCode, failureToError, kiwoomErrorInfo } from '../../src/rest/kiwoom-errors.js';

const spec = JSON.parse(readFileSync(new URL('../../fixtures/kiwoom-rest/spec.json', import.meta.url), 'utf8')) as {
  error_codes: Array<{ code: string; message: string }>;
};
const CATEGORIES: ErrorCategory[] = ['auth', 'rate-limit', 'input', 'not-supported-in-mock', 'order-reject', 'no-data', 'server', 'unknown'];

describe('compat/kiwoom-errors.json', () => {
  it('has every official code of the spec, each with a known category and a message', () => {
    for (const { code } of spec.error_codes) {
      const info = kiwoomErrorInfo(Number(code));
      expect(info, code).toBeDefined();
      expect(CATEGORIES).toContain(info!.category);
      expect(info!.message.length).toBeGreaterThan(0);
    }
  });

  it('marks only 8005, 8031 and 8103 as token rejections, and only 1700-1702 as retryable codes', () => {
    const all = [...spec.error_codes.map((e) => Number(e.code)), 1634, 4003, 4025, 4057, 4058, 4091, 5006, 9000];
    expect(all.filter((c) => kiwoomErrorInfo(c)?.reissueToken)).toEqual([8005, 8031, 8103]);
    expect(all.filter((c) => kiwoomErrorInfo(c)?.retry)).toEqual([1700, 1701, 1702]);
  });
});

describe('embedded codes', () => {
  it.each<[string, number | undefined]>([
    ['인증에 실패했습니다[8005:Token이 유효하지 않습니다]', 8005],
    ['[2000](RC4058:모의투자 장종료)', 4058],
    ['[2000](1511:입력값을 확인하세요.)', 1511],
    ['토큰 인증에 실패했습니다. 접속을 종료합니다 [CODE=8005, MESSAGE=Token이 유효하지 않습니다]', 8005],
    ['허용된 요청 개수를 초과하였습니다[1700:허용된 API 요청 개수를 초과하였습니다. 유량=5, API ID=ka10080]', 1700],
    ['정상적으로 처리되었습니다', undefined],
    ['[2000]', undefined],
  ])('%s → %s', (message, code) => {
    expect(embeddedCode(message)).toBe(code);
  });
});

describe('classification', () => {
  it('the specific code wins over the return_code: 1634 under return_code 5 is not a retryable rate limit', () => {
    const failure = classifyFailure(5, '허용된 요청 개수를 초과하였습니다[1634:...]', 200);
    expect(failure).toMatchObject({ code: 1634, returnCode: 5, category: 'input', retry: false });
  });

  it('return_code 3 without an embedded code is a token rejection', () => {
    expect(classifyFailure(3, '인증에 실패했습니다', 200)).toMatchObject({ code: 3, category: 'auth', reissueToken: true });
  });

  it('an HTTP 429 with no envelope is a retryable rate limit', () => {
    expect(classifyFailure(5, '', 429)).toMatchObject({ category: 'rate-limit', retry: true, text: '허용된 요청 개수를 초과하였습니다' });
  });

  it('the WebSocket LOGIN failure (805004 / CODE=8005) reads as the token rejection it is', () => {
    const failure = classifyFailure(805004, '토큰 인증에 실패했습니다. 접속을 종료합니다 [CODE=8005, MESSAGE=Token이 유효하지 않습니다]', 200);
    expect(failure).toMatchObject({ code: 8005, category: 'auth', reissueToken: true });
  });

  it('an unknown code and return_code is category unknown, a plain ApiError', () => {
    const failure = classifyFailure(77, '[7777:새 오류]', 200);
    expect(failure).toMatchObject({ code: 7777, category: 'unknown' });
    const error = failureToError('ka10001', failure, (t) => t);
    expect(error.constructor).toBe(ApiError);
  });

  it.each<[string, number, string, typeof ApiError]>([
    ['auth', 2, '[8030:...]', AuthError],
    ['rate-limit', 5, '[1701:...]', RateLimitError],
    ['not supported in mock', 2, '[8104:...]', NotSupportedInMockError],
    ['order reject', 20, '[2000](RC4025:모의투자 주문가능금액을 확인하세요)', ApiError],
  ])('%s maps to its error class with the message format "<apiId>: Kiwoom <code> <text>"', (_, returnCode, message, ErrorClass) => {
    const error = failureToError('kt10000', classifyFailure(returnCode, message, 200), (t) => t);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.message).toBe(`kt10000: Kiwoom ${error.code} ${message}`);
  });
});

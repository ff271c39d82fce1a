/**
 * The REST client's retry path for queries: how long it backs off (exponential, capped, half
 * of it jitter), how many times it retries a 5xx, and that the caller's AbortSignal ends a
 * back-off at once with nothing more sent. Orders never take this path (http-errors,
 * rate-limit and client-input tests).
 */
import { EventEmitter } from 'node:events';
import { HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError, TimeoutError } from '../../src/errors.js';
import type { RateLimitedInfo } from '../../src/rest/index.js';
import { FAST_LIMITS, clientFactory, ok, reply, startFakeKiwoom, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
const { client, closeAll } = clientFactory();
const RATE_LIMITED = {
  return_code: 5,
  return_msg: '허용된 요청 개수를 초과하였습니다[1700:허용된 요청 개수를 초과하였습니다. API ID=ka10001]',
};
const QUERY = { stk_cd: '005930' };

beforeEach(() => {
  fake = startFakeKiwoom();
});
afterEach(async () => {
  vi.restoreAllMocks();
  fake.server.close();
  await closeAll();
});

describe('back-off of a retried query', () => {
  it('doubles from backoffMs per attempt up to maxBackoffMs, half fixed and half jitter', async () => {
    fake.on('ka10001', (_req, count) => (count <= 4 ? reply(RATE_LIMITED, { status: 429 }) : ok()));
    const rest = client({ limits: { ...FAST_LIMITS, backoffMs: 8, maxBackoffMs: 32, maxRetries: 5 } });
    const delays: number[] = [];
    rest.on('rateLimited', (info: RateLimitedInfo) => delays.push(info.retryInMs));
    // The jitter's middle: each delay is three quarters of its attempt's full back-off.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    await rest.call('ka10001', QUERY);
    // Full back-off 8, 16, 32, then capped at 32.
    expect(delays).toEqual([6, 12, 24, 24]);
  });

  it('the jitter spans half to all of the full back-off', async () => {
    fake.on('ka10001', (_req, count) => (count === 1 || count === 3 ? reply(RATE_LIMITED, { status: 429 }) : ok()));
    const rest = client({ limits: { ...FAST_LIMITS, backoffMs: 20, maxBackoffMs: 1_000 } });
    const delays: number[] = [];
    rest.on('rateLimited', (info: RateLimitedInfo) => delays.push(info.retryInMs));
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    await rest.call('ka10001', QUERY);
    random.mockReturnValue(0.999_999);
    await rest.call('ka10001', QUERY);
    expect(delays).toEqual([10, 20]);
  });

  it('a 5xx is retried after a back-off, not at once', async () => {
    const at: number[] = [];
    fake.on('ka10001', (_req, count) => {
      at.push(performance.now());
      return count === 1 ? new HttpResponse('bad gateway', { status: 502 }) : ok();
    });
    const rest = client({ limits: { ...FAST_LIMITS, backoffMs: 200, maxBackoffMs: 200 } });
    await rest.call('ka10001', QUERY);
    // At least half the back-off (the fixed half) lies between the two sends; timers never fire early.
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(95);
  });

  it('a 5xx that persists is retried maxRetries times, then is the HttpError', async () => {
    fake.on('ka10001', () => new HttpResponse('unavailable', { status: 503 }));
    const rest = client({ limits: { ...FAST_LIMITS, backoffMs: 1, maxRetries: 2 } });
    const error = await rest.call('ka10001', QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect(fake.calls('ka10001')).toHaveLength(3);
  });

  it('a query with a live signal rides out a rate limit like one without, and leaves no abort listener behind', async () => {
    fake.on('ka10001', (_req, count) => (count === 1 ? reply(RATE_LIMITED, { status: 429 }) : ok({ stk_nm: '삼성전자' })));
    const rest = client();
    const controller = new AbortController();
    const result = await rest.call('ka10001', QUERY, { signal: controller.signal });
    expect(result.body.stk_nm).toBe('삼성전자');
    expect(fake.calls('ka10001')).toHaveLength(2);
    expect(EventEmitter.getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('an abort during the back-off', () => {
  // A back-off long enough that a call still waiting in it cannot finish within the test's timeout.
  const SLOW = { ...FAST_LIMITS, backoffMs: 60_000, maxBackoffMs: 60_000 };

  it.each([
    ['when the rate limit is reported', (abort: () => void) => abort()],
    ['while it sleeps', (abort: () => void) => queueMicrotask(abort)],
  ])('%s ends the call at once with TimeoutError phase abort naming the call; nothing more is sent', async (_, when) => {
    fake.on('ka10001', () => reply(RATE_LIMITED, { status: 429 }));
    const rest = client({ limits: SLOW });
    const controller = new AbortController();
    rest.on('rateLimited', () => when(() => controller.abort()));
    const error = await rest.call('ka10001', QUERY, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'abort', apiId: 'ka10001', message: 'ka10001: request aborted' });
    expect(fake.calls('ka10001')).toHaveLength(1);
  });

  it('pages() and batch() pass the signal on: aborted, nothing is sent', async () => {
    const rest = client();
    const signal = AbortSignal.abort();
    const paging = rest.pages('ka10001', QUERY, { signal });
    await expect(paging.next()).rejects.toMatchObject({ name: 'TimeoutError', phase: 'abort' });
    const [item] = await rest.batch('ka10001', ['005930'], (code) => ({ stk_cd: code }), { signal });
    expect(item).toMatchObject({ ok: false, error: expect.any(TimeoutError) });
    expect(fake.calls('ka10001')).toHaveLength(0);
  });
});

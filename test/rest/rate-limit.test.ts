import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, QueueFullError, RateLimitError, TimeoutError } from '../../src/errors.js';
import { KiwoomRest, type RateLimitedInfo, type ThrottleInfo } from '../../src/rest/index.js';
import { REST_DEFAULTS, type ResolvedLimits } from '../../src/rest/options.js';
import { RateLimiter, type LimitedCategory } from '../../src/rest/rate-limiter.js';
import { ok, reply, startFakeKiwoom, type FakeKiwoom, FAST_LIMITS, clientFactory } from './fake-kiwoom.js';

const BUY = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' };
const RATE_LIMITED = { return_code: 5, return_msg: '허용된 요청 개수를 초과하였습니다[1700:허용된 API 요청 개수를 초과하였습니다. 유량=5, API ID=ka10001]' };

describe('RateLimiter (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function limiter(limits: Partial<ResolvedLimits>, isMock = false) {
    return new RateLimiter({ limits: { ...REST_DEFAULTS.limits, safetyFactor: 1, ...limits }, isMock });
  }

  /**
   * Acquire each request now and record when each is granted, in ms from the start, rounded to
   * 10 ms (the 1000/s global bucket spaces same-instant requests by 1 ms).
   */
  async function grants(rl: RateLimiter, requests: Array<[string, LimitedCategory]>, runMs: number) {
    const start = Date.now();
    const granted: Array<{ label: string; at: number }> = [];
    requests.forEach(([apiId, category], i) => {
      void rl.acquire(apiId, category).then(() => granted.push({ label: `${apiId}#${i}`, at: Math.round((Date.now() - start) / 10) * 10 }));
    });
    await vi.advanceTimersByTimeAsync(runMs);
    return granted;
  }

  it('spaces one api-id at its rate: 5/s is one request every 200 ms', async () => {
    const granted = await grants(limiter({ perApiId: 5 }), Array.from({ length: 5 }, () => ['ka10001', 'query'] as [string, LimitedCategory]), 2_000);
    expect(granted.map((g) => g.at)).toEqual([0, 200, 400, 600, 800]);
  });

  it('an idle bucket holds at most its burst: after 10 s idle, five requests are still spaced', async () => {
    const rl = limiter({ perApiId: 5 });
    await grants(rl, [['ka10001', 'query']], 0);
    await vi.advanceTimersByTimeAsync(10_000);
    const granted = await grants(rl, Array.from({ length: 5 }, () => ['ka10001', 'query'] as [string, LimitedCategory]), 2_000);
    // The first goes at once; the bucket kept one token (+ the 5% lateness credit), no more.
    expect(granted.map((g) => g.at)).toEqual([0, 190, 390, 590, 790]);
  });

  it('a larger burst releases that many at once after idle, then the rate', async () => {
    const rl = limiter({ perApiId: 5, query: 1_000, global: 1_000, burst: 3 });
    await grants(rl, [['ka10001', 'query']], 0);
    await vi.advanceTimersByTimeAsync(10_000);
    const granted = await grants(rl, Array.from({ length: 5 }, () => ['ka10001', 'query'] as [string, LimitedCategory]), 2_000);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 190, 390]);
  });

  it('lets an api-id with budget pass one that waits for its own', async () => {
    const granted = await grants(
      limiter({ perApiId: 1, query: 1_000, global: 1_000 }),
      [['ka10001', 'query'], ['ka10001', 'query'], ['ka10081', 'query']],
      2_000,
    );
    expect(granted).toEqual([
      { label: 'ka10001#0', at: 0 },
      { label: 'ka10081#2', at: 0 },
      { label: 'ka10001#1', at: 1_000 },
    ]);
  });

  it('serves a waiting order before waiting queries', async () => {
    const granted = await grants(
      limiter({ perApiId: 100, query: 100, order: 100, global: 1 }),
      [['ka10001', 'query'], ['ka10002', 'query'], ['ka10003', 'query'], ['kt10000', 'order']],
      5_000,
    );
    expect(granted.map((g) => g.label)).toEqual(['ka10001#0', 'kt10000#3', 'ka10002#1', 'ka10003#2']);
    expect(granted.map((g) => g.at)).toEqual([0, 1_000, 2_000, 3_000]);
  });

  it('applies the category budget across api-ids (query 5/s)', async () => {
    const ids = ['ka10001', 'ka10002', 'ka10003', 'ka10004', 'ka10005', 'ka10006', 'ka10007'];
    const granted = await grants(limiter({ perApiId: 5, query: 5, global: 1_000 }), ids.map((id) => [id, 'query']), 2_000);
    expect(granted.map((g) => g.at)).toEqual([0, 200, 400, 600, 800, 1_000, 1_200]);
  });

  it("applies the mock domain's query budget (1/s) on the mock host only, and not to orders", async () => {
    const mock = await grants(limiter({ mockQuery: 1, global: 1_000 }, true), [['ka10001', 'query'], ['ka10002', 'query'], ['kt10000', 'order']], 3_000);
    expect(mock).toEqual([
      { label: 'ka10001#0', at: 0 },
      { label: 'kt10000#2', at: 0 },
      { label: 'ka10002#1', at: 1_000 },
    ]);
    const prod = await grants(limiter({ mockQuery: 1, global: 1_000 }, false), [['ka10001', 'query'], ['ka10002', 'query']], 3_000);
    expect(prod.map((g) => g.at)).toEqual([0, 200]);
  });

  it('queues instead of failing, and refuses with QueueFullError only past the optional bound', async () => {
    const rl = limiter({ perApiId: 1, maxQueue: 2 });
    const first = rl.acquire('ka10001', 'query');
    const second = rl.acquire('ka10001', 'query');
    const third = rl.acquire('ka10001', 'query');
    await expect(rl.acquire('ka10001', 'query')).rejects.toBeInstanceOf(QueueFullError);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(Promise.all([first, second, third])).resolves.toEqual([0, 1_000, 2_000]);
  });

  it('an abort while queued removes the request with TimeoutError phase abort', async () => {
    const rl = limiter({ perApiId: 1 });
    await rl.acquire('ka10001', 'query');
    const controller = new AbortController();
    const waiting = rl.acquire('ka10001', 'query', controller.signal);
    expect(rl.queued).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'TimeoutError', phase: 'abort' });
    expect(rl.queued).toBe(0);
  });

  it('orders keep their own order among themselves, ahead of queries', async () => {
    const granted = await grants(
      limiter({ perApiId: 100, query: 100, order: 100, global: 1 }),
      [['ka10001', 'query'], ['ka10002', 'query'], ['kt10000', 'order'], ['kt10001', 'order'], ['kt10002', 'order'], ['ka10003', 'query']],
      7_000,
    );
    expect(granted.map((g) => g.label)).toEqual(['ka10001#0', 'kt10000#2', 'kt10001#3', 'kt10002#4', 'ka10002#1', 'ka10003#5']);
  });

  it('the safety factor scales every budget: 5/s at 0.5 is one request every 400 ms', async () => {
    const granted = await grants(limiter({ perApiId: 5, safetyFactor: 0.5 }), Array.from({ length: 3 }, () => ['ka10001', 'query'] as [string, LimitedCategory]), 2_000);
    expect(granted.map((g) => g.at)).toEqual([0, 400, 800]);
  });

  it('a throttle event names the bucket that holds the request up and its wait; a request with budget raises none', async () => {
    const seen: ThrottleInfo[] = [];
    const rl = new RateLimiter({
      limits: { ...REST_DEFAULTS.limits, safetyFactor: 1, perApiId: 5, query: 1, global: 1_000, mockQuery: 1_000 },
      isMock: false,
      onThrottle: (t) => seen.push(t),
    });
    await expect(rl.acquire('ka10001', 'query')).resolves.toBe(0);
    expect(seen).toEqual([]);
    void rl.acquire('ka10002', 'query');
    expect(seen).toEqual([{ apiId: 'ka10002', category: 'query', waitMs: 1_000, bucket: 'category:query', queued: 1 }]);
    const mock = new RateLimiter({
      limits: { ...REST_DEFAULTS.limits, safetyFactor: 1, perApiId: 1_000, query: 1_000, global: 2, mockQuery: 1 },
      isMock: true,
      onThrottle: (t) => seen.push(t),
    });
    await mock.acquire('ka10001', 'query');
    void mock.acquire('ka10002', 'query');
    void mock.acquire('kt10000', 'order');
    expect(seen.slice(1).map((t) => [t.bucket, t.waitMs])).toEqual([['mock:query', 1_000], ['global', 500]]);
    await vi.advanceTimersByTimeAsync(2_000);
  });

  it('an aborted signal is refused before it queues or takes a token; the message names the api-id', async () => {
    const rl = limiter({ perApiId: 1 });
    await expect(rl.acquire('ka10001', 'query', AbortSignal.abort())).rejects.toMatchObject({
      name: 'TimeoutError', phase: 'abort', apiId: 'ka10001', message: expect.stringMatching(/^ka10001: request aborted while waiting/),
    });
    expect(rl.queued).toBe(0);
    // The token is still there for the next request.
    await expect(rl.acquire('ka10001', 'query')).resolves.toBe(0);
  });

  it('a granted request leaves no abort listener on its signal', async () => {
    const rl = limiter({ perApiId: 1 });
    await rl.acquire('ka10001', 'query');
    const controller = new AbortController();
    const waiting = rl.acquire('ka10001', 'query', controller.signal);
    expect(EventEmitter.getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(waiting).resolves.toBe(1_000);
    expect(EventEmitter.getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('the queue bound is named in its refusal', async () => {
    const rl = limiter({ perApiId: 1, maxQueue: 1 });
    await rl.acquire('ka10001', 'query');
    void rl.acquire('ka10001', 'query').catch(() => undefined);
    await expect(rl.acquire('ka10001', 'query')).rejects.toMatchObject({ apiId: 'ka10001', message: expect.stringMatching(/^ka10001: request queue is full \(1 waiting\)/) });
    rl.close(new Error('closed'));
  });

  it('close() fails every waiting request with its reason and grants nothing afterwards', async () => {
    const rl = limiter({ perApiId: 1 });
    await rl.acquire('ka10001', 'query');
    const outcomes: string[] = [];
    for (const id of ['ka10001', 'ka10001']) rl.acquire(id, 'query').then(() => outcomes.push('granted'), (e: Error) => outcomes.push(e.message));
    rl.close(new Error('client closed'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(outcomes).toEqual(['client closed', 'client closed']);
    expect(rl.queued).toBe(0);
  });

  it('a later 429 back-off extends the hold; an earlier one does not shorten it; afterwards one token, not the burst', async () => {
    const rl = limiter({ perApiId: 5, query: 1_000, global: 1_000, burst: 3 });
    rl.block('ka10001', 3_000);
    rl.block('ka10001', 1_000);
    const granted = await grants(rl, Array.from({ length: 3 }, () => ['ka10001', 'query'] as [string, LimitedCategory]), 5_000);
    expect(granted.map((g) => g.at)).toEqual([3_000, 3_200, 3_400]);
  });

  it('block() holds an api-id for the back-off after a server 429', async () => {
    const rl = limiter({ perApiId: 5, global: 1_000 });
    rl.block('ka10001', 3_000);
    const granted = await grants(rl, [['ka10001', 'query'], ['ka10002', 'query']], 4_000);
    expect(granted).toEqual([
      { label: 'ka10002#1', at: 0 },
      { label: 'ka10001#0', at: 3_000 },
    ]);
  });
});

describe('KiwoomRest and server rate limits', () => {
  let fake: FakeKiwoom;
  const made = clientFactory();
  const client = (limits: ConstructorParameters<typeof KiwoomRest>[0]['limits'] = {}): KiwoomRest =>
    made.client({ limits: { ...FAST_LIMITS, maxBackoffMs: 20, ...limits } });

  beforeEach(() => {
    fake = startFakeKiwoom();
  });
  afterEach(async () => {
    fake.server.close();
    await made.closeAll();
  });

  it('a 429 storm on a query is ridden out with back-off, and each 429 is reported', async () => {
    fake.on('ka10001', (_req, count) => (count <= 3 ? reply(RATE_LIMITED, { status: 429 }) : ok({ stk_nm: '삼성전자' })));
    const rest = client();
    const events: RateLimitedInfo[] = [];
    rest.on('rateLimited', (info) => events.push(info));
    const result = await rest.call('ka10001', { stk_cd: '005930' });
    expect(result.body.stk_nm).toBe('삼성전자');
    expect(fake.calls('ka10001')).toHaveLength(4);
    expect(events.map((e) => [e.code, e.attempt, e.willRetry])).toEqual([
      [1700, 1, true],
      [1700, 2, true],
      [1700, 3, true],
    ]);
  });

  it('return_code 5 with HTTP 200 is also a rate limit that is retried', async () => {
    fake.on('ka10001', (_req, count) => (count === 1 ? RATE_LIMITED : ok()));
    const rest = client();
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it.each([
    ['1701 (total)', '허용된 전체 요청 개수를 초과하였습니다[1701:허용된 전체 요청 개수를 초과하였습니다. 총유량=10]'],
    ['1702 (group)', '허용된 그룹 요청 개수를 초과하였습니다[1702:허용된 그룹 요청 개수를 초과하였습니다. 총유량=10, API_ID=ka10001]'],
  ])('%s is retried too', async (_, message) => {
    fake.on('ka10001', (_req, count) => (count === 1 ? { return_code: 5, return_msg: message } : ok()));
    const rest = client();
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it('retries are bounded: a persistent 429 ends in RateLimitError', async () => {
    fake.on('ka10001', () => reply(RATE_LIMITED, { status: 429 }));
    const rest = client({ maxRetries: 2 });
    const error = await rest.call('ka10001', { stk_cd: '005930' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).code).toBe(1700);
    expect(fake.calls('ka10001')).toHaveLength(3);
  });

  it('an order that meets a 429 fails with RateLimitError and is never resent', async () => {
    fake.on('kt10000', () => reply({ ...RATE_LIMITED, return_msg: RATE_LIMITED.return_msg.replace('ka10001', 'kt10000') }, { status: 429 }));
    const rest = client();
    const events: RateLimitedInfo[] = [];
    rest.on('rateLimited', (info) => events.push(info));
    const error = await rest.call('kt10000', BUY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(fake.calls('kt10000')).toHaveLength(1);
    expect(events).toEqual([{ apiId: 'kt10000', category: 'order', code: 1700, attempt: 1, willRetry: false, retryInMs: 0 }]);
  });

  it('1634 (batch too large) comes as return_code 5 but is not retried', async () => {
    fake.on('ka10095', () => ({ return_code: 5, return_msg: '허용된 요청 개수를 초과하였습니다[1634:요청 종목수가 100개를 초과하였습니다]' }));
    const rest = client();
    const error = await rest.call('ka10095', { stk_cd: Array.from({ length: 101 }, (_, i) => String(i).padStart(6, '0')).join('|') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect((error as ApiError).code).toBe(1634);
    expect(fake.calls('ka10095')).toHaveLength(1);
  });

  it('fast callers queue rather than fail, and the waiting is visible as throttle events', async () => {
    const rest = client({ perApiId: 50, query: 50, order: 50, global: 100 });
    const throttled: ThrottleInfo[] = [];
    rest.on('throttle', (info) => throttled.push(info));
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => rest.call('ka10001', { stk_cd: '005930' })),
      ...Array.from({ length: 4 }, () => rest.call('kt10000', BUY)),
    ]);
    expect(results.every((r) => r.body.return_code === 0)).toBe(true);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.some((t) => t.apiId === 'ka10001' && t.bucket === 'api:ka10001')).toBe(true);
    expect(fake.calls('kt10000')).toHaveLength(4);
  });

  it('an abort while waiting in the queue sends nothing', async () => {
    const rest = client({ perApiId: 1 });
    await rest.call('ka10001', { stk_cd: '005930' });
    const controller = new AbortController();
    const pending = rest.call('ka10001', { stk_cd: '005930' }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(TimeoutError);
    expect(fake.calls('ka10001')).toHaveLength(1);
  });
});

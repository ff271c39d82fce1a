import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { componentLogger, createLogger, REDACTED, scrubFor } from '../../src/log.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { APPKEY, BASE, SECRETKEY, ok, reply, startFakeKiwoom, type FakeKiwoom, viaMsw } from './fake-kiwoom.js';

let fake: FakeKiwoom;
beforeEach(() => {
  fake = startFakeKiwoom();
});
afterEach(() => {
  fake.server.close();
});

/** A pino destination that keeps every line. */
function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

describe('logs never carry a secret', () => {
  it('a full debug-level session (issue, calls, failures, re-issue, rate limit, revoke) logs no key or token', async () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'debug', destination: stream });
    const rest = new KiwoomRest({ ...viaMsw,
      appkey: APPKEY,
      secretkey: SECRETKEY,
      baseUrl: BASE,
      logger,
      limits: { perApiId: 1_000, query: 1_000, global: 1_000, backoffMs: 5 },
    });
    fake.on('ka10001', (_req, count) =>
      count === 2
        ? reply({ return_code: 5, return_msg: '허용된 요청 개수를 초과하였습니다[1700:유량=5, API ID=ka10001]' }, { status: 429 })
        : ok({ stk_cd: '005930', undocumented_field: 'kept' }),
    );
    fake.on('ka10004', () => ({ return_code: 2, return_msg: `입력 값 오류입니다[1517:파라미터=${SECRETKEY}]` }));

    await rest.call('ka10001', { stk_cd: '005930' });
    await rest.call('ka10001', { stk_cd: '005930' }); // 429, then retried
    await expect(rest.call('ka10004', { stk_cd: '005930' })).rejects.toBeInstanceOf(ApiError);
    fake.expireTokens();
    await rest.call('ka10001', { stk_cd: '005930' }); // rejected, re-issued, retried
    // What a careless caller might log through the same logger:
    logger.debug({ headers: { authorization: `Bearer ${fake.issued[1]}` }, appkey: APPKEY }, `using ${fake.issued[1]}`);
    await rest.revoke();
    await rest.close();

    const text = lines.join('');
    expect(fake.issued).toHaveLength(2);
    for (const secret of [APPKEY, SECRETKEY, ...fake.issued]) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
    // The session was really logged, at debug level, per component.
    const messages = lines.map((l) => JSON.parse(l) as { msg: string; component?: string });
    for (const msg of ['token issued', 'request', 'response', 'rate limited by Kiwoom', 'token rejected; re-issuing once', 'undocumented response field kept', 'token revoked']) {
      expect(messages.map((m) => m.msg)).toContain(msg);
    }
    const components = new Set(messages.map((m) => m.component));
    expect(components).toContain('rest');
    expect(components).toContain('token');
    // The limiter logs only a request that had to wait, which a loaded machine (or Stryker's
    // instrumented code) can make happen; no other component logs here.
    for (const c of components) expect(['rest', 'token', 'limiter', undefined]).toContain(c);
  });

  it('a secret that server text repeats is removed at every occurrence, from log lines and from the error', async () => {
    const { lines, stream } = capture();
    const rest = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, baseUrl: BASE, logger: createLogger({ level: 'debug', destination: stream }) });
    fake.on('ka10004', () => ({ return_code: 2, return_msg: `입력 값 오류입니다[1517:appkey=${APPKEY}, 다시 ${APPKEY}; secret=${SECRETKEY}/${SECRETKEY}]` }));
    const err = await rest.call('ka10004', { stk_cd: '005930' }).catch((e: unknown) => e);
    await rest.close();
    expect(err).toBeInstanceOf(ApiError);
    const message = (err as ApiError).message;
    expect(message).toContain('1517');
    // The server's text, not any line with those digits: a line's epoch-ms time can hold "1517".
    const logged = lines.filter((l) => l.includes('[1517:'));
    expect(logged.length).toBeGreaterThan(0);
    for (const text of [message, ...logged]) {
      for (const secret of [APPKEY, SECRETKEY]) expect(text).not.toContain(secret);
      expect(text.split(REDACTED).length - 1).toBeGreaterThanOrEqual(4);
    }
  });

  it('undocumented fields are logged once per api-id and key', async () => {
    const { lines, stream } = capture();
    const rest = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, baseUrl: BASE, logger: createLogger({ level: 'debug', destination: stream }) });
    fake.on('ka10001', () => ok({ stk_cd: '005930', brand_new: '1' }));
    await rest.call('ka10001', { stk_cd: '005930' });
    await rest.call('ka10001', { stk_cd: '005930' });
    await rest.close();
    const reports = lines.map((l) => JSON.parse(l) as { msg: string; field?: string }).filter((l) => l.msg === 'undocumented response field kept');
    expect(reports.map((r) => r.field)).toEqual(['brand_new']);
  });

  it('secrets belong to their client: tokens rotate out, and a closed client leaves nothing in the logger', async () => {
    const { stream } = capture();
    const logger = createLogger({ level: 'debug', destination: stream });
    const limits = { perApiId: 1_000, query: 1_000, global: 1_000 };
    const a = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, baseUrl: BASE, logger, limits });
    const b = new KiwoomRest({ ...viaMsw, appkey: 'other-appkey-0123456789', secretkey: 'other-secret-0123456789', baseUrl: BASE, logger });
    fake.on('ka10001', () => ok({ stk_cd: '005930' }));
    for (let i = 0; i < 40; i++) {
      fake.expireTokens();
      await a.call('ka10001', { stk_cd: '005930' });
    }
    // Forty tokens were issued to a; its scrubber holds its two keys and the latest tokens only.
    expect(fake.issued.length).toBeGreaterThanOrEqual(40);
    expect(a.scrubber.size).toBeLessThanOrEqual(2 + 32);
    expect(a.scrubber.scrub(fake.issued.at(-1)!)).toBe(REDACTED);
    // Both clients' secrets are scrubbed from the shared logger while they are open...
    expect(scrubFor(logger, `${APPKEY} other-appkey-0123456789`)).toBe(`${REDACTED} ${REDACTED}`);
    await a.close();
    // ...and a closed client's are gone from it; the other's stay.
    expect(scrubFor(logger, `${APPKEY} other-appkey-0123456789`)).toBe(`${APPKEY} ${REDACTED}`);
    await b.close();
  });

  it("a caller's own pino logger (without our options) still gets redaction in the component children", () => {
    const { lines, stream } = capture();
    const child = componentLogger(pino({ level: 'debug' }, stream), 'rest');
    child.debug({ token: 'abc', nested: { secretkey: 'def', deeper: { authorization: 'Bearer ghi' } } }, 'x');
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      component: 'rest',
      token: REDACTED,
      nested: { secretkey: REDACTED, deeper: { authorization: REDACTED } },
    });
  });
});

describe('log components', () => {
  it("a call held for the client's rate budget is logged as 'throttled' by the limiter component", async () => {
    const { lines, stream } = capture();
    const rest = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, baseUrl: BASE, logger: createLogger({ level: 'debug', destination: stream }), limits: { perApiId: 20 } });
    await Promise.all([rest.call('ka10001', { stk_cd: '005930' }), rest.call('ka10001', { stk_cd: '005930' })]);
    await rest.close();
    const throttled = lines.map((l) => JSON.parse(l) as { msg: string; component?: string }).filter((m) => m.msg === 'throttled');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((m) => m.component === 'limiter')).toBe(true);
  });
});

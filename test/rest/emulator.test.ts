/**
 * End to end against the built-in emulator: a real HTTP server on loopback speaking Kiwoom's
 * protocol, with its own token store, rate limits and fault switches.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OrderUnknownError, ValidationError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { KiwoomRest, type KiwoomRestOptions, type RateLimitedInfo } from '../../src/rest/index.js';

let emu: Emulator;
const clients: KiwoomRest[] = [];

beforeAll(async () => {
  emu = await startEmulator({ seed: 7 });
});
afterAll(async () => {
  await emu.close();
});
afterEach(async () => {
  emu.faults.delay(0);
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(options: Partial<KiwoomRestOptions> = {}): KiwoomRest {
  const rest = new KiwoomRest({
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    baseUrl: emu.restUrl,
    limits: { backoffMs: 50, maxBackoffMs: 400 },
    ...options,
  });
  clients.push(rest);
  return rest;
}

describe('KiwoomRest against the emulator', () => {
  it('issues a token and answers ka10001 for Samsung Electronics', async () => {
    const rest = client();
    const issuedBefore = emu.stats().tokensIssued;
    const { body } = await rest.call('ka10001', { stk_cd: '005930' });
    expect(body.return_code).toBe(0);
    expect(body.stk_cd).toBe('005930');
    expect(body.stk_nm).toBe('삼성전자');
    expect(emu.stats().tokensIssued).toBe(issuedBefore + 1);
  });

  it('pages a minute chart (ka10080) with cont-yn / next-key until the history ends or maxPages', async () => {
    const rest = client();
    const all = await rest.collect('ka10080', { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1' }, { maxPages: 3 });
    expect(all.pages.length).toBeGreaterThan(1);
    expect(all.pages[0]?.contYn).toBe('Y');
    const rows = all.body.stk_min_pole_chart_qry as Array<{ cntr_tm: string }>;
    expect(rows.length).toBe(all.pages.reduce((n, p) => n + (p.body.stk_min_pole_chart_qry as unknown[]).length, 0));
    // Newest first, and pages continue where the previous one stopped: no repeated bar.
    expect(new Set(rows.map((r) => r.cntr_tm)).size).toBe(rows.length);
  });

  it('pages a daily chart (ka10081) to its end', async () => {
    // Its 15 pages at the live 5/s would take 3 s: a server and a client with a wider budget (the
    // pacing against the live budget is the next tests' and rate-limit.test.ts's).
    const wide = await startEmulator({ seed: 7, rateLimits: { perApiId: 100 } });
    try {
      const rest = client({ appkey: wide.appkey, secretkey: wide.secretkey, baseUrl: wide.restUrl, limits: { perApiId: 100, query: 100, global: 100 } });
      const all = await rest.collect('ka10081', { stk_cd: '005930', base_dt: '', upd_stkpc_tp: '1' });
      expect(all.pages.length).toBeGreaterThan(10);
      expect(all.truncated).toBe(false);
      expect(all.pages.at(-1)?.contYn).toBe('N');
      expect((all.body.stk_dt_pole_chart_qry as unknown[]).length).toBeGreaterThan(0);
      expect(wide.stats().rateLimited).toBe(0);
    } finally {
      await wide.close();
    }
  });

  it('recovers from HTTP 429s with back-off, and reports each', async () => {
    const rest = client();
    await rest.token();
    const events: RateLimitedInfo[] = [];
    rest.on('rateLimited', (info) => events.push(info));
    const before = emu.stats().rateLimited;
    emu.faults.rateLimitNext(2);
    const { body } = await rest.call('ka10001', { stk_cd: '000660' });
    expect(body.stk_cd).toBe('000660');
    expect(emu.stats().rateLimited - before).toBe(2);
    expect(events.map((e) => [e.apiId, e.willRetry])).toEqual([
      ['ka10001', true],
      ['ka10001', true],
    ]);
  });

  it('recovers from an expired token with one re-issue', async () => {
    const rest = client();
    await rest.call('ka10001', { stk_cd: '005930' });
    const first = await rest.token();
    emu.faults.expireTokens();
    const issuedBefore = emu.stats().tokensIssued;
    const { body } = await rest.call('ka10001', { stk_cd: '005930' });
    expect(body.return_code).toBe(0);
    expect(emu.stats().tokensIssued).toBe(issuedBefore + 1);
    expect(await rest.token()).not.toBe(first);
  });

  it('an order whose answer is late is an OrderUnknownError and reaches the ledger exactly once', async () => {
    // undici's timers resolve to about half a second: the answer comes well after the cap.
    const rest = client({ timeouts: { totalMs: 150 } });
    await rest.token();
    const ordersBefore = emu.orderLedger().length;
    emu.faults.delay(1_500);
    const error = await rest
      .call('kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderUnknownError);
    // The emulator books an order as it arrives (the delay holds only the answer): a resend would be
    // booked at once, or after a back-off (400 ms at most here).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(emu.orderLedger().length - ordersBefore).toBe(1);
  });

  it('stays inside the server budget: 12 quick calls to one api-id, no 429', async () => {
    const rest = client();
    await rest.token();
    const before = emu.stats().rateLimited;
    await Promise.all(Array.from({ length: 12 }, () => rest.call('ka10001', { stk_cd: '005930' })));
    expect(emu.stats().rateLimited - before).toBe(0);
  });

  it('refuses bad input before the emulator sees anything', async () => {
    const rest = client();
    const before = emu.requestLog().length;
    // @ts-expect-error -- missing required fields do not compile either; a JavaScript caller meets the run-time check
    await expect(rest.call('ka10081', { stk_cd: '005930' })).rejects.toBeInstanceOf(ValidationError);
    expect(emu.requestLog().length).toBe(before);
  });

  it('a whole session at debug level logs no key and no token', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
    const rest = client({ logger });
    const tokens = [await rest.token()];
    await rest.call('ka10001', { stk_cd: '005930' });
    emu.faults.rateLimitNext(1);
    await rest.call('ka10001', { stk_cd: '005930' });
    emu.faults.expireTokens();
    await rest.call('ka10001', { stk_cd: '005930' });
    tokens.push(await rest.token());
    await rest.call('ka10001', { stk_cd: '999999' }).catch(() => undefined);
    await rest.revoke();
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [emu.appkey, emu.secretkey, ...tokens]) expect(text).not.toContain(secret);
  });
});

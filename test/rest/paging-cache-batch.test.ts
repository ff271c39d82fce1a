import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, ValidationError } from '../../src/errors.js';
import { ok, reply, startFakeKiwoom, type FakeKiwoom, type SeenRequest, clientFactory } from './fake-kiwoom.js';

let fake: FakeKiwoom;
const { client, closeAll } = clientFactory();
const CHART = { stk_cd: '005930', base_dt: '20250101', upd_stkpc_tp: '1' };

/** Serves `total` chart pages of two rows each; page n answers next-key `K<n+1>`. */
function servePages(total: number): void {
  fake.on('ka10081', (request: SeenRequest) => {
    const page = request.nextKey ? Number(request.nextKey.slice(1)) : 1;
    const rows = [{ dt: `p${page}-a` }, { dt: `p${page}-b` }];
    const more = page < total;
    return reply(ok({ stk_cd: '005930', stk_dt_pole_chart_qry: rows }), {
      headers: more ? { 'cont-yn': 'Y', 'next-key': `K${page + 1}` } : { 'cont-yn': 'N' },
    });
  });
}

beforeEach(() => {
  fake = startFakeKiwoom();
});
afterEach(async () => {
  fake.server.close();
  await closeAll();
});

describe('continuation paging', () => {
  it('pages() repeats the same body with cont-yn Y and the previous next-key until cont-yn N', async () => {
    servePages(3);
    const rest = client();
    const pages = [];
    for await (const page of rest.pages('ka10081', CHART)) pages.push(page);
    expect(pages.map((p) => [p.contYn, p.nextKey])).toEqual([
      ['Y', 'K2'],
      ['Y', 'K3'],
      ['N', ''],
    ]);
    const sent = fake.calls('ka10081');
    expect(sent.map((r) => [r.contYn, r.nextKey])).toEqual([
      ['N', ''],
      ['Y', 'K2'],
      ['Y', 'K3'],
    ]);
    expect(sent.every((r) => JSON.stringify(r.body) === JSON.stringify(CHART))).toBe(true);
  });

  it('collect() merges the list fields of every page', async () => {
    servePages(3);
    const rest = client();
    const all = await rest.collect('ka10081', CHART);
    expect(all.pages).toHaveLength(3);
    expect(all.truncated).toBe(false);
    expect((all.body.stk_dt_pole_chart_qry as Array<{ dt: string }>).map((r) => r.dt)).toEqual([
      'p1-a', 'p1-b', 'p2-a', 'p2-b', 'p3-a', 'p3-b',
    ]);
    expect(all.body.stk_cd).toBe('005930');
  });

  it('collect() stops at maxPages and says the result is truncated', async () => {
    servePages(10);
    const rest = client();
    const some = await rest.collect('ka10081', CHART, { maxPages: 2 });
    expect(some.pages).toHaveLength(2);
    expect(some.truncated).toBe(true);
    expect(fake.calls('ka10081')).toHaveLength(2);
  });

  it('stops when the server says Y but gives no next-key, instead of refetching page one forever', async () => {
    fake.on('ka10081', () => reply(ok({ stk_dt_pole_chart_qry: [] }), { headers: { 'cont-yn': 'Y' } }));
    const rest = client();
    const all = await rest.collect('ka10081', CHART);
    expect(all.pages).toHaveLength(1);
    expect(all.truncated).toBe(false);
    // At maxPages too: the missing key ended the paging, not maxPages.
    expect((await rest.collect('ka10081', CHART, { maxPages: 1 })).truncated).toBe(false);
  });

  it('stops when the server says N, even with a next-key', async () => {
    fake.on('ka10081', () => reply(ok({ stk_dt_pole_chart_qry: [] }), { headers: { 'cont-yn': 'N', 'next-key': 'K2' } }));
    const rest = client();
    const all = await rest.collect('ka10081', CHART);
    expect(all.pages).toHaveLength(1);
    expect(all.truncated).toBe(false);
    expect(fake.calls('ka10081')).toHaveLength(1);
    // At maxPages too: the server said it had no more.
    expect((await rest.collect('ka10081', CHART, { maxPages: 1 })).truncated).toBe(false);
  });

  it('collect() that reads exactly maxPages pages, the last of them final, is not truncated', async () => {
    servePages(3);
    const rest = client();
    const all = await rest.collect('ka10081', CHART, { maxPages: 3 });
    expect(all.pages).toHaveLength(3);
    expect(all.truncated).toBe(false);
  });

  it('refuses a maxPages that is not a positive integer', async () => {
    const rest = client();
    await expect(rest.collect('ka10081', CHART, { maxPages: 0 })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('response cache', () => {
  it('is off by default', async () => {
    const rest = client();
    await rest.call('ka10001', { stk_cd: '005930' });
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it('answers a repeated query from cache until its TTL (ka10001: 1 h) passes', async () => {
    let now = Date.now();
    const rest = client({ cache: true, now: () => now });
    const first = await rest.call('ka10001', { stk_cd: '005930' });
    now += 59 * 60_000;
    const second = await rest.call('ka10001', { stk_cd: '005930' });
    expect(second).toEqual(first);
    expect(fake.calls('ka10001')).toHaveLength(1);
    now += 2 * 60_000;
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it('uses the per-api-id TTLs (kt00001: 10 s) and accepts overrides', async () => {
    let now = Date.now();
    const rest = client({ cache: { ttlMs: { ka10001: 1_000 } }, now: () => now });
    await rest.call('kt00001', { qry_tp: '3' });
    now += 9_000;
    await rest.call('kt00001', { qry_tp: '3' });
    expect(fake.calls('kt00001')).toHaveLength(1);
    now += 2_000;
    await rest.call('kt00001', { qry_tp: '3' });
    expect(fake.calls('kt00001')).toHaveLength(2);

    await rest.call('ka10001', { stk_cd: '005930' });
    now += 1_500;
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it('keys on the body (any key order) and the next-key', async () => {
    const rest = client({ cache: true });
    await rest.call('ka10081', { stk_cd: '005930', base_dt: '20250101', upd_stkpc_tp: '1' });
    await rest.call('ka10081', { upd_stkpc_tp: '1', base_dt: '20250101', stk_cd: '005930' });
    expect(fake.calls('ka10081')).toHaveLength(1);
    await rest.call('ka10081', CHART, { contYn: 'Y', nextKey: 'K2' });
    await rest.call('ka10081', { ...CHART, stk_cd: '000660' });
    expect(fake.calls('ka10081')).toHaveLength(3);
  });

  it('never caches an order, even one given a TTL', async () => {
    const rest = client({ cache: { ttlMs: { kt10000: 60_000 } } });
    const buy = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' };
    await rest.call('kt10000', buy);
    await rest.call('kt10000', buy);
    expect(fake.calls('kt10000')).toHaveLength(2);
  });

  it('clearCache() drops what was kept: the next call is sent', async () => {
    const rest = client({ cache: true });
    await rest.call('ka10001', { stk_cd: '005930' });
    rest.clearCache();
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it('hands out copies: editing a result does not change the next answer', async () => {
    const rest = client({ cache: true });
    const first = await rest.call('ka10001', { stk_cd: '005930' });
    first.body.stk_nm = 'edited';
    const second = await rest.call('ka10001', { stk_cd: '005930' });
    expect(second.body.stk_nm).toBeUndefined();
  });

  it('never caches orders, api-ids without a TTL, or failures', async () => {
    const rest = client({ cache: true });
    const buy = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' };
    await rest.call('kt10000', buy);
    await rest.call('kt10000', buy);
    expect(fake.calls('kt10000')).toHaveLength(2);
    await rest.call('ka10004', { stk_cd: '005930' });
    await rest.call('ka10004', { stk_cd: '005930' });
    expect(fake.calls('ka10004')).toHaveLength(2);
    fake.on('ka10080', (_req, count) => (count === 1 ? { return_code: 2, return_msg: '입력 값 오류입니다[1902:종목 정보가 없습니다]' } : ok()));
    const chart = { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1' };
    await expect(rest.call('ka10080', chart)).rejects.toBeInstanceOf(ApiError);
    await rest.call('ka10080', chart);
    expect(fake.calls('ka10080')).toHaveLength(2);
  });
});

describe('batch', () => {
  it('returns results and per-code errors together, in input order', async () => {
    fake.on('ka10001', (request) => {
      const code = (request.body as { stk_cd: string }).stk_cd;
      return code === '999999'
        ? { return_code: 2, return_msg: `입력 값 오류입니다[1902:종목 정보가 없습니다. 입력한 종목코드 값을 확인바랍니다. 종목코드=${code}]` }
        : ok({ stk_cd: code });
    });
    const rest = client();
    const results = await rest.batch('ka10001', ['005930', '999999', '000660', ''], (code) =>
      code === '' ? ({ stk_cd: null } as unknown as { stk_cd: string }) : { stk_cd: code },
    );
    expect(results.map((r) => [r.code, r.ok])).toEqual([
      ['005930', true],
      ['999999', false],
      ['000660', true],
      ['', false],
    ]);
    const [first, bad, , invalid] = results;
    expect(first?.ok && first.value.body.stk_cd).toBe('005930');
    expect(!bad?.ok && bad?.error).toBeInstanceOf(ApiError);
    expect(!invalid?.ok && invalid?.error).toBeInstanceOf(ValidationError);
    expect(fake.calls('ka10001')).toHaveLength(3);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    fake.on('ka10001', async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      return ok();
    });
    const rest = client();
    const codes = Array.from({ length: 12 }, (_, i) => String(i).padStart(6, '0'));
    const results = await rest.batch('ka10001', codes, (code) => ({ stk_cd: code }), { concurrency: 3 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(peak).toBe(3);
  });
});

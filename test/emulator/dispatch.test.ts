import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { call, issueToken, post } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function started(options: EmulatorOptions = {}): Promise<{ emu: Emulator; token: string }> {
  emu = await startEmulator({ marketTicksPerSecond: 0, ...options });
  return { emu, token: await issueToken(emu) };
}

describe('api-id and body checks', () => {
  test('1504 for an api-id on the wrong path, 1505 for an unknown one, 1501 for none', async () => {
    const { emu, token } = await started();
    const auth = { authorization: `Bearer ${token}` };
    const wrongPath = await post(emu, '/api/dostk/chart', { stk_cd: '005930' }, { ...auth, 'api-id': 'ka10001' });
    expect(wrongPath.body).toEqual({
      return_code: 2,
      return_msg: '입력 값 오류입니다[1504:해당 URI에서는 지원하는 API ID가 아닙니다. API ID=ka10001, URI=/api/dostk/chart]',
    });
    expect(wrongPath.headers.get('api-id')).toBe('ka10001');
    const unknown = await post(emu, '/api/dostk/stkinfo', {}, { ...auth, 'api-id': 'ka99999' });
    expect(unknown.body.return_msg).toBe('입력 값 오류입니다[1505:해당 API ID는 존재하지 않습니다. API ID=ka99999]');
    const none = await post(emu, '/api/dostk/stkinfo', {}, auth);
    expect(none.body.return_msg).toContain('[1501:');
  });

  test('1511 names the first missing required field, and nothing reaches the order book', async () => {
    const { emu, token } = await started();
    const a = await call(emu, token, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', trde_tp: '3' });
    expect(a.body).toEqual({
      return_code: 2,
      return_msg: '입력 값 오류입니다[1511:필수 입력 값에 값이 존재하지 않습니다. 필수입력 파라미터=ord_qty]',
    });
    expect(emu.orderLedger()).toHaveLength(0);
    expect(emu.stats().orders).toBe(0);
  });

  test('a body that is not a JSON object is refused with 1517', async () => {
    const { emu, token } = await started();
    const res = await fetch(`${emu.restUrl}/api/dostk/stkinfo`, {
      method: 'POST',
      headers: { 'api-id': 'ka10001', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"stk_cd": ',
    });
    const body = (await res.json()) as { return_code: number; return_msg: string };
    expect(body.return_code).toBe(2);
    expect(body.return_msg).toContain('[1517:');
  });

  test('an unknown stock code is 1902', async () => {
    const { emu, token } = await started();
    const a = await call(emu, token, 'ka10001', { stk_cd: '999999' });
    expect(a.body.return_msg).toBe('입력 값 오류입니다[1902:종목 정보가 없습니다. 입력한 종목코드 값을 확인바랍니다. 종목코드=999999]');
  });
});

describe('rate limits', () => {
  test('rateLimitNext(n) answers the next n requests with HTTP 429, return_code 5 and 1700', async () => {
    const { emu, token } = await started();
    emu.faults.rateLimitNext(2);
    for (let i = 0; i < 2; i++) {
      const a = await call(emu, token, 'ka10080', { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1' });
      expect(a.status).toBe(429);
      expect(a.body).toEqual({
        return_code: 5,
        return_msg: '허용된 요청 개수를 초과하였습니다[1700:허용된 API 요청 개수를 초과하였습니다. 유량=5, API ID=ka10080]',
      });
    }
    expect((await call(emu, token, 'ka10080', { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1' })).status).toBe(200);
    expect(emu.stats().rateLimited).toBe(2);
    expect(emu.stats().byApiId.ka10080).toBe(3);
  });

  test('the per-api-id budget refuses the request over it within a second, not one paced at the budget', async () => {
    let now = Date.UTC(2026, 10, 25, 1, 0, 0);
    const { emu, token } = await started({ clock: () => now });
    const ask = () => call(emu, token, 'ka10001', { stk_cd: '005930' });
    for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(200);
    // Another api-id has its own budget.
    expect((await call(emu, token, 'ka10004', { stk_cd: '005930' })).status).toBe(200);
    const over = await ask();
    expect(over.status).toBe(429);
    expect(over.body.return_msg).toContain('유량=5, API ID=ka10001');
    // A client spacing five requests per second never meets the limit.
    for (let second = 1; second <= 3; second++) {
      now += 1000;
      for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(200);
    }
    expect(emu.stats().rateLimited).toBe(1);
  });

  test('the global budget answers 429 with 1701 across api-ids', async () => {
    const now = Date.UTC(2026, 10, 25, 1, 0, 0);
    const { emu, token } = await started({ clock: () => now, rateLimits: { perApiId: 5, global: 3 } });
    expect((await call(emu, token, 'ka10001', { stk_cd: '005930' })).status).toBe(200);
    expect((await call(emu, token, 'ka10004', { stk_cd: '005930' })).status).toBe(200);
    expect((await call(emu, token, 'ka10100', { stk_cd: '005930' })).status).toBe(200);
    const over = await call(emu, token, 'ka10099', { mrkt_tp: '0' });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ return_code: 5 });
    expect(over.body.return_msg).toContain('[1701:허용된 전체 요청 개수를 초과하였습니다. 총유량=3]');
  });
});

describe('mock mode', () => {
  test('APIs the mock domain lacks answer 8104 or RC9000; prod serves them', async () => {
    const { emu, token } = await started({ mode: 'mock' });
    const ka01690 = await call(emu, token, 'ka01690', { qry_dt: '20261125' });
    expect(ka01690.body).toEqual({ return_code: 2, return_msg: '입력 값 오류입니다[8104:모의투자에서 지원하지 않는 API 입니다.]' });
    const kt00002 = await call(emu, token, 'kt00002', { strt_dt: '20261101', end_dt: '20261125' });
    expect(kt00002.body).toEqual({ return_code: 20, return_msg: '[2000](RC9000:모의투자에서는 해당업무가 제공되지 않습니다.)' });
    const credit = await call(emu, token, 'kt10006', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' });
    expect(credit.body.return_code).toBe(20);
    expect(emu.orderLedger()).toHaveLength(0);
    await emu.close();

    const prod = await started({ mode: 'prod' });
    expect((await call(prod.emu, prod.token, 'ka01690', { qry_dt: '20261125' })).body.return_code).toBe(0);
  });

  test('the mock domain is KRX only: NXT/SOR orders and _NX/_AL codes are refused', async () => {
    const { emu, token } = await started({ mode: 'mock' });
    const nxt = await call(emu, token, 'kt10000', { dmst_stex_tp: 'NXT', stk_cd: '005930', ord_qty: '1', trde_tp: '3' });
    expect(nxt.body.return_msg).toBe('[2000](RC9000:모의투자에서는 해당업무가 제공되지 않습니다.)');
    const sor = await call(emu, token, 'kt10001', { dmst_stex_tp: 'SOR', stk_cd: '005930', ord_qty: '1', trde_tp: '3' });
    expect(sor.body.return_code).toBe(20);
    const nxCode = await call(emu, token, 'ka10001', { stk_cd: '005930_NX' });
    expect(nxCode.body.return_code).toBe(20);
    const krx = await call(emu, token, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' });
    expect(krx.body).toMatchObject({ return_code: 0, dmst_stex_tp: 'KRX', return_msg: '모의투자 매수주문완료' });
    expect(emu.orderLedger()).toHaveLength(1);
  });

  test('prod accepts NXT orders and _NX codes', async () => {
    const { emu, token } = await started();
    const q = await call(emu, token, 'ka10001', { stk_cd: '005930_NX' });
    expect(q.body).toMatchObject({ return_code: 0, stk_cd: '005930_NX', stk_nm: '삼성전자' });
    const o = await call(emu, token, 'kt10000', { dmst_stex_tp: 'NXT', stk_cd: '005930', ord_qty: '1', trde_tp: '3' });
    expect(o.body).toMatchObject({ return_code: 0, dmst_stex_tp: 'NXT' });
    expect(emu.orderLedger()[0]?.exchange).toBe('NXT');
  });
});

describe('HTTP faults', () => {
  test('dropNextRequests destroys the socket without an answer, then serving resumes', async () => {
    const { emu, token } = await started();
    emu.faults.dropNextRequests(1);
    await expect(call(emu, token, 'ka10001', { stk_cd: '005930' })).rejects.toThrow();
    expect((await call(emu, token, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(0);
    expect(emu.requestLog().map((e) => e.status)).toEqual([200, 0, 200]);
  });

  test('delay(ms) still answers every request, and delay(0) stops delaying', async () => {
    const { emu, token } = await started();
    emu.faults.delay(30);
    const a = await call(emu, token, 'ka10001', { stk_cd: '005930' });
    expect(a.body.return_code).toBe(0);
    emu.faults.delay(0);
    expect((await call(emu, token, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(0);
  });
});

test('the request log keeps the newest requestLogLimit entries', async () => {
  const { emu, token } = await started({ requestLogLimit: 3 });
  for (const code of ['005930', '000660', '035720', '035420']) await call(emu, token, 'ka10001', { stk_cd: code });
  expect(emu.requestLog().map((e) => (e.body as { stk_cd?: string }).stk_cd)).toEqual(['000660', '035720', '035420']);
  expect(emu.stats().requests).toBe(5);
});

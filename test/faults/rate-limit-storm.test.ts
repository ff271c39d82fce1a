/**
 * 429 storms while a consumer queries and orders: every query completes (retried after the
 * server's limit), no order is ever sent twice (the emulator's order ledger), and an order that
 * hit the limit says so: OP_ERR_ORD_OVERFLOW (-308) from SendOrder (or OP_ERR_SISE_OVERFLOW,
 * -200, when the limit struck the stock-master lookup before the order), RateLimitError from
 * KiwoomRest, and it is not in the ledger.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { RateLimitError } from '../../src/errors.js';
import { APIServer } from '../../src/facade/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { LONG, captureLogs, countSecrets, echoSecrets, recordFigures, recordIssuedTokens, sleep, waitUntil, openEmulatedApi } from './harness.js';

const STORMS = LONG ? 60 : 6;
const logs = captureLogs();
const tokens = recordIssuedTokens();
const figures = { storms: 0, server429s: 0, stormQueries: 0, stormQueriesFailed: 0, stormOrders: 0, ordersRateLimited: 0, ordersSentTwice: 0 };
const secrets: string[] = [];

let api: APIServer;
let emu: Emulator;

beforeAll(async () => {
  ({ api, emu } = await openEmulatedApi(logs, tokens, {
    // Short back-off so that the short form stays short; enough retries to outlast one storm.
    rest: { limits: { perApiId: 20, query: 20, order: 20, global: 40, backoffMs: 20, maxBackoffMs: 80, maxRetries: 10 } },
    emulator: { seed: 8, realRate: 50, rateLimits: { perApiId: 100, global: 400 } },
  }));
  secrets.push(emu.appkey, emu.secretkey);
  expect(await api.CommConnect()).toBe(0);
});

afterAll(async () => {
  await api?.cleanup();
});

describe('429 storms on queries and orders through APIServer', () => {
  test('every query completes, no order is sent twice, rate-limited orders report -308', async () => {
    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    // The cheapest listing at its lower limit: resting orders tie up as little cash as possible.
    const code = [...emu.state.master].filter((st) => st.market === '0').sort((x, y) => x.prevClose - y.prevClose)[0]!.code;
    const low = emu.state.quote(code)!.lowerLimit;
    let stop = false;
    const queryReturns: number[] = [];
    const orderReturns = new Map<number, number>();
    const msgs = new Map<number, string>();
    const queryLoop = async (): Promise<void> => {
      for (let n = 0; !stop; n++) {
        api.SetInputValue('종목코드', code);
        queryReturns.push(await api.CommRqData(`q${n}`, 'opt10001', 0, '0101'));
      }
    };
    // Each order has its own quantity, so that the ledger tells which ones were accepted.
    const orderLoop = async (): Promise<void> => {
      for (let qty = 1; !stop; qty++) {
        orderReturns.set(qty, await api.SendOrder(`o${qty}`, '5000', accno, 1, code, qty, low, '00', ''));
        if (orderReturns.get(qty) !== 0) msgs.set(qty, api.GetLastError()?.message ?? '');
        await sleep(5);
      }
    };
    const loops = Promise.all([queryLoop(), orderLoop()]);
    for (let storm = 0; storm < STORMS; storm++) {
      await sleep(250);
      // A storm of n 429s, over before the next begins (retries are counted, not timed).
      const n = 3 + (storm % 4) * 2;
      const before = emu.stats().rateLimited;
      emu.faults.rateLimitNext(n);
      await waitUntil(() => emu.stats().rateLimited >= before + n, 'the storm to pass');
      figures.storms++;
    }
    await sleep(300);
    stop = true;
    await loops;

    const rateLimited = emu.stats().rateLimited;
    figures.server429s += rateLimited;
    figures.stormQueries += queryReturns.length;
    figures.stormQueriesFailed += queryReturns.filter((r) => r !== 0).length;
    figures.stormOrders += orderReturns.size;
    expect(rateLimited).toBeGreaterThan(0);
    expect(queryReturns.length).toBeGreaterThan(STORMS);
    expect(queryReturns.filter((r) => r !== 0)).toEqual([]);

    const ledger = emu.orderLedger().filter((o) => o.code === code && o.origOrdNo === '');
    for (const [qty, ret] of orderReturns) {
      const copies = ledger.filter((o) => o.qty === qty).length;
      if (copies > 1) figures.ordersSentTwice++;
      if (ret === -308 || ret === -200) figures.ordersRateLimited++;
      // Accepted once, or refused with an OCX rate-limit code and absent from the ledger.
      // -307 (not enough cash, as resting orders pile up in the soak) is a refusal too: not in the ledger either.
      const ok = ret === 0 || ret === -308 || ret === -200 || ret === -307;
      expect({ qty, copies, ok }).toEqual({ qty, copies: ret === 0 ? 1 : 0, ok: true, ...(ok ? {} : { ret, msg: msgs.get(qty) }) });
    }
    expect(figures.ordersRateLimited).toBeGreaterThan(0);
    expect(ledger).toHaveLength([...orderReturns.values()].filter((r) => r === 0).length);
  }, LONG ? 300_000 : 30_000);
});

describe('429 on an order through KiwoomRest', () => {
  test('the order rejects with RateLimitError, is not resent and is not in the ledger; the next one goes', async () => {
    const wire = await startEmulator({ seed: 2, realRate: 0 });
    tokens.track(wire);
    secrets.push(wire.appkey, wire.secretkey);
    const rest = new KiwoomRest({ appkey: wire.appkey, secretkey: wire.secretkey, baseUrl: wire.restUrl, logger: logs.logger, limits: { backoffMs: 10, maxBackoffMs: 20 } });
    try {
      await rest.token();
      const order = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3' };
      wire.faults.rateLimitNext(3);
      const error = await rest.call('kt10000', order).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(wire.requestLog().filter((r) => r.apiId === 'kt10000')).toHaveLength(1);
      expect(wire.orderLedger()).toHaveLength(0);
      // A query through the same storm is retried until it is answered.
      const { body } = await rest.call('ka10001', { stk_cd: '005930' });
      expect(body['return_code']).toBe(0);
      await sleep(50);
      const placed = await rest.call('kt10000', order);
      expect(String(placed.body['ord_no'])).toMatch(/^\d+$/);
      expect(wire.orderLedger()).toHaveLength(1);
    } finally {
      await rest.close();
      await wire.close();
    }
  });
});

test('no app key, secret key or token in any log line of this file', async () => {
  const all = [...secrets, ...tokens];
  // Each client scrubs its own secrets: the facade's client is made to log its own; the wire
  // client's token, which it never held, is only looked for.
  const own = [...new Set([emu.appkey, emu.secretkey, ...emu.issuedTokens()])];
  const found = countSecrets(logs.lines, all, await echoSecrets(api, own));
  recordFigures('rate-limit-storm', { ...figures, logLinesScanned: logs.lines.length, tokensIssued: tokens.size, secretsFound: found });
  expect(found).toBe(0);
});

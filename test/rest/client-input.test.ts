/**
 * What a program (often untyped: plain JS, the Python bridge) may pass to the REST client's
 * paging, batch and abort options: a wrong value is a ValidationError naming the field, and
 * nothing is sent; the smallest valid value works.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpError, OrderUnknownError, TimeoutError, ValidationError } from '../../src/errors.js';
import { ok, startFakeKiwoom, type FakeKiwoom, clientFactory } from './fake-kiwoom.js';

let fake: FakeKiwoom;
const { client, closeAll } = clientFactory();
beforeEach(() => {
  fake = startFakeKiwoom();
  fake.on('ka10001', () => ok({ stk_cd: '005930' }));
});
afterEach(async () => {
  fake.server.close();
  await closeAll();
});

/** The field a rejected promise's ValidationError names; its message names the call and the field too. */
async function fieldOf(p: Promise<unknown>): Promise<string> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  const field = (error as ValidationError & { field?: string }).field ?? '';
  expect((error as Error).message).toMatch(new RegExp(`^ka10001: .*${field}`));
  return field;
}

describe('REST client options', () => {
  it('continuation: contYn other than Y/N, a nextKey that is not text, or Y without a nextKey is refused, naming the field', async () => {
    const rest = client();
    const bad = (options: unknown) => rest.call('ka10001', { stk_cd: '005930' }, options as never);
    expect(await fieldOf(bad({ contYn: 'y' }))).toBe('contYn');
    expect(await fieldOf(bad({ contYn: 'N', nextKey: 5 }))).toBe('nextKey');
    expect(await fieldOf(bad({ contYn: 'Y', nextKey: '' }))).toBe('nextKey');
    expect(fake.calls('ka10001')).toHaveLength(0);
    await rest.call('ka10001', { stk_cd: '005930' }, { contYn: 'Y', nextKey: 'K1' });
    expect(fake.calls('ka10001')).toHaveLength(1);
  });

  it('collect: maxPages must be a positive integer; 1 reads one page', async () => {
    const rest = client();
    for (const maxPages of [0, -1, 1.5, Number.NaN]) {
      expect(await fieldOf(rest.collect('ka10001', { stk_cd: '005930' }, { maxPages }))).toBe('maxPages');
    }
    expect(fake.calls('ka10001')).toHaveLength(0);
    expect((await rest.collect('ka10001', { stk_cd: '005930' }, { maxPages: 1 })).pages).toHaveLength(1);
  });

  it('batch: codes must be an array and concurrency a positive integer; concurrency 1 works', async () => {
    const rest = client();
    const body = (code: string) => ({ stk_cd: code });
    expect(await fieldOf(rest.batch('ka10001', '005930' as never, body))).toBe('codes');
    for (const concurrency of [0, 1.5]) {
      expect(await fieldOf(rest.batch('ka10001', ['005930'], body, { concurrency }))).toBe('concurrency');
    }
    expect(fake.calls('ka10001')).toHaveLength(0);
    expect(await rest.batch('ka10001', ['005930', '000660'], body, { concurrency: 1 })).toHaveLength(2);
  });

  it('an already aborted signal: a TimeoutError (phase abort) naming the call, nothing sent', async () => {
    const rest = client();
    const error = await rest.call('ka10001', { stk_cd: '005930' }, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'abort' });
    expect(String((error as Error).message)).toContain('ka10001');
    expect(fake.calls('ka10001')).toHaveLength(0);
  });
});

describe('an order whose answer cannot be read', () => {
  const BUY = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' };
  const answered = async (status: number) => {
    const rest = client();
    fake.on('kt10000', () => new Response('<html>gateway</html>', { status }));
    const error = await rest.call('kt10000', BUY).catch((e: unknown) => e as Error);
    return { error, sent: fake.calls('kt10000').length };
  };

  it('HTTP 500 and an unreadable 200 or 299 may have been accepted: OrderUnknownError, sent once', async () => {
    for (const status of [500, 200, 299]) {
      const { error, sent } = await answered(status);
      expect(error, String(status)).toBeInstanceOf(OrderUnknownError);
      // What the program (and its user) must do next is in the message.
      expect((error as Error).message).toMatch(new RegExp(`^kt10000: order answered HTTP ${status} .*not resent: check open orders and fills$`));
      expect(sent).toBe(1);
      fake.server.close();
      fake = startFakeKiwoom();
    }
  });

  it('HTTP 300 or 499 is a plain HttpError: the order was not taken', async () => {
    for (const status of [300, 499]) {
      const { error } = await answered(status);
      expect(error, String(status)).toBeInstanceOf(HttpError);
      expect(error, String(status)).not.toBeInstanceOf(OrderUnknownError);
      fake.server.close();
      fake = startFakeKiwoom();
    }
  });
});

/**
 * TR queries on a fake REST port whose answers the test releases in any order: events in call
 * order, answers kept within a bound and never read across TRs, the OCX's defaults for inputs
 * REST requires, and the TR getters (GetCommDataEx, GetDataCount, GetOutputValue).
 */
import { describe, expect, test } from 'vitest';
import type { APIServerEvents } from '../../src/facade/events.js';
import type { RestAnswer, RestPort } from '../../src/facade/ports.js';
import { isRefusal } from '../../src/facade/refusal.js';
import { KEPT_ANSWERS, TrQueries } from '../../src/facade/tr-query.js';

interface Pending {
  apiId: string;
  body: Record<string, unknown>;
  answer: (body: Record<string, unknown>) => void;
}

/** A REST port that holds every call until the test answers it. */
function heldRest(): RestPort & { pending: Pending[] } {
  const pending: Pending[] = [];
  return {
    pending,
    call: (apiId, body) =>
      new Promise<RestAnswer>((resolve) => pending.push({ apiId, body, answer: (b) => resolve({ body: b, contYn: 'N', nextKey: '' }) })),
    collect: () => Promise.reject(new Error('not used')),
  };
}

/** A REST port that answers at once with `answer(apiId, body)`. */
function echoRest(answer: (apiId: string, body: Record<string, unknown>) => Record<string, unknown>): RestPort & { sent: { apiId: string; body: Record<string, unknown> }[] } {
  const sent: { apiId: string; body: Record<string, unknown> }[] = [];
  return {
    sent,
    call: (apiId, body) => {
      sent.push({ apiId, body });
      return Promise.resolve({ body: answer(apiId, body), contYn: 'N', nextKey: '' });
    },
    collect: () => Promise.reject(new Error('not used')),
  };
}

type Seen = [keyof APIServerEvents, ...unknown[]];

function queries(rest: RestPort, onEvent: (e: Seen) => void = () => undefined, now = Date.UTC(2026, 10, 25, 3)): { trq: TrQueries; warnings: string[] } {
  const warnings: string[] = [];
  const emit = ((event: keyof APIServerEvents, ...args: unknown[]) => onEvent([event, ...args])) as ConstructorParameters<typeof TrQueries>[1];
  return { trq: new TrQueries(rest, emit, (m) => void warnings.push(m), () => now), warnings };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('order and retention', () => {
  test('answers that come back in reverse order are raised in call order', async () => {
    const rest = heldRest();
    const order: string[] = [];
    const { trq } = queries(rest, (e) => {
      if (e[0] === 'OnReceiveTrData') order.push(e[2] as string);
    });
    const done = ['a', 'b', 'c'].map((rq) => {
      trq.setInput('종목코드', '005930');
      return trq.request(rq, 'opt10001', 0, '0101');
    });
    await flush();
    expect(rest.pending).toHaveLength(3);
    for (const p of [...rest.pending].reverse()) p.answer({ stk_nm: p.body['stk_cd'] });
    expect(await Promise.all(done)).toEqual([undefined, undefined, undefined]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  test('a failed request in the middle keeps its place: its OnReceiveMsg comes between the others', async () => {
    let n = 0;
    const rest: RestPort = {
      call: () => (++n === 2 ? Promise.reject(new Error('boom')) : Promise.resolve({ body: {}, contYn: 'N', nextKey: '' })),
      collect: () => Promise.reject(new Error('not used')),
    };
    const seen: string[] = [];
    const { trq } = queries(rest, (e) => seen.push(`${e[0]} ${String(e[2])}`));
    const done = ['a', 'b', 'c'].map((rq) => {
      trq.setInput('종목코드', '005930');
      return trq.request(rq, 'opt10001', 0, '0101');
    });
    const results = await Promise.all(done);
    expect(results.map((r) => (isRefusal(r) ? r.code : 0))).toEqual([0, -10, 0]);
    expect(seen).toEqual(['OnReceiveTrData a', 'OnReceiveMsg a', 'OnReceiveMsg b', 'OnReceiveTrData c', 'OnReceiveMsg c']);
  });

  test(`answers stay readable after their event, at most ${KEPT_ANSWERS} of them, oldest dropped first`, async () => {
    const rest = echoRest((_api, body) => ({ stk_nm: `name-${String(body['stk_cd'])}` }));
    const { trq } = queries(rest);
    for (let i = 0; i <= KEPT_ANSWERS; i++) {
      trq.setInput('종목코드', String(100000 + i));
      await trq.request(`rq${i}`, 'opt10001', 0, '0101');
    }
    expect(trq.data('opt10001', `rq${KEPT_ANSWERS}`, 0, '종목명')).toBe(`name-${100000 + KEPT_ANSWERS}`);
    expect(trq.data('opt10001', 'rq1', 0, '종목명')).toBe('name-100001');
    // rq0 was dropped: reading it by rqname falls back to the TR's latest answer, never to nothing stale.
    expect(trq.data('opt10001', 'rq0', 0, '종목명')).toBe(`name-${100000 + KEPT_ANSWERS}`);
    expect((trq as unknown as { results: Map<string, unknown> }).results.size).toBe(KEPT_ANSWERS);
  });

  test('a name two TRs share is never read from the other TR: "" when this TR has no answer', async () => {
    const rest = echoRest((apiId) => (apiId === 'ka10001' ? { cur_prc: '+70000' } : {}));
    const { trq } = queries(rest);
    trq.setInput('종목코드', '005930');
    await trq.request('quote', 'opt10001', 0, '0101');
    expect(trq.data('opt10001', 'quote', 0, '현재가')).toBe('+70000');
    expect(trq.data('opt10004', 'quote', 0, '현재가')).toBe('');
    expect(trq.repeatCount('opt10081', 'quote')).toBe(0);
  });
});

describe('inputs the OCX let a program leave unset', () => {
  test('opw00018 without 조회구분 and opt10081 without 기준일자 / 수정주가구분 are sent with the defaults, once noted', async () => {
    const rest = echoRest(() => ({}));
    const { trq, warnings } = queries(rest);
    trq.setInput('계좌번호', '8000000011');
    expect(await trq.request('bal', 'opw00018', 0, '0101')).toBeUndefined();
    trq.setInput('종목코드', '005930');
    expect(await trq.request('day', 'opt10081', 0, '0101')).toBeUndefined();
    expect(rest.sent.map((s) => s.body)).toEqual([
      { qry_tp: '1', dmst_stex_tp: 'KRX' },
      { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '0' },
    ]);
    expect(warnings.join('\n')).toMatch(/opw00018: input "조회구분" was not set; sending 1/);
  });

  test('what the program set wins over the default; an input with no default is still required (-202)', async () => {
    const rest = echoRest(() => ({}));
    const { trq } = queries(rest);
    trq.setInput('조회구분', '2');
    await trq.request('bal', 'opw00018', 0, '0101');
    expect(rest.sent[0]?.body['qry_tp']).toBe('2');
    const missing = await trq.request('quote', 'opt10001', 0, '0101');
    expect(isRefusal(missing) && missing.code).toBe(-202);
  });
});

describe('TR getters', () => {
  const DAILY = {
    stk_cd: '005930',
    stk_dt_pole_chart_qry: [
      { dt: '20261125', cur_prc: '70000', trde_qty: '10', trde_prica: '1', open_pric: '1', high_pric: '2', low_pric: '0' },
      { dt: '20261124', cur_prc: '69000', trde_qty: '20', trde_prica: '2', open_pric: '1', high_pric: '2', low_pric: '0' },
    ],
  };

  test('GetCommDataEx gives rows × the record outputs in the OCX order, "" where REST has none', async () => {
    const { trq } = queries(echoRest(() => DAILY));
    trq.setInput('종목코드', '005930');
    await trq.request('day', 'opt10081', 0, '0101');
    const table = trq.table('opt10081', 'day');
    expect(table).toHaveLength(2);
    // 주식일봉차트조회: 종목코드, 현재가, 거래량, 거래대금, 일자, 시가, 고가, 저가, 수정주가구분, ...
    expect(table[1]?.slice(0, 8)).toEqual(['005930', '69000', '20', '2', '20261124', '1', '2', '0']);
    expect(table[0]?.[8]).toBe('');
    expect(table[0]).toHaveLength(15);
  });

  test('GetDataCount and GetOutputValue read the record by name and the output by index, inside the event', async () => {
    const got: unknown[] = [];
    const rest = echoRest(() => DAILY);
    const ref: { trq?: TrQueries } = {};
    const { trq } = queries(rest, (e) => {
      if (e[0] !== 'OnReceiveTrData') return;
      got.push(ref.trq?.dataCount('주식일봉차트조회'), ref.trq?.outputValue('주식일봉차트조회', 1, 4), ref.trq?.dataCount('주식일봉차트'), ref.trq?.outputValue('주식일봉차트', 0, 0));
    });
    ref.trq = trq;
    trq.setInput('종목코드', '005930');
    await trq.request('day', 'opt10081', 0, '0101');
    expect(got).toEqual([2, '20261124', 1, '005930']);
    expect(trq.outputValue('주식일봉차트조회', 0, 99)).toBe('');
  });
});

/**
 * CommRqData / CommKwRqData rules on a fake REST port: what the OCX refused (with its code,
 * nothing sent), what is sent, continuation per screen and TR, the events' arguments, which
 * answer GetCommData / GetDataCount read, and the warnings a program gets once.
 */
import { describe, expect, test } from 'vitest';
import type { APIServerEvents } from '../../src/facade/events.js';
import type { RestAnswer, RestPort } from '../../src/facade/ports.js';
import { TrQueries } from '../../src/facade/tr-query.js';

interface Sent {
  apiId: string;
  body: Record<string, unknown>;
  options: { contYn?: 'Y' | 'N'; nextKey?: string } | undefined;
}

/** A REST port answering each call with the next scripted answer (the last one repeats). */
function scripted(...answers: Partial<RestAnswer>[]): RestPort & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    call: (apiId, body, options) => {
      const a = answers[Math.min(sent.length, answers.length - 1)] ?? {};
      sent.push({ apiId, body, options });
      return Promise.resolve({ body: a.body ?? {}, contYn: a.contYn ?? 'N', nextKey: a.nextKey ?? '' });
    },
    collect: () => Promise.reject(new Error('not used')),
  };
}

type Seen = [keyof APIServerEvents, ...unknown[]];

function setup(rest: RestPort, onEvent: (e: Seen, trq: TrQueries) => void = () => undefined): { trq: TrQueries; events: Seen[]; warnings: string[] } {
  const events: Seen[] = [];
  const warnings: string[] = [];
  const ref: { trq?: TrQueries } = {};
  const emit = ((event: keyof APIServerEvents, ...args: unknown[]) => {
    events.push([event, ...args]);
    onEvent([event, ...args], ref.trq!);
  }) as ConstructorParameters<typeof TrQueries>[1];
  ref.trq = new TrQueries(rest, emit, (m) => void warnings.push(m), () => Date.UTC(2026, 10, 25, 3));
  return { trq: ref.trq, events, warnings };
}

const asAny = (v: unknown): string => v as string;

describe('what CommRqData refuses, sending nothing', () => {
  test.each([
    ['a legacy TR REST lacks', 'opt10009', -201, 'TR opt10009 (주식기관요청) has no Kiwoom REST equivalent'],
    ['a REST api-id a TR maps to', 'ka10002', -201, "ka10002 is a Kiwoom REST api-id (주식거래원요청), not a legacy TR code: use CommRqData with opt10002, or call KiwoomRest.call('ka10002', ...)"],
    ['a REST api-id two TRs map to', 'ka10050', -201, "ka10050 is a Kiwoom REST api-id (ELW민감도지표요청), not a legacy TR code: use CommRqData with opt10050 or opt30008, or call KiwoomRest.call('ka10050', ...)"],
    ['a REST api-id no TR maps to', 'ka00001', -201, "ka00001 is a Kiwoom REST api-id (계좌번호조회), not a legacy TR code: call KiwoomRest.call('ka00001', ...)"],
    ['an unknown code', 'opt00000', -201, 'TR opt00000 is unknown: it is neither a legacy TR with a REST twin nor a documented api-id'],
  ])('%s', async (_, trcode, code, message) => {
    const rest = scripted({});
    const { trq, events } = setup(rest);
    expect(await trq.request('rq', trcode, 0, '0101')).toEqual({ refused: true, code, message });
    expect(rest.sent).toEqual([]);
    expect(events).toEqual([]);
  });

  test('a TR code that is not a string is refused (-201), not thrown', async () => {
    const rest = scripted({});
    const { trq } = setup(rest);
    expect(await trq.request('rq', asAny(10001), 0, '0101')).toMatchObject({ code: -201 });
    expect(rest.sent).toEqual([]);
  });

  test('a bad screen and a prevNext other than 0 or 2 are refused (-105)', async () => {
    const rest = scripted({});
    const { trq } = setup(rest);
    trq.setInput('종목코드', '005930');
    expect(await trq.request('rq', 'opt10001', 0, '0000')).toMatchObject({ code: -105, message: expect.stringMatching(/^screen must/) as unknown });
    trq.setInput('종목코드', '005930');
    expect(await trq.request('rq', 'opt10001', 1, '0101')).toMatchObject({ code: -105, message: 'prevNext must be 0 (first page) or 2 (next page), got 1' });
    expect(rest.sent).toEqual([]);
  });

  test('a required input left unset is refused (-202) naming it', async () => {
    const rest = scripted({});
    const { trq } = setup(rest);
    expect(await trq.request('rq', 'opt10001', 0, '0101')).toEqual({ refused: true, code: -202, message: 'opt10001: input "종목코드" is required (SetInputValue before CommRqData)' });
    trq.setInput('종목코드', '   ');
    expect(await trq.request('rq', 'opt10001', 0, '0101')).toMatchObject({ code: -202 });
    expect(rest.sent).toEqual([]);
  });
});

describe('what is sent', () => {
  test('input names and values are trimmed', async () => {
    const rest = scripted({});
    const { trq, warnings } = setup(rest);
    trq.setInput(' 종목코드 ', ' 005930 ');
    expect(await trq.request('rq', 'opt10001', 0, '0101')).toBeUndefined();
    expect(rest.sent).toEqual([{ apiId: 'ka10001', body: { stk_cd: '005930' }, options: {} }]);
    expect(warnings).toEqual([]);
  });

  test('SetInputValue with a non-string name or value is ignored with one warning', async () => {
    const rest = scripted({});
    const { trq, warnings } = setup(rest);
    expect(() => trq.setInput(asAny(1), '005930')).not.toThrow();
    trq.setInput('종목코드', asAny(5930));
    trq.setInput(asAny(undefined), asAny(null));
    expect(warnings).toEqual(['SetInputValue takes two strings (name, value), got number and string; ignored']);
    expect(await trq.request('rq', 'opt10001', 0, '0101')).toMatchObject({ code: -202 });
  });

  test('an input the TR does not take is warned once and not sent; the account inputs REST reads from the token are not warned', async () => {
    const rest = scripted({});
    const { trq, warnings } = setup(rest);
    for (let i = 0; i < 2; i++) {
      trq.setInput('종목코드', '005930');
      trq.setInput('없는입력', '1');
      trq.setInput('없는입력2', '1');
      await trq.request('rq', 'opt10001', 0, '0101');
    }
    trq.setInput('계좌번호', '8000000011');
    trq.setInput('전체종목구분', '0');
    trq.setInput('매매구분', '0');
    await trq.request('rq', 'opt10075', 0, '0101');
    expect(warnings).toEqual([
      'SetInputValue: "없는입력" is not an input of opt10001 that Kiwoom REST takes; ignored',
      'SetInputValue: "없는입력2" is not an input of opt10001 that Kiwoom REST takes; ignored',
    ]);
    expect(rest.sent[0]?.body).toEqual({ stk_cd: '005930' });
    expect(rest.sent[2]?.body).not.toHaveProperty('acnt_no');
  });

  test('each default filled in is warned once, per TR and input', async () => {
    const rest = scripted({});
    const { trq, warnings } = setup(rest);
    for (let i = 0; i < 2; i++) {
      trq.setInput('종목코드', '005930');
      await trq.request('day', 'opt10081', 0, '0101');
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^opt10081: input "기준일자" was not set; sending 20261125 \(/);
    expect(warnings[1]).toMatch(/^opt10081: input "수정주가구분" was not set; sending 0 \(/);
  });

  test('REST-only request keys get the facade default, or "" where it has none', async () => {
    const rest = scripted({});
    const { trq } = setup(rest);
    trq.setInput('매매구분', '1');
    trq.setInput('시장구분', '001');
    trq.setInput('기관구분', '9000');
    expect(await trq.request('rq', 'opt10065', 0, '0101')).toBeUndefined();
    expect(rest.sent[0]?.body).toMatchObject({ amt_qty_tp: '' });
  });
});

describe('continuation', () => {
  const PAGE = { body: { stk_dt_pole_chart_qry: [{ dt: '20261125' }] } };

  test('prevNext 2 sends the next-key of the last page of that screen and TR, in any case; it ends when a page says no more', async () => {
    const rest = scripted({ ...PAGE, contYn: 'Y', nextKey: 'k1' }, { ...PAGE, contYn: 'Y', nextKey: 'k2' }, { ...PAGE, contYn: 'N' });
    const { trq } = setup(rest);
    const ask = (prevNext: number, screen = '0101', trcode = 'opt10081'): Promise<unknown> => {
      trq.setInput('종목코드', '005930');
      return trq.request('day', trcode, prevNext, screen);
    };
    await ask(0, '0101', 'OPT10081');
    expect(await ask(2, '0102')).toMatchObject({ code: -105, message: expect.stringMatching(/no previous page said there was more/) as unknown });
    expect(await ask(2)).toBeUndefined();
    expect(await ask(2)).toBeUndefined();
    expect(rest.sent.map((s) => s.options)).toEqual([{}, { contYn: 'Y', nextKey: 'k1' }, { contYn: 'Y', nextKey: 'k2' }]);
    expect(await ask(2)).toMatchObject({ code: -105 });
    expect(rest.sent).toHaveLength(3);
  });

  test('prevNext 0 after a page that said there was more starts again from the first page: no next-key is sent', async () => {
    const rest = scripted({ ...PAGE, contYn: 'Y', nextKey: 'k1' });
    const { trq } = setup(rest);
    for (let i = 0; i < 2; i++) {
      trq.setInput('종목코드', '005930');
      await trq.request('day', 'opt10081', 0, '0101');
    }
    expect(rest.sent.map((s) => s.options)).toEqual([{}, {}]);
  });

  test('prevNext 2 with no first page is refused (-105), nothing sent', async () => {
    const rest = scripted({});
    const { trq } = setup(rest);
    trq.setInput('종목코드', '005930');
    expect(await trq.request('day', 'opt10081', 2, '0101')).toMatchObject({ code: -105 });
    expect(rest.sent).toEqual([]);
  });

  test('OnReceiveTrData says "2" while there is more, "0" on the last page; OnReceiveMsg carries return_msg, trimmed', async () => {
    const rest = scripted({ ...PAGE, contYn: 'Y', nextKey: 'k1', body: { ...PAGE.body, return_msg: ' 조회가 완료되었습니다 ' } }, { ...PAGE, contYn: 'N' });
    const { trq, events } = setup(rest);
    for (const prevNext of [0, 2]) {
      trq.setInput('종목코드', '005930');
      await trq.request('day', 'opt10081', prevNext, '0101');
    }
    expect(events).toEqual([
      ['OnReceiveTrData', '0101', 'day', 'opt10081', '주식일봉차트조회', '2', 0, '', '', ''],
      ['OnReceiveMsg', '0101', 'day', 'opt10081', '조회가 완료되었습니다'],
      ['OnReceiveTrData', '0101', 'day', 'opt10081', '주식일봉차트조회', '0', 0, '', '', ''],
      ['OnReceiveMsg', '0101', 'day', 'opt10081', ''],
    ]);
  });
});

describe('CommKwRqData', () => {
  test('the codes go as one ka10095 request, "|"-joined and trimmed; OnReceiveTrData names OPTKWFID', async () => {
    const rest = scripted({ body: { atn_stk_infr: [{ stk_cd: '005930' }, { stk_cd: '000660' }] } });
    const { trq, events, warnings } = setup(rest);
    expect(await trq.kwRequest(' 005930 ;;000660;', 0, 2, 0, 'kw', '0101')).toBeUndefined();
    expect(rest.sent).toEqual([{ apiId: 'ka10095', body: { stk_cd: '005930|000660' }, options: {} }]);
    expect(events[0]?.slice(0, 5)).toEqual(['OnReceiveTrData', '0101', 'kw', 'OPTKWFID', '관심종목정보']);
    expect(trq.repeatCount('OPTKWFID', 'kw')).toBe(2);
    expect(warnings).toEqual([]);
  });

  test('a count that disagrees with the list is warned once; the list is used', async () => {
    const rest = scripted({});
    const { trq, warnings } = setup(rest);
    await trq.kwRequest('005930;000660', 0, 3, 0, 'kw', '0101');
    await trq.kwRequest('005930', 0, 3, 0, 'kw', '0101');
    expect(warnings).toEqual(['CommKwRqData: nCodeCount 3 differs from the 2 codes in sArrCode; the codes are used']);
    expect(rest.sent.map((s) => s.body['stk_cd'])).toEqual(['005930|000660', '005930']);
  });

  test('100 codes are one request', async () => {
    const rest = scripted({});
    const { trq } = setup(rest);
    const codes = Array.from({ length: 100 }, (_, i) => String(100000 + i));
    expect(await trq.kwRequest(codes.join(';'), 0, 100, 0, 'kw', '0101')).toBeUndefined();
    expect(rest.sent[0]?.body['stk_cd']).toBe(codes.join('|'));
  });

  test.each([
    ['futures/options (typeFlag 3)', ['005930', 0, 1, 3], -201, 'CommKwRqData nTypeFlag 3 (futures/options, OPTFOFID): Kiwoom REST has no futures/options quotes'],
    ['typeFlag 1', ['005930', 0, 1, 1], -105, 'CommKwRqData nTypeFlag must be 0 (stocks) or 3 (futures/options), got 1'],
    ['bNext 1', ['005930', 1, 1, 0], -105, 'CommKwRqData bNext must be 0: the OCX did not support continuation, got 1'],
    ['no codes', [' ; ;', 0, 0, 0], -105, 'CommKwRqData sArrCode is empty: give codes joined by ";"'],
    ['101 codes', [Array.from({ length: 101 }, (_, i) => String(100000 + i)).join(';'), 0, 101, 0], -204, 'CommKwRqData takes at most 100 codes, got 101'],
  ] as const)('%s is refused, nothing sent', async (_, [codes, next, count, flag], code, message) => {
    const rest = scripted({});
    const { trq } = setup(rest);
    expect(await trq.kwRequest(codes, next, count, flag, 'kw', '0101')).toEqual({ refused: true, code, message });
    expect(rest.sent).toEqual([]);
  });
});

describe('which answer the getters read', () => {
  test('inside an event, GetCommData of that TR reads the event\'s answer whatever rqname it passes; another TR\'s reads its own', async () => {
    const rest = scripted({ body: { cur_prc: '+1' } }, { body: { cur_prc: '+2' } });
    const inside: string[] = [];
    const { trq } = setup(rest, (e, q) => {
      if (e[0] === 'OnReceiveTrData' && e[2] === 'b') inside.push(q.data('OPT10001', 'a', 0, '현재가'), q.data('opt10004', 'b', 0, '현재가'));
    });
    for (const rq of ['a', 'b']) {
      trq.setInput('종목코드', '005930');
      await trq.request(rq, 'opt10001', 0, '0101');
    }
    expect(inside).toEqual(['+2', '']);
    expect(trq.data(' opt10001 ', 'a', 0, '현재가')).toBe('+1');
    expect(trq.data(asAny(10001), 'a', 0, '현재가')).toBe('');
  });

  test('GetDataCount / GetOutputValue outside an event read the latest answer holding that record, by its name', async () => {
    const rows = (list: string, n: number): Record<string, unknown> => ({ [list]: Array.from({ length: n }, () => ({ tm: '0901' })) });
    const rest = scripted({ body: rows('opmr_invsr_trde_chart', 3) }, { body: rows('opaf_invsr_trde', 5) }, { body: { stk_cd: '005930', stk_dt_pole_chart_qry: [{ dt: '1' }, { dt: '2' }] } });
    const { trq } = setup(rest);
    for (const [tr, inputs] of [['opt10064', { 시장구분: '000', 금액수량구분: '1', 매매구분: '0', 종목코드: '005930' }], ['opt10066', { 시장구분: '000', 금액수량구분: '1', 매매구분: '0' }], ['opt10081', { 종목코드: '005930' }]] as const) {
      for (const [k, v] of Object.entries(inputs)) trq.setInput(k, v);
      expect(await trq.request('rq', tr, 0, '0101')).toBeUndefined();
    }
    expect(trq.dataCount('장중투자자별매매차트')).toBe(5);
    expect(trq.dataCount(' 주식일봉차트조회 ')).toBe(2);
    expect(trq.dataCount('주식일봉차트')).toBe(1);
    expect(trq.outputValue('주식일봉차트', 0, 0)).toBe('005930');
    expect(trq.dataCount('없는레코드')).toBe(0);
    expect(trq.outputValue('없는레코드', 0, 0)).toBe('');
  });

  test('inside an event, GetDataCount reads the event\'s answer whatever record it names', async () => {
    const rest = scripted({ body: { stk_cd: '005930', stk_dt_pole_chart_qry: [{ dt: '1' }, { dt: '2' }] } }, { body: { cur_prc: '+1' } });
    const counts: number[] = [];
    const { trq } = setup(rest, (e, q) => {
      if (e[0] === 'OnReceiveTrData' && e[3] === 'opt10001') counts.push(q.dataCount('주식일봉차트조회'));
    });
    trq.setInput('종목코드', '005930');
    await trq.request('day', 'opt10081', 0, '0101');
    trq.setInput('종목코드', '005930');
    await trq.request('quote', 'opt10001', 0, '0101');
    expect(counts).toEqual([1]);
  });

  test('an output the TR does not deliver reads "" and is warned once per TR and name; delivered outputs are not warned', async () => {
    const rest = scripted({ body: { stk_cd: '005930', stk_dt_pole_chart_qry: [{ dt: '20261125' }] } });
    const { trq, warnings } = setup(rest);
    trq.setInput('종목코드', '005930');
    await trq.request('day', 'opt10081', 0, '0101');
    const read = ['일자', '종목코드', ' 없는항목 ', ' 없는항목 ', '없는항목2'].map((item) => trq.data('opt10081', 'day', 0, item));
    expect(read).toEqual(['20261125', '005930', '', '', '']);
    expect(warnings.filter((w) => w.startsWith('GetCommData'))).toEqual([
      'GetCommData: "없는항목" is not an output of opt10081 that Kiwoom REST delivers; returning ""',
      'GetCommData: "없는항목2" is not an output of opt10081 that Kiwoom REST delivers; returning ""',
    ]);
  });
});

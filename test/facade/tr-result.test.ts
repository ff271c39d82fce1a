/**
 * One TR answer read as the OCX getters read it (GetCommData, GetRepeatCnt, GetDataCount,
 * GetOutputValue, GetCommDataEx and the bridge's snapshot), on the TR map's own records.
 */
import { describe, expect, test } from 'vitest';
import { getTrMapping } from '../../src/compat/tr-map.js';
import { TrResult } from '../../src/facade/tr-result.js';

const mapping = (tr: string): NonNullable<ReturnType<typeof getTrMapping>> => getTrMapping(tr)!;

const DAILY = {
  stk_cd: '005930',
  stk_dt_pole_chart_qry: [
    { dt: '20261125', cur_prc: '70000' },
    { dt: '20261124', cur_prc: '69000' },
  ],
};

describe('GetCommData', () => {
  test('values read by Korean name, trimmed; a row index that is negative or not a whole number reads ""', () => {
    const r = new TrResult('opt10081', 'day', mapping('opt10081'), DAILY);
    expect(r.value(1, ' 현재가 ')).toEqual({ value: '69000', known: true });
    expect(r.value(0, '종목코드')).toEqual({ value: '005930', known: true });
    expect(r.value(-1, '종목코드')).toEqual({ value: '', known: true });
    expect(r.value(0.5, '종목코드')).toEqual({ value: '', known: true });
    expect(r.value(2, '현재가')).toEqual({ value: '', known: true });
    expect(r.value(0, '없는항목')).toEqual({ value: '', known: false });
    expect(r.value(0, 'constructor')).toEqual({ value: '', known: false });
  });

  test('a single-record value reads the same at any row', () => {
    const r = new TrResult('opt10001', 'q', mapping('opt10001'), { stk_nm: '삼성전자' });
    expect([r.value(0, '종목명'), r.value(3, '종목명')]).toEqual([
      { value: '삼성전자', known: true },
      { value: '삼성전자', known: true },
    ]);
  });

  test('a repeated record declared with no list (opt10002) is the top-level row at index 0 only', () => {
    const r = new TrResult('opt10002', 'q', mapping('opt10002'), { stk_nm: '삼성전자', sel_trde_ori_nm_1: '키움' });
    expect(r.value(0, '매도거래원명1').value).toBe('키움');
    expect(r.value(1, '매도거래원명1').value).toBe('');
    expect(r.repeatCount()).toBe(0);
  });

  test('the row count output (출력건수) is the number of rows', () => {
    const m = mapping('opw00001');
    const list = m.multi!.list!;
    const r = new TrResult('opw00001', 'q', m, { entr: '1000', [list]: [{}, {}, {}] });
    expect(r.value(0, m.rowCountField!)).toEqual({ value: '3', known: true });
    expect(r.value(0, '예수금')).toEqual({ value: '1000', known: true });
  });

  test('numbers and booleans read as their text, null as "", objects as JSON', () => {
    const m = { single: { record: 'R', list: null, fields: { a: 'a', b: 'b', c: 'c', d: 'd', e: 'e' } } };
    const r = new TrResult('t', 'q', m, { a: 12, b: true, c: null, d: { x: 1 }, e: 'text' });
    expect(['a', 'b', 'c', 'd', 'e'].map((k) => r.value(0, k).value)).toEqual(['12', 'true', '', '{"x":1}', 'text']);
  });
});

describe('GetDataCount, GetOutputValue, GetCommDataEx', () => {
  test('the single record counts 1 and reads its outputs; the repeated one counts its rows', () => {
    const r = new TrResult('opt10081', 'day', mapping('opt10081'), DAILY);
    expect(r.recordName).toBe('주식일봉차트조회');
    expect([r.dataCount(' 주식일봉차트 '), r.dataCount('주식일봉차트조회'), r.dataCount('')]).toEqual([1, 2, 2]);
    expect(r.outputValue(' 주식일봉차트 ', 5, 0)).toBe('005930');
    expect(r.outputValue('주식일봉차트조회', 1, 1)).toBe('69000');
    expect(r.outputValue('주식일봉차트조회', 1, 99)).toBe('');
  });

  test('a TR with no record has no name, no rows and no outputs', () => {
    const r = new TrResult('t', 'q', {}, { a: 1 });
    expect([r.recordName, r.dataCount('R'), r.outputValue('R', 0, 0), r.table()]).toEqual(['', 0, '', [[]]]);
  });

  test('GetCommDataEx of a single-only TR is its one row, in the OCX output order', () => {
    const m = mapping('opt10001');
    const r = new TrResult('opt10001', 'q', m, { stk_cd: '005930', stk_nm: '삼성전자' });
    const table = r.table();
    expect(table).toHaveLength(1);
    expect(table[0]?.slice(0, 2)).toEqual(['005930', '삼성전자']);
    expect(table[0]).toHaveLength(m.single!.outputs!.length);
  });
});

describe('snapshot', () => {
  test('single holds the shared, row-count and single-record names; fields and rows the repeated record; records their outputs', () => {
    const snap = new TrResult('opt10081', 'day', mapping('opt10081'), DAILY).snapshot();
    expect(snap.single).toEqual({ 종목코드: '005930' });
    expect(snap.rows.map((row) => row[snap.fields.indexOf('현재가')])).toEqual(['70000', '69000']);
    expect(snap.records.single).toEqual({ record: '주식일봉차트', outputs: ['종목코드'] });
    expect(snap.records.multi?.record).toBe('주식일봉차트조회');
    expect(snap.records.multi?.outputs.slice(0, 2)).toEqual(['종목코드', '현재가']);

    const m = mapping('opw00001');
    const w = new TrResult('opw00001', 'q', m, { entr: '1000', [m.multi!.list!]: [{}, {}] }).snapshot();
    expect(w.single[m.rowCountField!]).toBe('2');
    expect(w.single['예수금']).toBe('1000');
    expect(Object.keys(w.single).filter((n) => w.fields.includes(n))).toEqual([]);
  });

  test('a record without an output order lists its field names', () => {
    const m = { single: { record: 'S', list: null, fields: { a: 'a', b: 'b' } }, multi: { record: 'M', list: 'l', fields: { c: 'c', a: 'a' } } };
    const snap = new TrResult('t', 'q', m, { a: 'A', b: 'B', l: [{ c: 'C', a: 'a0' }] }).snapshot();
    expect(snap.records).toEqual({ single: { record: 'S', outputs: ['a', 'b'] }, multi: { record: 'M', outputs: ['c', 'a'] } });
    expect(snap.single).toEqual({ b: 'B' });
    expect(snap.rows).toEqual([['C', 'a0']]);
  });
});

import { describe, expect, it } from 'vitest';
import { LEGACY_ONLY_TRS, TR_MAP, getLegacyOnlyTr, getTrMapping, trCodesForApi } from '../../src/compat/tr-map.js';
import { getApi } from '../../src/registry/index.js';

const mappings = Object.entries(TR_MAP);

describe('legacy TR map', () => {
  it('holds all 110 pairs the mapping source states, each matching the registry legacy codes', () => {
    const stated = mappings.filter(([, m]) => m.basis === 'stated');
    expect(stated).toHaveLength(110);
    for (const [code, m] of stated) expect(getApi(m.apiId)?.legacy, code).toContain(code.toUpperCase());
  });

  it('points every mapping at a current api-id in the registry', () => {
    for (const [code, m] of mappings) expect(getApi(m.apiId)?.status, code).toBe('current');
  });

  it('uses only request and response keys the registry documents for that api-id', () => {
    for (const [code, m] of mappings) {
      const api = getApi(m.apiId);
      const request = new Set(api?.request.map((f) => f.key));
      for (const key of [...Object.values(m.inputs), ...Object.keys(m.restOnlyInputs ?? {})]) {
        expect(request.has(key), `${code} request ${key}`).toBe(true);
      }
      for (const rec of [m.single, m.multi]) {
        if (!rec) continue;
        const scope = new Set(api?.response.filter((f) => (f.list ?? null) === rec.list).map((f) => f.key));
        const top = new Set(api?.response.filter((f) => f.list === undefined).map((f) => f.key));
        for (const key of Object.values(rec.fields)) expect(scope.has(key), `${code} ${rec.record} ${key}`).toBe(true);
        for (const key of Object.values(rec.shared ?? {})) expect(top.has(key), `${code} shared ${key}`).toBe(true);
        if (rec.list !== null) expect(api?.response.find((f) => f.key === rec.list)?.type, code).toBe('LIST');
      }
    }
  });

  it('maps opt10001 inputs and single outputs by Korean name', () => {
    const m = getTrMapping('OPT10001');
    expect(m?.apiId).toBe('ka10001');
    expect(m?.inputs).toEqual({ 종목코드: 'stk_cd' });
    expect(m?.single).toMatchObject({ list: null, fields: { 현재가: 'cur_prc', 종목명: 'stk_nm', PER: 'per' } });
  });

  it('maps opt10081 rows onto the REST list and the stock code as a shared value', () => {
    const m = getTrMapping('opt10081');
    expect(m?.inputs).toEqual({ 종목코드: 'stk_cd', 기준일자: 'base_dt', 수정주가구분: 'upd_stkpc_tp' });
    expect(m?.multi).toMatchObject({
      list: 'stk_dt_pole_chart_qry',
      pageSize: 600,
      fields: { 일자: 'dt', 시가: 'open_pric', 현재가: 'cur_prc' },
      shared: { 종목코드: 'stk_cd' },
    });
    expect(m?.unmapped.outputs).toContain('수정비율');
  });

  it('treats account and password inputs as implicit and answers the row count from the list', () => {
    const m = getTrMapping('opw00018');
    expect(m?.implicitInputs).toEqual(['계좌번호', '비밀번호', '비밀번호입력매체구분']);
    expect(m?.inputs).toEqual({ 조회구분: 'qry_tp' });
    expect(m?.restOnlyInputs).toEqual({ dmst_stex_tp: true });
    expect(m?.rowCountField).toBe('조회건수');
    expect(m?.multi?.fields['종목번호']).toBe('stk_cd');
    expect(m?.single?.fields['총수익률(%)']).toBe('tot_prft_rt');
  });

  it('matches names through qualifiers and records what stays unmatched', () => {
    expect(getTrMapping('opt10080')?.multi?.fields['현재가']).toBe('cur_prc');
    expect(getTrMapping('opt10082')?.unmapped.inputs).toEqual(['끝일자']);
    expect(getTrMapping('opt10075')?.unmapped.inputs).toEqual(['체결구분']);
  });

  it('reads the flat 호가 record of opt10004 as one top-level row', () => {
    const m = getTrMapping('opt10004');
    expect(m).toMatchObject({ apiId: 'ka10004', basis: 'inferred' });
    expect(m?.multi?.list).toBeNull();
    expect(m?.unmapped.outputs).toEqual([]);
  });

  it('lists legacy-only TRs, including the ones the source names, and never both ways', () => {
    for (const code of ['opt10070', 'opt10071', 'opt90008', 'opt90010', 'opw00014', 'opt50008', 'opt10041']) {
      expect(getLegacyOnlyTr(code)?.basis, code).toBe('stated');
    }
    expect(getLegacyOnlyTr('OPT50001')?.basis).toBe('catalog');
    for (const code of Object.keys(LEGACY_ONLY_TRS)) expect(TR_MAP[code], code).toBeUndefined();
  });

  it('finds the legacy codes of an api-id', () => {
    expect(trCodesForApi('ka10050').sort()).toEqual(['opt10050', 'opt30008']);
    expect(getTrMapping('nope')).toBeUndefined();
  });
});

describe('legacy TR map consistency with the registry', () => {
  it('pairs every stated or candidate legacy code the registry lists', () => {
    for (const [code, m] of mappings.filter(([, x]) => x.basis !== 'inferred')) {
      expect(getApi(m.apiId)?.legacy, code).toContain(code.toUpperCase());
    }
    // The source's doubtful 'OPT40008?' for ka40009 is not taken; the name pattern finds ka40008.
    expect(getTrMapping('opt40008')).toMatchObject({ apiId: 'ka40008', basis: 'inferred', unmapped: { inputs: [], outputs: [] } });
  });
});

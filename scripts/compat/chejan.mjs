/**
 * compat/chejan.json: the FIDs OnReceiveChejanData carries for gubun 0 (주문체결), 1 (잔고) and
 * 4 (파생잔고), which REST real type feeds each, and the value conventions the OCX used.
 */
import { minus } from './sources.mjs';

const REST_TYPE = { 0: '00', 1: '04', 4: null };

export function buildChejan({ ocxFids, codes }) {
  const gubun = {};
  for (const g of ['0', '1', '4']) {
    const c = ocxFids.chejan[g];
    const rest = c.fids_rest_2025 ?? [];
    gubun[g] = {
      name: c.meaning.split(' (')[0],
      realType: REST_TYPE[g],
      fids: c.fids_nkrealtime,
      restFids: rest,
      notDelivered: minus(c.fids_nkrealtime, rest),
      restOnly: minus(rest, c.fids_nkrealtime),
    };
  }
  const v = codes.real_value_codes;
  return {
    generatedFrom: 'fixtures/ocx/fids.json chejan + fixtures/ocx/codes.json real_value_codes',
    gubun,
    devGuideFids: ocxFids.chejan.devguide_chejan_fid_list,
    values: {
      '913': v.fid913_order_status.map((s) => s.split(' ')[0]),
      '907': { '1': '매도', '2': '매수' },
      '905': v.fid905_order_kind_examples,
      '912': Object.keys(v.fid912_business_class_examples),
      '9001': 'A-prefixed stock code (A005930); REST 00/04 send the bare code',
    },
  };
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REST_TYPES_PATH, renderRestTypes } from '../../scripts/gen-rest-types.mjs';
import { typecheck } from '../docs/typecheck.js';

const PRELUDE = `import { KiwoomRest } from 'kiwoom-compat';
const rest = new KiwoomRest({ appkey: 'k', secretkey: 's', simNo: 1 });
`;

/** Programs a user could write, and the TypeScript error each must give (undefined: compiles). */
const PROBES: Record<string, [code: string, error?: RegExp]> = {
  'a quote, its fields typed': [`const { body } = await rest.call('ka10001', { stk_cd: '005930' });
const price: string = body.cur_prc; const name: string = body.stk_nm; const rc: number = body.return_code;`],
  'an answer field is a string, not a number': [`const { body } = await rest.call('ka10001', { stk_cd: '005930' });
const price: number = body.cur_prc;`, /TS2322 Type 'string' is not assignable to type 'number'/],
  'a field the answer does not carry': [`const { body } = await rest.call('ka10001', { stk_cd: '005930' }); body.no_such_field;`, /TS2339 Property 'no_such_field' does not exist/],
  'an unknown api-id': [`await rest.call('ka99999', { stk_cd: '005930' });`, /TS2345 Argument of type '"ka99999"' is not assignable/],
  'a misspelt request field': [`await rest.call('ka10001', { stk_cdd: '005930' });`, /TS2561 .*'stk_cdd' does not exist.*Did you mean to write 'stk_cd'/],
  'a missing required field': [`await rest.call('ka10081', { stk_cd: '005930' });`, /TS2345 .*missing the following properties .*: base_dt, upd_stkpc_tp/s],
  'a number where Kiwoom takes a string': [`await rest.call('ka10001', { stk_cd: 5930 });`, /TS2322 Type 'number' is not assignable to type 'string'/],
  'optional request fields may be left out': [`await rest.call('ka10081', { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1' });`],
  'an api-id without request fields takes {} only': [`await rest.call('ka00001', { acctNo: '1' });`, /TS2322 Type 'string' is not assignable to type 'never'/],
  'pages: repeated records are typed arrays': [`for await (const page of rest.pages('ka10081', { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1' })) {
  const close: string | undefined = page.body.stk_dt_pole_chart_qry[0]?.cur_prc;
}`],
  'pages: a record field that does not exist': [`for await (const page of rest.pages('ka10081', { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1' })) {
  page.body.stk_dt_pole_chart_qry[0]?.no_such_field;
}`, /TS2339 Property 'no_such_field' does not exist/],
  'collect: the merged body is typed': [`const { body } = await rest.collect('kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' });
const qty: string | undefined = body.acnt_evlt_remn_indv_tot[0]?.rmnd_qty;`],
  'batch: the body builder is checked': [`await rest.batch('ka10001', ['005930'], (code) => ({ stk_code: code }));`, /TS2741 Property 'stk_cd' is missing/],
  'untyped: any api-id string, any object, an unknown body': [`const id: string = process.argv[2] ?? '';
const { body } = await rest.untyped.call(id, { anything: 1 }); const v: unknown = body.x;`],
  'the token endpoint is not a call()': [`await rest.call('au10001', {});`, /TS2345 Argument of type '"au10001"' is not assignable/],
};

const OCX_PRELUDE = `import { APIServer } from 'kiwoom-compat';
const api = new APIServer();
`;

/** The OCX's closed sets as literal unions. */
const OCX_PROBES: Record<string, [code: string, error?: RegExp]> = {
  'api_init with sim_no 0..3': [`await api.api_init({ sim_no: 3, use_rest: false });`],
  'api_init with sim_no 4': [`await api.api_init({ sim_no: 4, use_rest: false });`, /TS2322 Type '4' is not assignable to type 'SimNo'/],
  'SendOrder with order types 1..6': [`for (const t of [1, 2, 3, 4, 5, 6] as const) await api.SendOrder('rq', '2000', '1', t, '005930', 1, 0, '03', '');`],
  'SendOrder with order type 7': [`await api.SendOrder('rq', '2000', '1', 7, '005930', 1, 0, '03', '');`, /TS2345 Argument of type '7' is not assignable to parameter of type 'OrderType'/],
  'SendOrderCredit with order type 0': [`await api.SendOrderCredit('rq', '2000', '1', 0, '005930', 1, 0, '00', '03', '', '');`, /TS2345 Argument of type '0' is not assignable to parameter of type 'OrderType'/],
};

const ALL = { ...Object.fromEntries(Object.entries(PROBES).map(([k, [code, e]]) => [k, [PRELUDE + code, e] as const])), ...Object.fromEntries(Object.entries(OCX_PROBES).map(([k, [code, e]]) => [k, [OCX_PRELUDE + code, e] as const])) };
const names = Object.keys(ALL);
// One program for every probe: building it is what costs (seconds), checking each is quick.
const diagnostics = typecheck(Object.fromEntries(names.map((name, i) => [`probe${i}.ts`, `${ALL[name]![0]}\nexport {};\n`])));

function check(name: string): void {
  const i = names.indexOf(name);
  const errors = diagnostics.filter((d) => d.file === `probe${i}.ts`).map((d) => `TS${d.code} ${d.message}`);
  const expected = ALL[name]![1];
  if (expected === undefined) expect(errors).toEqual([]);
  else expect(errors).toEqual([expect.stringMatching(expected)]);
}

describe('typed REST: KiwoomRest.call is checked per api-id at compile time', () => {
  it.each(Object.keys(PROBES))('%s', check);
});

describe('APIServer: the OCX\'s closed sets are literal unions', () => {
  it.each(Object.keys(OCX_PROBES))('%s', check);
});

describe('src/rest/endpoints.ts', () => {
  it('is what scripts/gen-rest-types.mjs produces now (run `npm run generate` when this fails)', () => {
    expect(readFileSync(new URL(`../../${REST_TYPES_PATH}`, import.meta.url), 'utf8') === renderRestTypes()).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { KiwoomRest } from '../../src/rest/index.js';
import type { JsonBody } from '../../src/rest/index.js';
import { APPKEY, BASE, SECRETKEY, startFakeKiwoom, type FakeKiwoom, viaMsw } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rest: KiwoomRest;

beforeEach(() => {
  fake = startFakeKiwoom();
  rest = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, baseUrl: BASE });
});
afterEach(async () => {
  fake.server.close();
  await rest.close();
});

describe('bad input is refused before sending, naming the field', () => {
  it.each<[string, string, unknown, string, RegExp]>([
    ['an unknown api-id', 'ka99999', { stk_cd: '005930' }, 'apiId', /^ka99999: unknown api-id/],
    ['a WebSocket-only id', '0B', { stk_cd: '005930' }, 'apiId', /^0B: WebSocket-only/],
    ['a WebSocket condition TR', 'ka10172', { seq: '1' }, 'apiId', /WebSocket-only/],
    ['a token endpoint', 'au10001', {}, 'apiId', /token endpoint/],
    ['a missing required field', 'ka10081', { stk_cd: '005930', upd_stkpc_tp: '1' }, 'base_dt', /^ka10081: required field 'base_dt' \(기준일자\) is missing/],
    ['a null required field', 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: null, ord_qty: '1', trde_tp: '3' }, 'stk_cd', /'stk_cd'/],
    ['a non-object body (string)', 'ka10001', '005930', 'body', /must be a JSON object, got string/],
    ['a non-object body (array)', 'ka10001', [{ stk_cd: '005930' }], 'body', /got an array/],
    ['a null body', 'ka10001', null, 'body', /got null/],
  ])('%s', async (_, apiId, body, field, message) => {
    const error = await rest.untyped.call(apiId, body as JsonBody).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect((error as ValidationError).message).toMatch(message);
    expect(fake.seen).toHaveLength(0);
  });

  it('an empty string is a present value (official examples send tic_scope "")', async () => {
    await rest.call('ka50079', { stk_cd: 'M04020000', tic_scope: '', upd_stkpc_tp: '1' });
    expect(fake.calls('ka50079')).toHaveLength(1);
  });

  it('contYn Y without a nextKey is refused', async () => {
    const error = await rest.call('ka10001', { stk_cd: '005930' }, { contYn: 'Y' }).catch((e: unknown) => e);
    expect((error as ValidationError).field).toBe('nextKey');
    expect(fake.seen).toHaveLength(0);
  });

  it.each([
    ['appkey', { appkey: '', secretkey: SECRETKEY }],
    ['secretkey', { appkey: APPKEY, secretkey: '  ' }],
    ['simNo', { appkey: APPKEY, secretkey: SECRETKEY, simNo: 4 }],
    ['baseUrl', { appkey: APPKEY, secretkey: SECRETKEY, baseUrl: 'ftp://x' }],
    ['limits.perApiId', { appkey: APPKEY, secretkey: SECRETKEY, limits: { perApiId: 0 } }],
  ])('a bad constructor option is a ValidationError naming %s', (field, options) => {
    expect(() => new KiwoomRest(options)).toThrow(expect.objectContaining({ name: 'ValidationError', field }));
  });
});

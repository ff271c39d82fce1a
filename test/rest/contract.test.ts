/**
 * Contract: every official REST example response (fixtures/kiwoom-rest/examples) is accepted
 * by the client's response parsing when served as Kiwoom would serve it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getApi } from '../../src/registry/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { unknownKeys } from '../../src/rest/unknown-fields.js';
import { APPKEY, BASE, SECRETKEY, startFakeKiwoom, type FakeKiwoom, viaMsw } from './fake-kiwoom.js';

interface Example {
  id: string;
  transport: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

const dir = new URL('../../fixtures/kiwoom-rest/examples/', import.meta.url);
const examples = readdirSync(dir)
  .map((name) => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Example)
  .filter((e) => e.transport === 'rest')
  .sort((a, b) => a.id.localeCompare(b.id));
const trExamples = examples.filter((e) => getApi(e.id)?.category !== 'auth');

/**
 * The REST examples that contradict their own field tables (spec.json example_key_check,
 * REFERENCE §11.6). The client must accept them anyway: payloads are lenient.
 */
const CONTRADICTING_EXAMPLES: Record<string, string> = {
  ka10005: 'example has cntr_str in stk_ddwkmm records, not in the table',
  ka10030: 'envelope spelled returnCode/returnMsg',
  ka10040: 'example lacks most tdy_main_trde_ori record fields',
  ka10044: 'example records carry four undocumented price fields',
  ka10063: 'example lacks the amount fields of opmr_invsr_trde',
  ka10075: 'example oso records lack stop_pric',
  ka10076: 'example cntr records lack stop_pric',
  ka10080: 'example records carry acc_trde_qty, not in the table',
  ka10084: 'envelope spelled returnCode/returnMsg; records lack stex_tp',
  ka10088: 'example osop records carry acnt_no',
  ka20001: 'example records carry stex_tp',
  ka20005: 'example uses the daily list key inds_dt_pole_qry; the table says inds_min_pole_qry',
  ka52301: 'example records carry chg_qty and mont_trde_qty',
  ka90003: 'example shows the program-trading trend list prm_trde_trnsn',
  kt00001: 'example omits the stk_entr_prst list',
  kt00015: 'example carries acnt_no',
  kt10000: 'example lacks dmst_stex_tp',
};

const spec = JSON.parse(readFileSync(new URL('../../fixtures/kiwoom-rest/spec.json', import.meta.url), 'utf8')) as {
  apis: Record<string, { transport: string; example_key_check?: { status: string; in_example_not_documented?: string[] } }>;
};

let fake: FakeKiwoom;
let rest: KiwoomRest;
beforeAll(() => {
  fake = startFakeKiwoom();
  rest = new KiwoomRest({ ...viaMsw,
    appkey: APPKEY,
    secretkey: SECRETKEY,
    baseUrl: BASE,
    limits: { perApiId: 100_000, query: 100_000, order: 100_000, global: 100_000 },
  });
});
afterAll(async () => {
  fake.server.close();
  await rest.close();
});

describe('official REST examples', () => {
  it('cover every REST TR in the registry', () => {
    expect(trExamples.length).toBeGreaterThanOrEqual(180);
  });

  it('the list of contradicting examples matches the spec key checks of REST TRs', () => {
    const mismatched = Object.entries(spec.apis)
      .filter(([, api]) => api.transport === 'rest' && api.example_key_check?.status === 'mismatch')
      .map(([id]) => id)
      .sort();
    expect(mismatched).toEqual(Object.keys(CONTRADICTING_EXAMPLES).sort());
  });

  it.each(trExamples.map((e) => [e.id, e] as const))('%s: the example response is accepted as sent', async (id, example) => {
    fake.on(id, () => example.response);
    const result = await rest.untyped.call(id, example.request);
    const { returnCode, returnMsg, ...others } = example.response;
    const expected = returnCode === undefined ? example.response : { ...others, return_code: returnCode, return_msg: returnMsg };
    expect(result.body).toEqual(expected);
    const undocumented = unknownKeys(getApi(id)!, result.body);
    if (id in CONTRADICTING_EXAMPLES) {
      // Kept, not rejected: exactly the undocumented keys the spec's key check lists.
      const listed = (spec.apis[id]?.example_key_check?.in_example_not_documented ?? []).filter(
        (k) => k !== 'returnCode' && k !== 'returnMsg',
      );
      expect(undocumented.sort()).toEqual(listed.sort());
    } else {
      expect(undocumented).toEqual([]);
    }
  });

  it('au10001: the example token response is accepted (its 2024 expiry is treated as clock skew, not a loop)', async () => {
    const example = examples.find((e) => e.id === 'au10001')!;
    const { http, HttpResponse } = await import('msw');
    fake.server.use(http.post(`${BASE}/oauth2/token`, () => HttpResponse.json(example.response)));
    const client = new KiwoomRest({ ...viaMsw, appkey: APPKEY, secretkey: SECRETKEY, baseUrl: BASE });
    expect(await client.token()).toBe(example.response.token);
    expect(await client.token()).toBe(example.response.token);
    await client.close();
  });
});

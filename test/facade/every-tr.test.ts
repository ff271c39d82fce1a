/**
 * SetInputValue + CommRqData for every mapped legacy TR, with the inputs of the official
 * example request of its api-id: OnReceiveTrData fires and the outputs read by Korean name.
 * APIs the mock domain does not offer are refused with the OCX code and Kiwoom's reason.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TR_MAP } from '../../src/compat/tr-map.js';
import { getApi } from '../../src/registry/index.js';
import { BACKENDS, openBackend, type Backend } from './helpers.js';

function exampleRequest(apiId: string): Record<string, unknown> {
  try {
    const doc = JSON.parse(readFileSync(new URL(`../../fixtures/kiwoom-rest/examples/${apiId}.json`, import.meta.url), 'utf8')) as { request?: unknown };
    return typeof doc.request === 'object' && doc.request !== null ? (doc.request as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const FAST = { perApiId: 1000, query: 1000, global: 1000, mockQuery: 1000 };

describe.each(BACKENDS)('every mapped TR on %s', (name) => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend(name, { rest: { limits: FAST }, emulator: { rateLimits: { perApiId: 1000, global: 1000 } } });
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(() => b.close());

  test('answers each one, or refuses the ones paper trading does not offer', async () => {
    const { api } = b;
    const outcomes: string[] = [];
    let answered = 0;
    for (const [trcode, mapping] of Object.entries(TR_MAP)) {
      const example = exampleRequest(mapping.apiId);
      for (const [input, key] of Object.entries(mapping.inputs)) api.SetInputValue(input, String(example[key] ?? ''));
      let seen = '';
      let readable = true;
      const onTr = (_s: string, rq: string, tr: string, _r: string, prevNext: string): void => {
        seen = `${tr}:${prevNext}`;
        const fields = Object.keys(mapping.multi?.fields ?? mapping.single?.fields ?? {});
        readable = fields.every((f) => typeof api.GetCommData(tr, rq, 0, f) === 'string') && api.GetRepeatCnt(tr, rq) >= 0;
      };
      api.on('OnReceiveTrData', onTr);
      const ret = await api.CommRqData(`${trcode}_req`, trcode, 0, '0200');
      api.off('OnReceiveTrData', onTr);
      const offered = getApi(mapping.apiId)?.mock !== 'no';
      if (offered) {
        if (ret !== 0 || !seen.startsWith(`${trcode}:`) || !readable) outcomes.push(`${trcode} (${mapping.apiId}): ${ret} ${api.GetLastError()?.message ?? ''}`);
        else answered++;
      } else if (ret === 0 || !/모의투자|mock/i.test(api.GetLastError()?.message ?? '')) {
        outcomes.push(`${trcode} (${mapping.apiId}) should be refused on paper trading, got ${ret}`);
      }
    }
    expect(outcomes).toEqual([]);
    expect(answered).toBeGreaterThan(Object.keys(TR_MAP).length * 0.9);
  }, 60_000);
});

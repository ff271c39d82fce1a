/**
 * SetInputValue + CommRqData for every mapped legacy TR, with the inputs of the official
 * example request of its api-id: OnReceiveTrData fires, GetRepeatCnt is the rows the server
 * sent, and every output of row 0 read by Korean name is what the server sent (the same request
 * replayed straight to the emulator, read through the TR map's table). APIs the mock domain does
 * not offer are refused with the OCX code and Kiwoom's reason.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TR_MAP, type TrMapping } from '../../src/compat/tr-map.js';
import type { RequestLogEntry } from '../../src/emulator/index.js';
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
/** The emulator's clock stands still and its market does not tick, so that a request answered twice is answered alike. */
const FROZEN = Date.now();

/** A JSON value as GetCommData gives it. */
const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));

/** What each mapped output name of row 0 holds in a raw answer, by the TR map's own table. */
function expectedValues(mapping: TrMapping, body: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const row0 = (list: string | null): Record<string, unknown> => {
    if (list === null) return body;
    const rows = body[list];
    return Array.isArray(rows) && typeof rows[0] === 'object' && rows[0] !== null ? (rows[0] as Record<string, unknown>) : {};
  };
  if (mapping.single) for (const [name, key] of Object.entries(mapping.single.fields)) out.set(name, asText(row0(mapping.single.list)[key]));
  if (mapping.multi) {
    for (const [name, key] of Object.entries(mapping.multi.shared ?? {})) out.set(name, asText(body[key]));
    for (const [name, key] of Object.entries(mapping.multi.fields)) out.set(name, asText(row0(mapping.multi.list)[key]));
  }
  if (mapping.rowCountField !== undefined) out.delete(mapping.rowCountField);
  return out;
}

describe.each(BACKENDS)('every mapped TR on %s', (name) => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend(name, { rest: { limits: FAST }, emulator: { rateLimits: { perApiId: 1000, global: 1000 }, clock: () => FROZEN, marketTicksPerSecond: 0 } });
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(() => b.close());

  /** The same request again, straight to the emulator with the facade's token: the raw answer to compare with. */
  async function replay(entry: RequestLogEntry): Promise<Record<string, unknown>> {
    const token = b.emu.issuedTokens().at(-1) ?? '';
    const res = await fetch(`${b.emu.restUrl}${entry.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', authorization: `Bearer ${token}`, 'api-id': entry.apiId ?? '' },
      body: JSON.stringify(entry.body),
    });
    return (await res.json()) as Record<string, unknown>;
  }

  test('answers each one with the values the server sent, or refuses the ones paper trading does not offer', async () => {
    const { api } = b;
    const outcomes: string[] = [];
    let answered = 0;
    let compared = 0;
    let nonEmpty = 0;
    for (const [trcode, mapping] of Object.entries(TR_MAP)) {
      const example = exampleRequest(mapping.apiId);
      for (const [input, key] of Object.entries(mapping.inputs)) api.SetInputValue(input, String(example[key] ?? ''));
      let seen = '';
      const read = new Map<string, string>();
      let rows = -1;
      const onTr = (_s: string, rq: string, tr: string, _r: string, prevNext: string): void => {
        seen = `${tr}:${prevNext}`;
        for (const f of [...Object.keys(mapping.single?.fields ?? {}), ...Object.keys(mapping.multi?.shared ?? {}), ...Object.keys(mapping.multi?.fields ?? {})]) read.set(f, api.GetCommData(tr, rq, 0, f));
        rows = api.GetRepeatCnt(tr, rq);
      };
      api.on('OnReceiveTrData', onTr);
      const ret = await api.CommRqData(`${trcode}_req`, trcode, 0, '0200');
      api.off('OnReceiveTrData', onTr);
      const offered = getApi(mapping.apiId)?.mock !== 'no';
      if (!offered) {
        if (ret === 0 || !/모의투자|mock/i.test(api.GetLastError()?.message ?? '')) outcomes.push(`${trcode} (${mapping.apiId}) should be refused on paper trading, got ${ret}`);
        continue;
      }
      if (ret !== 0 || !seen.startsWith(`${trcode}:`)) {
        outcomes.push(`${trcode} (${mapping.apiId}): ${ret} ${api.GetLastError()?.message ?? ''}`);
        continue;
      }
      answered++;
      const raw = await replay(b.emu.requestLog().filter((e) => e.apiId === mapping.apiId).at(-1)!);
      const list = mapping.multi?.list;
      const rawRows = list != null && Array.isArray(raw[list]) ? (raw[list] as unknown[]).length : 0;
      if (rows !== rawRows) outcomes.push(`${trcode}: GetRepeatCnt ${rows}, the server sent ${rawRows} rows`);
      for (const [field, want] of expectedValues(mapping, raw)) {
        compared++;
        if (want !== '') nonEmpty++;
        if (read.get(field) !== want) outcomes.push(`${trcode} ${field}: GetCommData "${read.get(field) ?? ''}", the server sent "${want}"`);
      }
    }
    expect(outcomes).toEqual([]);
    expect(answered).toBeGreaterThan(Object.keys(TR_MAP).length * 0.9);
    // The comparison covered real values, not blanks on both sides.
    expect(nonEmpty).toBeGreaterThan(compared * 0.8);
  }, 60_000);
});

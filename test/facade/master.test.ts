/** The day cache of the stock master, on a fake REST port and a fake clock. */
import { expect, test } from 'vitest';
import { Master, kstDay } from '../../src/facade/master.js';
import type { RestPort } from '../../src/facade/ports.js';
import { isRefusal } from '../../src/facade/refusal.js';

function fakeRest(): RestPort & { calls: string[] } {
  const rows: Record<string, Record<string, string>[]> = {
    '0': [{ code: '005930', name: '삼성전자', nxtEnable: 'Y' }, { code: '000660', name: 'SK하이닉스', nxtEnable: 'N' }],
    '10': [{ code: '035720', name: '카카오', nxtEnable: 'Y' }],
  };
  const calls: string[] = [];
  return {
    calls,
    call: () => Promise.reject(new Error('not used')),
    collect: (apiId, body) => {
      calls.push(`${apiId}:${String(body['mrkt_tp'])}`);
      return Promise.resolve({ body: { list: rows[String(body['mrkt_tp'])] ?? [] }, truncated: false });
    },
  };
}

test('kstDay is the Korea-time date', () => {
  expect(kstDay(Date.UTC(2026, 0, 1, 14, 59))).toBe('20260101');
  expect(kstDay(Date.UTC(2026, 0, 1, 15, 0))).toBe('20260102');
});

test('lists and names are fetched once per Korea-time day', async () => {
  const rest = fakeRest();
  let now = Date.UTC(2026, 0, 1, 0, 0);
  const master = new Master(rest, () => now);
  expect(await master.codeList('0')).toBe('005930;000660;');
  expect(await master.name('005930')).toBe('삼성전자');
  expect(await master.codeList('0')).toBe('005930;000660;');
  expect(rest.calls).toEqual(['ka10099:0']);
  now += 15 * 3_600_000; // past midnight in Korea
  expect(await master.codeList('0')).toBe('005930;000660;');
  expect(rest.calls).toEqual(['ka10099:0', 'ka10099:0']);
});

test('NXT is KOSPI and KOSDAQ filtered by nxtEnable; an unknown market is refused before any query', async () => {
  const rest = fakeRest();
  const master = new Master(rest);
  expect(await master.codeList('NXT')).toBe('005930;035720;');
  const bad = await master.codeList('ZZ');
  expect(isRefusal(bad) && bad.message).toMatch(/"ZZ"/);
  expect(rest.calls).toEqual(['ka10099:0', 'ka10099:10']);
  expect(await master.name('035720')).toBe('카카오');
});

/**
 * The facade on the emulator's live-shaped data (LIVE.md rows 6 and 21): opt20005 reads the
 * index chart as the OCX did (GetCommData returns the server's text, 900 rows, sPrevNext "2"
 * until the last page), and the master load at login takes a market from one ka10099 answer.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { APIServer } from '../../src/facade/index.js';
import { magnitude } from '../../src/numbers.js';
import { loggedIn, type LoggedIn } from './helpers.js';

let open: LoggedIn[] = [];
afterEach(async () => {
  await Promise.all(open.map((b) => b.close()));
  open = [];
});

async function emulator(): Promise<LoggedIn> {
  const b = await loggedIn('emulator');
  open.push(b);
  return b;
}

/** One opt20005 query; what OnReceiveTrData's handler read of it. */
async function indexMinutes(api: APIServer, prevNext: number): Promise<{ rows: number; prevNext: string; first: Record<string, string>; last: Record<string, string> }> {
  let got: { rows: number; prevNext: string; first: Record<string, string>; last: Record<string, string> } | undefined;
  const read = (i: number): Record<string, string> =>
    Object.fromEntries(['현재가', '체결시간', '시가', '고가', '저가', '거래량'].map((n) => [n, api.GetCommData('opt20005', 'idx', i, n)]));
  const on = (_s: string, rq: string, tr: string, _rec: string, next: string): void => {
    if (rq !== 'idx') return;
    const rows = api.GetRepeatCnt(tr, rq);
    got = { rows, prevNext: next, first: read(0), last: read(rows - 1) };
  };
  api.on('OnReceiveTrData', on);
  api.SetInputValue('업종코드', '001');
  api.SetInputValue('틱범위', '1');
  expect(await api.CommRqData('idx', 'opt20005', prevNext, '2005')).toBe(0);
  api.off('OnReceiveTrData', on);
  if (got === undefined) throw new Error('no OnReceiveTrData for opt20005');
  return got;
}

describe('opt20005 on the live-shaped ka20005', () => {
  test('900 rows a page, the server text as GetCommData returns it, and the next page by sPrevNext 2', async () => {
    const { api } = await emulator();
    const page1 = await indexMinutes(api, 0);
    expect(page1.rows).toBe(900);
    expect(page1.prevNext).toBe('2');
    // The OCX gave index points as hundredths with the direction's sign; so does GetCommData.
    expect(page1.first['현재가']).toMatch(/^[+-]?\d{5,6}$/);
    expect(page1.first['체결시간']).toMatch(/^\d{14}$/);
    expect(magnitude(page1.first['고가'])).toBeGreaterThanOrEqual(magnitude(page1.first['저가']));
    const page2 = await indexMinutes(api, 2);
    expect(page2.rows).toBe(900);
    expect(String(page2.first['체결시간']) < String(page1.last['체결시간'])).toBe(true);
  });
});

describe('master load at login on ka10099 in one answer', () => {
  test('GetCodeListByMarket lists every stock of each market the emulator holds', async () => {
    const { api, emu } = await emulator();
    const kospi = api.GetCodeListByMarket('0').split(';').filter(Boolean);
    const expected = emu.state.master.filter((s) => s.market === '0').map((s) => s.code);
    expect(kospi.length).toBeGreaterThan(100);
    expect(new Set(kospi)).toEqual(new Set(expected));
    expect(api.GetCodeListByMarket('10').split(';')).toContain('247540');
    expect(api.GetMasterCodeName('005930')).toBe('삼성전자');
  });
});

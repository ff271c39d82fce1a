/** The master loaded at login: its day cache on disk, and the synchronous getters over it. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Master, kstDay } from '../../src/facade/master.js';
import { loadMaster, type CacheSpot } from '../../src/facade/master-load.js';
import type { RestPort } from '../../src/facade/ports.js';
import { isRefusal } from '../../src/facade/refusal.js';

const ROWS: Record<string, Record<string, string>[]> = {
  '0': [
    { code: '005930', name: '삼성전자', nxtEnable: 'Y', listCount: '0000005969782550', auditInfo: '정상', regDay: '19750611', lastPrice: '00070000', state: '증거금20%|담보대출|신용가능', marketCode: '0', marketName: '거래소', upName: '전기전자', upSizeName: '대형주', orderWarning: '0' },
    { code: '000660', name: 'SK하이닉스', nxtEnable: 'N', orderWarning: '3' },
  ],
  '10': [{ code: '035720', name: '카카오', nxtEnable: 'Y' }],
  '8': [{ code: '069500', name: 'KODEX 200', marketCode: '8', orderWarning: '1' }],
};

/** A REST port answering the master queries, counting requests by api-id and market. */
function fakeRest(): RestPort & { calls: string[] } {
  const calls: string[] = [];
  const answers: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    ka10099: (b) => ({ list: ROWS[String(b['mrkt_tp'])] ?? [] }),
    ka90001: () => ({ thema_grp: [{ thema_grp_cd: '141', thema_nm: '반도체' }, { thema_grp_cd: '100', thema_nm: '태양광' }] }),
    ka90002: (b) => ({ thema_comp_stk: b['thema_grp_cd'] === '141' ? [{ stk_cd: '005930' }, { stk_cd: '000660' }] : [{ stk_cd: '035720' }] }),
    ka10102: () => ({ list: [{ code: '001', name: '교  보' }, { code: '050', name: '키움증권' }] }),
  };
  return {
    calls,
    call: () => Promise.reject(new Error('not used')),
    collect: (apiId, body) => {
      calls.push(apiId === 'ka10099' ? `${apiId}:${String(body['mrkt_tp'])}` : apiId === 'ka90002' ? `${apiId}:${String(body['thema_grp_cd'])}` : apiId);
      const answer = answers[apiId];
      return answer === undefined ? Promise.reject(new Error(`unexpected ${apiId}`)) : Promise.resolve({ body: answer(body), truncated: false, pages: [{}] });
    },
  };
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiwoom-master-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('kstDay is the Korea-time date', () => {
  expect(kstDay(Date.UTC(2026, 0, 1, 14, 59))).toBe('20260101');
  expect(kstDay(Date.UTC(2026, 0, 1, 15, 0))).toBe('20260102');
});

test('a login loads every market, the themes with their members and the member firms; the next login that day costs no query', async () => {
  const rest = fakeRest();
  const spot: CacheSpot = { dir, key: 'mock' };
  let now = Date.UTC(2026, 0, 1, 0, 0);
  const cold = await loadMaster(rest, spot, { themeMembers: true, now: () => now });
  expect(cold.fromCache).toBe(false);
  expect(rest.calls.filter((c) => c.startsWith('ka10099:'))).toHaveLength(11);
  expect(rest.calls).toEqual(expect.arrayContaining(['ka90001', 'ka10102', 'ka90002:141', 'ka90002:100']));
  expect(cold.requests).toBe(rest.calls.length);

  const before = rest.calls.length;
  const warm = await loadMaster(rest, spot, { themeMembers: true, now: () => now });
  expect(warm).toMatchObject({ fromCache: true, requests: 0 });
  expect(warm.snapshot).toEqual(cold.snapshot);
  expect(rest.calls).toHaveLength(before);

  // Past midnight in Korea the file is stale: the server is asked again and yesterday's file goes.
  now += 15 * 3_600_000;
  const nextDay = await loadMaster(rest, spot, { themeMembers: true, now: () => now });
  expect(nextDay.fromCache).toBe(false);
  expect(await readdir(dir)).toEqual([`master-mock-${kstDay(now)}.json`]);
});

test('a damaged cache file or one without theme members is not trusted', async () => {
  const rest = fakeRest();
  const spot: CacheSpot = { dir, key: 'production' };
  const now = (): number => Date.UTC(2026, 0, 1);
  await writeFile(join(dir, `master-production-${kstDay(now())}.json`), '{"format":1,"snapshot":{');
  expect((await loadMaster(rest, spot, { themeMembers: false, now })).fromCache).toBe(false);
  expect(rest.calls.some((c) => c.startsWith('ka90002'))).toBe(false);
  // Written without members, so a login that wants them asks again.
  expect((await loadMaster(rest, spot, { themeMembers: true, now })).fromCache).toBe(false);
  expect((await loadMaster(rest, spot, { themeMembers: false, now })).fromCache).toBe(true);
});

test('the getters answer at once from the loaded master, as the OCX formats them', async () => {
  const master = new Master();
  expect(master.entry('005930')).toBeUndefined();
  master.use((await loadMaster(fakeRest(), undefined, { themeMembers: true })).snapshot);
  expect(master.entry('A005930')?.name).toBe('삼성전자');
  expect(master.codeList('0')).toBe('005930;000660;');
  expect(master.codeList('NXT')).toBe('005930;035720;');
  const bad = master.codeList('ZZ');
  expect(isRefusal(bad) && bad.message).toMatch(/"ZZ"/);
  expect(master.listedCount('005930')).toBe('5969782550');
  expect(master.lastPrice('005930')).toBe('00070000');
  expect(master.marketKind('069500')).toBe('8');
  expect(master.marketKind('999999')).toBe('');
  expect(master.themeGroupList(0)).toBe('100|태양광;141|반도체;');
  expect(master.themeGroupList(1)).toBe('141|반도체;100|태양광;');
  expect(master.themeGroupCode('141')).toBe('A005930;A000660');
  expect(master.branchCodeName()).toBe('001|교  보;050|키움증권;');
  expect(master.stockInfo('005930')).toBe('시장구분0|거래소;시장구분1|대형주;업종구분|전기전자;');
});

/**
 * The chart and list TRs shaped as the live servers answer them (LIVE.md rows 6, 21, 22, 23):
 * ka20005 index minutes, ka10099 in one answer, ka10003's 30 trades, and minute and day bars on
 * the live grid, per venue, with history reaching back to the listing date.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { kiwoomNumber, magnitude } from '../../src/numbers.js';
import { call, issueToken, type Answer } from './helpers.js';

let emus: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emus.map((e) => e.close()));
  emus = [];
});

/** 2026-11-25 14:00 KST, a Wednesday. */
const NOW = Date.UTC(2026, 10, 25, 5, 0, 0);

async function started(clock = (): number => NOW): Promise<{ emu: Emulator; token: string }> {
  const emu = await startEmulator({ seed: 1, clock, marketTicksPerSecond: 0, rateLimits: { perApiId: 1000 } });
  emus.push(emu);
  return { emu, token: await issueToken(emu) };
}

type Row = Record<string, string>;

/** The next page of the same request, by echoing cont-yn/next-key. */
function nextPage(emu: Emulator, token: string, apiId: string, body: Record<string, unknown>, prev: Answer): Promise<Answer> {
  return call(emu, token, apiId, body, { 'cont-yn': 'Y', 'next-key': prev.headers.get('next-key') ?? '' });
}

const hhmm = (r: Row): string => (r.cntr_tm as string).slice(8, 12);
const byDay = (rows: Row[]): Map<string, Row[]> => {
  const out = new Map<string, Row[]>();
  for (const r of rows) out.set((r.cntr_tm as string).slice(0, 8), [...(out.get((r.cntr_tm as string).slice(0, 8)) ?? []), r]);
  return out;
};

describe('ka20005 업종분봉 (LIVE.md row 6)', () => {
  const body = { inds_cd: '001', tic_scope: '1' };

  test('900 rows a page, 14-digit times, hundredths with a direction sign, a doubled sign on a fall, an opaque next-key', async () => {
    const { emu, token } = await started();
    const first = await call(emu, token, 'ka20005', body);
    expect(first.body.return_code).toBe(0);
    expect(first.body.inds_cd).toBe('001');
    const rows = first.body.inds_min_pole_qry as Row[];
    expect(rows).toHaveLength(900);
    expect(first.headers.get('cont-yn')).toBe('Y');
    expect(first.headers.get('next-key')).toMatch(/^\d{17}$/);
    expect(rows[0]?.cntr_tm).toBe('20261125140000');
    expect(rows.filter((r) => !/^\d{14}$/.test(r.cntr_tm ?? ''))).toEqual([]);
    for (const k of ['cur_prc', 'open_pric', 'high_pric', 'low_pric']) expect(rows.filter((r) => !/^[+-]?\d+$/.test(r[k] ?? '')), k).toEqual([]);
    // KOSPI near 2,650 points, printed in hundredths.
    const level = magnitude(rows[0]?.cur_prc);
    expect(level).toBeGreaterThan(150_000);
    expect(level).toBeLessThan(400_000);
    // Today's rows all compare to the same previous close: the level minus the signed change.
    const today = rows.filter((r) => r.cntr_tm?.startsWith('20261125'));
    const prevClose = new Set(today.map((r) => magnitude(r.cur_prc) - kiwoomNumber(r.pred_pre)));
    expect([...prevClose]).toEqual([265035]);
    const second = await nextPage(emu, token, 'ka20005', body, first);
    const older = second.body.inds_min_pole_qry as Row[];
    expect(older).toHaveLength(900);
    expect((older[0]?.cntr_tm as string) < (rows.at(-1)?.cntr_tm as string)).toBe(true);
    const all = [...rows, ...older];
    // A fall puts the direction's "-" in front of the negative change.
    const shape = (r: Row): string => (r.pred_pre_sig === '5' ? '-|--' : r.pred_pre_sig === '2' ? '+|+' : '|0');
    const seen = (r: Row): string => `${/^[+-]?/.exec(r.cur_prc ?? '')?.[0]}|${/^[+-]*/.exec(r.pred_pre ?? '')?.[0]}${r.pred_pre === '0' ? '0' : ''}`;
    expect(all.filter((r) => seen(r) !== shape(r))).toEqual([]);
    expect(all.some((r) => r.pred_pre_sig === '5')).toBe(true);
  });

  test('a full day is 381 one-minute bars: none 15:20-15:29, a 15:30 closing bar; acc_trde_qty sums the day', async () => {
    const { emu, token } = await started();
    const first = await call(emu, token, 'ka20005', { ...body, base_dt: '20261124' });
    const rows = first.body.inds_min_pole_qry as Row[];
    const day = byDay(rows).get('20261124') as Row[];
    expect(day).toHaveLength(381);
    expect(hhmm(day[0] as Row)).toBe('1530');
    expect(hhmm(day[1] as Row)).toBe('1519');
    expect(hhmm(day.at(-1) as Row)).toBe('0900');
    expect(day.some((r) => hhmm(r) >= '1520' && hhmm(r) < '1530')).toBe(false);
    expect(Number(day[0]?.acc_trde_qty)).toBe(day.reduce((n, r) => n + Number(r.trde_qty), 0));
    const tens = (await call(emu, token, 'ka20005', { inds_cd: '001', tic_scope: '10', base_dt: '20261124' })).body.inds_min_pole_qry as Row[];
    const tenDay = (byDay(tens).get('20261124') as Row[]).map(hhmm);
    expect(tenDay.slice(0, 3)).toEqual(['1530', '1510', '1500']);
    expect(tenDay).toHaveLength(39);
  });

  test('an index it does not list, or a tic_scope it does not offer, is refused with 1517', async () => {
    const { emu, token } = await started();
    expect((await call(emu, token, 'ka20005', { inds_cd: '999', tic_scope: '1' })).body.return_msg).toContain('[1517:');
    expect((await call(emu, token, 'ka20005', { inds_cd: '001', tic_scope: '2' })).body.return_msg).toContain('[1517:');
  });
});

describe('ka10099 and ka10003 (LIVE.md rows 21, 22)', () => {
  test('ka10099 answers a whole market at once, with no continuation', async () => {
    const { emu, token } = await started();
    for (const tp of ['0', '10', '8']) {
      const a = await call(emu, token, 'ka10099', { mrkt_tp: tp });
      expect(a.headers.get('cont-yn') ?? 'N').toBe('N');
      expect(a.body.list as Row[]).toHaveLength(emu.state.master.filter((s) => s.market === tp).length);
    }
    expect(emu.state.master.filter((s) => s.market === '0').length).toBeGreaterThan(100);
  });

  test('ka10003 answers the latest 30 trades', async () => {
    const { emu, token } = await started();
    for (let i = 0; i < 45; i++) emu.state.tick('005930');
    const rows = (await call(emu, token, 'ka10003', { stk_cd: '005930' })).body.cntr_infr as Row[];
    expect(rows).toHaveLength(30);
    expect(Number(rows[0]?.acc_trde_qty)).toBe(emu.state.quote('005930')?.volume);
  });
});

describe('ka10080/ka10081 on the live grid, per venue, with deep history (LIVE.md row 23)', () => {
  const minutes = async (x: { emu: Emulator; token: string }, code: string, scope: string, baseDt: string): Promise<Row[]> =>
    (await call(x.emu, x.token, 'ka10080', { stk_cd: code, tic_scope: scope, upd_stkpc_tp: '1', base_dt: baseDt })).body.stk_min_pole_chart_qry as Row[];
  const days = async (x: { emu: Emulator; token: string }, code: string): Promise<Row[]> => {
    const out: Row[] = [];
    let prev: Answer | undefined;
    const body = { stk_cd: code, base_dt: '20261125', upd_stkpc_tp: '1' };
    do {
      prev = prev === undefined ? await call(x.emu, x.token, 'ka10081', body) : await nextPage(x.emu, x.token, 'ka10081', body, prev);
      out.push(...(prev.body.stk_dt_pole_chart_qry as Row[]));
    } while (prev.headers.get('cont-yn') === 'Y');
    return out;
  };

  test('a full KRX day: 381 one-minute bars, none 15:20-15:29; 10-minute bars skip 15:20, the 45-minute 15:00 bar takes 15:30 in', async () => {
    const x = await started();
    const day = (byDay(await minutes(x, '005930', '1', '20261124')).get('20261124') as Row[]).map(hhmm);
    expect(day).toHaveLength(381);
    expect(day.slice(0, 2)).toEqual(['1530', '1519']);
    expect(day.at(-1)).toBe('0900');
    const ten = (byDay(await minutes(x, '005930', '10', '20261124')).get('20261124') as Row[]).map(hhmm);
    expect(ten).toHaveLength(39);
    expect(ten.slice(0, 3)).toEqual(['1530', '1510', '1500']);
    const fortyFive = (byDay(await minutes(x, '005930', '45', '20261124')).get('20261124') as Row[]).map(hhmm);
    expect(fortyFive).toEqual(['1500', '1415', '1330', '1245', '1200', '1115', '1030', '0945', '0900']);
  });

  test('a thinly traded stock has no bar for a minute without trades', async () => {
    const x = await started();
    const thin = [...x.emu.state.master].filter((s) => s.market !== '8').sort((a, b) => a.listed * a.prevClose - b.listed * b.prevClose)[0]!;
    const day = byDay(await minutes(x, thin.code, '1', '20261124')).get('20261124') ?? [];
    expect(day.length).toBeGreaterThan(0);
    expect(day.length).toBeLessThan(300);
    // Every bar that is there traded: no flat zero-volume filler.
    expect(day.filter((r) => Number(r.trde_qty) <= 0)).toEqual([]);
  });

  test('pages resume at the next bar: acc_trde_qty runs on across the page boundary', async () => {
    const x = await started();
    const body = { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1' };
    const first = await call(x.emu, x.token, 'ka10080', body);
    const second = await nextPage(x.emu, x.token, 'ka10080', body, first);
    const a = (first.body.stk_min_pole_chart_qry as Row[]).at(-1) as Row;
    const b = (second.body.stk_min_pole_chart_qry as Row[])[0] as Row;
    expect(first.headers.get('next-key')).toBe(`001${b.cntr_tm}`);
    expect(a.cntr_tm?.slice(0, 8)).toBe(b.cntr_tm?.slice(0, 8));
    expect(Number(b.acc_trde_qty)).toBe(Number(a.acc_trde_qty) - Number(a.trde_qty));
  });

  test('_NX bars start at 08:00 with prices of their own; _AL adds both venues up', async () => {
    const x = await started();
    const nx = byDay(await minutes(x, '005930_NX', '1', '20261124')).get('20261124') as Row[];
    expect(hhmm(nx.at(-1) as Row)).toBe('0800');
    expect(nx.some((r) => hhmm(r) >= '1600')).toBe(true);
    const daily = async (code: string): Promise<Row[]> =>
      (await call(x.emu, x.token, 'ka10081', { stk_cd: code, base_dt: '20261124', upd_stkpc_tp: '1' })).body.stk_dt_pole_chart_qry as Row[];
    const [krx, nxt, al] = await Promise.all([daily('005930'), daily('005930_NX'), daily('005930_AL')]);
    expect(krx[0]?.dt).toBe('20261124');
    expect(nxt[0]?.dt).toBe('20261124');
    expect(nxt.slice(0, 20).some((r, i) => r.cur_prc !== krx[i]?.cur_prc)).toBe(true);
    expect(Number(al[0]?.trde_qty)).toBe(Number(krx[0]?.trde_qty) + Number(nxt[0]?.trde_qty));
    expect(al[0]?.cur_prc).toBe(nxt[0]?.cur_prc);
  });

  test('week and month bars of _NX and _AL are that venue\'s: NXT\'s own volume, both venues added up', async () => {
    const x = await started();
    for (const [apiId, list] of [['ka10082', 'stk_stk_pole_chart_qry'], ['ka10083', 'stk_mth_pole_chart_qry']] as const) {
      const bars = async (code: string): Promise<Row[]> =>
        (await call(x.emu, x.token, apiId, { stk_cd: code, base_dt: '20261124', upd_stkpc_tp: '1' })).body[list] as Row[];
      const [krx, nxt, al] = await Promise.all([bars('005930'), bars('005930_NX'), bars('005930_AL')]);
      expect(nxt[0]?.trde_qty, apiId).not.toBe(krx[0]?.trde_qty);
      expect(Number(al[0]?.trde_qty), apiId).toBe(Number(krx[0]?.trde_qty) + Number(nxt[0]?.trde_qty));
      // NXT opened in March 2025: its bars stop there, KRX's go on back.
      expect(nxt.at(-1)?.dt, apiId).toMatch(/^2025/);
      expect(krx.length, apiId).toBeGreaterThan(nxt.length);
    }
  });

  test('day bars reach back to the listing date, no earlier than 1989; _NX to NXT\'s first day; minutes a rolling year', async () => {
    const x = await started();
    // 005930 is listed on 1994-xx-xx in the emulator's master (ka10100 regDay).
    const listed = (await call(x.emu, x.token, 'ka10100', { stk_cd: '005930' })).body.regDay as string;
    const samsung = await days(x, '005930');
    expect(samsung.at(-1)?.dt).toBe(listed);
    // 035720 is listed in 1988: the history stops at the first trading day of 1989.
    expect((await call(x.emu, x.token, 'ka10100', { stk_cd: '035720' })).body.regDay).toMatch(/^1988/);
    expect((await days(x, '035720')).at(-1)?.dt).toBe('19890103');
    const nx = await days(x, '005930_NX');
    expect(nx.at(-1)?.dt).toBe('20250304');
    expect(nx.length).toBeLessThan(500);
    expect(await minutes(x, '005930', '1', '20251201')).toHaveLength(900);
    const gone = await minutes(x, '005930', '1', '20251120');
    expect(gone).toHaveLength(1);
    expect(Object.values(gone[0]!).every((v) => v === '')).toBe(true);
  });
});

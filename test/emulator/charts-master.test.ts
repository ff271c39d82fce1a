import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, issueToken, type Answer } from './helpers.js';

let emus: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emus.map((e) => e.close()));
  emus = [];
});

/** 2026-11-25 14:00 KST, a Wednesday. */
const NOW = Date.UTC(2026, 10, 25, 5, 0, 0);

async function started(seed = 1): Promise<{ emu: Emulator; token: string }> {
  const emu = await startEmulator({ seed, clock: () => NOW, marketTicksPerSecond: 0, rateLimits: { perApiId: 100 } });
  emus.push(emu);
  return { emu, token: await issueToken(emu) };
}

type Row = Record<string, string>;

/** Every page of a TR, following cont-yn/next-key with the identical body. */
async function allPages(emu: Emulator, token: string, apiId: string, body: Record<string, unknown>, list: string): Promise<{ pages: Answer[]; rows: Row[] }> {
  const pages: Answer[] = [];
  let headers: Record<string, string> = {};
  for (;;) {
    const a = await call(emu, token, apiId, body, headers);
    expect(a.body.return_code).toBe(0);
    pages.push(a);
    if (a.headers.get('cont-yn') !== 'Y') break;
    headers = { 'cont-yn': 'Y', 'next-key': a.headers.get('next-key') ?? '' };
  }
  return { pages, rows: pages.flatMap((p) => p.body[list] as Row[]) };
}

describe('chart TRs', () => {
  test('ka10081 pages backwards from base_dt with cont-yn/next-key, newest first, no gaps or repeats', async () => {
    const { emu, token } = await started();
    const { pages, rows } = await allPages(emu, token, 'ka10081', { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1' }, 'stk_dt_pole_chart_qry');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]?.headers.get('next-key')).not.toBe('');
    expect(pages.at(-1)?.headers.get('cont-yn')).toBe('N');
    const dates = rows.map((r) => r.dt as string);
    expect(dates[0]).toBe('20261125');
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const d of dates) {
      const day = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T00:00:00Z`).getUTCDay();
      expect(day === 0 || day === 6, d).toBe(false);
    }
    // Today's bar is the live quote; each bar's change is against the bar before it.
    const q = emu.state.quote('005930');
    expect(rows[0]?.cur_prc).toBe(String(q?.price));
    for (let i = 0; i + 1 < rows.length; i++) {
      const r = rows[i] as Row;
      const prev = Number((rows[i + 1] as Row).cur_prc);
      expect(Number(r.pred_pre)).toBe(Number(r.cur_prc) - prev);
      expect(Number(r.high_pric)).toBeGreaterThanOrEqual(Math.max(Number(r.open_pric), Number(r.cur_prc)));
      expect(Number(r.low_pric)).toBeLessThanOrEqual(Math.min(Number(r.open_pric), Number(r.cur_prc)));
    }
  });

  test('base_dt cuts the newest bars off', async () => {
    const { emu, token } = await started();
    const a = await call(emu, token, 'ka10081', { stk_cd: '005930', base_dt: '20261120', upd_stkpc_tp: '1' });
    const rows = a.body.stk_dt_pole_chart_qry as Row[];
    expect(rows[0]?.dt).toBe('20261120');
  });

  test('the same seed gives the same chart, another seed another', async () => {
    const body = { stk_cd: '000660', base_dt: '20261125', upd_stkpc_tp: '1' };
    const a = await started(7);
    const b = await started(7);
    const c = await started(8);
    const rows = async (x: { emu: Emulator; token: string }) => (await call(x.emu, x.token, 'ka10081', body)).body.stk_dt_pole_chart_qry;
    expect(await rows(a)).toEqual(await rows(b));
    expect(await rows(a)).not.toEqual(await rows(c));
  });

  test('ka10080 minute bars aggregate by tic_scope; ka10082/ka10083 week and month bars', async () => {
    const { emu, token } = await started();
    const one = (await call(emu, token, 'ka10080', { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1' })).body.stk_min_pole_chart_qry as Row[];
    const five = (await call(emu, token, 'ka10080', { stk_cd: '005930', tic_scope: '5', upd_stkpc_tp: '1' })).body.stk_min_pole_chart_qry as Row[];
    // 09:00..14:00 today is 301 one-minute bars: the newest is 14:00.
    expect(one[0]?.cntr_tm).toBe('20261125140000');
    expect(five[0]?.cntr_tm).toBe('20261125140000');
    expect(five[1]?.cntr_tm).toBe('20261125135500');
    const sum = one.slice(1, 6).reduce((n, r) => n + Number(r.trde_qty), 0);
    expect(Number(five[1]?.trde_qty)).toBe(sum);
    // As live (LIVE.md row 8): acc_trde_qty is the day's volume up to the bar.
    const today = one.filter((r) => r.cntr_tm?.startsWith('20261125'));
    expect(Number(today[0]?.acc_trde_qty)).toBe(today.reduce((n, r) => n + Number(r.trde_qty), 0));
    expect(Number(today[1]?.acc_trde_qty)).toBe(Number(today[0]?.acc_trde_qty) - Number(today[0]?.trde_qty));
    // As live (LIVE.md row 7): a day the minute history no longer holds is one row of "", cont-yn N.
    const old = await call(emu, token, 'ka10080', { stk_cd: '005930', tic_scope: '1', upd_stkpc_tp: '1', base_dt: '20000103' });
    const oldRows = old.body.stk_min_pole_chart_qry as Row[];
    expect(oldRows).toHaveLength(1);
    expect(Object.values(oldRows[0]!).every((v) => v === '')).toBe(true);
    expect(old.headers.get('cont-yn') ?? 'N').toBe('N');
    const bad = await call(emu, token, 'ka10080', { stk_cd: '005930', tic_scope: '7', upd_stkpc_tp: '1' });
    expect(bad.body.return_msg).toContain('[1517:');

    const weeks = (await call(emu, token, 'ka10082', { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1' })).body.stk_stk_pole_chart_qry as Row[];
    expect(weeks[0]?.dt).toBe('20261123');
    expect(weeks[1]?.dt).toBe('20261116');
    const months = (await call(emu, token, 'ka10083', { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1' })).body.stk_mth_pole_chart_qry as Row[];
    expect(months[0]?.dt).toBe('20261102');
    expect(months[1]?.dt?.slice(0, 6)).toBe('202610');
  });
});

describe('stock master TRs', () => {
  test('ka10099 lists a market; KOSPI has the well-known names, KOSDAQ and ETF lists their own', async () => {
    const { emu, token } = await started();
    const kospi = await allPages(emu, token, 'ka10099', { mrkt_tp: '0' }, 'list');
    const names = new Map(kospi.rows.map((r) => [r.code, r.name]));
    expect(names.get('005930')).toBe('삼성전자');
    expect(names.get('000660')).toBe('SK하이닉스');
    expect(names.get('035420')).toBe('NAVER');
    expect(names.get('035720')).toBe('카카오');
    expect(names.get('005380')).toBe('현대차');
    expect(new Set(kospi.rows.map((r) => r.code)).size).toBe(kospi.rows.length);
    expect(kospi.rows.every((r) => r.marketCode === '0' && /^\d{6}$/.test(r.code as string))).toBe(true);
    const kosdaq = await allPages(emu, token, 'ka10099', { mrkt_tp: '10' }, 'list');
    expect(kosdaq.rows.find((r) => r.code === '247540')?.name).toBe('에코프로비엠');
    expect(kosdaq.rows.every((r) => r.marketCode === '10')).toBe(true);
    const etf = await allPages(emu, token, 'ka10099', { mrkt_tp: '8' }, 'list');
    expect(etf.rows.find((r) => r.code === '069500')?.name).toBe('KODEX 200');
    expect(kospi.rows.length + kosdaq.rows.length + etf.rows.length).toBe(emu.state.master.length);
    expect(emu.state.master.length).toBeGreaterThanOrEqual(300);
  });

  test('ka10100 describes one stock', async () => {
    const { emu, token } = await started();
    const a = await call(emu, token, 'ka10100', { stk_cd: '035720' });
    expect(a.body).toMatchObject({ code: '035720', name: '카카오', marketCode: '0', marketName: '거래소' });
    expect(Number(a.body.lastPrice)).toBe(emu.state.stock('035720')?.prevClose);
  });
});

describe('tape and daily TRs', () => {
  test('ka10003 lists the latest trades newest first; ka10079 groups them by tic_scope', async () => {
    const { emu, token } = await started();
    for (let i = 0; i < 25; i++) emu.state.tick('005930');
    const tape = emu.state.quote('005930');
    const info = (await call(emu, token, 'ka10003', { stk_cd: '005930' })).body.cntr_infr as Row[];
    expect(info).toHaveLength(25);
    expect(Number(info[0]?.cur_prc?.replace(/^[+-]/, ''))).toBe(tape?.price);
    expect(Number(info[0]?.acc_trde_qty)).toBe(tape?.volume);
    const ticks = await call(emu, token, 'ka10079', { stk_cd: '005930', tic_scope: '10', upd_stkpc_tp: '1' });
    const bars = ticks.body.stk_tic_chart_qry as Row[];
    expect(bars).toHaveLength(3);
    expect(ticks.body.last_tic_cnt).toBe('5');
    const qty = info.reduce((n, r) => n + Math.abs(Number(r.cntr_trde_qty)), 0);
    expect(bars.reduce((n, r) => n + Number(r.trde_qty), 0)).toBe(qty);
    expect(bars[0]?.cur_prc).toBe(String(tape?.price));
  });

  test('ka10086 pages daily prices back from qry_dt', async () => {
    const { emu, token } = await started();
    const { pages, rows } = await allPages(emu, token, 'ka10086', { stk_cd: '005930', qry_dt: '20261124', indc_tp: '0' }, 'daly_stkpc');
    expect(pages.length).toBeGreaterThan(1);
    expect(rows[0]?.date).toBe('20261124');
    const daily = (await call(emu, token, 'ka10081', { stk_cd: '005930', base_dt: '20261124', upd_stkpc_tp: '1' })).body.stk_dt_pole_chart_qry as Row[];
    expect(rows.slice(0, 50).map((r) => [r.date, r.close_pric?.replace(/^[+-]/, '')])).toEqual(daily.slice(0, 50).map((d) => [d.dt, d.cur_prc]));
  });
});

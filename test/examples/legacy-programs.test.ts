/**
 * Legacy-style programs (examples/legacy), one per idiom, run unchanged on the emulator: the only
 * line that differs from the OCX is how the control is made, here.
 */
import { describe, expect, test } from 'vitest';
import { APIServer } from '../../src/index.js';
import * as burst from '../../examples/legacy/burst-queries.js';
import * as condition from '../../examples/legacy/condition-add-price.js';
import * as daily from '../../examples/legacy/daily-chart-paging.js';
import * as lenient from '../../examples/legacy/lenient-inputs.js';
import * as login from '../../examples/legacy/login-and-master.js';
import * as order from '../../examples/legacy/order-state-machine.js';
import * as real from '../../examples/legacy/real-tab-split.js';
import * as sketch from '../../examples/legacy/sketch-server.js';
import * as watchlist from '../../examples/legacy/watchlist-quotes.js';

type Program = { main: (ocx: APIServer, log: (line: string) => void) => Promise<void> };

async function run(program: Program): Promise<string[]> {
  // The one changed line of a legacy program: the control.
  const ocx = new APIServer();
  await ocx.api_init({ sim_no: 1, use_rest: false, log_level: 'silent', emulator: { realRate: 300 } });
  const lines: string[] = [];
  try {
    await program.main(ocx, (line) => void lines.push(line));
  } finally {
    await ocx.cleanup();
  }
  return lines;
}

describe('legacy-style programs on the emulator', () => {
  test('login-and-master: accounts, code lists, names, master facts and themes, answered at once', async () => {
    const out = await run(login);
    expect(out[0]).toMatch(/^계좌 1개: \d{10} 서버 모의$/);
    expect(out[1]).toMatch(/^코스피 \d+종목, 첫 종목: \S+/);
    expect(out[2]).toMatch(/^종목: 삼성전자 상장주식 \d+ 전일가 \d+$/);
    expect(out[3]).toMatch(/^감리 정상 상태 .*신용가능/);
    expect(out[4]).toMatch(/^시장 8 시장구분0\|거래소;/);
    expect(out[5]).toMatch(/^테마 \S.*: \d{6}(,\d{6})*$/);
  });

  test('daily-chart-paging: three pages read row by row, each older than the last; GetCommDataEx', async () => {
    const out = await run(daily);
    const [days, newest, oldest] = /^(\d+)일, 최근 (\d{8}) \d+, 가장 오래된 (\d{8})$/.exec(out[0] ?? '')?.slice(1) ?? [];
    expect(Number(days)).toBeGreaterThan(600);
    expect(Number(oldest)).toBeLessThan(Number(newest));
    expect(out[1]).toMatch(/^GetCommDataEx \d+행 × 15열, 첫 행 일자 \d{8}$/);
  });

  test('real-tab-split: TAB positions give the price, and GetCommRealData with the real type agrees', async () => {
    const out = await run(real);
    expect(out).toHaveLength(3);
    for (const line of out) expect(line).toMatch(/^005930 \d{6} \d+ 매[수도]체결 일치$/);
  });

  test('order-state-machine: 접수, the cancel confirmed, the original updated; 819 ends the flow', async () => {
    expect(await run(order)).toEqual(['원주문 접수 미체결 3', '취소주문 확인 미체결 0', '원주문 접수 미체결 0']);
  });

  test('condition-add-price: code^price items', async () => {
    const out = await run(condition);
    expect(out[0]).toMatch(/: [1-9]\d*종목$/);
    for (const line of out.slice(1)) expect(line).toMatch(/^\d{6} \S.* [1-9]\d*원$/);
  });

  test('sketch-server: list arguments and an empty FID list stream both codes', async () => {
    const out = await run(sketch);
    expect(out.map((l) => l.split(' ')[0])).toEqual(['000660', '005930']);
  });

  test('lenient-inputs: what the OCX let pass goes through', async () => {
    const out = await run(lenient);
    expect(out).toEqual([expect.stringMatching(/^잔고 화면 101: 총매입 \d+ 종목 \d+$/), '잔고 요청 0', '시장가 매수 0']);
  });

  test('watchlist-quotes: CommKwRqData read with CommGetData, names and markets at once; no futures, and OnReceiveMsg says why', async () => {
    const out = await run(watchlist);
    expect(out.slice(0, 3)).toEqual([
      expect.stringMatching(/^005930 삼성전자 시장0 [1-9]\d*원$/),
      expect.stringMatching(/^000660 SK하이닉스 시장0 [1-9]\d*원$/),
      expect.stringMatching(/^069500 \S.* 시장8 [1-9]\d*원$/),
    ]);
    expect(out[3]).toMatch(/^선물 없음: .*Kiwoom REST has no/);
    expect(out).toHaveLength(4);
  });

  test('burst-queries: ten requests at once, every one 0, answers in request order', async () => {
    expect(await run(burst)).toEqual([`반환 ${Array(10).fill(0).join(',')}`, '순서 요청 순 10건']);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { demo } from '../../src/cli/commands/demo.js';
import { capture } from './capture.js';

describe('kiwoom-compat demo (npm start)', () => {
  let result: number;
  let out: string;
  beforeAll(async () => {
    ({ result, out } = await capture(() => demo.run([])));
  });

  it('walks a quote, a paged chart, the balance, a buy and its cancel against the built-in emulator, exiting 0', () => {
    expect(result).toBe(0);
    expect(out).toMatch(/^quote +005930 삼성전자 +현재가 [\d,]+/m);
    // More than one page proves cont-yn/next-key paging happened.
    expect(out).toMatch(/^chart +005930 daily bars: \d+ over [2-9] pages/m);
    expect(out).toMatch(/^balance +account \d+: 총매입 [\d,]+/m);
    const order = /^order .* → order (\d{7})$/m.exec(out);
    expect(order).not.toBeNull();
    expect(out).toMatch(new RegExp(`^cancel +\\[emulator\\] order ${order?.[1]} cancelled → order \\d{7}, quantity 1$`, 'm'));
  });

  it('then runs a legacy consumer through APIServer, printing the OCX events as they arrive', () => {
    const events = out.split('\n').filter((l) => l.startsWith('event')).map((l) => l.replace(/^event +/, ''));
    expect(events[0]).toBe('OnEventConnect(0) logged in');
    expect(events.some((e) => /^OnReceiveRealData\(005930, 주식체결\) 현재가 [+-]?\d+/.test(e))).toBe(true);
    const chejan = events.filter((e) => e.startsWith('OnReceiveChejanData(0'));
    expect(chejan.map((e) => e.split(' ')[3])).toEqual(['접수', '체결']);
    expect(events.some((e) => /^OnReceiveTrCondition\(screen 3000, .+\) \d+ codes$/.test(e))).toBe(true);
    expect(events).toContain('OnReceiveTrData(screen 0101, opt10081_req, opt10081, prevNext 2)');
    expect(out).toMatch(/^result +order \d{7}: 접수 → 체결;/m);
  });
});

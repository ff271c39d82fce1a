import { describe, expect, it } from 'vitest';
import { demo } from '../../src/cli/commands/demo.js';
import { capture } from './capture.js';

describe('kiwoom-compat demo (npm start)', () => {
  it('walks a quote, a paged chart, the balance, a buy and its cancel against the built-in emulator, exiting 0', async () => {
    const { result, out } = await capture(() => demo.run([]));
    expect(result).toBe(0);
    expect(out).toMatch(/^quote +005930 삼성전자 +현재가 [\d,]+/m);
    // More than one page proves cont-yn/next-key paging happened.
    expect(out).toMatch(/^chart +005930 daily bars: \d+ over [2-9] pages/m);
    expect(out).toMatch(/^balance +account \d+: 총매입 [\d,]+/m);
    const order = /^order .* → order (\d{7})$/m.exec(out);
    expect(order).not.toBeNull();
    expect(out).toMatch(new RegExp(`^cancel +\\[emulator\\] order ${order?.[1]} cancelled → order \\d{7}, quantity 1$`, 'm'));
  });
});

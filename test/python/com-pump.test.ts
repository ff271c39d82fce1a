/**
 * A legacy program that drives the OCX through COM with pythoncom pump loops (no Qt), run on the
 * emulator unchanged through the runner, and with its two imports changed and no runner.
 */
import { describe, expect, it } from 'vitest';
import { runLegacy } from './legacy.js';

describe('examples/legacy-python/com_pump.py (win32com DispatchWithEvents, pythoncom pump loops)', () => {
  const check = (result: Record<string, unknown>): void => {
    expect(result.login).toBe(0);
    expect(result.account).toMatch(/^\d{10}$/);
    expect(result.quote).toEqual(['삼성전자', expect.stringMatching(/^[+-]?\d+$/)]);
    expect(result.order_no).toMatch(/^\d+$/);
    const chejan = result.chejan as [string, string, string, boolean][];
    // 접수 then 체결 for the order, then 잔고; sFIdList always has nItemCnt entries.
    expect(chejan.filter((c) => c[0] === '0').map((c) => c[1])).toEqual(['접수', '체결']);
    expect(chejan.filter((c) => c[0] === '0').every((c) => c[2] === result.order_no)).toBe(true);
    expect(chejan.some((c) => c[0] === '1')).toBe(true);
    expect(chejan.every((c) => c[3])).toBe(true);
    expect(result.trades).toBeGreaterThanOrEqual(3);
    expect(result.last_price).toMatch(/^[+-]?\d+$/);
  };

  it('runs unchanged through `python -m kiwoom_compat run`', async () => {
    const { result, stderr } = await runLegacy('com_pump.py');
    expect(stderr).toContain('on the built-in emulator');
    check(result);
  }, 90_000);

  it('runs unchanged through `kiwoom-compat run`', async () => {
    const { result } = await runLegacy('com_pump.py', { cli: true, env: { PYTHONPATH: '' } });
    check(result);
  }, 90_000);

  it('runs with its imports changed (pythoncom, win32com) and no runner', async () => {
    const { result, changed } = await runLegacy('com_pump.py', { runner: false });
    expect(changed).toHaveLength(2);
    check(result);
  }, 90_000);
});

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import stringWidth from 'string-width';
import { createColors } from 'picocolors';
import { watch } from '../../src/cli/commands/watch.js';
import { columnsFor, recordTrade, renderWatch, sparkline, type QuoteRow } from '../../src/cli/watch-view.js';

const plain = createColors(false);
const colour = createColors(true);
const NOW = Date.UTC(2026, 10, 25, 0, 15, 3); // 09:15:03 KST

function rows(): QuoteRow[] {
  const samsung: QuoteRow = { code: '005930', name: '삼성전자', fids: undefined, trend: [], updates: 0, changedAt: 0 };
  for (const [price, change] of [['+71000', '+0'], ['+71200', '+200'], ['+71300', '+300']] as const) {
    recordTrade(samsung, { '10': price, '11': change, '12': '+0.42', '13': '1047446', '20': '091502', '27': '+71400', '28': '+71300' }, NOW - 100);
  }
  const hynix: QuoteRow = { code: '000660', name: 'SK하이닉스', fids: undefined, trend: [], updates: 0, changedAt: 0 };
  recordTrade(hynix, { '10': '-187000', '11': '-1500', '12': '-0.80', '13': '2000', '20': '091459', '27': '-187100', '28': '-187000' }, NOW - 5_000);
  return [samsung, hynix, { code: '035420', name: 'NAVER', fids: undefined, trend: [], updates: 0, changedAt: 0 }];
}

const state = (account: string[] = []) => ({ rows: rows(), domain: 'emulator', account, now: NOW });

describe('kiwoom-compat watch: the view', () => {
  it('fits 80 columns: every line at most 79 wide, thousands separators, the trend and the time in KST', () => {
    const lines = renderWatch(state(), { columns: 80, rows: 24, colors: plain, freshMs: 500 });
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(79);
    expect(lines[0]).toMatch(/^kiwoom-compat watch {2}09:15:03 KST {2}emulator/);
    expect(lines[1]).toMatch(/^code +name +price +change +rate% +volume +trend +time$/);
    expect(lines[2]).toMatch(/^005930 삼성전자 +71,300 +\+300 +\+0\.42 +1,047,446 ▁▆█ +09:15:02$/);
    expect(lines[3]).toMatch(/^000660 SK하이닉스 +187,000 +-1,500 +-0\.80 +2,000 ▄ +09:14:59$/);
    expect(lines[4]).toMatch(/^035420 NAVER +waiting for a trade$/);
  });

  it('shows the best ask and bid when the terminal is wide enough (120 columns)', () => {
    expect(columnsFor(80).map((c) => c.title)).not.toContain('ask');
    const lines = renderWatch(state(), { columns: 120, rows: 40, colors: plain, freshMs: 500 });
    expect(lines[1]).toMatch(/ask +bid$/);
    expect(lines[2]).toMatch(/71,400 +71,300$/);
  });

  it('drops the least needed columns on a narrow terminal and cuts lines to the height', () => {
    const account = Array.from({ length: 40 }, (_v, i) => `  holding ${i}`);
    const lines = renderWatch(state(account), { columns: 50, rows: 12, colors: plain, freshMs: 500 });
    expect(lines.length).toBe(11);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(49);
    expect(lines[1]).toMatch(/^code +name +price +change +rate%/);
  });

  it('colours rises red and falls blue, bold for the latest trade only', () => {
    const lines = renderWatch(state(), { columns: 80, rows: 24, colors: colour, freshMs: 500 });
    const red = colour.red('');
    const blue = colour.blue('');
    expect(lines[2]).toContain(colour.bold(colour.red('   71,300')));
    expect(lines[2]).toContain(colour.red('    +300'));
    expect(lines[3]).toContain(colour.blue('  187,000'));
    expect(lines[3]).not.toContain(colour.bold(colour.blue('  187,000')));
    expect(red).not.toBe(blue);
  });

  it('draws a sparkline of the latest prices, lowest to highest', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5], 8)).toBe('▄▄▄');
    expect(sparkline(Array.from({ length: 20 }, (_v, i) => i), 10)).toHaveLength(10);
  });
});

describe('kiwoom-compat watch: the command', () => {
  it('streams live quotes with the holdings and open orders, on the emulator (snapshots when not a terminal)', () => {
    expect(existsSync('dist/cli/main.js'), 'run `npm run build` first').toBe(true);
    // As a user's shell runs it: picocolors turns colour on wherever CI or FORCE_COLOR is set.
    const { CI: _ci, FORCE_COLOR: _force, ...env } = process.env;
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'watch', '005930', '000660', '--seconds', '1.5', '--interval', '400'], { encoding: 'utf8', timeout: 30_000, env });
    expect(r.status, r.stderr).toBe(0);
    const frames = r.stdout.split(/(?=^kiwoom-compat watch)/m).filter((f) => f.startsWith('kiwoom-compat watch'));
    expect(frames.length).toBeGreaterThanOrEqual(3);
    const last = frames.at(-1) ?? '';
    expect(last).toMatch(/^kiwoom-compat watch {2}\d\d:\d\d:\d\d KST {2}emulator/);
    expect(last).toMatch(/^005930 삼성전자 +[\d,]+ /m);
    expect(last).toMatch(/^000660 SK하이닉스 +[\d,]+ /m);
    expect(last).toMatch(/holdings:\n {2}000660/);
    expect(last).toContain('open orders:');
    // Piped: no colour, no cursor movement.
    expect(r.stdout).not.toContain('\x1b[');
  }, 40_000);

  it('refuses bad codes and bad numbers before connecting', async () => {
    await expect(watch.run([])).rejects.toThrow(/at least one stock code/);
    await expect(watch.run(['59'])).rejects.toThrow(/"59" is not a stock code/);
    await expect(watch.run(['005930', '--seconds', 'x'])).rejects.toThrow(/--seconds must be a number of at least 0, got "x"/);
    await expect(watch.run(['005930', '--bogus'])).rejects.toThrow(/Unknown option '--bogus'/);
  });
});

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { renderQuotes } from '../../src/cli/commands/watch.js';
import { watch } from '../../src/cli/commands/watch.js';

describe('kiwoom-compat watch', () => {
  it('renders one aligned row per code, waiting rows before the first trade', () => {
    const lines = renderQuotes([
      { code: '005930', name: '삼성전자', fids: { '10': '+71300', '11': '+300', '12': '+0.42', '13': '47446', '20': '091502', '27': '+71400', '28': '+71300' }, updates: 3 },
      { code: '000660', name: 'SK하이닉스', fids: undefined, updates: 0 },
    ]);
    expect(lines[1]).toMatch(/^005930 삼성전자 +71,300 +\+300 +\+0\.42 +47,446 +71,400 +71,300 +09:15:02 +3$/);
    expect(lines[2]).toMatch(/^000660 SK하이닉스 +waiting for a trade\.\.\.$/);
  });

  it('streams live quotes with the holdings and open orders, on the emulator', () => {
    expect(existsSync('dist/cli/main.js'), 'run `npm run build` first').toBe(true);
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'watch', '005930', '000660', '--seconds', '1.5', '--interval', '400'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const frames = r.stdout.split(/(?=^kiwoom-compat watch)/m).filter((f) => f.startsWith('kiwoom-compat watch'));
    expect(frames.length).toBeGreaterThanOrEqual(3);
    const last = frames.at(-1) ?? '';
    expect(last).toMatch(/^005930 삼성전자 +[\d,]+ /m);
    expect(last).toMatch(/^000660 SK하이닉스 +[\d,]+ /m);
    expect(last).toMatch(/holdings:\n {2}000660/);
    expect(last).toContain('open orders:');
  }, 40_000);

  it('refuses bad codes before connecting', async () => {
    await expect(watch.run([])).rejects.toThrow(/at least one stock code/);
    await expect(watch.run(['59'])).rejects.toThrow(/"59" is not a stock code/);
  });
});

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The examples are plain programs on the built package (`node examples/<name>.mjs` after
// `npm run build`), so they are run here the way a user runs them.
function run(name: string, ...args: string[]): string {
  expect(existsSync('dist/index.js'), 'run `npm run build` first').toBe(true);
  const r = spawnSync(process.execPath, [`examples/${name}.mjs`, ...args], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}
const lines = (out: string, tag: string) => out.split('\n').filter((l) => l.startsWith(tag));

describe('examples', () => {
  it('threshold strategy buys below its level and sells above the other, on real-time trades', () => {
    const out = run('threshold-strategy', '005930', '99999999', '1', '10');
    expect(lines(out, 'quote').length).toBeGreaterThanOrEqual(2);
    const orders = lines(out, 'order');
    expect(orders).toHaveLength(2);
    expect(orders[0]).toMatch(/^order +buy 1 005930 at market .*→ sent$/);
    expect(orders[1]).toMatch(/^order +sell 1 005930 at market .*→ sent$/);
    expect(lines(out, 'chejan').length).toBeGreaterThanOrEqual(2);
    expect(out).toMatch(/end +\d+ trades seen, 2 orders, holding 0/);
  }, 40_000);

  it('threshold strategy places nothing while the price stays between its levels', () => {
    const out = run('threshold-strategy', '005930', '1', '99999999', '1.5');
    expect(lines(out, 'quote').length).toBeGreaterThan(0);
    expect(lines(out, 'order')).toEqual([]);
  }, 40_000);

  it('condition watcher lists the conditions and the stocks one holds', () => {
    const out = run('condition-watcher', '1', '1');
    expect(lines(out, 'list')[0]).toMatch(/000\^.+ {2}001\^/);
    expect(lines(out, 'hits')[0]).toMatch(/^hits +"[^"]+": \d+ stocks( \d{6})+/);
    expect(out).toMatch(/end +\d+ changes while watching/);
  }, 40_000);

  it('balance table prints opw00018 holdings by Korean field names', () => {
    const out = run('balance-table');
    expect(out).toMatch(/^account \d{10} \(emulator\)/);
    expect(out).toMatch(/A005930 +삼성전자 +100 +68,000/);
    expect(out).toMatch(/총매입금액 [\d,]+ +총평가금액 [\d,]+/);
  }, 40_000);
});

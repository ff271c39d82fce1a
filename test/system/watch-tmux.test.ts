import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';

// `watch` the way a person sees it: in a real terminal (tmux), read back with capture-pane
// (-J joins wrapped lines, so a line wider than the pane shows as one long line).
const socket = `kiwoom-watch-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (): string[] => tmux('capture-pane', '-p', '-J', '-t', 'watch').split('\n').map((l) => l.trimEnd());

/** Polls the pane until `ready` holds (the CLI starts an emulator and logs in first). */
async function until(ready: (lines: string[]) => boolean, ms = 30_000): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const lines = screen();
    if (ready(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`the pane never got there:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const count = (lines: string[], re: RegExp): number => lines.filter((l) => re.test(l)).length;
const traded = (lines: string[]) => lines.some((l) => /^005930 삼성전자 +[\d,]+ /.test(l)) && lines.some((l) => /^000660 SK하이닉스 +[\d,]+ /.test(l));

/** What every frame must be, whatever the size: one header, one title row, lines within the width, Korea time only. */
function checkFrame(lines: string[], columns: number): void {
  expect(count(lines, /^kiwoom-compat watch /)).toBe(1);
  expect(count(lines, /^code +name +price/)).toBe(1);
  for (const line of lines) expect(stringWidth(line), line).toBeLessThan(columns);
  expect(lines.join('\n')).toMatch(/^kiwoom-compat watch {2}\d\d:\d\d:\d\d KST {2}emulator/m);
  expect(lines.join('\n')).not.toContain('UTC');
  expect(lines.join('\n')).toMatch(/holdings:/);
}

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
});

describe('watch in a real terminal (tmux)', () => {
  it('fits 80x24, grows to 120x40 with the ask/bid columns, and redraws in place on each resize', async () => {
    expect(existsSync('dist/cli/main.js'), 'run `npm run build` first').toBe(true);
    tmux('new-session', '-d', '-s', 'watch', '-x', '80', '-y', '24', `${process.execPath} dist/cli/main.js watch 005930 000660 035420 --interval 200 --seconds 40; sleep 30`);

    const small = await until(traded);
    checkFrame(small, 80);
    expect(small.find((l) => l.startsWith('code'))).not.toMatch(/ask/);
    // A trend sparkline per code.
    expect(small.find((l) => l.startsWith('005930'))).toMatch(/[▁▂▃▄▅▆▇█]/);

    tmux('resize-window', '-t', 'watch', '-x', '120', '-y', '40');
    const large = await until((lines) => traded(lines) && /ask +bid$/.test(lines.find((l) => l.startsWith('code')) ?? ''));
    checkFrame(large, 120);
    expect(large.find((l) => l.startsWith('005930'))).toMatch(/[\d,]+ +[\d,]+$/);

    tmux('resize-window', '-t', 'watch', '-x', '80', '-y', '24');
    const back = await until((lines) => traded(lines) && !/ask/.test(lines.find((l) => l.startsWith('code')) ?? 'ask'));
    checkFrame(back, 80);
  });
});

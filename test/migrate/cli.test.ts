import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

describe('the move tools are wired into the kiwoom-compat CLI', () => {
  it('lists migrate, bridge, serve, watch and compare, each with its --help', () => {
    expect(existsSync('dist/cli/main.js'), 'run `npm run build` first').toBe(true);
    const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8' });
    const list = cli('--help');
    expect(list.status).toBe(0);
    for (const name of ['migrate', 'bridge', 'serve', 'watch', 'compare']) {
      expect(list.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      const help = cli(name, '--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: kiwoom-compat ${name}`));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('the move tools are wired into the kiwoom-compat CLI', () => {
  // Six CLI processes: started together, since each spends most of a second starting Node and
  // a loaded machine made six in a row pass 20 s.
  it('lists migrate, bridge, serve, watch and compare, each with its --help', async () => {
    expect(existsSync('dist/cli/main.js'), 'run `npm run build` first').toBe(true);
    const cli = (...args: string[]) => run(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8' });
    const names = ['migrate', 'bridge', 'serve', 'watch', 'compare'];
    const [list, ...helps] = await Promise.all([cli('--help'), ...names.map((name) => cli(name, '--help'))]);
    names.forEach((name, i) => {
      expect(list.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(helps[i]!.stdout).toMatch(new RegExp(`^usage: kiwoom-compat ${name}`));
    });
  }, 60_000);
});

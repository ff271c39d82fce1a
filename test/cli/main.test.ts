import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { commands } from '../../src/cli/commands/index.js';

// The CLI as a user runs it: the built bin, its exit status, what it prints where.
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });

describe('kiwoom-compat (the bin)', () => {
  it('--version prints the package version; help <command> prints its usage', () => {
    expect(existsSync('dist/cli/main.js'), 'run `npm run build` first').toBe(true);
    const version = cli(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    const help = cli(['help', 'watch']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: kiwoom-compat watch/);
    expect(cli(['help', 'call', 'ka10001']).stdout).toMatch(/^ka10001 {2}주식기본정보요청/);
    expect(cli(['help', 'nope']).status).toBe(2);
  });

  it.each(Object.keys(commands))('%s refuses an unknown flag with exit 2, its usage line and no stack trace', (name) => {
    const r = cli([name, '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^kiwoom-compat ${name}: Unknown option '--bogus'\\nusage: kiwoom-compat ${name}`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a number flag that is not a number, naming it', () => {
    const r = cli(['watch', '005930', '--seconds', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--seconds must be a number of at least 0, got "x"/);
  });

  it('ends quietly with status 0 when its reader closes the pipe (demo | head -2)', async () => {
    const child = spawn(process.execPath, ['dist/cli/main.js', 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    let n = 0;
    for await (const _line of lines) if (++n === 2) break;
    child.stdout.destroy(); // what `head -2` exiting does to the writer's pipe
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });

  it('compare without the credentials its mock side needs says so before running either side', () => {
    const r = cli(['compare'], { KIWOOM_APPKEY: '', KIWOOM_SECRETKEY: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--b mock talks to Kiwoom and needs its app key and secret key.*nothing was run/);
    expect(r.stderr).not.toMatch(/DIVERGED|events in/);
    expect(r.stdout).toBe('');
  });

  it('migrate scan counts in English and prints no empty notes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-scan-'));
    writeFileSync(join(dir, 'a.py'), 'self.ocx.dynamicCall("KOA_Functions(QString, QString)", "GetServerGubun", "")\nx.SendOrderFO("a", "b")\n');
    const r = cli(['migrate', 'scan', dir]);
    expect(r.stderr).toMatch(/^scanned 1 file: 2 OCX sites, 1 ok, 0 to check, 1 unsupported$/m);
    expect(r.stdout).toMatch(/2 OCX call sites in 1 of 1 source file: 1 map directly, 0 need a check, 1 cannot work as written\./);
    expect(r.stdout).toMatch(/^- `a\.py:2` SendOrderFO: \S/m);
    expect(r.stdout).not.toMatch(/: \. |; \./);
  });

  it('the standalone emulator prints a call command that works when pasted', async () => {
    const emu = spawn(process.execPath, ['dist/cli/main.js', 'emulator'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let command = '';
      for await (const line of createInterface({ input: emu.stdout })) {
        if (line.trim().startsWith('kiwoom-compat call ')) {
          command = line.trim();
          break;
        }
      }
      // The shell's quoting, undone: the JSON body is the one single-quoted word.
      const args = command.replace(/^kiwoom-compat /, '').match(/'[^']*'|\S+/g)!.map((a) => a.replace(/^'|'$/g, ''));
      const r = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ stk_cd: '005930', stk_nm: '삼성전자' });
    } finally {
      emu.kill('SIGINT');
    }
  });

  it('watch refuses a code that is not listed, once, naming it', () => {
    const r = cli(['watch', '999999', '--seconds', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').filter((l) => l.includes('999999'))).toEqual([expect.stringMatching(/"999999" is not a listed stock code/)]);
  });
});

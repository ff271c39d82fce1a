/**
 * The Python package as a user installs it: `pip install --no-build-isolation compat/python` into
 * a fresh venv with no index reachable gives `import kiwoom_compat` and the runner, which finds
 * this tree's Node side with no PYTHONPATH and no setting, and runs a legacy program.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLegacy } from './legacy.js';

describe('pip install of compat/python', () => {
  it('installs offline, finds the Node side by itself, and runs a legacy program', async () => {
    const venv = mkdtempSync(join(tmpdir(), 'kiwoom-venv-'));
    // A venv without pip of its own (faster to make); this machine's pip installs into it.
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    const python = join(venv, 'bin', 'python');
    const env = { ...process.env, PIP_NO_INDEX: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONPATH: '' };
    execFileSync('python3', ['-m', 'pip', '--python', python, 'install', '--quiet', '--no-build-isolation', resolve('compat/python')], { env, cwd: venv });
    const where = execFileSync(python, ['-m', 'kiwoom_compat', 'where'], { env, cwd: venv, encoding: 'utf8' });
    expect(where).toContain(resolve('dist/cli/main.js'));
    expect(where).toContain("'use_rest': False");
    const { result } = await runLegacy('com_pump.py', { python, env: { PYTHONPATH: '' } });
    expect(result.login).toBe(0);
    expect(result.order_no).toMatch(/^\d+$/);
  }, 120_000);
});

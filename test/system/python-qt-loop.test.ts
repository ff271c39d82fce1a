import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// compat/python/tests_system: the drop-in's tests that need PyQt5 (Debian's /usr/bin/python3,
// offscreen): the Qt loop adapter under APIServer.
describe('Python drop-in with PyQt5 (compat/python/tests_system)', () => {
  it('passes: calls return at once in a Qt program, handlers run in its loop on the main thread', () => {
    const run = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'discover', '-v', '-s', 'tests_system'], {
      cwd: 'compat/python',
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
    });
    expect(run.status, run.stderr.slice(-4000)).toBe(0);
    expect(run.stderr).toMatch(/Ran [1-9]\d* tests?/);
  }, 150_000);
});

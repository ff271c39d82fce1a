import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The Python drop-in's own suite (compat/python/tests, stdlib unittest) drives the facade
// through `node dist/cli/main.js bridge --stdio` against the built-in emulator. It runs here so
// that `npm test` covers it; it needs `npm run build` first, as .ci/run does. The tests that need
// PyQt5 are in compat/python/tests_system, run by `npm run test:system`.
describe('Python drop-in (compat/python)', () => {
  it('passes its unittest suite: wire, delivery, getters, loops, faces, runner, settings, the surface', () => {
    expect(existsSync('dist/cli/main.js'), 'dist/cli/main.js is missing: run `npm run build` before `npm test`').toBe(true);
    const run = spawnSync('python3', ['-m', 'unittest', 'discover', '-v', '-s', 'tests', '-t', '.'], { cwd: 'compat/python', encoding: 'utf8', timeout: 240_000 });
    const summary = run.stderr.split('\n').filter((l) => /^(Ran |OK|FAILED|ERROR|FAIL:)/.test(l)).join('\n');
    expect(run.status, `${summary}\n${run.stderr.slice(-4000)}`).toBe(0);
    expect(run.stderr).toMatch(/Ran \d+ tests/);
    expect(run.stderr).toContain('\nOK');
  }, 300_000);
});

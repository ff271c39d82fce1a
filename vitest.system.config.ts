import { defineConfig } from 'vitest/config';

// The suite that needs system packages (Debian's python3-pyqt5 and python3-pandas for
// /usr/bin/python3, chromium, tmux). `.ci/run` installs them and runs it after `npm test`;
// a missing package fails a test here, it never skips one.
export default defineConfig({
  test: {
    include: ['test/system/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/cache-dir.setup.ts'],
  },
});

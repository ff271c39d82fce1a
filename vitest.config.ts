import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/system needs Debian packages: `npm run test:system` (vitest.system.config.ts).
    exclude: ['test/system/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Vitest's default is one worker per core less one: a single worker on a 2-core CI machine,
    // and most of the suite waits on sockets and timers rather than computing. Three files at a
    // time take the suite from ~390 s to ~170 s there, the whole suite passing.
    maxWorkers: 3,
    globalSetup: ['test/cache-dir.setup.ts'],
  },
});

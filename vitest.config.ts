import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/system needs Debian packages: `npm run test:system` (vitest.system.config.ts).
    exclude: ['test/system/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/cache-dir.setup.ts'],
  },
});

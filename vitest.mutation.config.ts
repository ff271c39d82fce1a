import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The suite Stryker runs against each mutant (`npm run test:mutation`; stryker.config.mjs picks
 * the test files per group). Stryker's vitest runner runs test files one at a time in a worker
 * thread; the fault suite's soaks stay out (their figures come from `npm run test:faults`).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/faults/**'],
    },
  }),
);

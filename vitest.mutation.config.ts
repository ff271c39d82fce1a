import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The suite Stryker runs against each mutant (`npm run test:mutation`; stryker.config.mjs picks
 * the test files per group and, through MUTATION_TEST_TIMEOUT_MS, the group's test timeout: a test
 * a mutant leaves waiting forever fails there). Stryker's vitest runner runs test files one at a
 * time in a worker thread; the fault suite's soaks stay out (their figures come from
 * `npm run test:faults`).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/faults/**'],
      ...(process.env.MUTATION_TEST_TIMEOUT_MS === undefined ? {} : { testTimeout: Number(process.env.MUTATION_TEST_TIMEOUT_MS) }),
    },
  }),
);

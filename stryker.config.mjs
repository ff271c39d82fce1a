// @ts-check
import { writeFileSync } from 'node:fs';

/**
 * Mutation testing (`npm run test:mutation`, scripts/mutation.mjs): the modules where a bug
 * costs money or data, one group per module (or pair) with the test files that own it. Each
 * group's run keeps its own report and incremental file, so an interrupted run loses one group,
 * and its dry run loads only its own tests. MUTATION_GROUP picks the group.
 */
const GROUPS = {
  'op-errors': { mutate: ['src/compat/op-errors.ts'], testFiles: ['test/compat/op-errors.test.ts'], nodeTypes: true },
  'rate-limiter': { mutate: ['src/rest/rate-limiter.ts'], testFiles: ['test/rest/rate-limit.test.ts'] },
  tokens: { mutate: ['src/rest/kst.ts', 'src/rest/token-manager.ts'], testFiles: ['test/rest/kst.test.ts', 'test/rest/token-manager.test.ts', 'test/rest/token.test.ts'] },
  scrubber: { mutate: ['src/log.ts'], testFiles: ['test/rest/scrubber.test.ts', 'test/rest/logging.test.ts'] },
  chejan: { mutate: ['src/facade/chejan.ts'], testFiles: ['test/facade/chejan.test.ts', 'test/facade/settle.test.ts', 'test/facade/events.test.ts'] },
  orders: {
    mutate: ['src/facade/orders.ts', 'src/facade/settle.ts'],
    testFiles: ['test/facade/orders-unit.test.ts', 'test/facade/settle-passes.test.ts', 'test/facade/settle.test.ts'],
    // Every test here runs on a fake clock or none (the slowest took 37 ms at load 2).
    testTimeoutMs: 1_000,
  },
  // The emulator's lifecycle tests count the process's open handles, which Stryker's shared runner changes.
  'emulator-orders': { mutate: ['src/emulator/state/orders.ts'], testFiles: ['test/emulator/order-engine.test.ts', 'test/emulator/orders.test.ts', 'test/emulator/state.test.ts'], nodeTypes: true },
  // The slowest, rest/emulator.test.ts's twelve calls paced to the server's 5/s, takes 2.2 s.
  client: { mutate: ['src/rest/client.ts'], testFiles: ['test/rest/**/*.test.ts'], testTimeoutMs: 12_000 },
  // The fake-server tests only: the emulator's files (e2e, live-rules, remove-acks: 10 of the 15 s a surviving
  // hot-path mutant costs) repeat paths the fake drives exactly (LOGIN, drops, conditions, the caps, 105110, unanswered acks).
  realtime: {
    mutate: ['src/realtime/subscriptions.ts', 'src/realtime/session.ts'],
    testFiles: [
      'test/realtime/subscriptions.test.ts',
      'test/realtime/session.test.ts',
      'test/realtime/session-edges.test.ts',
      'test/realtime/session-bounds.test.ts',
      'test/realtime/session-healthy.test.ts',
      'test/realtime/reconnect.test.ts',
      'test/realtime/conditions.test.ts',
      'test/realtime/bad-frames.test.ts',
      'test/realtime/buffer.test.ts',
      'test/realtime/session-relay.test.ts',
    ],
    // The slowest, reconnect.test.ts's twenty forced drops, takes 0.15-0.35 s.
    testTimeoutMs: 3_000,
  },
  tr: {
    mutate: ['src/facade/tr-query.ts', 'src/facade/tr-result.ts'],
    testFiles: ['test/facade/tr-query.test.ts', 'test/facade/tr-rules.test.ts', 'test/facade/tr-result.test.ts'],
  },
  'real-data': { mutate: ['src/facade/real-data.ts'], testFiles: ['test/facade/real-data.test.ts', 'test/facade/real-data-rules.test.ts'] },
  // The bridge's quote path: the scan of a REAL frame's text and the compact record copied from it.
  'quote-text': { mutate: ['src/bridge/quotes.ts', 'src/realtime/real-text.ts'], testFiles: ['test/realtime/real-text.test.ts', 'test/bridge/quotes-text.test.ts', 'test/bridge/quotes-rest-only-type.test.ts'], nodeTypes: true },
  // The bridge's output queue. backpressure.test.ts and hold-setting.test.ts drive it through a spawned bridge (dist/, not the mutant): not here.
  outbox: { mutate: ['src/bridge/outbox.ts'], testFiles: ['test/bridge/outbox.test.ts'], nodeTypes: true },
};
const name = process.env.MUTATION_GROUP ?? 'op-errors';
const picked = GROUPS[/** @type {keyof typeof GROUPS} */ (name)];
if (picked === undefined) throw new Error(`MUTATION_GROUP=${name}: one of ${Object.keys(GROUPS).join(', ')}`);
const { nodeTypes = false, testTimeoutMs = 5_000, ...group } = /** @type {{ mutate: string[], testFiles: string[], nodeTypes?: boolean, testTimeoutMs?: number }} */ (picked);
/** The group names, in the order `npm run test:mutation` runs them. */
export const GROUP_NAMES = Object.keys(GROUPS);

// The checker type-checks the group's modules and what they import, not the rest of src: a
// mutant is checked in a program of a few files instead of all 177, which made the checker, not
// the tests, most of a mutant's cost. A mutant that would break only a module importing this one
// is then run against the tests instead of being set aside as a compile error (stricter, not
// kinder). Without @types/node unless the group's modules need it (`nodeTypes`): its globals,
// merged again for every mutant's program, were two thirds of a check (0.8 → 0.3 s CPU for chejan).
// A group that needs them and lacks the flag fails loudly at the checker's first compile.
// Written per group (gitignored) so that two groups can run at once.
const tsconfigFile = `.tsconfig.mutation-${name}.json`;
const compilerOptions = nodeTypes ? {} : { types: [] };
writeFileSync(tsconfigFile, `${JSON.stringify({ extends: './tsconfig.build.json', compilerOptions, include: [], files: group.mutate }, null, 2)}\n`);

// A mutant that leaves a test awaiting forever (a promise never settled, a verdict never given)
// fails that test at the group's test timeout: a plain "killed", and the test runner goes on.
// Stryker's own timeout (timeoutMS + 1.5 × the tests' net time + the dry run's overhead, 12-25 s
// here) would count it as "timed out", also detected, after a longer wait and a new test runner.
// The default is 5 s, at least 15 times the slowest test of the groups that keep it (scrubber's
// 0.3 s at load 2); the groups with slower tests set their own, and those with only quick ones a shorter one. Hooks keep vitest.config.ts's
// 20 s. The runners are forked after this file is read, so they inherit the variable.
process.env.MUTATION_TEST_TIMEOUT_MS = String(testTimeoutMs);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...group,
  testRunner: 'vitest',
  // Per-test coverage already picks each mutant's tests; vitest's import-graph search adds nothing.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  ignorePatterns: ['dist', 'bench', 'compat/python', '.ci', 'reports', 'docs'],
  checkers: ['typescript'],
  tsconfigFile,
  plugins: ['@stryker-mutator/*', './scripts/stryker-log-ignorer.mjs'],
  ignorers: ['LogCalls'],
  // One checker and one test runner, then two test runners once checking is done: the 2-core machine's width.
  concurrency: 2,
  coverageAnalysis: 'perTest',
  // Module-level code runs at import, before any test: every test would cover it.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

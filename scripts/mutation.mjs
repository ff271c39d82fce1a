#!/usr/bin/env node
/**
 * `npm run test:mutation [group...]`: Stryker over each group of stryker.config.mjs (one per
 * module or pair: op-errors, rate-limiter, tokens, ...) one after another, each with its own incremental file, then the
 * per-module table of scripts/mutation-summary.mjs with the wall time of each group.
 * Extra Stryker flags after `--` (e.g. `-- --concurrency 1`) go to every group.
 */
import { spawnSync } from 'node:child_process';

process.env.MUTATION_GROUP ??= 'op-errors';
const { GROUP_NAMES: ALL } = await import('../stryker.config.mjs');
const dash = process.argv.indexOf('--');
const names = (dash < 0 ? process.argv.slice(2) : process.argv.slice(2, dash));
const extra = dash < 0 ? [] : process.argv.slice(dash + 1);
const groups = names.length > 0 ? names : ALL;
const unknown = groups.filter((g) => !ALL.includes(g));
if (unknown.length > 0) {
  console.error(`unknown group ${unknown.join(', ')}: one of ${ALL.join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const group of groups) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', ...extra], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUP: group },
  });
  console.log(`mutation group ${group}: ${((Date.now() - started) / 60_000).toFixed(1)} min, exit ${run.status}`);
  if (run.status !== 0) failed = true;
}
spawnSync('node', ['scripts/mutation-summary.mjs', ...ALL.map((g) => `reports/mutation/${g}.json`)], { stdio: 'inherit' });
process.exit(failed ? 1 : 0);

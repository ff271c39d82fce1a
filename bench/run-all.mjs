#!/usr/bin/env node
/**
 * `npm run bench`: builds dist/, runs every benchmark script that exists, one after another
 * (each in its own process, so none disturbs another's figures), then prints every goal as
 * met / not met with its figure, from the bench/results/<name>.json files the scripts wrote.
 *
 * Usage: node bench/run-all.mjs [--quick] [--long] [--no-build] [--only name,name]
 *   --quick  shorter runs (memory 15 s, fewer frames and calls): a smoke check, not the figures
 *   --long   the memory soak for 10 minutes
 * Writes bench/results/summary.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, readResult, writeResult } from './lib/results.mjs';
import { printTable } from './lib/table.mjs';
import { GOALS } from './lib/goals.mjs';

const RUN_STARTED = Date.now();
const args = parseArgs();
const QUICK = args.has('--quick');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const only = typeof args.get('--only') === 'string' ? new Set(args.get('--only').split(',')) : undefined;

/** The benchmarks in the order they run; `args` per mode. */
const SCRIPTS = [
  { name: 'realtime', file: 'realtime.mjs', args: QUICK ? ['--frames', '50000', '--runs', '1'] : [] },
  { name: 'facade-real', file: 'facade-real.mjs', args: [] },
  { name: 'rest-path', file: 'rest-path.mjs', args: QUICK ? ['--calls', '1000', '--rounds', '1'] : [] },
  { name: 'rate-limit', file: 'rate-limit.mjs', args: [] },
  {
    name: 'memory',
    file: 'memory.mjs',
    node: ['--expose-gc'],
    args: args.has('--long') ? ['--long'] : QUICK ? ['--seconds', '15'] : [],
  },
  { name: 'ws-push-rate', file: 'ws-push-rate.mjs', args: QUICK ? ['50000', '2'] : [] },
  { name: 'ocx-getters', file: 'ocx-getters.mjs', args: QUICK ? ['--logins', '1', '--calls', '2000'] : [] },
  { name: 'gateway', file: 'gateway.mjs', args: QUICK ? ['--seconds', '2'] : [] },
  { name: 'python-getters', file: 'python-getters.mjs', args: QUICK ? ['--calls', '2000'] : [] },
  {
    name: 'python-realtime',
    file: 'python-realtime.mjs',
    args: QUICK ? ['--rates', '5000,20000', '--reps', '1', '--seconds', '2', '--warmup', '1', '--pause', '5'] : [],
  },
];

if (!args.has('--no-build')) {
  console.log('== npm run build');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
      console.error('build failed and there is no dist/: nothing to benchmark');
      process.exit(1);
    }
    console.warn('build reported errors; benchmarking the dist/ it emitted');
  }
}

const ran = [];
const missing = [];
const failed = [];
for (const script of SCRIPTS) {
  if (only && !only.has(script.name)) continue;
  const path = new URL(script.file, import.meta.url);
  if (!existsSync(path)) {
    missing.push(script.file);
    console.log(`\n== ${script.file}: missing (not written yet), skipped`);
    continue;
  }
  console.log(`\n== node ${[...(script.node ?? []), `bench/${script.file}`, ...script.args].join(' ')}`);
  const t0 = Date.now();
  const run = spawnSync(process.execPath, [...(script.node ?? []), fileURLToPath(path), ...script.args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (run.status === 0) ran.push({ name: script.name, seconds });
  else {
    failed.push({ name: script.name, exit: run.status ?? run.signal });
    console.log(`${script.file} failed (exit ${run.status ?? run.signal})`);
  }
}

// Every goal, from whatever results exist now; files older than this run are marked.
const rows = [];
for (const goal of GOALS) {
  const result = readResult(goal.source);
  if (result === undefined) {
    rows.push({ goal: goal.label, figure: 'no result', target: goal.target, status: 'not run' });
    continue;
  }
  const { figure, met } = goal.read(result);
  const stale = Date.parse(result.at) < RUN_STARTED ? ` (from ${result.at.slice(0, 16)})` : '';
  rows.push({
    goal: goal.label,
    figure: `${figure}${stale}`,
    target: goal.target,
    status: met === undefined ? 'no figure' : met ? 'met' : 'NOT met',
  });
}
console.log('\n== summary');
printTable(rows, ['goal', 'figure', 'target', 'status']);
if (missing.length > 0) console.log(`missing scripts: ${missing.join(', ')}`);
if (failed.length > 0) console.log(`failed scripts: ${failed.map((f) => `${f.name} (exit ${f.exit})`).join(', ')}`);
writeResult('summary', { quick: QUICK, ran, missing, failed, goals: rows });
process.exit(failed.length > 0 ? 1 : 0);

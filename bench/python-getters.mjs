#!/usr/bin/env node
/**
 * The Python drop-in's synchronous getters, µs per call (a benchmark, not a test): runs
 * bench/python/getters_client.py (each getter in a loop where programs call it, best of 3
 * rounds, against a dict-lookup method measured in the same process) on the built-in emulator.
 *
 * Usage: npm run build && node bench/python-getters.mjs [--calls 20000] [--python /usr/bin/python3]
 * Writes bench/results/python-getters.json.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, writeResult } from './lib/results.mjs';
import { printTable } from './lib/table.mjs';

const args = parseArgs();
const PYTHON = String(args.get('--python') ?? process.env.KIWOOM_BENCH_PYTHON ?? 'python3');
const CALLS = Number(args.get('--calls') ?? 20_000);
const CLIENT = fileURLToPath(new URL('python/getters_client.py', import.meta.url));

const load = loadavg();
const run = spawnSync(PYTHON, [CLIENT, JSON.stringify({ calls: CALLS })], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
if (run.status !== 0) {
  console.error(`getters_client.py failed (exit ${run.status ?? run.signal})`);
  process.exit(1);
}
const result = JSON.parse(run.stdout.trim().split('\n').at(-1));
const GETTERS = ['GetCommData', 'GetCommDataKept', 'GetMasterCodeName', 'GetCommRealData', 'GetChejanData', 'GetLoginInfo'];
const rows = GETTERS.map((name) => ({ getter: name, usPerCall: result.usPerCall[name], goal: '<= 10', met: result.usPerCall[name] <= 10 ? 'met' : 'NOT met' }));
rows.push({ getter: 'baseline (method + dict lookup)', usPerCall: result.usPerCall.baseline, goal: '', met: '' });
console.log(`Python ${result.python}, ${CALLS} calls x best of 3, load average ${load.map((l) => l.toFixed(1)).join(' ')}`);
printTable(rows, ['getter', 'usPerCall', 'goal', 'met']);
writeResult('python-getters', { python: result.python, calls: CALLS, loadavg: load, usPerCall: result.usPerCall, maxUsPerCall: Math.max(...GETTERS.map((g) => result.usPerCall[g])) });

#!/usr/bin/env node
/**
 * REST path benchmark (a script: it prints figures and asserts nothing).
 *
 * The same query (ka10001 for one stock, same body, same headers including a bearer token)
 * sent to the same emulator endpoint
 *   (a) as a bare undici `request` on a keep-alive Pool (the floor: a token issued by hand), and
 *   (b) through `KiwoomRest.call` (validation, rate limiter, token manager, undici request, envelope check).
 * A third row, (c) a bare `fetch` with the same undici Agent, shows what `fetch` alone would cost
 * (KiwoomRest uses it only when a `fetch` is injected, as msw unit tests do).
 * The emulator runs in a child process, so process.cpuUsage() here is the client's CPU only.
 * Both sides' rate limits are raised far above the load so that CPU is measured, not pacing.
 * Rounds alternate (a) and (b); the best round of each is kept, so the machine's noise cancels.
 * Goal: (b)/(a) CPU per call at most 1.5.
 *
 * Usage: npm run build && node bench/rest-path.mjs [--calls 4000] [--concurrency 8] [--rounds 3]
 * Writes bench/results/rest-path.json.
 */
import { Agent, Pool } from 'undici';
import { startMeasure, runConcurrent } from './lib/cpu.mjs';
import { startEmulatorChild } from './lib/emulator-child.mjs';
import { parseArgs, writeResult } from './lib/results.mjs';
import { printTable } from './lib/table.mjs';

const args = parseArgs();
const CALLS = Number(args.get('--calls') ?? 4000);
const CONCURRENCY = Number(args.get('--concurrency') ?? 8);
const ROUNDS = Number(args.get('--rounds') ?? 3);
const GOAL = 1.5;
const API_ID = 'ka10001';
const BODY = { stk_cd: '005930' };
const UNLIMITED = 1_000_000;

const { KiwoomRest } = await import('../dist/index.js');
const emu = await startEmulatorChild({
  seed: 3,
  rateLimits: { perApiId: UNLIMITED, global: UNLIMITED },
  marketTicksPerSecond: 0,
  realRate: 0,
});

// (a) the floor: a keep-alive pool, a token issued by hand, a plain POST and JSON.parse.
const pool = new Pool(emu.restUrl, { connections: CONCURRENCY, pipelining: 1 });
const tokenRes = await pool.request({
  path: '/oauth2/token',
  method: 'POST',
  headers: { 'content-type': 'application/json;charset=UTF-8' },
  body: JSON.stringify({ grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey }),
});
const { token } = await tokenRes.body.json();
if (typeof token !== 'string') throw new Error('the emulator issued no token');
const headers = {
  'content-type': 'application/json;charset=UTF-8',
  'api-id': API_ID,
  authorization: `Bearer ${token}`,
  'cont-yn': 'N',
  'next-key': '',
};
const bare = async () => {
  const res = await pool.request({ path: '/api/dostk/stkinfo', method: 'POST', headers, body: JSON.stringify(BODY) });
  const json = await res.body.json();
  if (res.statusCode !== 200 || json.return_code !== 0) throw new Error(`bare call failed: ${res.statusCode}`);
};

// (c) fetch, as KiwoomRest's transport uses it, without the library around it.
const agent = new Agent({ keepAliveTimeout: 30_000 });
const url = `${emu.restUrl}/api/dostk/stkinfo`;
const bareFetch = async () => {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(BODY), dispatcher: agent });
  const json = JSON.parse(await res.text());
  if (res.status !== 200 || json.return_code !== 0) throw new Error(`fetch call failed: ${res.status}`);
};

// (b) the library.
const rest = new KiwoomRest({
  appkey: emu.appkey,
  secretkey: emu.secretkey,
  baseUrl: emu.restUrl,
  limits: { perApiId: UNLIMITED, query: UNLIMITED, order: UNLIMITED, global: UNLIMITED, burst: UNLIMITED },
});
await rest.token();
const library = async () => {
  await rest.call(API_ID, BODY);
};

const runs = { bare: [], fetch: [], library: [] };
// Warm-up: JIT, sockets, the emulator's handlers.
await runConcurrent(500, CONCURRENCY, bare);
await runConcurrent(500, CONCURRENCY, bareFetch);
await runConcurrent(500, CONCURRENCY, library);
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, task] of [['bare', bare], ['fetch', bareFetch], ['library', library]]) {
    const m = startMeasure();
    await runConcurrent(CALLS, CONCURRENCY, task);
    runs[name].push(m.stop(CALLS));
  }
}
const best = (list) => list.reduce((a, b) => (b.cpuUsPerOp < a.cpuUsPerOp ? b : a));
const a = best(runs.bare);
const b = best(runs.library);
const c = best(runs.fetch);
const ratio = b.cpuUsPerOp / a.cpuUsPerOp;
const ratioVsFetch = b.cpuUsPerOp / c.cpuUsPerOp;
const emuStats = await emu.call('stats');

console.log(`REST path: ${CALLS} x ${API_ID} per round, ${CONCURRENCY} in flight, best of ${ROUNDS} rounds; emulator in pid ${emu.pid}`);
printTable(
  [
    { path: '(a) bare undici request', callsPerSec: a.opsPerSec, cpuUsPerCall: a.cpuUsPerOp },
    { path: '(b) KiwoomRest.call', callsPerSec: b.opsPerSec, cpuUsPerCall: b.cpuUsPerOp },
    { path: '(c) bare fetch (same Agent)', callsPerSec: c.opsPerSec, cpuUsPerCall: c.cpuUsPerOp },
  ],
  ['path', 'callsPerSec', { key: 'cpuUsPerCall', label: 'client CPU µs/call', format: (v) => v.toFixed(1) }],
);
console.log(`ratio (b)/(a) CPU per call: ${ratio.toFixed(3)} (goal <= ${GOAL}); (b)/(c): ${ratioVsFetch.toFixed(3)}; emulator 429s: ${emuStats.rateLimited}`);

writeResult('rest-path', {
  apiId: API_ID,
  calls: CALLS,
  concurrency: CONCURRENCY,
  rounds: ROUNDS,
  runs,
  best: { bare: a, library: b, fetch: c },
  ratioCpuPerCall: Number(ratio.toFixed(3)),
  ratioVsFetch: Number(ratioVsFetch.toFixed(3)),
  goal: GOAL,
  goalMet: ratio <= GOAL,
  emulator429s: emuStats.rateLimited,
});
await rest.close();
await pool.close();
await agent.close();
await emu.close();

#!/usr/bin/env node
/**
 * Benchmark (not a test): how much of its configured rate budget KiwoomRest uses against the
 * emulator, and whether the emulator ever had to answer 429. Rates are measured on the server,
 * from the arrival times in the emulator's request log.
 *
 *   npm run build && node bench/rate-limit.mjs
 *
 * Prints a table and writes bench/results/rate-limit.json. Goal: >= 97% of budget, 0 429s.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { startEmulator } from '../dist/emulator/index.js';
import { KiwoomRest } from '../dist/index.js';

const QUERY_BODIES = {
  ka10001: (code) => ({ stk_cd: code }),
  ka10004: (code) => ({ stk_cd: code }),
  ka10007: (code) => ({ stk_cd: code }),
  ka10081: (code) => ({ stk_cd: code, base_dt: '', upd_stkpc_tp: '1' }),
  ka10086: (code) => ({ stk_cd: code, qry_dt: '20250102', indc_tp: '0' }),
};
const ORDER_BODY = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3' };

const scenarios = [
  {
    name: '50 queries, one api-id (ka10001)',
    jobs: () => Array.from({ length: 50 }, () => ['ka10001', QUERY_BODIES.ka10001('005930')]),
    // per api-id 5/s and the query category 5/s
    budgetPerSec: (l) => Math.min(l.perApiId, l.query, l.global),
  },
  {
    name: '50 queries over 5 api-ids',
    jobs: () => Array.from({ length: 50 }, (_, i) => {
      const ids = Object.keys(QUERY_BODIES);
      const id = ids[i % ids.length];
      return [id, QUERY_BODIES[id]('005930')];
    }),
    // every api-id under its own 5/s, all together under the query category's 5/s
    budgetPerSec: (l) => Math.min(l.query, l.global),
  },
  {
    name: '25 queries over 5 api-ids + 25 orders',
    jobs: () => Array.from({ length: 50 }, (_, i) => {
      if (i % 2 === 1) return ['kt10000', ORDER_BODY];
      const ids = Object.keys(QUERY_BODIES);
      const id = ids[(i / 2) % ids.length];
      return [id, QUERY_BODIES[id]('005930')];
    }),
    // queries 5/s + orders 5/s, under the global cap
    budgetPerSec: (l) => Math.min(l.query + l.order, l.global),
  },
  {
    name: 'mock domain: 10 queries over 5 api-ids',
    mock: true,
    jobs: () => Array.from({ length: 10 }, (_, i) => {
      const ids = Object.keys(QUERY_BODIES);
      const id = ids[i % ids.length];
      return [id, QUERY_BODIES[id]('005930')];
    }),
    // the mock domain's 1 query per second
    budgetPerSec: (l) => l.mockQuery,
  },
];

const emu = await startEmulator({ seed: 1 });
const rows = [];
try {
  for (const scenario of scenarios) {
    const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl, mock: scenario.mock === true });
    const limits = { perApiId: 5, query: 5, order: 5, global: 10, mockQuery: 1 }; // the defaults (compat/rest-defaults.json)
    await rest.token();
    let throttled = 0;
    let rateLimitedEvents = 0;
    rest.on('throttle', () => throttled++);
    rest.on('rateLimited', () => rateLimitedEvents++);
    const before429 = emu.stats().rateLimited;
    const logStart = emu.requestLog().length;
    // Space scenarios so the server's window starts clean.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const jobs = scenario.jobs();
    const outcomes = await Promise.allSettled(jobs.map(([id, body]) => rest.call(id, body)));
    const arrivals = emu.requestLog().slice(logStart).filter((e) => e.apiId !== undefined && e.path.startsWith('/api/')).map((e) => e.at);
    const spanSec = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
    const achieved = (arrivals.length - 1) / spanSec;
    const budget = scenario.budgetPerSec(limits);
    rows.push({
      scenario: scenario.name,
      requests: arrivals.length,
      failed: outcomes.filter((o) => o.status === 'rejected').length,
      seconds: Number(spanSec.toFixed(2)),
      budgetPerSec: budget,
      achievedPerSec: Number(achieved.toFixed(3)),
      percentOfBudget: Number(((achieved / budget) * 100).toFixed(1)),
      emulator429s: emu.stats().rateLimited - before429,
      throttleEvents: throttled,
      rateLimitedEvents,
    });
    await rest.close();
  }
} finally {
  await emu.close();
}

console.table(rows);
const ok = rows.every((r) => r.percentOfBudget >= 97 && r.emulator429s === 0);
console.log(ok ? 'goal met: >= 97% of budget and 0 emulator 429s' : 'goal NOT met');
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(
  new URL('./results/rate-limit.json', import.meta.url),
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, goalMet: ok, rows }, null, 2)}\n`,
);

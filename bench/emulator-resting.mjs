#!/usr/bin/env node
/**
 * What a market tick costs the emulator's order engine as orders pile up over a run (a
 * benchmark, not a test): `--history` orders placed and cancelled on other codes before, 10
 * working on the ticked code; µs per tick (the market's step and matchResting's match of the
 * code's working orders), and µs per order placed and cancelled.
 *
 * Usage: npm run build && node bench/emulator-resting.mjs [--history 0,5000,20000] [--ticks 20000] [--dist DIR]
 * (`--dist` points at another build, e.g. main's, for a before/after.) Writes bench/results/emulator-resting.json.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { parseArgs, writeResult } from './lib/results.mjs';
import { printTable } from './lib/table.mjs';

const args = parseArgs();
const HISTORY = String(args.get('--history') ?? '0,5000,20000').split(',').map(Number);
const TICKS = Number(args.get('--ticks') ?? 20_000);
const DIST = args.get('--dist') ?? new URL('../dist', import.meta.url).pathname;
const { createEmulatorState } = await import(pathToFileURL(resolve(DIST, 'emulator/state/index.js')).href);

const TUESDAY_10H = Date.UTC(2026, 10, 24, 1, 0, 0);
const rows = [];
for (const history of HISTORY) {
  const state = createEmulatorState({ seed: 7, mode: 'prod', marketHours: 'always-open', nowMs: () => TUESDAY_10H });
  const account = state.defaultAccount;
  const buy = (code, qty, price) => state.orders.place(account, { apiId: 'kt10000', side: 'buy', code, qty, price, trdeTp: '0', exchange: 'KRX' });
  const far = (code) => state.quote(code).bidPrices[9];
  const t0 = performance.now();
  for (let i = 0; i < history; i++) {
    const code = i % 2 === 0 ? '000660' : '035720';
    const o = buy(code, 1, far(code));
    state.orders.cancel(account, { apiId: 'kt10003', origOrdNo: o.ordNo, code, qty: 0 });
  }
  const perOrder = history === 0 ? 0 : ((performance.now() - t0) * 1000) / history;
  for (let i = 0; i < 10; i++) buy('005930', 1, far('005930'));
  const t1 = performance.now();
  for (let i = 0; i < TICKS; i++) state.tick('005930');
  const perTick = ((performance.now() - t1) * 1000) / TICKS;
  rows.push({ history, usPerTick: perTick, usPerOrderAndCancel: perOrder, fills: state.orders.fills.length });
}
printTable(rows, ['history', 'usPerTick', 'usPerOrderAndCancel', 'fills']);
writeResult('emulator-resting', { dist: DIST, ticks: TICKS, rows });

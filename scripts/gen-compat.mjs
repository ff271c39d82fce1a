/**
 * Generates the compat/ legacy tables (the OCX knowledge as data) from the reference fixtures
 * and the hand-curated rules in scripts/data/.
 *
 *   node scripts/gen-compat.mjs          write the tables
 *   node scripts/gen-compat.mjs --check  exit 1 when a committed table is stale
 */
import { fileURLToPath } from 'node:url';
import { buildChejan } from './compat/chejan.mjs';
import { buildFids } from './compat/fids.mjs';
import { buildLive } from './compat/live.mjs';
import { buildMarkets } from './compat/markets.mjs';
import { buildOcxApi } from './compat/ocx-api.mjs';
import { buildOpErrors } from './compat/op-errors.mjs';
import { buildOrders } from './compat/orders.mjs';
import { buildRealTypes } from './compat/real-types.mjs';
import { loadSources } from './compat/sources.mjs';
import { buildTrDefaults } from './compat/tr-defaults.mjs';
import { buildTrMap } from './compat/tr-map.mjs';
import { runCli } from './gen-registry.mjs';
import { stableJson } from './lib/stable-json.mjs';

/** Table file -> builder. Each builder takes the loaded sources and returns the table object. */
const TABLES = {
  'compat/fids.json': [buildFids, 2],
  'compat/real-types.json': [buildRealTypes, 3],
  'compat/chejan.json': [buildChejan, 3],
  'compat/tr-map.json': [buildTrMap, 3],
  'compat/orders.json': [buildOrders, 2],
  'compat/op-errors.json': [buildOpErrors, 2],
  'compat/markets.json': [buildMarkets, 2],
  'compat/live.json': [buildLive, 3],
  'compat/ocx-api.json': [buildOcxApi, 3],
  'compat/tr-defaults.json': [buildTrDefaults, 3],
  // The Python package cannot read compat/ once pip installed it: its copies.
  'compat/python/kiwoom_compat/data/ocx-api.json': [buildOcxApi, 3],
  'compat/python/kiwoom_compat/data/tr-map.json': [buildTrMap, 3],
};

/** Every compat table's text as the generator would write it now, keyed by repo path. */
export function renderCompat() {
  const sources = loadSources();
  const out = {};
  for (const [path, [build, inlineDepth]] of Object.entries(TABLES)) out[path] = stableJson(build(sources), inlineDepth);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runCli(renderCompat());
}

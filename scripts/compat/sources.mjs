/** The reference data every compat table is derived from, read once. */
import { readFileSync } from 'node:fs';
import { readRepoJson } from '../gen-registry.mjs';

/** Loads the fixtures the compat generators read (never ../shared: the repo copies only). */
export function loadSources() {
  return {
    spec: readRepoJson('fixtures/kiwoom-rest/spec.json'),
    ws: readRepoJson('fixtures/kiwoom-rest/websocket.json'),
    ocxFids: readRepoJson('fixtures/ocx/fids.json'),
    codes: readRepoJson('fixtures/ocx/codes.json'),
    trCatalog: readRepoJson('fixtures/ocx/tr_catalog.json'),
    realTypeOverrides: readRepoJson('scripts/data/real-type-overrides.json'),
    trAliases: readRepoJson('scripts/data/tr-aliases.json'),
    orderRules: readRepoJson('scripts/data/order-rules.json'),
    errorRules: readRepoJson('scripts/data/error-rules.json'),
    marketRules: readRepoJson('scripts/data/market-rules.json'),
    liveLimits: readRepoJson('fixtures/kiwoom-rest/live-limits.json'),
    liveMd: readFileSync(new URL('../../fixtures/kiwoom-rest/LIVE.md', import.meta.url), 'utf8'),
    ocxMethods: readRepoJson('fixtures/ocx/methods.json'),
    ocxEvents: readRepoJson('fixtures/ocx/events.json'),
    ocxApiRules: readRepoJson('scripts/data/ocx-api-rules.json'),
    trInputDefaults: readRepoJson('scripts/data/tr-input-defaults.json'),
  };
}

/** Sorts numeric-string keys numerically, others by code point, for stable output. */
export function byNumberThenText(a, b) {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `a` minus `b`, keeping `a`'s order. */
export function minus(a, b) {
  const drop = new Set(b);
  return a.filter((x) => !drop.has(x));
}

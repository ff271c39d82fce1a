/**
 * The stock master: well-known listings from compat/emulator/stocks.json, then generated ones.
 * The master is fixed (it does not depend on the market seed) so codes stay stable across runs.
 */
import type { StockInfo } from '../types.js';
import { loadEmulatorData } from '../data.js';
import { createRng, hashString } from './prng.js';
import { floorToTick } from './pricing.js';

interface StocksFile {
  known: Array<{ code: string; name: string; market: string; prevClose: number; listed: number }>;
  generated: {
    counts: Record<string, number>;
    nameHeads: string[];
    nameTails: Record<string, string[]>;
    etfHeads: string[];
    etfThemes: string[];
    priceRange: [number, number];
    listedRange: [number, number];
  };
}

/** Face value by market: KOSPI/KOSDAQ stocks print 5000/500 won, ETFs none. */
const FACE_VALUE: Record<string, number> = { '0': 5000, '10': 500, '8': 0 };

/** Fixed seed of the generated listings: independent of the market seed. */
const MASTER_SEED = 20_240_101;

/** Builds the master, sorted by code. */
export function buildMaster(): StockInfo[] {
  const file = loadEmulatorData<StocksFile>('stocks');
  const gen = file.generated;
  const rng = createRng(MASTER_SEED);
  const stocks = new Map<string, StockInfo>();
  const names = new Set<string>();
  for (const k of file.known) {
    stocks.set(k.code, { ...k, faceValue: FACE_VALUE[k.market] ?? 0 });
    names.add(k.name);
  }
  const [pMin, pMax] = gen.priceRange;
  const [lMin, lMax] = gen.listedRange;
  for (const [market, count] of Object.entries(gen.counts)) {
    for (let made = 0; made < count; ) {
      const code = String(rng.int(10, 49_999) * 20).padStart(6, '0');
      const name =
        market === '8'
          ? `${rng.pick(gen.etfHeads)} ${rng.pick(gen.etfThemes)}`
          : `${rng.pick(gen.nameHeads)}${rng.pick(gen.nameTails[market] ?? gen.nameTails['0'] ?? ['산업'])}`;
      if (stocks.has(code) || names.has(name)) continue;
      const price = Math.exp(Math.log(pMin) + rng.next() * (Math.log(pMax) - Math.log(pMin)));
      stocks.set(code, {
        code,
        name,
        market,
        listed: Math.round(lMin + rng.next() * (lMax - lMin)),
        faceValue: FACE_VALUE[market] ?? 0,
        prevClose: floorToTick(price, market),
      });
      names.add(name);
      made++;
    }
  }
  return [...stocks.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** The day a stock was listed (ka10099/ka10100 `regDay`), YYYYMMDD: fixed by its code. */
export function listingDate(code: string): string {
  const h = hashString(code);
  return `${1975 + (h % 49)}${String(1 + (h % 12)).padStart(2, '0')}${String(1 + (h % 28)).padStart(2, '0')}`;
}

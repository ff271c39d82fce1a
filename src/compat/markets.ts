/**
 * Market codes (`compat/markets.json`): GetCodeListByMarket's market argument → the ka10099
 * `mrkt_tp` values to query (and a row filter), plus GetStockMarketKind, GetUpjongCode market
 * codes and sector (업종) names.
 */
import { loadTable, own } from './load.js';
import type { InstrumentKind } from './real-types.js';

/** How to answer GetCodeListByMarket(market) from ka10099. */
export interface MarketSpec {
  name: string;
  /** ka10099 `mrkt_tp` values to query, in order. */
  mrktTp: string[];
  /** Keep only rows whose response fields equal these values (`{ nxtEnable: 'Y' }`). */
  filter?: Record<string, string>;
  note?: string;
}

interface MarketsFile {
  markets: Record<string, MarketSpec>;
  /** Every `mrkt_tp` value ka10099 documents, with its name. */
  mrktTp: Record<string, string>;
  /** `mrkt_tp` values no OCX market code reaches. */
  restOnlyMrktTp: Record<string, string>;
  stockMarketKind: Record<string, string>;
  upjongMarkets: Record<string, string>;
  /** ka10099 `mrkt_tp` → the kind of instrument it lists. */
  instrumentKinds: Record<string, InstrumentKind>;
  sectors: Record<string, string>;
}

/** The market table. */
export const MARKETS: Readonly<MarketsFile> = loadTable<MarketsFile>('markets.json');

/** The spec for a GetCodeListByMarket market code (`0`, `10`, `NXT`, `` for all), or undefined. */
export function getMarket(market: string): MarketSpec | undefined {
  return own(MARKETS.markets, market.trim());
}

/** The instrument kind of a ka10099 `mrkt_tp` list (`8` → etf), stock when unknown. */
export function instrumentKind(mrktTp: string): InstrumentKind {
  return own(MARKETS.instrumentKinds, mrktTp) ?? 'stock';
}

/** The sector (업종) name for a code (`001` → `종합(KOSPI)`), or undefined. */
export function sectorName(code: string): string | undefined {
  return own(MARKETS.sectors, code);
}

/**
 * compat/markets.json: GetCodeListByMarket market codes -> ka10099 `mrkt_tp` values (and a row
 * filter), GetStockMarketKind and GetUpjongCode codes, and the sector (업종) code names.
 */

/** `0 : 코스피,\n10 : 코스닥, ...` (ka10099 mrkt_tp description) -> { '0': '코스피', ... }. */
export function documentedMarketTypes(spec) {
  const field = spec.apis.ka10099.request_fields.find((f) => f.key === 'mrkt_tp');
  const out = {};
  for (const part of field.description.split(',')) {
    const m = /^\s*(\d+)\s*:\s*(.+?)\s*$/.exec(part);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** mrkt_tp → instrument kind; every documented mrkt_tp must have one. */
function instrumentKinds(rules, documented) {
  const { _comment, ...kinds } = rules;
  for (const tp of Object.keys(documented)) if (!Object.hasOwn(kinds, tp)) throw new Error(`markets: mrkt_tp ${tp} has no instrument kind`);
  return kinds;
}

export function buildMarkets({ spec, codes, marketRules }) {
  const documented = documentedMarketTypes(spec);
  const ocxMarkets = Object.entries(codes.market_codes_GetCodeListByMarket).filter(([code]) => code !== 'notes');
  const numeric = ocxMarkets.map(([code]) => code).filter((code) => /^\d+$/.test(code));
  const markets = {};
  for (const [code, ocxName] of ocxMarkets) {
    const name = marketRules.names[code] ?? ocxName;
    const special = marketRules.special[code];
    if (special) {
      const mrktTp = special.mrktTp === 'ocx' ? numeric : special.mrktTp;
      markets[code] = { name, mrktTp, ...(special.filter ? { filter: special.filter } : {}), note: special.note };
      continue;
    }
    if (!Object.hasOwn(documented, code)) throw new Error(`markets: OCX market ${code} has no documented ka10099 mrkt_tp`);
    markets[code] = { name, mrktTp: [code] };
  }
  for (const code of Object.keys(marketRules.special)) {
    if (!Object.hasOwn(markets, code)) throw new Error(`markets: special rule ${JSON.stringify(code)} matches no OCX market`);
  }
  const covered = new Set(Object.entries(markets).filter(([c]) => c !== '').flatMap(([, m]) => m.mrktTp));
  const { source: sectorSource, ...sectors } = codes.sector_codes_upjong;
  return {
    generatedFrom: 'fixtures/ocx/codes.json market codes + fixtures/kiwoom-rest/spec.json ka10099 mrkt_tp + scripts/data/market-rules.json',
    notes: marketRules.notes,
    markets,
    mrktTp: documented,
    restOnlyMrktTp: Object.fromEntries(Object.entries(documented).filter(([c]) => !covered.has(c))),
    stockMarketKind: codes.stock_market_kind_KOA_GetStockMarketKind,
    upjongMarkets: codes.upjong_market_KOA_GetUpjongCode,
    instrumentKinds: instrumentKinds(marketRules.instrumentKinds, documented),
    sectors,
    sectorSource,
  };
}

import { describe, expect, it } from 'vitest';
import { MARKETS, getMarket, sectorName } from '../../src/compat/markets.js';
import { getApi } from '../../src/registry/index.js';

describe('market codes', () => {
  it('maps the OCX market codes onto ka10099 mrkt_tp values', () => {
    expect(getMarket('0')?.mrktTp).toEqual(['0']);
    expect(getMarket('10')?.mrktTp).toEqual(['10']);
    expect(getMarket('8')?.mrktTp).toEqual(['8']);
    expect(getMarket('3')?.mrktTp).toEqual(['3']);
    expect(getMarket('50')?.name).toBe('KONEX');
    expect(getMarket('NXT')).toMatchObject({ mrktTp: ['0', '10'], filter: { nxtEnable: 'Y' } });
    expect(getMarket('')?.mrktTp).toEqual(expect.arrayContaining(['0', '10', '8', '3', '50']));
    expect(getMarket('77')).toBeUndefined();
  });

  it('uses only mrkt_tp values ka10099 documents, and filters on fields it returns', () => {
    const api = getApi('ka10099');
    const description = api?.request.find((f) => f.key === 'mrkt_tp');
    expect(description?.required).toBe(true);
    const responseKeys = new Set(api?.response.map((f) => f.key));
    for (const [code, m] of Object.entries(MARKETS.markets)) {
      for (const tp of m.mrktTp) expect(Object.hasOwn(MARKETS.mrktTp, tp), `${code} -> ${tp}`).toBe(true);
      for (const key of Object.keys(m.filter ?? {})) expect(responseKeys.has(key), key).toBe(true);
    }
    expect(Object.keys(MARKETS.restOnlyMrktTp)).toEqual(expect.arrayContaining(['80']));
  });

  it('names sectors and GetUpjongCode markets', () => {
    expect(sectorName('001')).toBe('종합(KOSPI)');
    expect(sectorName('101')).toBe('종합(KOSDAQ)');
    expect(MARKETS.upjongMarkets['1']).toBe('KOSDAQ');
    expect(MARKETS.stockMarketKind['10']).toBe('코스닥');
  });
});

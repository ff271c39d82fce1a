import { describe, expect, it } from 'vitest';
import { CHEJAN, chejanGubunForRealType, getChejan } from '../../src/compat/chejan.js';
import { FIDS, fidName, getFid } from '../../src/compat/fids.js';
import {
  REAL_TYPES,
  getRealType,
  realTypeByOcxName,
  realTypesForFids,
  undeliveredFids,
} from '../../src/compat/real-types.js';
import { allApis } from '../../src/registry/index.js';

describe('real types', () => {
  it('covers the 19 documented REST types plus condition type 02', () => {
    const documented = allApis().filter((a) => a.category === 'websocket' && !a.id.startsWith('ka')).map((a) => a.id);
    expect(Object.keys(REAL_TYPES).sort()).toEqual([...documented, '02'].sort());
  });

  it('maps REST codes to the names the OCX reported', () => {
    expect(getRealType('0B')?.ocxName).toBe('주식체결');
    expect(getRealType('0A')).toMatchObject({ restName: '주식기세', ocxName: '주식시세' });
    expect(realTypeByOcxName('주식호가잔량')?.code).toBe('0D');
    expect(realTypeByOcxName('종목프로그램매매')?.code).toBe('0w');
    expect(getRealType('02')).toMatchObject({ ocxName: '조건검색', event: 'OnReceiveRealCondition' });
  });

  it('delivers 00 and 04 as chejan, not as real data', () => {
    expect(getRealType('00')).toMatchObject({ event: 'OnReceiveChejanData', chejanGubun: '0', item: 'account' });
    expect(getRealType('04')).toMatchObject({ event: 'OnReceiveChejanData', chejanGubun: '1', item: 'account' });
    expect(chejanGubunForRealType('00')).toBe('0');
    expect(chejanGubunForRealType('04')).toBe('1');
  });

  it('lists the REST 0B FIDs in REST order and what the OCX had that REST lacks', () => {
    const t = getRealType('0B');
    expect(t?.fids.slice(0, 3)).toEqual([20, 10, 11]);
    expect(t?.fids).toContain(9081);
    expect(t?.notDelivered).toEqual([822]);
    expect(t?.restOnly).toEqual([9081]);
  });

  it('keeps notDelivered and restOnly consistent with the two FID lists', () => {
    for (const t of Object.values(REAL_TYPES)) {
      expect(t.notDelivered.every((f) => t.ocxFids.includes(f) && !t.fids.includes(f)), t.code).toBe(true);
      expect(t.restOnly.every((f) => t.fids.includes(f) && !t.ocxFids.includes(f)), t.code).toBe(true);
    }
  });

  it('has every FID of every real type and chejan list in the dictionary', () => {
    const all = [
      ...Object.values(REAL_TYPES).flatMap((t) => [...t.fids, ...t.ocxFids]),
      ...Object.values(CHEJAN.gubun).flatMap((g) => [...g.fids, ...g.restFids]),
      ...CHEJAN.devGuideFids,
    ];
    expect(all.filter((f) => getFid(f) === undefined)).toEqual([]);
  });

  it('lets VI events be registered market-wide or per stock, and everything else one way', () => {
    expect(getRealType('1h')?.items).toEqual(['market', 'stock']);
    expect(getRealType('0J')?.items).toEqual(['sector']);
    for (const t of Object.values(REAL_TYPES)) expect(t.items, t.code).toContain(t.item);
  });

  it('selects real types by the FIDs a SetRealReg call asks for', () => {
    expect(realTypesForFids([215, 20, 214]).map((t) => t.code)).toContain('0s');
    expect(realTypesForFids([41]).map((t) => t.code)).toEqual(['0D']);
    expect(realTypesForFids([9203])).toEqual([]);
  });

  it('names FIDs no registrable REST type delivers', () => {
    expect(undeliveredFids([10, 822, 41])).toEqual([822]);
  });
});

describe('FID dictionary', () => {
  it('has KOA names and glosses', () => {
    expect(fidName(10)).toBe('현재가');
    expect(getFid('9203')?.name).toBe('주문번호');
    expect(getFid(15)).toMatchObject({ rest: '거래량' });
    expect(getFid(10)?.en).toMatch(/current price/);
    expect(getFid('toString')).toBeUndefined();
    expect(Object.keys(FIDS).length).toBeGreaterThan(400);
  });
});

describe('chejan', () => {
  it('gives gubun 0 the order FIDs fed by REST 00, and gubun 4 nothing from REST', () => {
    const g0 = getChejan('0');
    expect(g0?.fids.slice(0, 4)).toEqual([9201, 9203, 9205, 9001]);
    expect(g0?.restFids).toContain(913);
    expect(g0?.realType).toBe('00');
    expect(getChejan('1')?.fids).toContain(930);
    expect(getChejan('4')).toMatchObject({ realType: null, restFids: [] });
    expect(getChejan('4')?.notDelivered).toEqual(getChejan('4')?.fids);
  });

  it('records the OCX order statuses', () => {
    expect(CHEJAN.values['913']).toEqual(['접수', '체결', '확인', '거부']);
  });
});

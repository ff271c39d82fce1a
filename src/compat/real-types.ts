/**
 * Real-time types (`compat/real-types.json`): REST WebSocket type code ↔ OCX real-type name ↔
 * the FIDs each side delivers. REST type codes are the OCX GIDC codes and FIDs are shared.
 */
import { loadTable, own } from './load.js';

/** The OCX event a real type is raised as. */
export type RealTypeEvent = 'OnReceiveRealData' | 'OnReceiveChejanData' | 'OnReceiveRealCondition';

/** What a REG `item` holds for this type. */
export type RealItemKind = 'stock' | 'sector' | 'gold' | 'market' | 'account' | 'condition';

/** What a listed code is, for the real types that apply to it (compat/markets.json instrumentKinds). */
export type InstrumentKind = 'stock' | 'etf' | 'etn' | 'elw';

/** One real-time type. */
export interface RealTypeSpec {
  /** REST type code (`0B`). */
  code: string;
  /** REST name (`주식체결`, `주식기세`). */
  restName: string;
  /** The `sRealType` the OCX reported (`주식체결`, `주식시세`). */
  ocxName: string;
  event: RealTypeEvent;
  /** For chejan-delivered types, the OnReceiveChejanData gubun. */
  chejanGubun?: string;
  /** The usual REG item kind. */
  item: RealItemKind;
  /** Every item kind a registration may use (`1h`: market-wide or one stock). */
  items: RealItemKind[];
  /** For stock-code items, the instruments it streams for (`0G`: ETFs); absent for every kind. */
  instruments?: InstrumentKind[];
  /** FIDs the REST WebSocket delivers, in REST order. */
  fids: number[];
  /** FIDs the OCX delivered, in its sRealData TAB order. */
  ocxFids: number[];
  /** FIDs the OCX had that REST does not deliver. */
  notDelivered: number[];
  /** FIDs REST delivers that the OCX did not have. */
  restOnly: number[];
  note?: string;
}

const file = loadTable<{ types: Record<string, RealTypeSpec> }>('real-types.json');

/** Every real type by REST code (19 documented types plus condition type `02`). */
export const REAL_TYPES: Readonly<Record<string, RealTypeSpec>> = file.types;

const byOcxName = new Map(Object.values(REAL_TYPES).map((t) => [t.ocxName, t]));

/** The real type with this REST code, or undefined. */
export function getRealType(code: string): RealTypeSpec | undefined {
  return own(REAL_TYPES, code);
}

/** The real type the OCX reported under this `sRealType` name (`주식체결`), or undefined. */
export function realTypeByOcxName(name: string): RealTypeSpec | undefined {
  return byOcxName.get(name);
}

/**
 * The registrable real types (raised as OnReceiveRealData) that carry any of these FIDs: the
 * SetRealReg FID list selects which types a legacy program receives. Sorted by code.
 */
export function realTypesForFids(fids: readonly number[]): RealTypeSpec[] {
  const wanted = new Set(fids);
  return Object.values(REAL_TYPES)
    .filter((t) => t.event === 'OnReceiveRealData' && t.fids.some((f) => wanted.has(f)))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}

/**
 * Which of the requested FIDs no registrable real type delivers over REST: the ones a
 * "FID not delivered" warning should name.
 */
export function undeliveredFids(fids: readonly number[]): number[] {
  const delivered = new Set(
    Object.values(REAL_TYPES)
      .filter((t) => t.event === 'OnReceiveRealData')
      .flatMap((t) => t.fids),
  );
  return fids.filter((f) => !delivered.has(f));
}

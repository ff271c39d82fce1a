/**
 * Legacy TR ↔ REST api-id (`compat/tr-map.json`): which api-id answers a legacy TR code, which
 * request key each SetInputValue name fills and which response key each GetCommData name reads.
 */
import { loadTable, own } from './load.js';

/** How a pair is known: stated by the mapping source, one of several it lists, or inferred. */
export type TrMappingBasis = 'stated' | 'candidate' | 'inferred';

/** One legacy record (single or multi) mapped onto the REST response. */
export interface TrRecordMap {
  /** Legacy record name (`주식일봉차트조회`). */
  record: string;
  /** REST list key holding the rows; null when the values are top-level (one row). */
  list: string | null;
  /** GetCommData name → response key inside `list` (or top level when `list` is null). */
  fields: Record<string, string>;
  /** GetCommData name → top-level response key, repeated on every row. */
  shared?: Record<string, string>;
  /** Rows per page the OCX returned, when declared. */
  pageSize?: number;
  /** Every output name of the record in the OCX's order (GetOutputValue's item index, GetCommDataEx's columns). */
  outputs?: string[];
}

/** One legacy TR mapped onto a REST api-id. */
export interface TrMapping {
  apiId: string;
  /** Legacy TR name (`주식기본정보요청`). */
  name: string;
  basis: TrMappingBasis;
  /** SetInputValue name → request key. */
  inputs: Record<string, string>;
  /** SetInputValue names REST does not need (account, password): accept and ignore. */
  implicitInputs?: string[];
  /** Request keys no legacy input fills, with whether REST requires them. */
  restOnlyInputs?: Record<string, boolean>;
  single?: TrRecordMap;
  multi?: TrRecordMap;
  /** Single-record output holding the row count (`조회건수`): answer it from the list length. */
  rowCountField?: string;
  /** Legacy names with no REST counterpart. */
  unmapped: { inputs: string[]; outputs: string[] };
}

/** A legacy TR with no REST twin. */
export interface LegacyOnlyTr {
  name: string;
  /** `stated`: the mapping source says so; `catalog`: in the OCX catalog, no REST twin found. */
  basis: 'stated' | 'catalog';
}

interface TrMapFile {
  implicitInputs: Record<string, string>;
  trs: Record<string, TrMapping>;
  legacyOnly: Record<string, LegacyOnlyTr>;
}

const file = loadTable<TrMapFile>('tr-map.json');

/** Every mapped legacy TR by lower-case code (`opt10001`). */
export const TR_MAP: Readonly<Record<string, TrMapping>> = file.trs;

/** Legacy TRs without a REST twin, by lower-case code. */
export const LEGACY_ONLY_TRS: Readonly<Record<string, LegacyOnlyTr>> = file.legacyOnly;

/** The mapping for a legacy TR code in any case (`OPT10001`, `opt10001`), or undefined. */
export function getTrMapping(trCode: string): TrMapping | undefined {
  return own(TR_MAP, trCode.toLowerCase());
}

/** The legacy-only entry for a TR code in any case, or undefined. */
export function getLegacyOnlyTr(trCode: string): LegacyOnlyTr | undefined {
  return own(LEGACY_ONLY_TRS, trCode.toLowerCase());
}

/** Legacy TR codes (lower case) that map onto this api-id. */
export function trCodesForApi(apiId: string): string[] {
  return Object.keys(TR_MAP).filter((code) => TR_MAP[code]?.apiId === apiId);
}

/**
 * Chejan FID lists (`compat/chejan.json`) for OnReceiveChejanData gubun 0 (주문체결),
 * 1 (잔고) and 4 (파생잔고), and the REST real type that feeds each.
 */
import { loadTable, own } from './load.js';

/** OnReceiveChejanData sGubun. */
export type ChejanGubun = '0' | '1' | '4';

/** One gubun's FIDs. */
export interface ChejanSpec {
  /** `주문체결`, `잔고`, `파생잔고`. */
  name: string;
  /** REST type that feeds it (`00`, `04`); null when REST has none (derivatives). */
  realType: string | null;
  /** The OCX FID list, in the OCX's order (the order of sFIdList). */
  fids: number[];
  /** The FIDs the REST type delivers. */
  restFids: number[];
  /** OCX FIDs REST does not deliver: GetChejanData returns "" for them. */
  notDelivered: number[];
  /** REST FIDs the OCX list lacks. */
  restOnly: number[];
}

interface ChejanFile {
  gubun: Record<ChejanGubun, ChejanSpec>;
  /** The KOA dev guide's union list of chejan FIDs. */
  devGuideFids: number[];
  /** OCX value conventions: 913 statuses, 907 codes, 905 texts, 912 classes, 9001 format. */
  values: Record<string, unknown>;
}

/** The chejan table. */
export const CHEJAN: Readonly<ChejanFile> = loadTable<ChejanFile>('chejan.json');

/** The spec for a gubun, or undefined. */
export function getChejan(gubun: string): ChejanSpec | undefined {
  return own(CHEJAN.gubun, gubun);
}

/** The gubun a REST real type (`00`, `04`) is delivered as, or undefined. */
export function chejanGubunForRealType(code: string): ChejanGubun | undefined {
  return (Object.keys(CHEJAN.gubun) as ChejanGubun[]).find((g) => CHEJAN.gubun[g].realType === code);
}
